"""The exit-code contract and the error type every failure becomes.

This module is the one source of truth for exit codes: README's table, ``--help`` and the tests
all read :data:`EXIT_CODE_MEANINGS`.  AWS error codes become exit codes in :data:`AWS_ERROR_EXIT_CODES`
(grep for an exception name here to find its code).
"""

from __future__ import annotations

from enum import IntEnum

from bedrock_profile_cli.textsafe import printable


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    USAGE = 2
    CHECK_FAILED = 3
    NOT_FOUND = 4
    ACCESS_DENIED = 5
    VALIDATION = 6
    INTERNAL_SERVER = 7
    THROTTLED = 8
    CREDENTIALS_OR_CONFIG = 9
    NETWORK = 10
    SERVICE = 11
    OUTPUT = 12
    INTERRUPTED = 130
    BROKEN_PIPE = 141


EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success",
    ExitCode.INTERNAL: "unexpected internal error (a bug): short message, traceback only with `--debug`",
    ExitCode.USAGE: "usage error: bad flag, option value or empty identifier",
    ExitCode.CHECK_FAILED: "a check failed (`check`), or `diff` found changes",
    ExitCode.NOT_FOUND: "ResourceNotFoundException: no such inference profile in that region/account",
    ExitCode.ACCESS_DENIED: "AccessDeniedException",
    ExitCode.VALIDATION: "ValidationException, from the service or from the local identifier check",
    ExitCode.INTERNAL_SERVER: "InternalServerException, after retries",
    ExitCode.THROTTLED: "ThrottlingException, after retries",
    ExitCode.CREDENTIALS_OR_CONFIG: "credentials or configuration: no credentials, unknown profile, "
    "no region, expired or rejected token, bad endpoint URL, emulator extra missing",
    ExitCode.NETWORK: "network: endpoint unreachable, connect or read timeout, TLS failure",
    ExitCode.SERVICE: "any other service error, or a response that cannot be parsed",
    ExitCode.OUTPUT: "stdout could not be written (disk full, I/O error): one line on stderr says why",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
    ExitCode.BROKEN_PIPE: "stdout closed early (`| head` stopped reading): quiet, as other Unix tools",
}

# Error codes the service (or its front door) answers with, and the exit code each becomes.
AWS_ERROR_EXIT_CODES: dict[str, ExitCode] = {
    "ResourceNotFoundException": ExitCode.NOT_FOUND,
    "AccessDeniedException": ExitCode.ACCESS_DENIED,
    "ValidationException": ExitCode.VALIDATION,
    "InternalServerException": ExitCode.INTERNAL_SERVER,
    "ThrottlingException": ExitCode.THROTTLED,
    # The request was signed, but the credentials behind it are not good.
    "ExpiredToken": ExitCode.CREDENTIALS_OR_CONFIG,
    "ExpiredTokenException": ExitCode.CREDENTIALS_OR_CONFIG,
    "RequestExpired": ExitCode.CREDENTIALS_OR_CONFIG,
    "UnrecognizedClientException": ExitCode.CREDENTIALS_OR_CONFIG,
    "InvalidClientTokenId": ExitCode.CREDENTIALS_OR_CONFIG,
    "InvalidAccessKeyId": ExitCode.CREDENTIALS_OR_CONFIG,
    "InvalidSignatureException": ExitCode.CREDENTIALS_OR_CONFIG,
    "SignatureDoesNotMatch": ExitCode.CREDENTIALS_OR_CONFIG,
    "IncompleteSignature": ExitCode.CREDENTIALS_OR_CONFIG,
    "IncompleteSignatureException": ExitCode.CREDENTIALS_OR_CONFIG,
    "MissingAuthenticationToken": ExitCode.CREDENTIALS_OR_CONFIG,
    "MissingAuthenticationTokenException": ExitCode.CREDENTIALS_OR_CONFIG,
    "AuthFailure": ExitCode.CREDENTIALS_OR_CONFIG,
}


def exit_code_for_aws_error(code: str) -> ExitCode:
    """The exit code for an AWS error code; unknown codes are 'any other service error'."""
    return AWS_ERROR_EXIT_CODES.get(code, ExitCode.SERVICE)


# A service message or URL can be 100 KB: the line shows this much of it (--debug shows all).
MESSAGE_LIMIT = 500


def capped(text: str, limit: int | None) -> str:
    if limit is None or len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters; --debug shows all)"


class BedrockProfileError(Exception):
    """A failure meant for people: what failed, why, and what to try."""

    def __init__(
        self,
        exit_code: ExitCode,
        message: str,
        *,
        hint: str | None = None,
        aws_code: str | None = None,
        request_id: str | None = None,
        identifier: str | None = None,
        attempts: int | None = None,
        operation: str | None = None,
    ) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.message = message
        self.hint = hint
        self.aws_code = aws_code
        self.request_id = request_id
        self.identifier = identifier
        self.attempts = attempts
        self.operation = operation  # the AWS operation that failed, when one did
        self.reported = False  # already printed by the command; main() only exits with its code

    def line(self, limit: int | None = MESSAGE_LIMIT, *, with_identifier: bool = True) -> str:
        """The one line printed on stderr (without the program-name prefix); a message longer than
        ``limit`` characters is cut there, saying how much is left out (None: whole)."""
        parts = []
        if self.identifier is not None and with_identifier:
            parts.append(f"{self.identifier}: ")
        if self.aws_code:
            parts.append(f"{self.aws_code}: ")
        parts.append(capped(self.message.rstrip(". ") or "failed", limit))
        extras = []
        if self.attempts and self.attempts > 1:
            extras.append(f"after {self.attempts} attempts")
        if self.request_id:
            extras.append(f"request ID {self.request_id}")
        if extras:
            parts.append(f" ({', '.join(extras)})")
        if self.hint:
            parts.append(f"; hint: {self.hint}")
        return printable("".join(parts))

    def to_doc(self, limit: int | None = MESSAGE_LIMIT) -> dict[str, object]:
        """The error as ``--error-format json`` prints it (one object per line)."""
        return {
            "level": "error",
            "exitCode": int(self.exit_code),
            "exitName": ExitCode(self.exit_code).name,
            "awsCode": self.aws_code,
            "message": capped(self.message, limit),
            "requestId": self.request_id,
            "identifier": self.identifier,
            "attempts": self.attempts,
            "hint": self.hint,
        }


def exit_code_table_markdown() -> str:
    """The exit-code table as Markdown, as README carries it."""
    rows = ["| code | meaning |", "|---|---|"]
    rows += [f"| {int(code)} | {meaning} |" for code, meaning in EXIT_CODE_MEANINGS.items()]
    return "\n".join(rows)


def exit_code_table_text() -> str:
    """The exit-code table as plain text, as ``--help`` carries it."""
    return "\n".join(
        f"{int(code):>4}  {meaning.replace('`', '')}" for code, meaning in EXIT_CODE_MEANINGS.items()
    )
