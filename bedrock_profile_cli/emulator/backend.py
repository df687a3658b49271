"""Inference profiles as the service keeps them: state for one account in one region.

Plain Python (no moto): create, get, list, delete and tags, validated as the service validates.
Errors carry the service's error code and HTTP status so the moto layer can answer with them.
"""

from __future__ import annotations

import base64
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone

from bedrock_profile_cli.emulator.catalog import system_profiles
from bedrock_profile_cli.identifiers import SERVICE_PATTERN

NAME_RE = re.compile(r"([0-9a-zA-Z][ _-]?)+")
DESCRIPTION_RE = re.compile(r"([0-9a-zA-Z:.][ _-]?)+")
SOURCE_RE = re.compile(
    r"arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:(|[0-9a-z-]{0,20}):(|[0-9]{12}):"
    r"(inference-profile|foundation-model)/[a-zA-Z0-9-:.]+"
)
IDENTIFIER_RE = re.compile(SERVICE_PATTERN)
TAG_KEY_RE = re.compile(r"[a-zA-Z0-9\s._:/=+@-]*")
MAX_TAGS = 50
DEFAULT_PAGE_SIZE = 100
TYPES = ("SYSTEM_DEFINED", "APPLICATION")


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

    def to_api(self) -> dict[str, object]:
        """As GetInferenceProfile returns it, in the service model's member order."""
        doc: dict[str, object] = {"inferenceProfileName": self.name}
        if self.description is not None:
            doc["description"] = self.description
        doc["createdAt"] = _wire_time(self.created_at)
        doc["updatedAt"] = _wire_time(self.updated_at)
        doc["inferenceProfileArn"] = self.arn
        doc["models"] = [{"modelArn": arn} for arn in self.models]
        doc["inferenceProfileId"] = self.profile_id
        doc["status"] = self.status
        doc["type"] = self.type
        return doc


def _wire_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class ProfileStore:
    """The inference profiles of one account in one region."""

    account_id: str
    region: str
    partition: str = "aws"
    profiles: dict[str, InferenceProfile] = field(default_factory=dict)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        for spec in system_profiles(self.region):
            self.add(
                InferenceProfile(
                    profile_id=spec.profile_id,
                    arn=self.arn("inference-profile", spec.profile_id),
                    name=spec.name,
                    type="SYSTEM_DEFINED",
                    models=[self.model_arn(r, spec.model_id) for r in spec.model_regions],
                    created_at=spec.created_at,
                    updated_at=spec.created_at,
                    description=spec.description,
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
        if max_results is not None and not 1 <= max_results <= 1000:
            raise invalid("maxResults must be between 1 and 1000.")
        if type_equals is not None and type_equals not in TYPES:
            raise invalid(f"Value {type_equals} for type is not one of {', '.join(TYPES)}.")
        # As the real service does: with no type filter, only SYSTEM_DEFINED profiles are listed.
        wanted = type_equals or "SYSTEM_DEFINED"
        with self.lock:
            matching = sorted(
                (p for p in self.profiles.values() if p.type == wanted), key=lambda p: p.profile_id
            )
        start = _decode_token(next_token) if next_token else 0
        size = max_results or DEFAULT_PAGE_SIZE
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
        resource = source.split(":", 5)[5]
        kind, _, ident = resource.partition("/")
        if kind == "foundation-model":
            region = source.split(":")[3]
            if region and region != self.region:
                raise invalid(f"The model {source} is not in region {self.region}.")
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
        if arn not in self.arns():
            raise not_found(f"The resource {arn} could not be found.")


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
