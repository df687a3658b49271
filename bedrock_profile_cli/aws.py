"""The AWS side: sessions and clients, the GetInferenceProfile call, and botocore's errors
translated into :class:`BedrockProfileError`.  No typer or rich here; botocore is imported lazily."""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timezone
from typing import Any

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode, exit_code_for_aws_error
from bedrock_profile_cli.identifiers import Identifier
from bedrock_profile_cli.settings import DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT

LOG = logging.getLogger("bedrock_profile_cli")
MAX_WORKERS = 16
EMULATOR_REGION = "us-east-1"
DEFAULT_RETRY_MODE = "standard"
# A profile is about 1 KiB and a full page of 1,000 summaries about 1 MiB: anything far larger is
# not a Bedrock answer, and is refused before it is all in memory.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
JSON_CONTENT_TYPES = ("application/json", "application/x-amz-json-1.0", "application/x-amz-json-1.1")


@dataclass(frozen=True)
class AwsSettings:
    """Where and as whom to call Bedrock."""

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


@dataclass
class Outcome:
    """The result for one identifier: the profile as the API returned it, or the error."""

    identifier: Identifier
    region: str | None = None
    profile: dict[str, Any] | None = None
    error: BedrockProfileError | None = None


@dataclass
class Secrets:
    """Secret values seen while resolving credentials, so that debug output can redact them."""

    values: set[str] = field(default_factory=set)


SECRETS = Secrets()


def iso_timestamp(value: Any) -> str:
    """A timestamp from the wire as ISO 8601 in UTC, as ``aws`` prints it with
    ``cli_timestamp_format = iso8601`` (``2024-08-23T18:36:02.123000+00:00``)."""
    from botocore.utils import parse_timestamp

    return str(parse_timestamp(value).astimezone(timezone.utc).isoformat())


def _hint_for_credentials(profile: str | None) -> str:
    where = f"profile {profile!r}" if profile else "the default credential chain"
    return (
        f"no usable credentials from {where}; run `aws configure` or `aws sso login`, set "
        "AWS_PROFILE/--profile, or try the built-in emulator with --emulator"
    )


def translate(
    exc: BaseException,
    *,
    identifier: str | None = None,
    region: str | None = None,
    profile: str | None = None,
) -> BedrockProfileError:
    """Turn anything boto3/botocore raises into our error type with its exit code and a hint."""
    if isinstance(exc, BedrockProfileError):
        return exc
    from botocore import exceptions as bx
    from botocore.parsers import ResponseParserError

    if isinstance(exc, bx.ClientError):
        response: dict[str, Any] = getattr(exc, "response", {}) or {}
        error = response.get("Error", {}) or {}
        meta = response.get("ResponseMetadata", {}) or {}
        code = str(error.get("Code") or "UnknownError")
        exit_code = exit_code_for_aws_error(code)
        message = str(error.get("Message") or exc)
        retries = meta.get("RetryAttempts")
        attempts = int(retries) + 1 if isinstance(retries, int) else None
        hint = {
            ExitCode.NOT_FOUND: f"looked up in region {region}; an application profile exists in one "
            f"region and account only: check --region/--profile, or run `bedrock-profile list -r {region}`",
            ExitCode.ACCESS_DENIED: "the caller needs bedrock:GetInferenceProfile on this profile; "
            "check --profile",
            ExitCode.THROTTLED: "the request rate is over the account's quota; wait and retry, or raise "
            "AWS_MAX_ATTEMPTS",
            ExitCode.INTERNAL_SERVER: "the service failed; retry later",
            ExitCode.CREDENTIALS: "the credentials were rejected or have expired; refresh them "
            "(aws sso login, new session token) or check --profile",
        }.get(exit_code)
        return BedrockProfileError(
            exit_code,
            message,
            aws_code=code,
            request_id=meta.get("RequestId") or None,
            identifier=identifier,
            attempts=attempts,
            hint=hint,
        )
    if isinstance(exc, ValueError) and "endpoint" in str(exc).lower():
        return BedrockProfileError(
            ExitCode.CREDENTIALS,
            str(exc),
            identifier=identifier,
            hint="--endpoint-url (or AWS_ENDPOINT_URL_BEDROCK) must be a URL such as http://127.0.0.1:5000",
        )
    # botocore's own errors, most specific first: (classes, exit code, message prefix, hint)
    rules: tuple[tuple[tuple[type[BaseException], ...], ExitCode, str, str | None], ...] = (
        ((bx.ProfileNotFound,), ExitCode.CREDENTIALS, "", "list profiles with `aws configure list-profiles`"),
        (
            (bx.NoRegionError,),
            ExitCode.CREDENTIALS,
            "no AWS region is configured: ",
            "pass --region, set AWS_REGION, or give an ARN that names its region",
        ),
        (
            (
                bx.NoCredentialsError,
                bx.PartialCredentialsError,
                bx.CredentialRetrievalError,
                bx.TokenRetrievalError,
                bx.SSOError,
                bx.RefreshWithMFAUnsupportedError,
            ),
            ExitCode.CREDENTIALS,
            "",
            _hint_for_credentials(profile),
        ),
        (
            (bx.ConnectTimeoutError, bx.ReadTimeoutError),
            ExitCode.NETWORK,
            "",
            "the endpoint did not answer in time; check the network, proxy or --endpoint-url",
        ),
        (
            (bx.SSLError,),
            ExitCode.NETWORK,
            "",
            "TLS failed; check AWS_CA_BUNDLE, a proxy that intercepts TLS, or the endpoint URL",
        ),
        (
            (bx.ConnectionError, bx.HTTPClientError),  # refused, closed mid-response, proxy
            ExitCode.NETWORK,
            "",
            "the endpoint could not be reached; check the network, proxy, region or --endpoint-url",
        ),
        (
            (ResponseParserError,),
            ExitCode.SERVICE,
            "the response could not be parsed: ",
            "is --endpoint-url a Bedrock endpoint? rerun with --debug to see the response",
        ),
        ((bx.ParamValidationError,), ExitCode.VALIDATION, "", None),
        ((bx.BotoCoreError,), ExitCode.CREDENTIALS, "", None),
    )
    for classes, exit_code, prefix, hint in rules:
        if isinstance(exc, classes):
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            return BedrockProfileError(exit_code, prefix + first_line, identifier=identifier, hint=hint)
    raise exc


