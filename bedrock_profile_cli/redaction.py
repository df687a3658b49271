"""Secrets out of every line the tool prints: error and warning lines (text and JSON), debug logs
and tracebacks.  Known secret values (the run's, see RunContext.secrets) are replaced, and so is
whatever looks like a signature, a token, a secret key or a password in a URL."""

from __future__ import annotations

import re
from collections.abc import Iterable

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
    # A password in a URL (--endpoint-url http://user:PASS@host, or an AWS_ENDPOINT_URL* variable).
    (re.compile(r"(://[^/\s:@]*:)[^/\s@]+@"), r"\1<redacted>@"),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with signatures, tokens and the given secret values replaced by ``<redacted>``."""
    for value in sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True):
        text = text.replace(value, "<redacted>")
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def url_password(url: str | None) -> str | None:
    """The password in ``url``'s user information, if it has one (``http://user:PASS@host``)."""
    if not url or "@" not in url:
        return None
    from urllib.parse import urlsplit

    try:
        password = urlsplit(url).password
    except ValueError:
        return None
    return password or None
