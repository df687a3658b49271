"""botocore's session: the credential chain, config files and environment exactly as a boto3
Session has them (a boto3 Session wraps this same object; importing boto3 itself would pull in
s3transfer, about 100 ms of start-up that a lookup never uses), plus the default region and the
secret values to redact."""

from __future__ import annotations

import os
from datetime import timezone
from typing import Any

from bedrock_profile_cli.aws.settings import EMULATOR_REGION, AwsSettings
from bedrock_profile_cli.aws.translate import translate

DEFAULT_RETRY_MODE = "standard"


def iso_timestamp(value: object) -> str:
    """A timestamp from the wire as ISO 8601 in UTC, as ``aws`` prints it with
    ``cli_timestamp_format = iso8601`` (``2024-08-23T18:36:02.123000+00:00``)."""
    from botocore.utils import parse_timestamp

    return str(parse_timestamp(value).astimezone(timezone.utc).isoformat())


class AwsSession:
    """One botocore session per run.  ``secrets`` (the run's set) receives the secret values the
    credential chain resolves, so that debug output and tracebacks can redact them."""

    def __init__(self, settings: AwsSettings, secrets: set[str]) -> None:
        import botocore.session

        self.settings = settings
        self._secrets = secrets
        try:
            self.botocore: Any = botocore.session.Session(profile=settings.profile)
            if settings.emulator:
                self.botocore.set_credentials("testing", "testing")
                self.botocore.set_config_variable("region", settings.region or EMULATOR_REGION)
            # Fail here, with exit 9, on a profile that does not exist.
            self.botocore.get_scoped_config()
        except Exception as exc:  # ProfileNotFound and other configuration errors
            raise translate(exc, profile=settings.profile) from exc
        _only_bedrock_models(self.botocore)
        if not settings.emulator:  # moto reads the same files; keep the emulator path plain
            from bedrock_profile_cli import botocore_cache

            botocore_cache.install(self.botocore)
        # Timestamps exactly as the AWS CLI prints them with cli_timestamp_format = iso8601.
        self.botocore.get_component("response_parser_factory").set_parser_defaults(
            timestamp_parser=iso_timestamp
        )

    @property
    def default_region(self) -> str | None:
        """AWS_REGION (the SDKs' standard, which botocore does not read), else botocore's own
        choice: AWS_DEFAULT_REGION, else the profile's region."""
        region = os.environ.get("AWS_REGION") or self.botocore.get_config_variable("region")
        return str(region) if region else None

    def retry_mode(self) -> str:
        """--retry-mode, else AWS_RETRY_MODE, else the profile's retry_mode, else standard."""
        if self.settings.retry_mode:
            return self.settings.retry_mode
        configured = os.environ.get("AWS_RETRY_MODE")
        if not configured:
            try:
                configured = self.botocore.get_scoped_config().get("retry_mode")
            except Exception:  # an unknown profile is reported where it is used
                configured = None
        return str(configured or DEFAULT_RETRY_MODE)

    def remember_secrets(self) -> None:
        """Record the resolved secret values so that debug output can redact them."""
        try:
            creds = self.botocore.get_credentials()
        except Exception:  # resolving fails again, with a proper error, at the call
            return
        if creds is None:
            return
        frozen = creds.get_frozen_credentials()
        self._secrets.update(v for v in (frozen.secret_key, frozen.token) if v)


def _only_bedrock_models(session: Any) -> None:
    """Spare botocore's loader a scan of every service's data directory (~450 folders, ~25 ms of
    stat and listdir per run): it lists them only to check that the service it is asked to load
    exists, and this tool only ever loads Bedrock's models."""
    loader = session.get_component("data_loader")
    if hasattr(loader, "list_available_services"):
        loader.list_available_services = lambda type_name: ["bedrock"]