def resolve_region(
    identifier: Identifier, explicit: str | None, default: str | None
) -> tuple[str | None, str | None]:
    """The region to ask for ``identifier``, and a warning when ``--region`` overrides its ARN.

    ``--region`` wins; otherwise an ARN is looked up in its own region; otherwise the default.
    """
    if explicit:
        warning = None
        if identifier.region and identifier.region != explicit:
            warning = (
                f"{identifier.raw}: --region {explicit} differs from the ARN's region "
                f"{identifier.region}; asking {explicit}"
            )
        return explicit, warning
    return identifier.region or default, None


class BedrockClients:
    """One session and one Bedrock client per region, shared across worker threads.

    The session is botocore's, the one a boto3 Session wraps (same credential chain, config files
    and environment): importing boto3 itself would pull in s3transfer, about 100 ms of start-up
    that a lookup never uses.  Clients are created under a lock (a session is not thread-safe);
    a client is thread-safe."""

    def __init__(self, settings: AwsSettings, *, pool_size: int = 10) -> None:
        import botocore.session
        from botocore.config import Config

        self.settings = settings
        try:
            self._session = botocore.session.Session(profile=settings.profile)
            if settings.emulator:
                self._session.set_credentials("testing", "testing")
                self._session.set_config_variable("region", settings.region or EMULATOR_REGION)
            # Fail here, with exit 9, on a profile that does not exist.
            self._session.get_scoped_config()
        except Exception as exc:  # ProfileNotFound and other configuration errors
            raise translate(exc, profile=settings.profile) from exc
        _only_bedrock_models(self._session)
        if not settings.emulator:  # moto reads the same files; keep the emulator path plain
            from bedrock_profile_cli import modelcache

            modelcache.install(self._session)
        # Timestamps exactly as the AWS CLI prints them with cli_timestamp_format = iso8601.
        self._session.get_component("response_parser_factory").set_parser_defaults(
            timestamp_parser=iso_timestamp
        )
        retries: dict[str, Any] = {"mode": self._retry_mode()}
        if settings.max_attempts is not None:
            retries["total_max_attempts"] = settings.max_attempts
        self._config = Config(
            max_pool_connections=pool_size,
            user_agent_extra="bedrock-profile",
            ignore_configured_endpoint_urls=True if settings.emulator else None,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            retries=retries,
        )
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _retry_mode(self) -> str:
        """--retry-mode, else AWS_RETRY_MODE, else the profile's retry_mode, else standard."""
        if self.settings.retry_mode:
            return self.settings.retry_mode
        configured = os.environ.get("AWS_RETRY_MODE")
        if not configured:
            try:
                configured = self._session.get_scoped_config().get("retry_mode")
            except Exception:  # an unknown profile is reported where it is used
                configured = None
        return str(configured or DEFAULT_RETRY_MODE)

    @property
    def default_region(self) -> str | None:
        """AWS_REGION (the SDKs' standard, which botocore does not read), else botocore's own
        choice: AWS_DEFAULT_REGION, else the profile's region."""
        region = os.environ.get("AWS_REGION") or self._session.get_config_variable("region")
        return str(region) if region else None

    def remember_secrets(self) -> None:
        """Record the resolved secret values so that debug output can redact them."""
        try:
            creds = self._session.get_credentials()
        except Exception:  # resolving fails again, with a proper error, at the call
            return
        if creds is None:
            return
        frozen = creds.get_frozen_credentials()
        SECRETS.values.update(v for v in (frozen.secret_key, frozen.token) if v)

    def client(self, region: str) -> Any:
        """The Bedrock client for ``region`` (created once; botocore clients are thread-safe)."""
        with self._lock:
            if region not in self._clients:
                client = self._session.create_client(
                    "bedrock",
                    region_name=region,
                    endpoint_url=self.settings.endpoint_url or None,
                    config=self._config,
                )
                _bound_responses(client)
                self._clients[region] = client
            return self._clients[region]


