"""``--debug``: log requests and responses to stderr with every secret redacted."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TextIO

from bedrock_profile_cli.redaction import redact

__all__ = ["disable", "enable", "redact"]

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
