"""Bedrock as the service keeps it for one account in one region: inference profiles (the catalog's
system-defined ones plus the application profiles created here) and foundation models.

Plain Python, no moto and no HTTP: create, get, list, delete and tags, validated as the service
validates.  Errors carry the service's error code and HTTP status for the layer that answers.
"""

from __future__ import annotations

import base64
import re
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from bedrock_profile_cli.emulator.catalog import Catalog, load
from bedrock_profile_cli.identifiers import SERVICE_PATTERN
from bedrock_profile_cli.settings import EMULATOR_DEFAULT_PAGE_SIZE as DEFAULT_PAGE_SIZE

NAME_RE = re.compile(r"([0-9a-zA-Z][ _-]?)+")
DESCRIPTION_RE = re.compile(r"([0-9a-zA-Z:.][ _-]?)+")
SOURCE_RE = re.compile(
    r"arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:(|[0-9a-z-]{0,20}):(|[0-9]{12}):"
    r"(inference-profile|foundation-model)/[a-zA-Z0-9-:.]+"
)
IDENTIFIER_RE = re.compile(SERVICE_PATTERN)
# GetFoundationModelIdentifier in botocore's model
MODEL_IDENTIFIER_RE = re.compile(
    r"(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}::foundation-model/[a-z0-9-]{1,63}[.]{1}([a-z0-9-]{1,63}[.])"
    r"{0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2})|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]"
    r"{1,63})([:][a-z0-9-]{1,63}){0,2})"
)
TAG_KEY_RE = re.compile(r"[a-zA-Z0-9\s._:/=+@-]*")
MAX_TAGS = 50
TYPES = ("SYSTEM_DEFINED", "APPLICATION")

Doc = dict[str, Any]


