"""The state of one run, in one explicit object: streams, environment, the parsed common options, the
secrets seen so far, and the lines for people on stderr.

``main()`` makes one :class:`RunContext` per run (tests make their own, with their own streams and
environment) and hands it to the command through click's context object; commands hand it to the
output layer and the AWS layer.  No module keeps run state in a global.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO, cast

from bedrock_profile_cli.errors import MESSAGE_LIMIT, BedrockProfileError
from bedrock_profile_cli.settings import (
    DEFAULT_ATTEMPT_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    ERROR_FORMAT_ENV,
    ERROR_FORMATS,
    PROG,
    env_choice,
)
from bedrock_profile_cli.terminal import is_terminal, use_color
from bedrock_profile_cli.textsafe import printable

if TYPE_CHECKING:
    from bedrock_profile_cli.aws.settings import AwsSettings


@dataclass
class CommonOptions:
    """The options every AWS-facing command accepts, as parsed (choices in canonical spelling)."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    output: str | None = None  # None: BEDROCK_PROFILE_OUTPUT, else by terminal (see RunContext)
    query: str | None = None
    color: str = "auto"
    error_format: str = "text"
    debug: bool = False
    emulator: bool = False
    max_attempts: int | None = None
    retry_mode: str | None = None
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT

    def aws_settings(self) -> AwsSettings:
        """The AWS layer's settings: its fields, as parsed here (the emulator sets aside the named
        profile and any configured endpoint)."""
        from dataclasses import fields

        from bedrock_profile_cli.aws.settings import AwsSettings

        values = {f.name: getattr(self, f.name) for f in fields(AwsSettings)}
        if self.emulator:
            values.update(profile=None, endpoint_url=None)
        return AwsSettings(**values)


class _Delegating(io.TextIOBase):
    """A text stream in front of another (None: a descriptor closed before we started)."""

    def __init__(self, inner: TextIO | None) -> None:
        self._inner = inner

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._inner, "encoding", None) or "utf-8")

    def isatty(self) -> bool:
        try:
            return bool(self._inner is not None and self._inner.isatty())
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        if self._inner is None:
            raise OSError("the stream was closed before the program started")
        return self._inner.fileno()

    def writable(self) -> bool:
        return True


class GuardedStdout(_Delegating):
    """stdout: a reader that went away is a BrokenPipeError (exit 141, quiet), also when the
    descriptor was closed before we started (``>&-``); any other failure to write (``> /dev/full``)
    is exit 12 with one line saying why."""

    # A pipe whose reader goes away mid-write accepts part of one large write() and CPython reports
    # the whole as written (strace: write(1, ..., 649213) = 65536, then nothing): `| head -1` on a
    # 600 KB document ended in exit 0.  Written in pieces, the next piece meets EPIPE: exit 141.
    CHUNK = 16 * 1024

    def write(self, text: str) -> int:
        if self._inner is None:
            raise BrokenPipeError
        try:
            if len(text) > self.CHUNK:
                for start in range(0, len(text), self.CHUNK):
                    self._inner.write(text[start : start + self.CHUNK])
                    self._inner.flush()
                return len(text)
            return self._inner.write(text)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise _cannot_write(exc) from exc

    def flush(self) -> None:
        if self._inner is None:
            return
        try:
            self._inner.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise _cannot_write(exc) from exc


class BestEffortStderr(_Delegating):
    """stderr: when it is closed or full there is nowhere left to say anything, so what cannot be
    written is dropped, and the run keeps its own exit code."""

    def write(self, text: str) -> int:
        try:
            return self._inner.write(text) if self._inner is not None else len(text)
        except (OSError, ValueError):
            return len(text)

    def flush(self) -> None:
        try:
            if self._inner is not None:
                self._inner.flush()
        except (OSError, ValueError):
            pass


class WorkflowLogStderr(_Delegating):
    """stderr in a GitHub Actions log, which the runner scans for commands: ``::name::`` at the
    start of a line (after blanks), and the legacy ``##[name]`` anywhere in one.  Text from the
    service reaches stderr (a status, an ARN, and under --debug whole response bodies and exception
    messages over several lines), so here no line starts with ``::`` (its first ``:`` is written
    ``\\x3a``) and no ``##[`` is left (``#\\u0023[``, valid in a JSON line too).  The annotations the
    tool means go around this, through :meth:`RunContext.workflow_command`."""

    _BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines' line ends

    def __init__(self, inner: TextIO | None) -> None:
        super().__init__(inner)
        self._blank_so_far = True  # the line being written holds only blanks so far
        self._last = ""  # the last character written (a `#` then `#[` in the next write)

    def write(self, text: str) -> int:
        if self._inner is None:
            return len(text)
        pieces = []
        for piece in text.splitlines(keepends=True):
            body = piece.rstrip(self._BREAKS)
            ends_line = body != piece
            if self._blank_so_far and body.strip():
                at = len(body) - len(body.lstrip())
                if body[at] == ":":  # the line's first character: never the start of `::`
                    piece = f"{piece[:at]}\\x3a{piece[at + 1 :]}"
            self._blank_so_far = ends_line or (self._blank_so_far and not body.strip())
            pieces.append(piece)
        escaped = "".join(pieces).replace("##[", "#\\u0023[")
        if self._last == "#" and escaped.startswith("#["):
            escaped = "\\u0023" + escaped[1:]
        self._last = escaped[-1:] or self._last
        self._inner.write(escaped)
        return len(text)

    def command(self, line: str) -> None:
        """A workflow command of ours, on a line of its own (its data keeps no ``##[`` either)."""
        if self._inner is not None:
            start = "" if self._last == "" or self._last in self._BREAKS else "\n"
            self._inner.write(start + line.replace("##[", "#\\u0023[") + "\n")
            self._blank_so_far, self._last = True, "\n"

    def flush(self) -> None:
        if self._inner is not None:
            self._inner.flush()


