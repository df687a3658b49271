"""``bedrock-profile snapshot``: the inference profiles of one or more regions as one document to
commit, and compare later with ``diff`` (the document itself: :mod:`bedrock_profile_cli.inventory`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Optional

import typer

from bedrock_profile_cli.commands.common import emulator_if_asked, region_choice
from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.options import ALL_REGIONS, REGIONS, choice, with_common_options
from bedrock_profile_cli.settings import PROFILE_TYPES

if TYPE_CHECKING:
    from bedrock_profile_cli.aws.operations import Bedrock, Profile
    from bedrock_profile_cli.aws.regional import RegionalResult

NAME = "snapshot"


@with_common_options
def command(
    run: RunContext,
    type_: Optional[str] = choice(
        None, "--type", choices=PROFILE_TYPES, help="Only this type (default: both)."
    ),
    tags: bool = typer.Option(
        False,
        "--tags",
        help="Record each application profile's tags too (ListTagsForResource, one call per "
        "application profile).",
    ),
    regions: list[str] = REGIONS,
    all_regions: bool = ALL_REGIONS,
) -> int:
    """Write the inference profiles as one JSON document to commit and compare later with diff.

    Per source region (the default region, or --regions / --all-regions) every profile's type,
    status, name, models and destination regions (and tags, with --tags), sorted so that two
    snapshots diff cleanly.  Regions that refuse the caller are recorded as skipped.  JSON unless
    -o says otherwise, on a terminal too.
    """
    from bedrock_profile_cli.aws.operations import Bedrock
    from bedrock_profile_cli.aws.regional import say_problems
    from bedrock_profile_cli.aws.translate import LIST_PROFILES
    from bedrock_profile_cli.output import emit

    assert run.options is not None
    chosen = region_choice(run, regions, all_regions)
    with emulator_if_asked(run):
        bedrock = Bedrock(run.options.aws_settings(), run.secrets, pool_size=16)
        if chosen.many:
            asked = chosen.regions(bedrock.default_region)
        else:
            bedrock.region_client(None, LIST_PROFILES)  # no default region: exit 9, as list says it
            asked = [str(bedrock.default_region)]
        document, outcome = take(bedrock, asked, type_, tags)
    say_problems(run.warn, run.error, outcome)
    emit(run, document, "snapshot")
    return int(outcome.exit_code())


def take(
    bedrock: Bedrock, regions: Sequence[str], type_: str | None, with_tags: bool
) -> tuple[dict[str, object], RegionalResult[list[Profile]]]:
    """The snapshot of ``regions`` (concurrently) and each region's outcome.  A region that refuses
    ListInferenceProfiles is skipped; one where a ListTagsForResource fails after the listing
    answered is a failure (recorded under ``skipped`` all the same: its tags are unknown)."""
    from datetime import datetime, timezone

    from bedrock_profile_cli.aws.regional import RegionProblem, across
    from bedrock_profile_cli.inventory import build_snapshot

    taken_at = datetime.now(timezone.utc)
    outcome = across(regions, lambda region: bedrock.list_profiles(type_, region=region))
    tags: dict[str, list[dict[str, str]]] = {}
    if with_tags:
        answered = [region for region in regions if region in outcome.answers]
        tagged = across(
            answered,
            lambda region: bedrock.tags_of([(region, profile) for profile in outcome.answers[region]]),
        )
        for problem in tagged.problems:
            del outcome.answers[problem.region]
            outcome.problems.append(RegionProblem(problem.region, problem.error, may_be_refusal=False))
        tags = tagged.answers
    found = {
        region: [
            (summary, tags[region][i] if with_tags and summary.get("type") == "APPLICATION" else None)
            for i, summary in enumerate(summaries)
        ]
        for region, summaries in outcome.answers.items()
    }
    document = build_snapshot(
        found, outcome.skipped_docs(), profile_type=type_, with_tags=with_tags, taken_at=taken_at
    )
    return document, outcome
