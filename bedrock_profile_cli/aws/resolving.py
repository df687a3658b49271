"""``resolve``'s calls: in each source region, every inference profile (both types, all pages) and
GetFoundationModel of each model asked, then :mod:`bedrock_profile_cli.routing` decides.  Also the
searches behind the hints of ``get`` and ``check`` when an identifier is not found: a foundation
model ID given as a profile, or a system-defined profile not offered from the asked region.

Calls per source region: the profile pages, plus one GetFoundationModel per model (a second round
only for the models of profiles given as input).  Regions run concurrently (:mod:`.regional`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bedrock_profile_cli.aws.operations import Bedrock, Profile, ProfileLookup
from bedrock_profile_cli.aws.regional import RegionalResult, across
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.identifiers import MODEL_RESOURCE_TYPE, Identifier
from bedrock_profile_cli.routing import Resolution, inference_types, model_ids, routes
from bedrock_profile_cli.settings import PROFILE_TYPES

LOG = logging.getLogger("bedrock_profile_cli")
PROG = "bedrock-profile"
# The extra calls behind a better hint stop after this long (a firewall that drops other regions'
# traffic must not turn a quick failure into a slow one); then the usual hint stays.
HINT_BUDGET = 5.0


@dataclass
class RegionView:
    """What one source region says: its profiles (both types) and the models looked up there."""

    region: str
    summaries: list[Profile]
    models: dict[str, Profile | None] = field(default_factory=dict)  # None: no such model there

    def profile_named(self, ident: Identifier) -> Profile | None:
        for summary in self.summaries:
            if ident.raw in (summary.get("inferenceProfileId"), summary.get("inferenceProfileArn")):
                return summary
        return None


def _model_candidate(ident: Identifier) -> str | None:
    """The model ID to look up for an input before knowing what it is (None: a profile ARN)."""
    if ident.resource_type == MODEL_RESOURCE_TYPE:
        return ident.resource_id
    return None if ident.is_arn else ident.raw


def _look_up_models(bedrock: Bedrock, view: RegionView, wanted: Sequence[str]) -> None:
    missing = [m for m in dict.fromkeys(wanted) if m not in view.models]
    if not missing:
        return
    found = bedrock.in_threads(
        [functools.partial(bedrock.get_foundation_model, model, view.region) for model in missing]
    )
    view.models.update(zip(missing, found, strict=True))


def _first_round(bedrock: Bedrock, idents: Sequence[Identifier], region: str) -> RegionView:
    """The region's profiles and, at the same time, each input that may be a model."""
    candidates = list(dict.fromkeys(c for c in map(_model_candidate, idents) if c))
    # Both types side by side (the unfiltered list is SYSTEM_DEFINED only), in one pool with the models.
    calls: list[Callable[[], object]] = [
        functools.partial(bedrock.list_profiles, kind, region=region) for kind in PROFILE_TYPES
    ]
    calls += [functools.partial(bedrock.get_foundation_model, model, region) for model in candidates]
    results = bedrock.in_threads(calls)
    kinds = len(PROFILE_TYPES)
    summaries = [summary for listing in results[:kinds] for summary in listing]  # type: ignore[attr-defined]
    details = results[kinds:]
    view = RegionView(region, summaries)
    view.models.update(zip(candidates, details, strict=True))  # type: ignore[arg-type]
    return view


@dataclass
class Resolved:
    """``resolve``'s answer: a resolution per input x model x answering region, the models each
    input stands for, where an input unknown in the regions asked was found as a profile, and the
    regions' problems."""

    resolutions: list[Resolution]
    models_of: dict[str, list[str]]
    outcome: RegionalResult[RegionView]
    found_elsewhere: dict[str, list[str]] = field(default_factory=dict)


def profile_elsewhere(bedrock: Bedrock, profile_id: str, regions: Sequence[str]) -> dict[str, Profile]:
    """GetInferenceProfile of ``profile_id`` in each of ``regions`` (concurrently): the regions
    that offer it, with the profile as each routes it.  A region that fails is left out."""

    def offered(region: str) -> Profile | None:
        lookup = ProfileLookup(Identifier(raw=profile_id, is_arn=False), region=region)
        bedrock.fetch([lookup])
        if lookup.error is not None and lookup.error.exit_code != ExitCode.NOT_FOUND:
            raise lookup.error
        return lookup.profile

    where = across(regions, offered)
    return {r: p for r in regions if (p := where.answers.get(r)) is not None}


def resolve(
    bedrock: Bedrock,
    idents: Sequence[Identifier],
    regions: Sequence[str],
    *,
    partition_regions: Sequence[str] = (),
) -> Resolved:
    """Resolve every input in every region.  An input that is neither a model nor a profile in
    any region asked is looked for as a profile in the other ``partition_regions``: found there,
    it stands for its models (``us.`` profile asked from an ``eu-`` region: what routes its model
    there)."""
    outcome = across(regions, functools.partial(_first_round, bedrock, idents))
    views = [outcome.answers[r] for r in regions if r in outcome.answers]
    models_of: dict[str, list[str]] = {}
    found_elsewhere: dict[str, list[str]] = {}
    for ident in idents:
        if ident.resource_type == MODEL_RESOURCE_TYPE:
            models_of[ident.raw] = [ident.resource_id]
            continue
        found: list[str] = []
        for view in views:
            summary = view.profile_named(ident)
            if summary is not None:
                found += model_ids(summary)
        if not found and not ident.is_arn and views:
            is_model = any(view.models.get(ident.raw) is not None for view in views)
            others = [r for r in partition_regions if r not in regions]
            if not is_model and others:  # a profile of other regions (an application one: of one)
                elsewhere = profile_elsewhere(bedrock, ident.raw, others)
                if elsewhere:
                    found_elsewhere[ident.raw] = list(elsewhere)
                    found = [m for profile in elsewhere.values() for m in model_ids(profile)]
        if found:
            models_of[ident.raw] = list(dict.fromkeys(found))
        else:  # a model ID (or nothing at all); a profile ARN found nowhere stands for no model
            models_of[ident.raw] = [] if ident.is_arn else [ident.raw]
    wanted = [m for models in models_of.values() for m in models]
    second = across(
        [v.region for v in views], lambda region: _look_up_models(bedrock, _view(views, region), wanted)
    )
    for problem in second.problems:  # a region that failed the second round fails the run
        outcome.answers.pop(problem.region, None)
        outcome.problems.append(problem)
    resolutions = []
    for ident in idents:
        for model in models_of[ident.raw]:
            for view in views:
                if view.region not in outcome.answers:
                    continue
                resolutions.append(
                    Resolution(
                        model=model,
                        region=view.region,
                        input=ident.raw,
                        inference_types=inference_types(view.models.get(model)),
                        routes=routes(view.summaries, model),
                    )
                )
    return Resolved(resolutions, models_of, outcome, found_elsewhere)


