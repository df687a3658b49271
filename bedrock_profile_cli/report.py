"""Errors and warnings on stderr: one line each, as text for people or JSON for pipelines."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.options import RUN
from bedrock_profile_cli.settings import ERROR_FORMAT_ENV
from bedrock_profile_cli.textsafe import printable

PROG = "bedrock-profile"


def error_format(argv: Sequence[str] | None = None) -> str:
    """``text`` or ``json``: from the parsed options, else the command line (for errors raised
    while parsing it), else the environment."""
    if RUN.common is not None:
        return RUN.common.error_format
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg == "--error-format" and i + 1 < len(args):
            return args[i + 1].lower()
        if arg.startswith("--error-format="):
            return arg.split("=", 1)[1].lower()
    return os.environ.get(ERROR_FORMAT_ENV, "text").lower()


def _stderr_color() -> bool:
    from bedrock_profile_cli.terminal import use_color

    return use_color(RUN.common.color if RUN.common else "auto", sys.stderr)


def _say(kind: str, text: str, ansi: str) -> None:
    label = f"\x1b[{ansi}m{kind}\x1b[0m" if _stderr_color() else kind
    sys.stderr.write(f"{PROG}: {label}: {text}\n")
    sys.stderr.flush()


def _json_line(document: dict[str, object]) -> None:
    sys.stderr.write(json.dumps(document, ensure_ascii=True) + "\n")
    sys.stderr.flush()


def report(error: BedrockProfileError, argv: Sequence[str] | None = None) -> None:
    """One line on stderr: what failed, the AWS error code, request ID, and a hint."""
    if error_format(argv) == "json":
        _json_line(
            {
                "level": "error",
                "exitCode": int(error.exit_code),
                "exitName": ExitCode(error.exit_code).name,
                "awsCode": error.aws_code,
                "message": error.message,
                "requestId": error.request_id,
                "identifier": error.identifier,
                "attempts": error.attempts,
                "hint": error.hint,
            }
        )
    else:
        _say("error", error.line(), "1;31")


def warn(text: str) -> None:
    if error_format() == "json":
        _json_line({"level": "warning", "message": text})
    else:
        _say("warning", printable(text), "1;33")


def note(text: str) -> None:
    """A line for people on stderr (progress, check results); not an error."""
    sys.stderr.write(printable(text) + "\n")
    sys.stderr.flush()
