"""The calls the commands make: GetInferenceProfile for many identifiers at once, and every page of
ListInferenceProfiles.  Failures come back as :class:`BedrockProfileError`, per identifier."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from bedrock_profile_cli.aws.clients import BedrockClients
from bedrock_profile_cli.aws.session import AwsSession
from bedrock_profile_cli.aws.settings import AwsSettings
from bedrock_profile_cli.aws.translate import GET_PROFILE, LIST_PROFILES, translate
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.identifiers import Identifier
from bedrock_profile_cli.settings import PROFILE_TYPES

LOG = logging.getLogger("bedrock_profile_cli")
MAX_WORKERS = 16
Profile = dict[str, object]
T = TypeVar("T")

# Members the service model marks as required in GetInferenceProfileResponse.
REQUIRED_MEMBERS = (
    "inferenceProfileName",
    "inferenceProfileArn",
    "models",
    "inferenceProfileId",
    "status",
    "type",
)


@dataclass
class ProfileLookup:
    """One identifier's lookup: the region it is asked in, then the profile or the error."""

    identifier: Identifier
    region: str | None = None
    profile: Profile | None = None
    error: BedrockProfileError | None = None


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


def profile_from_response(response: Mapping[str, object]) -> Profile:
    """The profile document (ResponseMetadata dropped), or exit 11 when the response is not one.

    botocore turns a body that is not JSON (an HTML page, a truncated document) into ``{}``;
    the required members are what tell a real answer from that."""
    doc = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    missing = [name for name in REQUIRED_MEMBERS if name not in doc]
    if missing:
        meta = response.get("ResponseMetadata")
        meta = meta if isinstance(meta, Mapping) else {}
        headers = meta.get("HTTPHeaders")
        content_type = headers.get("content-type", "unknown") if isinstance(headers, Mapping) else "unknown"
        request_id = meta.get("RequestId")
        raise BedrockProfileError(
            ExitCode.SERVICE,
            f"the response could not be parsed as an inference profile: missing {', '.join(missing)} "
            f"(HTTP {meta.get('HTTPStatusCode', '?')}, content type {content_type})",
            request_id=str(request_id) if request_id else None,
            hint="is --endpoint-url a Bedrock endpoint? rerun with --debug to see the response",
            operation=GET_PROFILE,
        )
    return doc


def _no_region() -> Exception:
    from botocore.exceptions import NoRegionError

    error: Exception = NoRegionError()
    return error


class Bedrock:
    """The operations, on clients shared across up to :data:`MAX_WORKERS` worker threads."""

    def __init__(self, settings: AwsSettings, secrets: set[str], *, pool_size: int = 10) -> None:
        self.settings = settings
        self.workers = max(1, min(MAX_WORKERS, pool_size))
        self.session = AwsSession(settings, secrets)
        self.clients = BedrockClients(self.session, pool_size=self.workers)
        self.session.resolve_credentials()

    @property
    def default_region(self) -> str | None:
        return self.settings.region or self.session.default_region

    def plan(self, identifiers: Sequence[Identifier], warn: Callable[[str], None]) -> list[ProfileLookup]:
        """A lookup per identifier with the region it will be asked in (warnings said once)."""
        lookups = []
        for ident in identifiers:
            region, warning = resolve_region(ident, self.settings.region, self.session.default_region)
            if warning:
                warn(warning)
            lookups.append(ProfileLookup(identifier=ident, region=region))
        return lookups

    def _fetch(self, lookup: ProfileLookup) -> None:
        ident = lookup.identifier
        lookup.profile, lookup.error = None, None
        try:
            if lookup.region is None:
                raise _no_region()
            client = self.clients.client(lookup.region)
            response = client.get_inference_profile(inferenceProfileIdentifier=ident.raw)
            lookup.profile = profile_from_response(response)
        except BedrockProfileError as err:
            err.identifier = ident.raw
            lookup.error = err
        except Exception as exc:
            LOG.debug("%s %s failed", GET_PROFILE, ident.raw, exc_info=True)
            lookup.error = translate(
                exc,
                operation=GET_PROFILE,
                identifier=ident.raw,
                region=lookup.region,
                profile=self.settings.profile,
            )

    def fetch(self, lookups: Sequence[ProfileLookup]) -> None:
        """Call GetInferenceProfile for each lookup, concurrently, filling in profile or error."""
        if len(lookups) == 1:
            self._fetch(lookups[0])
        elif lookups:
            self._in_threads([functools.partial(self._fetch, lookup) for lookup in lookups])

    def _in_threads(self, calls: Sequence[Callable[[], T]]) -> list[T]:
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
    ) -> list[Profile]:
        """Every inference profile summary, all pages.  With no type, both types are fetched
        (concurrently): the service's unfiltered call returns only SYSTEM_DEFINED profiles."""
        region = self.default_region
        if region is None:
            raise translate(_no_region(), operation=LIST_PROFILES)
        try:
            client = self.clients.client(region)
        except Exception as exc:
            raise translate(
                exc, operation=LIST_PROFILES, region=region, profile=self.settings.profile
            ) from exc
        lock = threading.Lock()
        count = [0]

        def pages(kind: str) -> list[Profile]:
            paginator = client.get_paginator("list_inference_profiles")
            config = {"PageSize": page_size} if page_size else {}
            found: list[Profile] = []
            for page in paginator.paginate(typeEquals=kind, PaginationConfig=config):
                batch = page.get("inferenceProfileSummaries", [])
                found.extend(batch)
                if on_page is not None:
                    with lock:
                        count[0] += len(batch)
                        on_page(count[0])
            return found

        kinds = [type_equals] if type_equals else list(PROFILE_TYPES)
        try:
            if len(kinds) == 1:
                results = [pages(kinds[0])]
            else:
                results = self._in_threads([functools.partial(pages, k) for k in kinds])
        except BedrockProfileError:
            raise
        except Exception as exc:
            raise translate(
                exc, operation=LIST_PROFILES, region=region, profile=self.settings.profile
            ) from exc
        return [summary for result in results for summary in result]


def get_profiles(
    identifiers: Sequence[Identifier],
    settings: AwsSettings,
    secrets: set[str],
    *,
    warn: Callable[[str], None],
) -> list[ProfileLookup]:
    """Call GetInferenceProfile for each identifier, concurrently, and return lookups in order."""
    bedrock = Bedrock(settings, secrets, pool_size=len(identifiers))
    lookups = bedrock.plan(identifiers, warn)
    bedrock.fetch(lookups)
    return lookups