def _cannot_write(exc: BaseException) -> BedrockProfileError:
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    from bedrock_profile_cli.errors import ExitCode

    return BedrockProfileError(ExitCode.OUTPUT, f"cannot write output: {reason}")


@dataclass
class RunContext:
    stdout: TextIO
    stderr: TextIO
    env: Mapping[str, str]
    argv: Sequence[str] = ()
    options: CommonOptions | None = None  # set once a command's options are parsed
    # Secret values seen while resolving credentials, redacted from every debug line and traceback.
    secrets: set[str] = field(default_factory=set)
    stdin: TextIO | None = None  # None: no standard input to read (`check --iam-policy -`)

    def __post_init__(self) -> None:
        if self.env.get("GITHUB_ACTIONS") == "true" and not isinstance(self.stderr, WorkflowLogStderr):
            self.stderr = cast(TextIO, WorkflowLogStderr(self.stderr))

    @classmethod
    def from_process(cls, argv: Sequence[str] | None = None) -> RunContext:
        """The process's streams (guarded: see :class:`GuardedStdout`), environment and arguments."""
        return cls(
            stdout=cast(TextIO, GuardedStdout(sys.stdout)),
            stderr=cast(TextIO, BestEffortStderr(sys.stderr)),
            env=os.environ,
            argv=list(sys.argv[1:] if argv is None else argv),
            stdin=sys.stdin,
        )

    # --- what the options decide --------------------------------------------------------------------

    @property
    def debug(self) -> bool:
        return bool(self.options and self.options.debug)

    @property
    def error_format(self) -> str:
        """``text`` or ``json``: from the parsed options, else the command line (for errors raised
        while parsing it), else the environment; anything unrecognised is ``text``."""
        if self.options is not None:
            return self.options.error_format
        args = list(self.argv)
        for i, arg in enumerate(args):
            value = None
            if arg == "--error-format" and i + 1 < len(args):
                value = args[i + 1]
            elif arg.startswith("--error-format="):
                value = arg.split("=", 1)[1]
            if value is not None and value.lower() in ERROR_FORMATS:
                return value.lower()
        try:
            return env_choice(self.env, ERROR_FORMAT_ENV, ERROR_FORMATS) or "text"
        except BedrockProfileError:
            return "text"

    @property
    def color_mode(self) -> str:
        return self.options.color if self.options else "auto"

    def stdout_color(self) -> bool:
        return use_color(self.color_mode, self.stdout, self.env)

    def stderr_color(self) -> bool:
        return use_color(self.color_mode, self.stderr, self.env)

    def stdout_is_terminal(self) -> bool:
        return is_terminal(self.stdout)

    def stderr_is_terminal(self) -> bool:
        return is_terminal(self.stderr)

    def stderr_is_utf8(self) -> bool:
        encoding = (getattr(self.stderr, "encoding", None) or "").lower().replace("-", "")
        return encoding.startswith("utf")

    # --- lines for people, on stderr ----------------------------------------------------------------

    def redact(self, text: str) -> str:
        """``text`` without the run's secrets, tokens, signatures or URL passwords."""
        from bedrock_profile_cli.redaction import redact

        return redact(text, self.secrets)

    def error(self, error: BedrockProfileError) -> None:
        """One line on stderr: what failed, the AWS error code, request ID, and a hint."""
        if self.error_format == "json":
            doc = error.to_doc(None if self.debug else MESSAGE_LIMIT)
            self._json_line({k: self.redact(v) if isinstance(v, str) else v for k, v in doc.items()})
        else:
            self._labelled("error", self.redact(error.line(None if self.debug else MESSAGE_LIMIT)), "1;31")

    def warn(self, text: str) -> None:
        if self.error_format == "json":
            self._json_line({"level": "warning", "message": self.redact(text)})
        else:
            self._labelled("warning", printable(self.redact(text)), "1;33")

    def note(self, text: str) -> None:
        """A line for people on stderr (progress, check results); not an error.  With
        ``--error-format json`` it is a JSON line too (``level`` note), so every stderr line parses."""
        if self.error_format == "json":
            self._json_line({"level": "note", "message": self.redact(text)})
            return
        self.stderr.write(printable(self.redact(text)) + "\n")
        self.stderr.flush()

    def workflow_command(self, line: str) -> None:
        """A GitHub Actions workflow command on stderr (``::error ...``), past the escaping that keeps
        service text from reading as one (:class:`WorkflowLogStderr`)."""
        if isinstance(self.stderr, WorkflowLogStderr):
            self.stderr.command(line)
        else:
            self.stderr.write(line + "\n")
        self.stderr.flush()

    def _labelled(self, kind: str, text: str, ansi: str) -> None:
        label = f"\x1b[{ansi}m{kind}\x1b[0m" if self.stderr_color() else kind
        self.stderr.write(f"{PROG}: {label}: {text}\n")
        self.stderr.flush()

    def _json_line(self, document: Mapping[str, object]) -> None:
        self.stderr.write(json.dumps(document, ensure_ascii=True) + "\n")
        self.stderr.flush()
