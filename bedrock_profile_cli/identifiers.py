"""Inference profile IDs and ARNs: the service's own validation rule, and a diagnosis when it fails.

The rule is the one in botocore's Bedrock model (shape ``InferenceProfileIdentifier``), applied to the
whole string.  Nothing here imports botocore: it runs before any request, on every TAB as well.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.textsafe import printable

MIN_LENGTH = 1
MAX_LENGTH = 2048
PARTITIONS = ("aws", "aws-us-gov", "aws-cn", "aws-iso", "aws-iso-b")
RESOURCE_TYPES = ("inference-profile", "application-inference-profile")

# Verbatim from botocore's bedrock service model (2023-04-20), shape InferenceProfileIdentifier.
SERVICE_PATTERN = (
    r"(arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:(|[0-9a-z-]{0,20}):(|[0-9]{12}):"
    r"(inference-profile|application-inference-profile)/)?[a-zA-Z0-9-:.]+"
)
_SERVICE_RE = re.compile(SERVICE_PATTERN)
_ID_CHARS_RE = re.compile(r"[a-zA-Z0-9:.\-]+")
_REGION_RE = re.compile(r"[0-9a-z-]{0,20}")
_ACCOUNT_RE = re.compile(r"(|[0-9]{12})")

ALLOWED_ID_CHARS = "letters, digits, '-', ':' and '.'"


@dataclass(frozen=True)
class Identifier:
    """A validated identifier: the text to send, and what an ARN says about where it lives."""

    raw: str
    is_arn: bool
    partition: str | None = None
    region: str | None = None
    account: str | None = None
    resource_type: str | None = None
    resource_id: str = ""

    @property
    def profile_id(self) -> str:
        """The profile ID part (the whole identifier when it is not an ARN)."""
        return self.resource_id if self.is_arn else self.raw


def _invalid(raw: str, why: str) -> BedrockProfileError:
    return BedrockProfileError(
        ExitCode.VALIDATION,
        f"invalid inference profile identifier: {why}",
        identifier=printable(_shorten(raw)),
        hint="give an inference profile ID (us.anthropic.claude-3-5-sonnet-20240620-v1:0) or ARN "
        "(arn:aws:bedrock:REGION:ACCOUNT:inference-profile/ID); nothing was sent",
    )


def _shorten(raw: str, limit: int = 80) -> str:
    return raw if len(raw) <= limit else raw[: limit - 3] + "..."


def _first_bad_char(text: str, offset: int) -> str | None:
    for i, ch in enumerate(text):
        if not _ID_CHARS_RE.fullmatch(ch):
            shown = printable(repr(ch)) + ("" if ch.isascii() else f" (U+{ord(ch):04X})")
            return (
                f"character {shown} at position {offset + i + 1} is not allowed (allowed: {ALLOWED_ID_CHARS})"
            )
    return None


def _diagnose_arn(raw: str) -> str:
    prefix, _, resource_id = raw.partition("/")
    fields = prefix.split(":")
    if fields[0] != "arn":
        return (
            "'/' may only follow an ARN's resource type "
            "(arn:PARTITION:bedrock:REGION:ACCOUNT:inference-profile/ID)"
        )
    if len(fields) != 6:
        return f"an ARN has 6 ':'-separated fields before the '/', this one has {len(fields)}"
    _, partition, service, region, account, resource_type = fields
    if partition not in PARTITIONS:
        return f"ARN partition {printable(repr(partition))} is not one of {', '.join(PARTITIONS)}"
    if service != "bedrock":
        return f"ARN service must be 'bedrock', not {printable(repr(service))}"
    if not _REGION_RE.fullmatch(region):
        return f"ARN region {printable(repr(region))} must be lowercase letters, digits and '-', at most 20"
    if not _ACCOUNT_RE.fullmatch(account):
        return f"ARN account {printable(repr(account))} must be 12 digits"
    if resource_type not in RESOURCE_TYPES:
        return (
            f"ARN resource type {printable(repr(resource_type))} must be one of {', '.join(RESOURCE_TYPES)}"
        )
    if not resource_id:
        return "the ARN has no profile ID after the '/'"
    return _first_bad_char(resource_id, len(prefix) + 1) or "it does not match the service's pattern"


def diagnose(raw: str) -> str | None:
    """Why ``raw`` breaks the service's rule, or None when it keeps it."""
    if len(raw) > MAX_LENGTH:
        return f"it is {len(raw)} characters long; the limit is {MAX_LENGTH}"
    if _SERVICE_RE.fullmatch(raw):
        return None
    if "/" in raw:
        return _diagnose_arn(raw)
    return _first_bad_char(raw, 0) or "it does not match the service's pattern"


