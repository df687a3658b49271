"""The emulator as an HTTP service: one request in (method, URL, headers, body), one answer out.

Both fronts use it: the in-process emulator (a botocore ``before-send`` hook, no socket) and the
served one (:mod:`.server`).  It answers, from :mod:`.backend`, the operations it models:

- Get/List/Create/DeleteInferenceProfile, and Tag/Untag/ListTagsForResource on its profiles;
- Get/ListFoundationModels.

Every other Bedrock operation goes to moto's Bedrock backend (:mod:`.moto_glue`), imported only then.

The caller's region is the SigV4 credential scope's (else the host's, else us-east-1).  A region the
catalog covers answers from its data; any other region botocore knows answers as an opt-in region the
account has not enabled (403 UnrecognizedClientException); a name that is not a region is refused as
the service refuses a signature scoped to one (403 InvalidSignatureException).  The account is
``MOTO_ACCOUNT_ID``, else moto's default 123456789012: system-defined profile ARNs carry it, as the
service's carry the caller's account.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from bedrock_profile_cli.emulator.backend import ProfileStore, ServiceError
from bedrock_profile_cli.emulator.catalog import Catalog, load
from bedrock_profile_cli.settings import EMULATOR_DEFAULT_PAGE_SIZE as DEFAULT_PAGE_SIZE

DEFAULT_ACCOUNT = "123456789012"  # moto's default account
DEFAULT_REGION = "us-east-1"
SERVICE_NAME = "bedrock"
NOT_ENABLED_MESSAGE = "The security token included in the request is invalid."
_SCOPE_RE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/,\s]+)/([^/,\s]+)/aws4_request")
_HOST_RE = re.compile(r"^bedrock(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def json_reply(status: int, doc: object, headers: Mapping[str, str] | None = None) -> Reply:
    return Reply(status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(doc).encode())


def error_reply(code: str, status: int, message: str) -> Reply:
    return json_reply(status, {"__type": code, "message": message}, {"X-Amzn-ErrorType": code})


# --- Faults ------------------------------------------------------------------------------------


@dataclass
class Fault:
    """Answer the next ``times`` calls of ``operation`` (None: all) with an error or after a delay."""

    operation: str  # API name, e.g. "GetInferenceProfile", or "*" for every operation
    status: int = 500
    code: str = "InternalServerException"
    message: str = "Injected fault"
    times: int | None = 1
    delay: float = 0.0
    region: str | None = None  # only calls to this region (an SCP that denies one region); None: any


class FaultRegistry:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.calls: dict[str, int] = {}
        self.latency = 0.0  # seconds added to every answer (the served emulator's --latency)

    def inject(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.calls.clear()

    def take(self, operation: str, region: str | None = None) -> Fault | None:
        with self._lock:
            self.calls[operation] = self.calls.get(operation, 0) + 1
            for fault in self._faults:
                if fault.operation in (operation, "*") and fault.region in (None, region):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None


FAULTS = FaultRegistry()  # the served emulator's (tests inject through it)


def inject_fault(**kwargs: object) -> None:
    """Shorthand for ``FAULTS.inject(Fault(**kwargs))``."""
    FAULTS.inject(Fault(**kwargs))  # type: ignore[arg-type]


# --- Regions -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def known_regions() -> frozenset[str]:
    """Every region of every partition in botocore's endpoint data."""
    from botocore.loaders import create_loader

    endpoints = create_loader().load_data("endpoints")
    return frozenset(region for partition in endpoints["partitions"] for region in partition["regions"])


def region_refusal(catalog: Catalog, region: str) -> ServiceError | None:
    """None for a region the catalog covers, else the error the service answers there."""
    if catalog.covers(region):
        return None
    if region in known_regions():
        return ServiceError("UnrecognizedClientException", 403, NOT_ENABLED_MESSAGE)
    return ServiceError(
        "InvalidSignatureException", 403, f"Credential should be scoped to a valid region, not '{region}'."
    )


