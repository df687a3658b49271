"""Teach moto's Bedrock backend the inference-profile operations.

moto resolves ``GetInferenceProfile`` and friends from botocore's model, then finds no method for
them.  :func:`install` adds those methods to moto's response class, answering from a
:class:`~bedrock_profile_cli.emulator.backend.ProfileStore` kept on each (account, region) backend.
It refuses to patch a moto that has grown these operations itself.  :data:`FAULTS` lets tests (and
users of the served emulator, through :func:`inject_fault`) make the next responses fail.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import unquote

from bedrock_profile_cli.emulator.backend import ProfileStore, ServiceError

OPERATIONS = (
    "get_inference_profile",
    "list_inference_profiles",
    "create_inference_profile",
    "delete_inference_profile",
)
_MARK = "_bedrock_profile_emulator"
_install_lock = threading.Lock()


class EmulatorConflict(RuntimeError):
    """moto already implements an operation this emulator would add."""


@dataclass
class Fault:
    """Answer the next ``times`` calls of ``operation`` (None: all) with an error or after a delay."""

    operation: str  # API name, e.g. "GetInferenceProfile", or "*" for every operation
    status: int = 500
    code: str = "InternalServerException"
    message: str = "Injected fault"
    times: int | None = 1
    delay: float = 0.0


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

    def take(self, operation: str) -> Fault | None:
        with self._lock:
            self.calls[operation] = self.calls.get(operation, 0) + 1
            for fault in self._faults:
                if fault.operation in (operation, "*"):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None


FAULTS = FaultRegistry()


def inject_fault(**kwargs: object) -> None:
    """Shorthand for ``FAULTS.inject(Fault(**kwargs))``."""
    FAULTS.inject(Fault(**kwargs))  # type: ignore[arg-type]


class MotoResponse(Protocol):
    """What the operations read of moto's BedrockResponse (one request)."""

    path: str
    querystring: dict[str, list[str]]
    body: str | bytes | None

    @property
    def bedrock_backend(self) -> object: ...


def store_for(backend: object) -> ProfileStore:
    """The profile store of one moto Bedrock backend (one account in one region), made on first use."""
    store: ProfileStore | None = getattr(backend, "_inference_profiles", None)
    if store is None:
        store = ProfileStore(
            account_id=str(getattr(backend, "account_id")),  # noqa: B009
            region=str(getattr(backend, "region_name")),  # noqa: B009
            partition=getattr(backend, "partition", "aws"),
        )
        setattr(backend, "_inference_profiles", store)  # noqa: B010
    return store


def _error_response(code: str, status: int, message: str) -> tuple[int, dict[str, str], str]:
    body = json.dumps({"__type": code, "message": message})
    return status, {"status": str(status), "Content-Type": "application/json", "X-Amzn-ErrorType": code}, body


def _answer(
    response: MotoResponse, operation: str, work: Callable[[ProfileStore], tuple[int, dict[str, object]]]
) -> tuple[int, dict[str, str], str]:
    if FAULTS.latency:
        time.sleep(FAULTS.latency)
    fault = FAULTS.take(operation)
    if fault is not None:
        if fault.delay:
            time.sleep(fault.delay)
        if fault.status >= 300:
            return _error_response(fault.code, fault.status, fault.message)
    try:
        status, doc = work(store_for(response.bedrock_backend))
    except ServiceError as err:
        return _error_response(err.code, err.status, err.message)
    return status, {"status": str(status), "Content-Type": "application/json"}, json.dumps(doc)


def _identifier_from_path(path: str) -> str:
    # moto 5.2.5 hands the path percent-encoded in server mode, earlier releases decoded: IDs and
    # ARNs never contain '%', so unquoting once is right for both.
    return unquote(path.split("/inference-profiles/", 1)[1].split("?", 1)[0])


def _query(response: MotoResponse, name: str) -> str | None:
    values = response.querystring.get(name)
    return str(values[0]) if values else None


def _get(self: MotoResponse) -> tuple[int, dict[str, str], str]:
    ident = _identifier_from_path(self.path)
    return _answer(self, "GetInferenceProfile", lambda store: (200, store.get(ident).to_api()))