def parse(raw: str) -> Identifier:
    """Validate ``raw`` locally and split an ARN into its parts.

    Raises BedrockProfileError: USAGE for an empty argument, VALIDATION for anything else the
    service would refuse.
    """
    if len(raw) < MIN_LENGTH:
        raise BedrockProfileError(
            ExitCode.USAGE,
            "an identifier is empty",
            hint="pass an inference profile ID or ARN; check for an unset shell variable",
        )
    why = diagnose(raw)
    if why is not None:
        raise _invalid(raw, why)
    if "/" not in raw:
        return Identifier(raw=raw, is_arn=False)
    prefix, _, resource_id = raw.partition("/")
    _, partition, _, region, account, resource_type = prefix.split(":")
    return Identifier(
        raw=raw,
        is_arn=True,
        partition=partition,
        region=region or None,
        account=account or None,
        resource_type=resource_type,
        resource_id=resource_id,
    )


# A model ARN with no region (as in a global. profile) serves any supported commercial region.
ANY_REGION = "*"


def parse_model_arn(arn: str) -> tuple[str | None, str]:
    """Region and model ID out of a model ARN (``arn:aws:bedrock:us-east-1::foundation-model/ID``).

    Anything that is not such an ARN comes back whole as the model, with no region.
    """
    fields = arn.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        return None, arn
    region, resource = fields[3], fields[5]
    _, slash, model_id = resource.partition("/")
    return (region or None), (model_id if slash and model_id else resource)


def model_arns(document: Mapping[str, object]) -> list[str]:
    """The ``modelArn`` of each entry in a profile's (or summary's) ``models``; odd entries skipped."""
    models = document.get("models")
    if not isinstance(models, list):
        return []
    return [str(m["modelArn"]) for m in models if isinstance(m, dict) and "modelArn" in m]


MODEL_RESOURCE_TYPE = "foundation-model"
_MODEL_ARN_RE = re.compile(
    r"arn:aws(-[a-z]+(-[a-z]+)*)?:bedrock:([0-9a-z-]{0,20})::foundation-model/([a-zA-Z0-9-:.]+)"
)


def parse_model_or_profile(raw: str) -> Identifier:
    """What ``resolve`` accepts: a foundation model ID or ARN, or an inference profile ID or ARN
    (a bare ID could be either: the service tells which).  A foundation-model ARN comes back with
    ``resource_type`` ``foundation-model`` and the model ID as ``resource_id``."""
    match = _MODEL_ARN_RE.fullmatch(raw) if len(raw) <= MAX_LENGTH else None
    if match is not None:
        partition = "aws" + (match.group(1) or "")
        return Identifier(
            raw=raw,
            is_arn=True,
            partition=partition,
            region=match.group(3) or None,
            resource_type=MODEL_RESOURCE_TYPE,
            resource_id=match.group(4),
        )
    try:
        if raw.startswith("arn:") and ":foundation-model/" in raw.partition("/")[0] + "/":
            raise _invalid(
                raw,
                "a foundation-model ARN is arn:PARTITION:bedrock:REGION::foundation-model/MODEL_ID "
                "(no account; letters, digits, '-', ':' and '.' in the model ID)",
            )
        return parse(raw)
    except BedrockProfileError as err:
        if err.exit_code == ExitCode.USAGE:
            err.hint = (
                "pass a foundation model ID or ARN, or an inference profile ID or ARN; "
                "check for an unset shell variable"
            )
        if err.exit_code == ExitCode.VALIDATION:
            err.message = err.message.replace(
                "invalid inference profile identifier", "invalid model or inference profile identifier"
            )
            err.hint = (
                "give a foundation model ID (anthropic.claude-3-5-sonnet-20240620-v1:0) or ARN "
                "(arn:aws:bedrock:REGION::foundation-model/ID), or an inference profile ID or ARN; "
                "nothing was sent"
            )
        raise


_MODEL_HINT = (
    "give a foundation model ID (anthropic.claude-sonnet-4-5-20250929-v1:0) or its ARN "
    "(arn:aws:bedrock:REGION::foundation-model/ID)"
)


def check_model(raw: str, option: str) -> str:
    """``raw`` when it could be a foundation model ID or ARN (``check --model``); otherwise exit 2
    naming the option, before any request (a typo would only fail the check after the lookup)."""
    shown = f"{option} {_shorten(raw, 200)!r}"
    try:
        parsed = parse_model_or_profile(raw)
    except BedrockProfileError as err:
        raise BedrockProfileError(ExitCode.USAGE, f"{shown}: {err.message}", hint=_MODEL_HINT) from None
    if not parsed.is_arn and not (raw[:1].isalnum() and "." in raw):
        why = "is not a model ID: those are PROVIDER.MODEL, starting with a letter or digit"
        raise BedrockProfileError(ExitCode.USAGE, f"{shown} {why}", hint=_MODEL_HINT)
    if parsed.is_arn and parsed.resource_type != MODEL_RESOURCE_TYPE:
        raise BedrockProfileError(
            ExitCode.USAGE, f"{shown} is an inference profile ARN, not a model's", hint=_MODEL_HINT
        )
    return raw