# --- Requests ----------------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str  # as sent: percent-encoded
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    url: str
    region: str
    service: str | None  # the credential scope's, when signed with SigV4

    @classmethod
    def parse(cls, method: str, url: str, headers: Mapping[str, object], body: bytes | None) -> Request:
        lowered = {
            str(k).lower(): v.decode("latin-1") if isinstance(v, bytes) else str(v)
            for k, v in headers.items()
        }
        parts = urlsplit(url)
        scope = _SCOPE_RE.search(lowered.get("authorization", ""))
        host = _HOST_RE.match((parts.hostname or "").lower())
        region = scope.group(1) if scope else host.group(1) if host else DEFAULT_REGION
        return cls(
            method=method.upper(),
            path=parts.path or "/",
            query=parse_qs(parts.query, keep_blank_values=True),
            headers=lowered,
            body=body or b"",
            url=url,
            region=region,
            service=scope.group(2) if scope else None,
        )

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> dict[str, object]:
        try:
            doc = json.loads(self.body or b"{}")
        except ValueError:
            raise ServiceError("SerializationException", 400, "The request body is not JSON.") from None
        if not isinstance(doc, dict):
            raise ServiceError("SerializationException", 400, "The request body is not a JSON object.")
        return doc


Handler = Callable[[Request, ProfileStore], tuple[int, object]]


def _tail(path: str, prefix: str) -> str:
    # Identifiers arrive percent-encoded (an ARN's '/' as %2F); they never contain '%' themselves.
    return unquote(path[len(prefix) :])


def _get_profile(request: Request, store: ProfileStore) -> tuple[int, object]:
    return 200, store.get(_tail(request.path, "/inference-profiles/")).to_api()


def _list_profiles(request: Request, store: ProfileStore) -> tuple[int, object]:
    raw_max = request.param("maxResults")
    try:
        max_results = int(raw_max) if raw_max is not None else None
    except ValueError:
        raise ServiceError("ValidationException", 400, "maxResults must be a number.") from None
    page, token = store.list_profiles(max_results, request.param("nextToken"), request.param("type"))
    doc: dict[str, object] = {"inferenceProfileSummaries": [p.to_api() for p in page]}
    if token:
        doc["nextToken"] = token
    return 200, doc


def _create_profile(request: Request, store: ProfileStore) -> tuple[int, object]:
    params = request.json()
    profile = store.create(
        name=params.get("inferenceProfileName"),  # type: ignore[arg-type]
        model_source=params.get("modelSource"),  # type: ignore[arg-type]
        description=params.get("description"),  # type: ignore[arg-type]
        tags=params.get("tags"),  # type: ignore[arg-type]
        client_request_token=params.get("clientRequestToken"),  # type: ignore[arg-type]
    )
    return 201, {"inferenceProfileArn": profile.arn, "status": profile.status}


def _delete_profile(request: Request, store: ProfileStore) -> tuple[int, object]:
    store.delete(_tail(request.path, "/inference-profiles/"))
    return 200, {}


def _get_model(request: Request, store: ProfileStore) -> tuple[int, object]:
    return 200, {"modelDetails": store.get_model(_tail(request.path, "/foundation-models/"))}


def _list_models(request: Request, store: ProfileStore) -> tuple[int, object]:
    names = ("byProvider", "byCustomizationType", "byOutputModality", "byInferenceType")
    return 200, {"modelSummaries": store.list_models({name: request.param(name) for name in names})}


def _tag(request: Request, store: ProfileStore) -> tuple[int, object]:
    params = request.json()
    store.tag(str(params.get("resourceARN")), params.get("tags") or [])  # type: ignore[arg-type]
    return 200, {}


def _untag(request: Request, store: ProfileStore) -> tuple[int, object]:
    params = request.json()
    store.untag(str(params.get("resourceARN")), params.get("tagKeys") or [])  # type: ignore[arg-type]
    return 200, {}


def _list_tags(request: Request, store: ProfileStore) -> tuple[int, object]:
    return 200, {"tags": store.list_tags(str(request.json().get("resourceARN")))}


TAG_OPERATIONS = {
    "/tagResource": ("TagResource", _tag),
    "/untagResource": ("UntagResource", _untag),
    "/listTagsForResource": ("ListTagsForResource", _list_tags),
}