def _only_bedrock_models(session: Any) -> None:
    """Spare botocore's loader a scan of every service's data directory (~450 folders, ~25 ms of
    stat and listdir per run): it lists them only to check that the service it is asked to load
    exists, and this tool only ever loads Bedrock's models."""
    loader = session.get_component("data_loader")
    if hasattr(loader, "list_available_services"):
        loader.list_available_services = lambda type_name: ["bedrock"]


def _bound_responses(client: Any, limit: int = MAX_RESPONSE_BYTES) -> None:
    """Make ``client`` read each response body in chunks, refusing one larger than ``limit`` or a
    successful one that is not JSON, instead of botocore's read-it-all."""
    http_session = client._endpoint.http_session
    send = http_session.send

    def bounded_send(request: Any) -> Any:
        streaming = request.stream_output
        request.stream_output = True  # botocore leaves the body unread; it is read here
        response = send(request)
        if streaming:
            return response
        content_type = str(response.headers.get("content-type", "")).split(";")[0].strip().lower()
        if 200 <= response.status_code < 300 and content_type and content_type not in JSON_CONTENT_TYPES:
            response.raw.close()
            raise BedrockProfileError(
                ExitCode.SERVICE,
                f"unexpected response: HTTP {response.status_code} with content type "
                f"{content_type}, not JSON",
                hint="is --endpoint-url a Bedrock endpoint (not a proxy or a web page)?",
            )
        chunks, total = [], 0
        for chunk in response.raw.stream(64 * 1024, decode_content=False):
            total += len(chunk)
            if total > limit:
                response.raw.close()
                raise BedrockProfileError(
                    ExitCode.SERVICE,
                    f"unexpected response: more than {limit // (1024 * 1024)} MiB",
                    hint="is --endpoint-url a Bedrock endpoint?",
                )
            chunks.append(chunk)
        response._content = b"".join(chunks)
        return response

    http_session.send = bounded_send


# Members the service model marks as required in GetInferenceProfileResponse.
REQUIRED_MEMBERS = (
    "inferenceProfileName",
    "inferenceProfileArn",
    "models",
    "inferenceProfileId",
    "status",
    "type",
)


def profile_from_response(response: dict[str, Any]) -> dict[str, Any]:
    """The profile document (ResponseMetadata dropped), or exit 11 when the response is not one.

    botocore turns a body that is not JSON (an HTML page, a truncated document) into ``{}``;
    the required members are what tell a real answer from that."""
    doc = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    missing = [name for name in REQUIRED_MEMBERS if name not in doc]
    if missing:
        meta = response.get("ResponseMetadata", {}) or {}
        content_type = (meta.get("HTTPHeaders", {}) or {}).get("content-type", "unknown")
        raise BedrockProfileError(
            ExitCode.SERVICE,
            f"the response could not be parsed as an inference profile: missing {', '.join(missing)} "
            f"(HTTP {meta.get('HTTPStatusCode', '?')}, content type {content_type})",
            request_id=meta.get("RequestId") or None,
            hint="is --endpoint-url a Bedrock endpoint? rerun with --debug to see the response",
        )
    return doc


