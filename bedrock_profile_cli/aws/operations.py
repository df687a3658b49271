"""The calls the commands make: GetInferenceProfile for many identifiers at once, every page of
ListInferenceProfiles, and GetFoundationModel, each in any region.  Failures come back as
:class:`BedrockProfileError`, per identifier."""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from bedrock_profile_cli.aws import shapes
from bedrock_profile_cli.aws.clients import BedrockClients
from bedrock_profile_cli.aws.session import AwsSession
from bedrock_profile_cli.aws.settings import AwsSettings
from bedrock_profile_cli.aws.translate import GET_MODEL, GET_PROFILE, LIST_PROFILES, LIST_TAGS, translate
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.identifiers import Identifier
from bedrock_profile_cli.settings import PROFILE_TYPES

LOG = logging.getLogger("bedrock_profile_cli")
MAX_WORKERS = 16
# Pages of one type in one region before a list is taken for an endless nextToken loop: 1,000
# pages hold at least 1,000 profiles, far beyond any region's catalog (~130 today).
MAX_PAGES = 1000
_ENUM_VALUE = re.compile(r"[A-Z][A-Z0-9_]+")
Profile = dict[str, object]
T = TypeVar("T")


@dataclass
class ProfileLookup:
    """One identifier's lookup: the region it is asked in, then the profile or the error."""

    identifier: Identifier
    region: str | None = None
    profile: Profile | None = None
    error: BedrockProfileError | None = None
    tags: dict[str, str] | None = None  # with tags asked: the profile's (none for a system one)


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
    the required members, and their types, are what tell a real answer from that."""
    doc = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    meta = response.get("ResponseMetadata")
    shapes.require_profile(doc, meta if isinstance(meta, Mapping) else {}, GET_PROFILE)
    return doc


def no_region_error() -> Exception:
    from botocore.exceptions import NoRegionError

    error: Exception = NoRegionError()
    return error


class Bedrock:
    """The operations, on clients shared across up to :data:`MAX_WORKERS` worker threads."""

    def __init__(
        self,
        settings: AwsSettings,
        secrets: set[str],
        *,
        pool_size: int = 10,
        deadline: float | None = None,
    ) -> None:
        """``deadline`` (time.monotonic()): no attempt outlives it (``check --wait --timeout``)."""
        self.settings = settings
        # Every GetInferenceProfile also fetches the profile's tags (get --tags, check --tag).
        self.with_tags = False
        self.workers = max(1, min(MAX_WORKERS, pool_size))
        self.deadline = deadline
        self.session = AwsSession(settings, secrets)
        self.clients = BedrockClients(self.session, pool_size=self.workers, time_left=self.time_left)
        self.session.resolve_credentials()

    def time_left(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    @contextlib.contextmanager
    def time_budget(self, seconds: float) -> Iterator[None]:
        """No attempt inside the block outlives ``seconds`` from now (nor the run's own deadline):
        for the extra calls of a hint, which must not turn a quick failure into a slow one."""
        saved = self.deadline
        budget = time.monotonic() + seconds
        self.deadline = budget if saved is None else min(saved, budget)
        try:
            yield
        finally:
            self.deadline = saved

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
        lookup.profile, lookup.error, lookup.tags = None, None, None
        try:
            if lookup.region is None:
                raise no_region_error()
            client = self.clients.client(lookup.region)
            region = lookup.region

            def get_profile() -> Profile:
                with shapes.parse_failures_are_service_errors(GET_PROFILE):
                    response = client.get_inference_profile(inferenceProfileIdentifier=ident.raw)
                return profile_from_response(response)

            if self.with_tags and ident.resource_type == "application-inference-profile":
                # The ARN is known: its tags are asked at the same time as the profile.
                profile, tags = self.in_threads([get_profile, lambda: self.tags(ident.raw, region)])
                lookup.tags = tags  # type: ignore[assignment]
            else:
                profile = get_profile()
                if self.with_tags:  # an ID: the ARN comes with the profile (none for a system one)
                    lookup.tags = self.tags_of([(region, profile)])[0]
            lookup.profile = profile  # type: ignore[assignment]
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
            self.in_threads([functools.partial(self._fetch, lookup) for lookup in lookups])

    def fetch_in_order(self, lookups: Sequence[ProfileLookup]) -> Iterator[ProfileLookup]:
        """Each lookup, fetched concurrently, yielded in order as soon as it and those before it are
        done.  At most ``workers`` are in flight or waiting to be yielded: what the caller prints and
        drops is never all in memory at once, however many identifiers there are."""
        if len(lookups) <= 1:
            for lookup in lookups:
                self._fetch(lookup)
                yield lookup
            return
        executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="bedrock-profile")
        try:
            window: deque[tuple[ProfileLookup, Future[None]]] = deque()
            upcoming = iter(lookups)
            for lookup in itertools.islice(upcoming, self.workers):
                window.append((lookup, executor.submit(self._fetch, lookup)))
            while window:
                lookup, future = window.popleft()
                future.result()
                following = next(upcoming, None)
                if following is not None:
                    window.append((following, executor.submit(self._fetch, following)))
                yield lookup
        finally:
            executor.shutdown(wait=False, cancel_futures=True)

    def in_threads(self, calls: Sequence[Callable[[], T]]) -> list[T]:
        """Each call's result, in order, the calls run concurrently on up to ``workers`` threads."""
        if len(calls) <= 1:
            return [call() for call in calls]
        executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="bedrock-profile")
        try:
            return list(executor.map(lambda call: call(), calls))
        finally:
            executor.shutdown(wait=False, cancel_futures=True)

    def region_client(self, region: str | None, operation: str) -> Any:
        """The client for ``region`` (the default region when None), or the error saying why not."""
        region = region or self.default_region
        if region is None:
            raise translate(no_region_error(), operation=operation)
        try:
            return self.clients.client(region)
        except Exception as exc:
            raise translate(exc, operation=operation, region=region, profile=self.settings.profile) from exc

    def get_foundation_model(self, model: str, region: str) -> Profile | None:
        """GetFoundationModel's ``modelDetails`` of ``model`` in ``region``; None when the region
        has no such model (not found, or an identifier the service refuses as a model ID)."""
        client = self.region_client(region, GET_MODEL)
        try:
            with shapes.parse_failures_are_service_errors(GET_MODEL):
                response = client.get_foundation_model(modelIdentifier=model)
        except BedrockProfileError:
            raise
        except Exception as exc:
            err = translate(
                exc, operation=GET_MODEL, identifier=model, region=region, profile=self.settings.profile
            )
            if err.exit_code in (ExitCode.NOT_FOUND, ExitCode.VALIDATION) and err.aws_code:
                return None
            raise err from exc
        details = response.get("modelDetails") if isinstance(response, Mapping) else None
        types = details.get("inferenceTypesSupported", []) if isinstance(details, dict) else None
        if (
            not isinstance(details, dict)
            or not isinstance(details.get("modelId"), str)
            or not isinstance(types, list)
            # botocore makes a string into a list of its characters: enum values are UPPER_SNAKE words
            or not all(isinstance(t, str) and _ENUM_VALUE.fullmatch(t) for t in types)
        ):
            raise BedrockProfileError(
                ExitCode.SERVICE,
                "the response could not be parsed: no modelDetails with a modelId and a list of "
                "inferenceTypesSupported",
                hint=shapes.PARSE_HINT,
                operation=GET_MODEL,
                identifier=model,
            )
        return details

    def tags(self, arn: str, region: str) -> dict[str, str]:
        """ListTagsForResource of one resource (an application profile's ARN) in ``region``: its
        tags as a key -> value map (a key the service sends twice keeps the last value)."""
        client = self.region_client(region, LIST_TAGS)
        try:
            with shapes.parse_failures_are_service_errors(LIST_TAGS):
                response = client.list_tags_for_resource(resourceARN=arn)
        except BedrockProfileError as err:
            err.identifier = err.identifier or arn
            raise
        except Exception as exc:
            raise translate(
                exc, operation=LIST_TAGS, identifier=arn, region=region, profile=self.settings.profile
            ) from exc
        found = response.get("tags") if isinstance(response, Mapping) else None
        if not isinstance(found, list) or not all(
            isinstance(t, dict) and isinstance(t.get("key"), str) and isinstance(t.get("value"), str)
            for t in found
        ):
            raise BedrockProfileError(
                ExitCode.SERVICE,
                "the response could not be parsed: tags is not a list of {key, value} strings",
                hint=shapes.PARSE_HINT,
                operation=LIST_TAGS,
                identifier=arn,
            )
        return {str(t["key"]): str(t["value"]) for t in found}

    def tags_of(self, profiles: Sequence[tuple[str, Profile]]) -> list[dict[str, str]]:
        """The tags of each (region, profile), concurrently; a system-defined profile has none and
        costs no call."""

        def one(item: tuple[str, Profile]) -> dict[str, str]:
            region, profile = item
            if profile.get("type") != "APPLICATION":
                return {}
            return self.tags(str(profile.get("inferenceProfileArn", "")), region)

        return self.in_threads([functools.partial(one, item) for item in profiles])

    def list_profiles(
        self,
        type_equals: str | None = None,
        *,
        region: str | None = None,
        page_size: int | None = None,
        on_page: Callable[[int], None] | None = None,
        keep: Callable[[Profile], bool] | None = None,
        max_items: int | None = None,
    ) -> list[Profile]:
        """Every inference profile summary that ``keep`` accepts, all pages (paging stops once
        ``max_items`` are kept).  With no type, both types are fetched (concurrently): the
        service's unfiltered call returns only SYSTEM_DEFINED profiles.  ``region``: the default
        region when None."""
        region = region or self.default_region
        client = self.region_client(region, LIST_PROFILES)
        lock = threading.Lock()
        count = [0]

        def pages(kind: str) -> list[Profile]:
            paginator = client.get_paginator("list_inference_profiles")
            config = {"PageSize": page_size} if page_size else {}
            found: list[Profile] = []
            iterator = iter(paginator.paginate(typeEquals=kind, PaginationConfig=config))
            for number in itertools.count(1):
                with shapes.parse_failures_are_service_errors(LIST_PROFILES):
                    page = next(iterator, None)
                if page is None:
                    break
                if number > MAX_PAGES:
                    raise _endless(kind, MAX_PAGES)
                batch = _summaries_of(page)
                found.extend(s for s in batch if keep is None or keep(s))
                if on_page is not None:
                    with lock:
                        count[0] += len(batch)
                        on_page(count[0])
                if max_items is not None and len(found) >= max_items:
                    break
            return found

        kinds = [type_equals] if type_equals else list(PROFILE_TYPES)
        try:
            if len(kinds) == 1:
                results = [pages(kinds[0])]
            else:
                results = self.in_threads([functools.partial(pages, k) for k in kinds])
        except BedrockProfileError as err:
            err.operation = err.operation or LIST_PROFILES
            raise
        except Exception as exc:
            raise translate(
                exc, operation=LIST_PROFILES, region=region, profile=self.settings.profile
            ) from exc
        summaries = [summary for result in results for summary in result]
        return summaries if max_items is None else summaries[:max_items]