class ServiceError(Exception):
    """An error the service answers with: code (the exception shape), HTTP status, message."""

    def __init__(self, code: str, status: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message


def not_found(message: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", 404, message)


def invalid(message: str) -> ServiceError:
    return ServiceError("ValidationException", 400, message)


def conflict(message: str) -> ServiceError:
    return ServiceError("ConflictException", 409, message)


def parse_time(text: str) -> datetime:
    """A snapshot timestamp (Python's ``str(datetime)``, or a date) as an aware datetime."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def wire_time(moment: datetime) -> float | int:
    """Epoch seconds, as the service sends timestamps (botocore turns them into datetimes)."""
    seconds = moment.timestamp()
    return int(seconds) if seconds == int(seconds) else seconds


@dataclass
class InferenceProfile:
    profile_id: str
    arn: str
    name: str
    type: str
    models: list[str]
    created_at: datetime
    updated_at: datetime
    description: str | None = None
    status: str = "ACTIVE"

    def to_api(self) -> Doc:
        """As GetInferenceProfile returns it, in the service model's member order."""
        doc: Doc = {"inferenceProfileName": self.name}
        if self.description is not None:
            doc["description"] = self.description
        doc["createdAt"] = wire_time(self.created_at)
        doc["updatedAt"] = wire_time(self.updated_at)
        doc["inferenceProfileArn"] = self.arn
        doc["models"] = [{"modelArn": arn} for arn in self.models]
        doc["inferenceProfileId"] = self.profile_id
        doc["status"] = self.status
        doc["type"] = self.type
        return doc


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _wire_model(model: Doc) -> Doc:
    """A catalog model summary with its lifecycle timestamps as the wire carries them."""
    lifecycle = model.get("modelLifecycle")
    if isinstance(lifecycle, dict):
        model["modelLifecycle"] = {
            key: wire_time(parse_time(value)) if key.endswith("Time") and isinstance(value, str) else value
            for key, value in lifecycle.items()
        }
    return model


@dataclass
class ProfileStore:
    """Bedrock in one region for one account: its profiles (seeded from the catalog: the ARNs name
    this account, as the service names the caller's) and its foundation models."""

    account_id: str
    region: str
    partition: str = "aws"
    page_size: int = DEFAULT_PAGE_SIZE
    catalog: Catalog | None = None
    profiles: dict[str, InferenceProfile] = field(default_factory=dict)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        if self.catalog is None:
            self.catalog = load()
        for summary in self.catalog.profiles(self.region):
            profile_id = summary["inferenceProfileId"]
            self.add(
                InferenceProfile(
                    profile_id=profile_id,
                    arn=self.arn("inference-profile", profile_id),
                    name=summary["inferenceProfileName"],
                    type=summary["type"],
                    models=[m["modelArn"] for m in summary["models"]],
                    created_at=parse_time(summary["createdAt"]),
                    updated_at=parse_time(summary["updatedAt"]),
                    description=summary.get("description"),
                    status=summary["status"],
                )
            )

    def arn(self, resource_type: str, resource_id: str) -> str:
        return f"arn:{self.partition}:bedrock:{self.region}:{self.account_id}:{resource_type}/{resource_id}"

    def model_arn(self, region: str, model_id: str) -> str:
        return f"arn:{self.partition}:bedrock:{region}::foundation-model/{model_id}"

    def add(self, profile: InferenceProfile) -> InferenceProfile:
        with self.lock:
            self.profiles[profile.profile_id] = profile
        return profile

    def arns(self) -> list[str]:
        with self.lock:
            return [p.arn for p in self.profiles.values()]

    def owns(self, arn: str) -> bool:
        with self.lock:
            return any(p.arn == arn for p in self.profiles.values())

    # --- GetInferenceProfile -------------------------------------------------------------
    def get(self, identifier: str) -> InferenceProfile:
        if not 1 <= len(identifier) <= 2048 or not IDENTIFIER_RE.fullmatch(identifier):
            raise invalid(
                "1 validation error detected: Value at 'inferenceProfileIdentifier' failed to satisfy "
                f"constraint: Member must satisfy regular expression pattern: {SERVICE_PATTERN}"
            )
        with self.lock:
            if identifier.startswith("arn:"):
                for profile in self.profiles.values():
                    if profile.arn == identifier:
                        return profile
            elif identifier in self.profiles:
                return self.profiles[identifier]
        raise not_found(f"The specified inference profile {identifier} could not be found.")

    # --- ListInferenceProfiles -----------------------------------------------------------
    def list_profiles(
        self, max_results: int | None = None, next_token: str | None = None, type_equals: str | None = None
    ) -> tuple[list[InferenceProfile], str | None]:
        """A page of at most ``page_size`` profiles (short pages, as the service may send: fewer
        than ``maxResults`` with a ``nextToken``), in the service's order."""
        if max_results is not None and not 1 <= max_results <= 1000:
            raise invalid("maxResults must be between 1 and 1000.")
        if type_equals is not None and type_equals not in TYPES:
            raise invalid(f"Value {type_equals} for type is not one of {', '.join(TYPES)}.")
        # As the real service does: with no type filter, only SYSTEM_DEFINED profiles are listed.
        wanted = type_equals or "SYSTEM_DEFINED"
        with self.lock:
            matching = [p for p in self.profiles.values() if p.type == wanted]
        start = _decode_token(next_token) if next_token else 0
        size = min(max_results or self.page_size, self.page_size)
        page = matching[start : start + size]
        following = _encode_token(start + size) if start + size < len(matching) else None
        return page, following

    # --- CreateInferenceProfile ----------------------------------------------------------
    def create(
        self,
        name: str | None,
        model_source: dict[str, object] | None,
        description: str | None = None,
        tags: list[dict[str, str]] | None = None,
        client_request_token: str | None = None,
    ) -> InferenceProfile:
        with self.lock:
            if client_request_token and client_request_token in self.tokens:
                return self.get(self.tokens[client_request_token])
            if not name or len(name) > 64 or not NAME_RE.fullmatch(name):
                raise invalid("inferenceProfileName must be 1-64 letters, digits, spaces, '_' or '-'.")
            if description is not None and (
                not 1 <= len(description) <= 200 or not DESCRIPTION_RE.fullmatch(description)
            ):
                raise invalid("description must be 1-200 characters of the allowed pattern.")
            source = (model_source or {}).get("copyFrom")
            if not isinstance(source, str) or len(source) > 2048 or not SOURCE_RE.fullmatch(source):
                raise invalid("modelSource.copyFrom must be a foundation model or inference profile ARN.")
            models = self._models_from(source)
            if any(p.name == name for p in self.profiles.values()):
                raise conflict(f"An inference profile named {name} already exists.")
            tag_map = self._checked_tags(tags or [], {})
            profile_id = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))
            now = _now()
            profile = self.add(
                InferenceProfile(
                    profile_id=profile_id,
                    arn=self.arn("application-inference-profile", profile_id),
                    name=name,
                    type="APPLICATION",
                    models=models,
                    created_at=now,
                    updated_at=now,
                    description=description,
                )
            )
            if tag_map:
                self.tags[profile.arn] = tag_map
            if client_request_token:
                self.tokens[client_request_token] = profile.arn
            return profile

    def _models_from(self, source: str) -> list[str]:
        """The destinations an application profile copies: one model of this region, or every
        model of a system-defined profile as this region routes it."""
        resource = source.split(":", 5)[5]
        kind, _, ident = resource.partition("/")
        if kind == "foundation-model":
            region = source.split(":")[3]
            if region and region != self.region:
                raise invalid(f"The model {source} is not in region {self.region}.")
            if self.find_model(ident) is None:
                raise invalid(f"The model {ident} is not available in region {self.region}.")
            return [self.model_arn(self.region, ident)]
        profile = self.get(source)
        if profile.type != "SYSTEM_DEFINED":
            raise invalid("An application inference profile can only copy from a system-defined one.")
        return list(profile.models)

    # --- DeleteInferenceProfile ----------------------------------------------------------
    def delete(self, identifier: str) -> None:
        with self.lock:
            profile = self.get(identifier)
            if profile.type != "APPLICATION":
                raise invalid("Only application inference profiles can be deleted.")
            del self.profiles[profile.profile_id]
            self.tags.pop(profile.arn, None)

    # --- Tags ----------------------------------------------------------------------------
    def _checked_tags(self, tags: list[dict[str, str]], existing: dict[str, str]) -> dict[str, str]:
        merged = dict(existing)
        for tag in tags:
            key, value = tag.get("key", ""), tag.get("value", "")
            if not 1 <= len(key) <= 128 or not TAG_KEY_RE.fullmatch(key) or len(value) > 256:
                raise invalid(f"Invalid tag {key!r}.")
            merged[key] = value
        if len(merged) > MAX_TAGS:
            raise ServiceError("TooManyTagsException", 400, f"A resource can have at most {MAX_TAGS} tags.")
        return merged

    def tag(self, arn: str, tags: list[dict[str, str]]) -> None:
        with self.lock:
            self._require(arn)
            self.tags[arn] = self._checked_tags(tags, self.tags.get(arn, {}))

    def untag(self, arn: str, keys: list[str]) -> None:
        with self.lock:
            self._require(arn)
            current = self.tags.get(arn, {})
            for key in keys:
                current.pop(key, None)

    def list_tags(self, arn: str) -> list[dict[str, str]]:
        with self.lock:
            self._require(arn)
            return [{"key": k, "value": v} for k, v in self.tags.get(arn, {}).items()]

    def _require(self, arn: str) -> None:
        if not self.owns(arn):
            raise not_found(f"The resource {arn} could not be found.")

    # --- Foundation models ---------------------------------------------------------------
    def find_model(self, model_id: str) -> Doc | None:
        assert self.catalog is not None
        return self.catalog.model(self.region, model_id)

    def get_model(self, identifier: str) -> Doc:
        """GetFoundationModel's ``modelDetails``: by model ID or by this region's model ARN."""
        model_id = identifier
        if identifier.startswith("arn:"):
            head, _, model_id = identifier.partition("/")
            parts = head.split(":")
            if len(parts) != 6 or parts[3] != self.region or parts[5] != "foundation-model":
                model_id = ""
        model = self.find_model(model_id) if model_id else None
        if model is None:
            if not 1 <= len(identifier) <= 2048 or not MODEL_IDENTIFIER_RE.fullmatch(identifier):
                raise invalid(
                    "1 validation error detected: Value at 'modelIdentifier' failed to satisfy "
                    "constraint: Member must satisfy regular expression pattern"
                )
            raise not_found(f"The specified model identifier {identifier} could not be found.")
        return _wire_model(model)

    def list_models(self, filters: Mapping[str, str | None]) -> list[Doc]:
        """ListFoundationModels: every model of this region, filtered as asked (provider by name,
        any case; the others by membership)."""
        assert self.catalog is not None
        provider = filters.get("byProvider")
        wanted = {
            "customizationsSupported": filters.get("byCustomizationType"),
            "outputModalities": filters.get("byOutputModality"),
            "inferenceTypesSupported": filters.get("byInferenceType"),
        }
        found = []
        for model in self.catalog.models(self.region):
            if provider and str(model.get("providerName", "")).lower() != provider.lower():
                continue
            if any(value and value not in model.get(key, []) for key, value in wanted.items()):
                continue
            found.append(_wire_model(model))
        return found


def _encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _decode_token(token: str) -> int:
    try:
        kind, _, number = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if kind != "offset":
            raise ValueError(token)
        return int(number)
    except ValueError as exc:
        raise invalid("The nextToken is not valid.") from exc
