"""What calling an inference profile needs from IAM, from the profile as the service describes it
from its source region (GetInferenceProfile's ``models``).  Pure functions, no AWS access.

The AWS user guide's rules (README, "Permissions for a profile", cites the pages):

- the profile itself, in its source region (``inference-profile`` or ``application-inference-
  profile`` ARN); the service evaluates it with ``aws:RequestedRegion`` the source region and no
  ``bedrock:InferenceProfileArn``;
- the foundation model in every region the profile's ``models`` name, source region included,
  each evaluated with ``aws:RequestedRegion`` that region and ``bedrock:InferenceProfileArn`` the
  profile's ARN;
- for a global profile, the region-less foundation-model ARN (``arn:aws:bedrock:::foundation-
  model/ID``), evaluated with ``aws:RequestedRegion`` ``unspecified``.

Both actions: ``bedrock:InvokeModel`` (InvokeModel and Converse) and
``bedrock:InvokeModelWithResponseStream`` (its stream and ConverseStream).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bedrock_profile_cli.identifiers import model_arns, parse_model_arn

ACTIONS = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")
REQUESTED_REGION = "aws:RequestedRegion"
PROFILE_ARN_KEY = "bedrock:InferenceProfileArn"
# What aws:RequestedRegion holds when the region-less model ARN of a global profile is evaluated.
UNSPECIFIED_REGION = "unspecified"
VERSION = "2012-10-17"

Profile = Mapping[str, object]


@dataclass(frozen=True)
class Need:
    """One request the service authorizes when the profile is invoked."""

    action: str
    resource: str
    context: tuple[tuple[str, str], ...]

    @property
    def context_map(self) -> dict[str, str]:
        return dict(self.context)


@dataclass(frozen=True)
class Routing:
    """A profile as seen from one source region: its ARN and the model ARNs it names there."""

    source_region: str
    arn: str
    model_arns: tuple[str, ...]

    @classmethod
    def of(cls, source_region: str, profile: Profile) -> Routing:
        return cls(source_region, str(profile.get("inferenceProfileArn", "")), tuple(model_arns(profile)))

    @property
    def regional_models(self) -> list[str]:
        return [arn for arn in self.model_arns if parse_model_arn(arn)[0]]

    @property
    def global_models(self) -> list[str]:
        return [arn for arn in self.model_arns if not parse_model_arn(arn)[0]]


def needs(routing: Routing) -> list[Need]:
    """Every (action, resource, request context) that invoking the profile needs allowed."""
    found = []
    for action in ACTIONS:
        found.append(Need(action, routing.arn, ((REQUESTED_REGION, routing.source_region),)))
        for arn in routing.regional_models:
            region = parse_model_arn(arn)[0] or ""
            context = ((REQUESTED_REGION, region), (PROFILE_ARN_KEY, routing.arn))
            found.append(Need(action, arn, context))
        for arn in routing.global_models:
            context = ((REQUESTED_REGION, UNSPECIFIED_REGION), (PROFILE_ARN_KEY, routing.arn))
            found.append(Need(action, arn, context))
    return found


def scp_regions(routings: Iterable[Routing]) -> list[str]:
    """The ``aws:RequestedRegion`` values a region-deny guardrail must let through: every source and
    destination region, and ``unspecified`` when a global profile is among them."""
    regions: set[str] = set()
    for routing in routings:
        regions.add(routing.source_region)
        regions.update(parse_model_arn(arn)[0] or UNSPECIFIED_REGION for arn in routing.model_arns)
    return sorted(regions)


def _sid(text: str) -> str:
    """A statement ID (letters and digits only) from ``text``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def _one_or_many(values: Sequence[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else list(values)


def policy(routings: Sequence[Routing], *, only_via_profile: bool = False) -> dict[str, object]:
    """The identity-based policy that allows exactly what :func:`needs` lists for ``routings``:
    statements in a fixed order, resources sorted, so the same profiles give the same bytes."""
    actions = list(ACTIONS)
    profiles = sorted({r.arn for r in routings})
    statements: list[dict[str, object]] = [
        {
            "Sid": "InvokeInferenceProfiles",
            "Effect": "Allow",
            "Action": actions,
            "Resource": _one_or_many(profiles),
        }
    ]
    if not only_via_profile:
        regional = sorted({arn for r in routings for arn in r.regional_models})
        if regional:
            statements.append(
                {
                    "Sid": "InvokeModelsInDestinationRegions",
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": _one_or_many(regional),
                }
            )
        region_less = sorted({arn for r in routings for arn in r.global_models})
        if region_less:
            statements.append(
                {
                    "Sid": "InvokeGlobalModels",
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": _one_or_many(region_less),
                    "Condition": {"StringEquals": {REQUESTED_REGION: UNSPECIFIED_REGION}},
                }
            )
        return {"Version": VERSION, "Statement": statements}
    by_profile: dict[str, set[str]] = {}
    global_by_profile: dict[str, set[str]] = {}
    for routing in routings:
        by_profile.setdefault(routing.arn, set()).update(routing.regional_models)
        global_by_profile.setdefault(routing.arn, set()).update(routing.global_models)
    used: set[str] = set()
    for arn in profiles:
        name = _sid(arn.split(":", 5)[5].split("/", 1)[-1] + " " + arn.split(":")[3])
        while name in used:  # two IDs that differ only in punctuation
            name += "X"
        used.add(name)
        if by_profile[arn]:
            statements.append(
                {
                    "Sid": f"ModelsVia{name}",
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": _one_or_many(sorted(by_profile[arn])),
                    "Condition": {"ArnEquals": {PROFILE_ARN_KEY: arn}},
                }
            )
        if global_by_profile[arn]:
            statements.append(
                {
                    "Sid": f"GlobalModelsVia{name}",
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": _one_or_many(sorted(global_by_profile[arn])),
                    "Condition": {
                        "StringEquals": {REQUESTED_REGION: UNSPECIFIED_REGION},
                        "ArnEquals": {PROFILE_ARN_KEY: arn},
                    },
                }
            )
    return {"Version": VERSION, "Statement": statements}
