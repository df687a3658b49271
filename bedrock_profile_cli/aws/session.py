"""botocore's session: the credential chain, config files and environment exactly as a boto3
Session has them (a boto3 Session wraps this same object; importing boto3 itself would pull in
s3transfer, about 100 ms of start-up that a lookup never uses), plus the default region and the
secret values to redact."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from typing import Any

from bedrock_profile_cli.aws import credentials
from bedrock_profile_cli.aws.settings import EMULATOR_REGION, AwsSettings
from bedrock_profile_cli.aws.shapes import iso_timestamp
from bedrock_profile_cli.aws.translate import credentials_error, translate

DEFAULT_RETRY_MODE = "standard"


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
            elif settings.region or os.environ.get("AWS_REGION"):
                # botocore reads AWS_DEFAULT_REGION but not AWS_REGION, and the clients credential
                # providers create (STS for assume-role) take the session's region: give them ours.
                self.botocore.set_config_variable("region", settings.region or os.environ["AWS_REGION"])
            # Fail here, with exit 9, on a profile that does not exist.
            self.botocore.get_scoped_config()
        except Exception as exc:  # ProfileNotFound and other configuration errors
            error = translate(exc, profile=settings.profile)
            if type(exc).__name__ == "ProfileNotFound":
                error.hint = credentials.profiles_hint(_available_profiles())
            raise error from exc
        _only_bedrock_models_without_a_scan(self.botocore)
        credentials.use_credential_process_popen()
        if not settings.emulator:  # moto reads the same files; keep the emulator path plain
            from bedrock_profile_cli import botocore_cache

            botocore_cache.install(self.botocore)
            credentials.no_mfa_prompt_without_a_terminal(self.botocore)
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

    def resolve_credentials(self) -> None:
        """Resolve the credentials now, once, and record the secret values so that debug output and
        errors can redact them.  A provider that fails is reported here, once, with exit 9 and a
        hint (no provider at all is reported at the call, as NoCredentialsError)."""
        try:
            creds = self.botocore.get_credentials()
            # Deferred providers (SSO, assume-role, web identity) only fetch here.
            frozen = creds.get_frozen_credentials() if creds is not None else None
        except Exception as exc:
            raise credentials_error(exc, self.botocore.profile) from exc
        if frozen is not None:
            self._secrets.update(v for v in (frozen.secret_key, frozen.token) if v)

    def max_attempts(self) -> int | None:
        """--max-attempts, else AWS_MAX_ATTEMPTS / the profile's max_attempts (botocore reads those
        when it makes a client); a value that is not a number is exit 9 naming the setting."""
        if self.settings.max_attempts is not None:
            return self.settings.max_attempts
        try:
            configured = self.botocore.get_config_variable("max_attempts")
        except ValueError as exc:
            from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

            raise BedrockProfileError(
                ExitCode.CREDENTIALS_OR_CONFIG,
                f"max_attempts is not a whole number: {exc}",
                hint="set AWS_MAX_ATTEMPTS (or max_attempts in the profile) to a number such as 3, "
                "or pass --max-attempts",
            ) from exc
        return int(configured) if configured is not None else None


def _available_profiles() -> list[str]:
    import botocore.session

    try:
        return list(botocore.session.Session().available_profiles)
    except Exception:  # an unreadable file: botocore says so elsewhere
        return []


class _KnownServices:
    """What botocore's loader checks a service name against: Bedrock without a scan, any other name
    (sts, sso, sso-oidc, signin: the clients credential providers create) against the real list."""

    def __init__(self, listing: Callable[[], list[str]]) -> None:
        self._listing = listing

    def __contains__(self, name: object) -> bool:
        return name == "bedrock" or name in self._listing()

    def __iter__(self) -> Iterator[str]:  # for the message of UnknownServiceError
        return iter(self._listing())


def _only_bedrock_models_without_a_scan(session: Any) -> None:
    """Spare botocore's loader a scan of every service's data directory (~450 folders, ~25 ms of
    stat and listdir per run) when it loads Bedrock's models: it lists them only to check that the
    service it is asked to load exists.  Any other service still gets the real listing: the
    credential providers create STS, SSO and SSO OIDC clients from this same session."""
    loader = session.get_component("data_loader")
    listing = getattr(loader, "list_available_services", None)
    if listing is not None:
        loader.list_available_services = lambda type_name: _KnownServices(
            functools.partial(listing, type_name)
        )
