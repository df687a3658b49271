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
