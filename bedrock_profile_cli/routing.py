"""Which identifier to call for a foundation model from a source region: pure functions over what
the service says there (its ListInferenceProfiles summaries, both types, and GetFoundationModel's
``inferenceTypesSupported``).  No AWS access here; :mod:`bedrock_profile_cli.aws.resolving` fetches.

The rule (README states it): call the model directly when the region serves it on demand; else
through the system-defined profile of the source region's geography (a profile listed in that
region whose ID does not start with ``global.``; the narrowest, i.e. fewest destination regions,
if several); else through the global one.  Application profiles are listed but never recommended:
they are the account's own choices.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bedrock_profile_cli.identifiers import ANY_REGION, model_arns, parse_model_arn

ON_DEMAND = "ON_DEMAND"
GLOBAL_SCOPE = "global"
APPLICATION_SCOPE = "application"
SYSTEM_DEFINED = "SYSTEM_DEFINED"
APPLICATION = "APPLICATION"

Summary = Mapping[str, object]


def scope_of(summary: Summary) -> str:
    """``application`` for an application profile; else the geography its ID starts with (``us``,
    ``eu``, ``apac``, ``jp``, ``us-gov``, ... or ``global``), read from the ID, not from a list."""
    if summary.get("type") == APPLICATION:
        return APPLICATION_SCOPE
    prefix, dot, rest = str(summary.get("inferenceProfileId", "")).partition(".")
    return prefix if dot and prefix and rest else "unknown"


def model_ids(summary: Summary) -> list[str]:
    """The distinct model IDs a profile routes to, in its order."""
    return list(dict.fromkeys(parse_model_arn(arn)[1] for arn in model_arns(summary)))


def destinations(summary: Summary, model_id: str) -> list[str]:
    """The regions a profile sends ``model_id`` to from the region it was listed in, in its order:
    ``*`` for a region-less model ARN (a global profile: any commercial region)."""
    found: list[str] = []
    for arn in model_arns(summary):
        region, model = parse_model_arn(arn)
        if model == model_id:
            found.append(region or ANY_REGION)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Route:
    """A profile that routes a model from a source region."""

    profile_id: str
    arn: str
    type: str
    scope: str
    destinations: tuple[str, ...]

    def rank(self) -> tuple[int, int, str]:
        """Geographic system profiles first (narrowest first), then global, then application."""
        order = 0 if self.type == SYSTEM_DEFINED and self.scope != GLOBAL_SCOPE else 1
        if self.type != SYSTEM_DEFINED:
            order = 2
        breadth = len(self.destinations) + (1000 if ANY_REGION in self.destinations else 0)
        return order, breadth, self.profile_id

    def to_doc(self) -> dict[str, object]:
        return {
            "inferenceProfileId": self.profile_id,
            "inferenceProfileArn": self.arn,
            "type": self.type,
            "scope": self.scope,
            "destinationRegions": list(self.destinations),
        }


def routes(summaries: Iterable[Summary], model_id: str) -> list[Route]:
    """Every profile among ``summaries`` whose models include ``model_id``, best first."""
    found = []
    for summary in summaries:
        where = destinations(summary, model_id)
        if where:
            found.append(
                Route(
                    profile_id=str(summary.get("inferenceProfileId", "")),
                    arn=str(summary.get("inferenceProfileArn", "")),
                    type=str(summary.get("type", "")),
                    scope=scope_of(summary),
                    destinations=tuple(where),
                )
            )
    return sorted(found, key=Route.rank)


def recommend(model_id: str, on_demand: bool, found: Sequence[Route]) -> str | None:
    """The identifier to call (see the module's rule), or None when nothing routes the model."""
    if on_demand:
        return model_id
    for route in found:  # ranked: geography (narrowest first), then global
        if route.type == SYSTEM_DEFINED:
            return route.profile_id
    return None


@dataclass
class Resolution:
    """One model from one source region: what the region says, and what to call."""

    model: str
    region: str
    input: str
    inference_types: list[str] | None  # GetFoundationModel's; None: the region has no such model
    routes: list[Route]

    @property
    def on_demand(self) -> bool:
        return ON_DEMAND in (self.inference_types or [])

    @property
    def recommended(self) -> str | None:
        return recommend(self.model, self.on_demand, self.routes)

    @property
    def resolved(self) -> bool:
        """Callable from this region somehow: on demand, or through any profile."""
        return self.on_demand or bool(self.routes)

    def to_doc(self) -> dict[str, object]:
        return {
            "model": self.model,
            "region": self.region,
            "input": self.input,
            "onDemand": self.on_demand,
            "inferenceTypesSupported": self.inference_types,
            "recommended": self.recommended,
            "profiles": [route.to_doc() for route in self.routes],
        }


def inference_types(details: Mapping[str, object] | None) -> list[str] | None:
    """GetFoundationModel's ``inferenceTypesSupported`` (strings only), None for no details."""
    if details is None:
        return None
    types = details.get("inferenceTypesSupported")
    return [str(t) for t in types] if isinstance(types, list) else []
