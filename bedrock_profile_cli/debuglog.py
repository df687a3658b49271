"""``--debug``: log requests and responses to stderr with every secret redacted."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import TextIO

# botocore loggers worth a user's attention (botocore.hooks and loaders are noise; botocore.auth
# prints the string it signs and the signature itself, so it is never enabled).
LOGGERS = (
    "bedrock_profile_cli",
    "botocore.endpoint",
    "botocore.parsers",
    "botocore.retryhandler",
    "botocore.retries",
    "botocore.credentials",
    "urllib3.connectionpool",
)

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(Signature=)[0-9a-fA-F]+"), r"\1<redacted>"),
    (re.compile(r"(Credential=)[A-Z0-9]{4,}?([A-Z0-9]{4})/"), r"\1<redacted>\2/"),
    (
        re.compile(
            r"""((?:X-Amz-Security-Token|x-amz-security-token|Authorization)['"]?\s*[:=]\s*['"]?(?:b')?)[^'",}\s]+"""
        ),
        r"\1<redacted>",
    ),
    (
        re.compile(
            r"""((?:aws_secret_access_key|aws_session_token|SecretAccessKey|SessionToken|secret_key|clientSecret|token)['"]?\s*[:=]\s*['"]?(?:b')?)[^'",}\s]+""",
            re.IGNORECASE,
        ),
        r"\1<redacted>",
    ),
    # (The pattern above also covers SSO: bearer headers logged as bytes, b'...', and the OIDC
    # client's clientSecret in a CreateToken body.)
    # STS answers in XML (AssumeRole, AssumeRoleWithWebIdentity): botocore.parsers logs the body
    # while the credentials in it are being resolved, before they can be added to the secrets.
    (re.compile(r"(<(?:SecretAccessKey|SessionToken)>)[^<]*"), r"\1<redacted>"),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with signatures, tokens and the given secret values replaced by ``<redacted>``."""
    for value in sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True):
        text = text.replace(value, "<redacted>")
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: Callable[[], Iterable[str]]) -> None:
        super().__init__("debug: %(name)s: %(message)s")
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets())


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    def handleError(self, record: logging.LogRecord) -> None:
        # logging's default prints the record's raw arguments (request headers, unredacted) to
        # stderr when writing fails; a debug line that cannot be written is simply dropped.
        pass


_ACTIVE: list[_Handler] = []


def enable(stream: TextIO, secrets: Callable[[], Iterable[str]]) -> None:
    """Send the interesting loggers to ``stream`` at DEBUG, through the redactor."""
    disable()
    handler = _Handler(stream)
    handler.setFormatter(RedactingFormatter(secrets))
    _ACTIVE.append(handler)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
        logger.propagate = False


def disable() -> None:
    """Undo :func:`enable` (main() calls it at the end of every run)."""
    while _ACTIVE:
        handler = _ACTIVE.pop()
        for name in LOGGERS:
            logger = logging.getLogger(name)
            logger.removeHandler(handler)
            logger.setLevel(logging.NOTSET)
            logger.propagate = True