def _summaries_of(page: Mapping[str, object]) -> list[Profile]:
    """A page's summaries, each checked; exit 11 when the page is not a ListInferenceProfiles page."""
    token = page.get("nextToken")
    if token is not None and not isinstance(token, str):
        raise BedrockProfileError(
            ExitCode.SERVICE,
            f"the response could not be parsed: nextToken is a {type(token).__name__}, not a string",
            hint=shapes.PARSE_HINT,
            operation=LIST_PROFILES,
        )
    batch = page.get("inferenceProfileSummaries", [])
    if not isinstance(batch, list):
        raise BedrockProfileError(
            ExitCode.SERVICE,
            "the response could not be parsed: inferenceProfileSummaries is not a list",
            hint=shapes.PARSE_HINT,
            operation=LIST_PROFILES,
        )
    for position, summary in enumerate(batch, 1):
        found = shapes.problems(summary, "a summary")
        if found:
            raise BedrockProfileError(
                ExitCode.SERVICE,
                f"the response could not be parsed: summary {position} of a page: {'; '.join(found)}",
                hint=shapes.PARSE_HINT,
                operation=LIST_PROFILES,
            )
    return batch


def _endless(kind: str, pages: int) -> BedrockProfileError:
    return BedrockProfileError(
        ExitCode.SERVICE,
        f"the service kept sending a next page after {pages} pages of {kind} profiles",
        hint="is --endpoint-url a Bedrock endpoint? --max-items stops paging once it has enough",
        operation=LIST_PROFILES,
    )