class Bedrock:
    """The calls the commands make, on clients shared across worker threads."""

    def __init__(self, settings: AwsSettings, *, pool_size: int = 10) -> None:
        self.settings = settings
        self.workers = max(1, min(MAX_WORKERS, pool_size))
        self.clients = BedrockClients(settings, pool_size=self.workers)
        self.clients.remember_secrets()

    @property
    def default_region(self) -> str | None:
        return self.settings.region or self.clients.default_region

    def plan(self, identifiers: Sequence[Identifier], warn: Callable[[str], None]) -> list[Outcome]:
        """An outcome per identifier with the region it will be asked in (warnings said once)."""
        outcomes = []
        for ident in identifiers:
            region, warning = resolve_region(ident, self.settings.region, self.clients.default_region)
            if warning:
                warn(warning)
            outcomes.append(Outcome(identifier=ident, region=region))
        return outcomes

    def _fetch(self, outcome: Outcome) -> None:
        ident = outcome.identifier
        outcome.profile, outcome.error = None, None
        try:
            if outcome.region is None:
                from botocore.exceptions import NoRegionError

                raise NoRegionError()
            client = self.clients.client(outcome.region)
            response = client.get_inference_profile(inferenceProfileIdentifier=ident.raw)
            outcome.profile = profile_from_response(response)
        except BedrockProfileError as err:
            err.identifier = ident.raw
            outcome.error = err
        except Exception as exc:
            LOG.debug("GetInferenceProfile %s failed", ident.raw, exc_info=True)
            outcome.error = translate(
                exc, identifier=ident.raw, region=outcome.region, profile=self.settings.profile
            )

    def fetch(self, outcomes: Sequence[Outcome]) -> None:
        """Call GetInferenceProfile for each outcome, concurrently, filling in profile or error."""
        if len(outcomes) == 1:
            self._fetch(outcomes[0])
        elif outcomes:
            self._in_threads([functools.partial(self._fetch, o) for o in outcomes])

    def _in_threads(self, calls: Sequence[Callable[[], Any]]) -> list[Any]:
        executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="bedrock-profile")
        try:
            return list(executor.map(lambda call: call(), calls))
        finally:
            executor.shutdown(wait=False, cancel_futures=True)

    def list_profiles(
        self,
        type_equals: str | None = None,
        *,
        page_size: int | None = None,
        on_page: Callable[[int], None] | None = None,
    ) -> list[dict[str, Any]]:
        """Every inference profile summary, all pages.  With no type, both types are fetched
        (concurrently): the service's unfiltered call returns only SYSTEM_DEFINED profiles."""
        region = self.default_region
        if region is None:
            from botocore.exceptions import NoRegionError

            raise translate(NoRegionError())
        try:
            client = self.clients.client(region)
        except Exception as exc:
            raise translate(exc, region=region, profile=self.settings.profile) from exc
        lock = threading.Lock()
        count = [0]

        def pages(kind: str) -> list[dict[str, Any]]:
            paginator = client.get_paginator("list_inference_profiles")
            config = {"PageSize": page_size} if page_size else {}
            found: list[dict[str, Any]] = []
            for page in paginator.paginate(typeEquals=kind, PaginationConfig=config):
                batch = page.get("inferenceProfileSummaries", [])
                found.extend(batch)
                if on_page is not None:
                    with lock:
                        count[0] += len(batch)
                        on_page(count[0])
            return found

        kinds = [type_equals] if type_equals else ["SYSTEM_DEFINED", "APPLICATION"]
        try:
            if len(kinds) == 1:
                results = [pages(kinds[0])]
            else:
                results = self._in_threads([functools.partial(pages, k) for k in kinds])
        except BedrockProfileError:
            raise
        except Exception as exc:
            raise translate(exc, region=region, profile=self.settings.profile) from exc
        return [summary for result in results for summary in result]


def get_profiles(
    identifiers: Sequence[Identifier],
    settings: AwsSettings,
    *,
    warn: Callable[[str], None],
) -> list[Outcome]:
    """Call GetInferenceProfile for each identifier, concurrently, and return outcomes in order."""
    bedrock = Bedrock(settings, pool_size=len(identifiers))
    outcomes = bedrock.plan(identifiers, warn)
    bedrock.fetch(outcomes)
    return outcomes
