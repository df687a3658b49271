"""``bedrock-profile resolve MODEL...``: which identifier to call for a model from a source region."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

from bedrock_profile_cli.commands.common import (
    emulator_if_asked,
    multi_region_document,
    parse_all,
    progress,
    region_choice,
)
from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.options import ALL_REGIONS, REGIONS, complete_identifier, with_common_options

if TYPE_CHECKING:
    from bedrock_profile_cli.aws.operations import Bedrock
    from bedrock_profile_cli.identifiers import Identifier
    from bedrock_profile_cli.routing import Resolution

NAME = "resolve"

MODELS = typer.Argument(
    ...,
    metavar="MODEL",
    help="Foundation model IDs or ARNs, or inference profile IDs or ARNs (then: their models).",
    show_default=False,
    autocompletion=complete_identifier,
)


@with_common_options
def command(
    run: RunContext,
    models: list[str] = MODELS,
    regions: list[str] = REGIONS,
    all_regions: bool = ALL_REGIONS,
) -> int:
    """Which identifier to call for a model from a source region: the model itself when the
    region serves it on demand, else the system-defined profile of the region's geography, else the
    global one; with every profile that routes it from there and where each sends it.

    Exit 0 when every model can be called from some region asked, 4 when one cannot be called from
    any (the hint names regions that can, searching the others).
    """
    from bedrock_profile_cli.aws.operations import Bedrock, resolve_region
    from bedrock_profile_cli.aws.regional import RegionalResult, say_problems
    from bedrock_profile_cli.aws.resolving import RegionView, resolve
    from bedrock_profile_cli.identifiers import parse_model_or_profile
    from bedrock_profile_cli.output import emit
    from bedrock_profile_cli.regions import partition_bedrock_regions, partition_of

    assert run.options is not None
    choice = region_choice(run, regions, all_regions)
    parsed = parse_all(run, models, parse_model_or_profile)
    with emulator_if_asked(run):
        bedrock = Bedrock(run.options.aws_settings(), run.secrets, pool_size=16)
        if choice.many:
            groups = {tuple(choice.regions(bedrock.default_region)): parsed}
        else:
            groups = {}
            for ident in parsed:
                region, warning = resolve_region(ident, run.options.region, bedrock.default_region)
                if warning:
                    run.warn(warning)
                if region is None:
                    from bedrock_profile_cli.aws.operations import no_region_error
                    from bedrock_profile_cli.aws.translate import LIST_PROFILES, translate

                    raise translate(no_region_error(), operation=LIST_PROFILES)
                groups.setdefault((region,), []).append(ident)
        resolutions: list[Resolution] = []
        outcome: RegionalResult[RegionView] = RegionalResult(regions=[])
        unresolved: list[BedrockProfileError] = []
        for asked, idents in groups.items():
            partition = partition_bedrock_regions(partition_of(asked[0]))
            with progress(run, f"resolving in {_regions_text(asked)}"):
                found = resolve(bedrock, idents, asked, partition_regions=partition)
            for raw, where in found.found_elsewhere.items():
                shown = ", ".join(where[:5]) + (f" and {len(where) - 5} more" if len(where) > 5 else "")
                run.note(
                    f"{raw} is an inference profile of {shown}, not of {_regions_text(asked)}: "
                    f"resolving its model{'s' if len(found.models_of[raw]) != 1 else ''} "
                    f"{', '.join(found.models_of[raw])}"
                )
            resolutions += found.resolutions
            outcome.regions += found.outcome.regions
            outcome.answers.update(found.outcome.answers)
            outcome.problems += found.outcome.problems
            if found.outcome.answers:
                answered = [r for r in asked if r in found.outcome.answers]
                unresolved += _unresolved(
                    bedrock, idents, found.models_of, found.resolutions, asked, answered
                )
    say_problems(run.warn, run.error, outcome)
    docs: list[object] = [r.to_doc() for r in resolutions]
    if choice.many:
        emit(run, multi_region_document(outcome.regions, docs, outcome.skipped_docs()), "resolutions")
    elif outcome.answers:
        emit(run, docs[0] if len(docs) == 1 else docs, "resolutions")
    for error in unresolved:
        run.error(error)
    codes = [outcome.exit_code(), *(e.exit_code for e in unresolved)]
    return int(next((code for code in codes if code), ExitCode.OK))


def _regions_text(regions: Sequence[str], asked: Sequence[str] | None = None) -> str:
    if len(regions) == 1:
        return regions[0]
    if asked is not None and len(asked) != len(regions):
        return f"any of the {len(regions)} regions that answered"
    return f"any of the {len(regions)} regions asked"


def _unresolved(
    bedrock: Bedrock,
    idents: Sequence[Identifier],
    models_of: dict[str, list[str]],
    resolutions: Sequence[Resolution],
    asked: Sequence[str],
    answered: Sequence[str],
) -> list[BedrockProfileError]:
    """An exit-4 error for each model that cannot be called from any region asked, with a hint from
    a search of the partition's other regions."""
    from bedrock_profile_cli.aws.resolving import resolve
    from bedrock_profile_cli.regions import partition_bedrock_regions, partition_of

    errors = []
    where = _regions_text(answered, asked)
    for ident in idents:
        wanted = models_of.get(ident.raw, [])
        if not wanted:
            errors.append(
                BedrockProfileError(
                    ExitCode.NOT_FOUND,
                    f"no inference profile {ident.raw} in {where}",
                    identifier=ident.raw,
                    hint="an ARN names its region and account: check them, or run "
                    f"`bedrock-profile list -r {ident.region or answered[0]}`",
                )
            )
            continue
        for model in wanted:
            mine = [r for r in resolutions if r.input == ident.raw and r.model == model]
            if any(r.resolved for r in mine):
                continue
            known = any(r.inference_types is not None for r in mine)
            types = sorted({t for r in mine for t in (r.inference_types or [])})
            message = (
                f"cannot be invoked from {where}: not on demand, and no inference profile routes it"
                if known
                else f"no foundation model or inference profile {model} in {where}"
            )
            others = [r for r in partition_bedrock_regions(partition_of(asked[0])) if r not in asked]
            hint = (
                f"check the model ID: `aws bedrock list-foundation-models --region {answered[0]}` lists them"
            )
            provisioned_only = bool(types) and not {"ON_DEMAND", "INFERENCE_PROFILE"} & set(types)
            if others and not provisioned_only:
                from bedrock_profile_cli.aws.resolving import HINT_BUDGET
                from bedrock_profile_cli.identifiers import Identifier

                with bedrock.time_budget(HINT_BUDGET):
                    search = resolve(bedrock, [Identifier(raw=model, is_arn=False)], others)
                callable_from = [r.region for r in search.resolutions if r.resolved]
                if callable_from:
                    hint = (
                        f"it can be called from {', '.join(callable_from)}: "
                        f"`bedrock-profile resolve {model} --regions {','.join(callable_from[:3])}`"
                    )
                elif not search.outcome.problems:
                    hint = f"no other region of the partition can call it either; {hint}"
            if provisioned_only:
                hint = (
                    f"{model} is offered for {', '.join(types)} only (inferenceTypesSupported): "
                    "not callable on demand or through an inference profile"
                )
            errors.append(BedrockProfileError(ExitCode.NOT_FOUND, message, identifier=model, hint=hint))
    return errors
