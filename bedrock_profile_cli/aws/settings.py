"""Where and as whom to call Bedrock: plain data, made from the common options."""

from __future__ import annotations

from dataclasses import dataclass

from bedrock_profile_cli.settings import (
    DEFAULT_ATTEMPT_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
)

EMULATOR_REGION = "us-east-1"


@dataclass(frozen=True)
class AwsSettings:
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    # For the in-process emulator: fixed fake credentials, configured endpoints ignored.
    emulator: bool = False
    # None: from AWS_MAX_ATTEMPTS / AWS_RETRY_MODE / the profile's config, else botocore's
    # standard mode (3 attempts).
    max_attempts: int | None = None
    retry_mode: str | None = None
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT


def check_endpoint_url(url: str, source: str) -> None:
    """Refuse, before any request, an endpoint URL botocore would choke on (exit 1) or send to a
    scheme it cannot speak (exit 10): exit 9 naming where it came from."""
    from urllib.parse import urlsplit

    from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
    from bedrock_profile_cli.textsafe import printable

    problem = None
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        problem = "it contains a space or a control character"
    else:
        try:
            parts = urlsplit(url)
            port = parts.port  # ValueError when out of range or not a number
        except ValueError as exc:
            problem = str(exc)
        else:
            if parts.scheme not in ("http", "https"):
                problem = f"the scheme must be http or https, not {parts.scheme or 'missing'!r}"
            elif not parts.hostname:
                problem = "it names no host"
            elif port == 0:
                problem = "port 0 is not a port to connect to"
    if problem is not None:
        from bedrock_profile_cli.redaction import redact

        shown = printable(redact(url if len(url) <= 200 else url[:200] + "..."))
        raise BedrockProfileError(
            ExitCode.CREDENTIALS_OR_CONFIG,
            f"{source} '{shown}' is not a usable endpoint URL: {problem}",
            hint="give a URL such as https://bedrock.us-east-1.amazonaws.com or http://127.0.0.1:5000",
        )