def route(request: Request, store: ProfileStore | None) -> tuple[str, Handler] | None:
    """The operation this emulator answers itself, or None (moto's, if any)."""
    method, path = request.method, request.path.rstrip("/") or "/"
    if path == "/inference-profiles":
        if method == "GET":
            return "ListInferenceProfiles", _list_profiles
        if method == "POST":
            return "CreateInferenceProfile", _create_profile
    elif path.startswith("/inference-profiles/") and "/" not in path[len("/inference-profiles/") :]:
        if method == "GET":
            return "GetInferenceProfile", _get_profile
        if method == "DELETE":
            return "DeleteInferenceProfile", _delete_profile
    elif path == "/foundation-models" and method == "GET":
        return "ListFoundationModels", _list_models
    elif path.startswith("/foundation-models/") and "/" not in path[len("/foundation-models/") :]:
        if method == "GET":
            return "GetFoundationModel", _get_model
    elif path in TAG_OPERATIONS and method == "POST" and store is not None:
        # Tags of this emulator's profiles; any other resource's tags are moto's.
        try:
            arn = request.json().get("resourceARN")
        except ServiceError:
            return None
        if isinstance(arn, str) and store.owns(arn):
            return TAG_OPERATIONS[path]
    return None


# --- The service -------------------------------------------------------------------------------


@dataclass
class EmulatorService:
    """Bedrock for every (account, region), answering HTTP requests.  ``page_size`` caps every page
    of ListInferenceProfiles (short pages: fewer than ``maxResults``, with a ``nextToken``)."""

    page_size: int = DEFAULT_PAGE_SIZE
    faults: FaultRegistry = field(default_factory=FaultRegistry)
    catalog: Catalog | None = None
    # Told of an unexpected exception (a bug), which is answered as a 500 InternalServerException.
    on_error: Callable[[BaseException], None] | None = None
    _stores: dict[tuple[str, str], ProfileStore] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def store(self, account: str, region: str) -> ProfileStore:
        with self._lock:
            if self.catalog is None:
                self.catalog = load()
            key = (account, region)
            if key not in self._stores:
                self._stores[key] = ProfileStore(
                    account_id=account, region=region, page_size=self.page_size, catalog=self.catalog
                )
            return self._stores[key]

    def reset(self) -> None:
        """Forget every application profile and tag (system profiles are seeded again on use)."""
        with self._lock:
            self._stores.clear()

    def handle(self, method: str, url: str, headers: Mapping[str, object], body: bytes | None) -> Reply:
        """The answer to one request: always a JSON answer botocore can parse, never an exception."""
        try:
            return self._handle(Request.parse(method, url, headers, body))
        except Exception as exc:
            if self.on_error is not None:
                self.on_error(exc)
            return error_reply("InternalServerException", 500, f"emulator error: {type(exc).__name__}: {exc}")

    def _handle(self, request: Request) -> Reply:
        if self.faults.latency:
            time.sleep(self.faults.latency)
        if request.service not in (None, SERVICE_NAME):
            return error_reply(
                "UnknownOperationException",
                400,
                f"This endpoint emulates Bedrock only, not {request.service}.",
            )
        if self.catalog is None:
            with self._lock:
                self.catalog = self.catalog or load()
        refusal = region_refusal(self.catalog, request.region)
        if refusal is not None:
            return error_reply(refusal.code, refusal.status, refusal.message)
        account = os.environ.get("MOTO_ACCOUNT_ID") or DEFAULT_ACCOUNT
        store = self.store(account, request.region)
        found = route(request, store)
        if found is None:
            from bedrock_profile_cli.emulator.moto_glue import dispatch

            return dispatch(request)
        operation, handler = found
        fault = self.faults.take(operation, request.region)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status >= 300:
                return error_reply(fault.code, fault.status, fault.message)
        try:
            status, doc = handler(request, store)
        except ServiceError as err:
            return error_reply(err.code, err.status, err.message)
        return json_reply(status, doc)