def _view(views: Sequence[RegionView], region: str) -> RegionView:
    return next(view for view in views if view.region == region)


# --- hints for an identifier that is not found ---------------------------------------------------------


def _call_hint(resolution: Resolution) -> str:
    model, region = resolution.model, resolution.region
    see = f"see `{PROG} resolve {model} -r {region}`"
    if resolution.on_demand:
        return f"{region} serves {model} on demand: call the model ID itself, or {see}"
    if resolution.recommended:
        return f"from {region} call it through {resolution.recommended} ({see})"
    if resolution.routes:
        names = ", ".join(route.profile_id for route in resolution.routes)
        return f"from {region} only application profiles route it: {names} ({see})"
    return f"no inference profile routes it from {region}; `{PROG} resolve {model} --all-regions` shows where"


def not_found_hint(
    bedrock: Bedrock, ident: Identifier, region: str, partition_regions: Sequence[str]
) -> str | None:
    """A better hint for ``ident`` not found in ``region``, from extra calls, or None:

    - a foundation model ID: what to call instead, from that region;
    - a system-defined profile ID offered from other regions: the regions that offer it, and the
      profile that routes its model from ``region``.
    Any failure on the way means no better hint (the original one stays)."""
    if ident.is_arn and ident.resource_type != "inference-profile":
        return None
    profile_id = ident.profile_id
    try:
        if ident.is_arn and ident.account:  # the ID may be there, under another account
            lookup = ProfileLookup(Identifier(raw=profile_id, is_arn=False), region=region)
            bedrock.fetch([lookup])
            arn = str((lookup.profile or {}).get("inferenceProfileArn", ""))
            if lookup.profile is not None and arn.split(":")[4:5] != [ident.account]:
                return (
                    f"{profile_id} exists in {region} as {arn}: the ARN given names account "
                    f"{ident.account}; check the account (--profile) or give the ID alone"
                )
        view = _first_round(bedrock, [Identifier(raw=profile_id, is_arn=False)], region)
        if view.models.get(profile_id) is not None:
            found = Resolution(
                model=profile_id,
                region=region,
                input=ident.raw,
                inference_types=inference_types(view.models[profile_id]),
                routes=routes(view.summaries, profile_id),
            )
            return f"{profile_id} is a foundation model ID, not an inference profile; {_call_hint(found)}"
        if "." not in profile_id:
            return None  # an application profile ID: its region and account are all there is to say
        others = [r for r in partition_regions if r != region]
        offering = profile_elsewhere(bedrock, profile_id, others)
        if not offering:
            return None
        names = ", ".join(r for r in others if r in offering)
        said = f"{profile_id} is not offered from {region}; it is from {names}"
        models = list(dict.fromkeys(m for p in offering.values() for m in model_ids(p)))
        _look_up_models(bedrock, view, models)
        calls = []
        for model in models:
            resolution = Resolution(
                model=model,
                region=region,
                input=ident.raw,
                inference_types=inference_types(view.models.get(model)),
                routes=routes(view.summaries, model),
            )
            if resolution.recommended and resolution.recommended != profile_id:
                calls.append(f"{resolution.recommended} for {model}")
        if calls:
            see = f"see `{PROG} resolve {models[0]} -r {region}`"
            return f"{said}; from {region} call {', '.join(calls)} ({see})"
        return f"{said}; no system-defined profile routes its model from {region}"
    except BedrockProfileError:
        LOG.debug("searching for a better hint for %s failed", ident.raw, exc_info=True)
        return None


def improve_not_found_hints(
    bedrock: Bedrock, errors: Sequence[tuple[Identifier, str | None, BedrockProfileError]], limit: int = 8
) -> None:
    """Replace the hint of each not-found error (at most ``limit`` distinct identifiers, searched
    concurrently) with what :func:`not_found_hint` finds."""
    from bedrock_profile_cli.regions import partition_bedrock_regions, partition_of

    chosen = [
        (ident, region, error)
        for ident, region, error in errors
        if region and error.exit_code == ExitCode.NOT_FOUND and error.aws_code == "ResourceNotFoundException"
    ][:limit]
    if not chosen:
        return

    def search(item: tuple[Identifier, str | None, BedrockProfileError]) -> None:
        ident, region, error = item
        assert region is not None
        hint = not_found_hint(bedrock, ident, region, partition_bedrock_regions(partition_of(region)))
        if hint:
            error.hint = hint

    with bedrock.time_budget(HINT_BUDGET):
        bedrock.in_threads([functools.partial(search, item) for item in chosen])