def _list(self: MotoResponse) -> tuple[int, dict[str, str], str]:
    def work(store: ProfileStore) -> tuple[int, dict[str, object]]:
        raw_max = _query(self, "maxResults")
        try:
            max_results = int(raw_max) if raw_max is not None else None
        except ValueError:
            raise ServiceError("ValidationException", 400, "maxResults must be a number.") from None
        page, token = store.list_profiles(max_results, _query(self, "nextToken"), _query(self, "type"))
        doc: dict[str, object] = {"inferenceProfileSummaries": [p.to_api() for p in page]}
        if token:
            doc["nextToken"] = token
        return 200, doc

    return _answer(self, "ListInferenceProfiles", work)


def _create(self: MotoResponse) -> tuple[int, dict[str, str], str]:
    def work(store: ProfileStore) -> tuple[int, dict[str, object]]:
        params = json.loads(self.body or "{}")
        profile = store.create(
            name=params.get("inferenceProfileName"),
            model_source=params.get("modelSource"),
            description=params.get("description"),
            tags=params.get("tags"),
            client_request_token=params.get("clientRequestToken"),
        )
        return 201, {"inferenceProfileArn": profile.arn, "status": profile.status}

    return _answer(self, "CreateInferenceProfile", work)


def _delete(self: MotoResponse) -> tuple[int, dict[str, str], str]:
    ident = _identifier_from_path(self.path)

    def work(store: ProfileStore) -> tuple[int, dict[str, object]]:
        store.delete(ident)
        return 200, {}

    return _answer(self, "DeleteInferenceProfile", work)


def install() -> None:
    """Add the inference-profile operations to moto's Bedrock classes (idempotent)."""
    from moto.bedrock.models import BedrockBackend
    from moto.bedrock.responses import BedrockResponse

    patch(BedrockResponse, BedrockBackend)


def patch(response_cls: type, backend_cls: type) -> None:
    """Add the operations to ``response_cls`` and profile ARNs to ``backend_cls``'s tagging."""
    with _install_lock:
        if getattr(response_cls, _MARK, False):
            return
        present = [name for name in OPERATIONS if hasattr(response_cls, name)]
        if present:
            raise EmulatorConflict(
                f"this moto already implements {', '.join(present)}; refusing to patch over it "
                "(pin moto to a release without them, or drop the emulator's patch)"
            )
        for name, method in zip(OPERATIONS, (_get, _list, _create, _delete), strict=True):
            setattr(response_cls, name, method)

        _route_tags_to_store(backend_cls)
        setattr(response_cls, _MARK, True)


def _route_tags_to_store(backend_cls: type) -> None:
    """Tag operations on an inference profile ARN go to the profile store; others stay moto's."""
    originals = {
        name: getattr(backend_cls, name)
        for name in ("tag_resource", "untag_resource", "list_tags_for_resource")
    }

    def owns(backend: object, arn: str) -> bool:
        return arn in store_for(backend).arns()

    def moto_error(err: ServiceError) -> Exception:
        from moto.core.exceptions import JsonRESTError

        error = JsonRESTError(err.code, err.message)
        error.code = err.status
        return error

    def tag_resource(backend: object, resource_arn: str, tags: list[dict[str, str]]) -> None:
        if not owns(backend, resource_arn):
            originals["tag_resource"](backend, resource_arn, tags)
            return None
        try:
            store_for(backend).tag(resource_arn, tags)
        except ServiceError as err:
            raise moto_error(err) from err
        return None

    def untag_resource(backend: object, resource_arn: str, tag_keys: list[str]) -> None:
        if not owns(backend, resource_arn):
            originals["untag_resource"](backend, resource_arn, tag_keys)
            return None
        store_for(backend).untag(resource_arn, tag_keys)
        return None

    def list_tags_for_resource(backend: object, resource_arn: str) -> list[dict[str, str]]:
        if not owns(backend, resource_arn):
            tags: list[dict[str, str]] = originals["list_tags_for_resource"](backend, resource_arn)
            return tags
        return store_for(backend).list_tags(resource_arn)

    for method in (tag_resource, untag_resource, list_tags_for_resource):
        setattr(backend_cls, method.__name__, method)
