"""What a response must be before anything is printed: the members the service model marks as
required, each of the type the model gives it.  A response that is not is exit 11, for that
identifier alone (the others still print)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

# Members the service model marks as required in GetInferenceProfileResponse and in
# InferenceProfileSummary (the same six).
REQUIRED_MEMBERS = (
    "inferenceProfileName",
    "inferenceProfileArn",
    "models",
    "inferenceProfileId",
    "status",
    "type",
)
STRING_MEMBERS = (
    "inferenceProfileName",
    "inferenceProfileArn",
    "inferenceProfileId",
    "status",
    "type",
    "description",
    "createdAt",  # ISO strings once iso_timestamp has parsed them
    "updatedAt",
)
# What botocore's parser (and our timestamp parser inside it) raise on a body of the wrong shape: a
# string where an object belongs, a number where a list does, a date that is no date.
PARSE_FAILURES: tuple[type[BaseException], ...] = (
    AttributeError,
    TypeError,
    ValueError,
    KeyError,
    IndexError,
    RecursionError,
    OverflowError,
)
PARSE_HINT = "is --endpoint-url a Bedrock endpoint? rerun with --debug to see the response"


def iso_timestamp(value: object) -> str:
    """A timestamp from the wire as ISO 8601 in UTC, as ``aws`` prints it with
    ``cli_timestamp_format = iso8601`` (``2024-08-23T18:36:02.123000+00:00``).  NaN, infinities
    and times before 1970 are no timestamps the service sends: ValueError."""
    from botocore.utils import parse_timestamp

    if isinstance(value, bool) or (
        isinstance(value, (int, float)) and (not math.isfinite(value) or value < 0)
    ):
        raise ValueError(f"timestamp {value!r} is not a time")
    if isinstance(value, (int, float)):
        # Epoch seconds, as the service sends them: the same instant and rounding botocore's
        # parse_timestamp gives, without its local-time-zone detour (~40 us a value, 1,300 values
        # in `list --all-regions`).  Out of range falls through to botocore for its error.
        try:
            return datetime.fromtimestamp(value, timezone.utc).isoformat()
        except (OverflowError, OSError, ValueError):
            pass
    try:
        moment = parse_timestamp(value)
    except (ValueError, TypeError, OverflowError, RuntimeError) as exc:  # botocore: RuntimeError too
        raise ValueError(f"timestamp {str(value)[:60]!r} is not a time") from exc
    return str(moment.astimezone(timezone.utc).isoformat())


def problems(document: object, what: str = "an inference profile") -> list[str]:
    """Why ``document`` is not ``what`` (empty when it is)."""
    if not isinstance(document, Mapping):
        return [f"{what} is a {type(document).__name__}, not an object"]
    found = []
    missing = [name for name in REQUIRED_MEMBERS if name not in document]
    if missing:
        found.append(f"missing {', '.join(missing)}")
    for name in STRING_MEMBERS:
        if name in document and not isinstance(document[name], str):
            found.append(f"{name} is a {type(document[name]).__name__}, not a string")
    models = document.get("models")
    if "models" in document and not (
        isinstance(models, list)
        and all(isinstance(m, Mapping) and isinstance(m.get("modelArn"), str) for m in models)
    ):
        found.append("models is not a list of {modelArn: string}")
    return found


def require_profile(document: Mapping[str, object], meta: Mapping[str, object], operation: str) -> None:
    """Raise exit 11 when ``document`` is not an inference profile (``meta``: ResponseMetadata)."""
    found = problems(document)
    if found:
        headers = meta.get("HTTPHeaders")
        content_type = headers.get("content-type", "unknown") if isinstance(headers, Mapping) else "unknown"
        request_id = meta.get("RequestId")
        raise BedrockProfileError(
            ExitCode.SERVICE,
            f"the response could not be parsed as an inference profile: {'; '.join(found)} "
            f"(HTTP {meta.get('HTTPStatusCode', '?')}, content type {content_type})",
            request_id=str(request_id) if request_id else None,
            hint=PARSE_HINT,
            operation=operation,
        )


@contextmanager
def parse_failures_are_service_errors(operation: str) -> Iterator[None]:
    """Inside the block (one API call, or one page), what botocore's parser raises on a body of the
    wrong shape becomes exit 11 naming the problem, instead of escaping as an internal error."""
    try:
        yield
    except BedrockProfileError:
        raise
    except PARSE_FAILURES as exc:
        if _from_botocore_core(exc):
            raise
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise BedrockProfileError(
            ExitCode.SERVICE,
            "the response could not be parsed: a member is not of the type the service model gives "
            f"it ({type(exc).__name__} in botocore's parser: {first})",
            hint=PARSE_HINT,
            operation=operation,
        ) from exc


def _from_botocore_core(exc: BaseException) -> bool:
    """botocore's own errors that subclass ValueError & co. keep their own translation."""
    return any(cls.__module__.startswith("botocore.exceptions") for cls in type(exc).__mro__)
