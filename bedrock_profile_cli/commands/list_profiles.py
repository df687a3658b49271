"""``bedrock-profile list``: every page of ListInferenceProfiles, both types unless one is asked."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Optional

import typer

from bedrock_profile_cli.commands.common import (
    emulator_if_asked,
    multi_region_document,
    progress,
    region_choice,
)
from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.options import ALL_REGIONS, REGIONS, choice, with_common_options
from bedrock_profile_cli.settings import PROFILE_TYPES

if TYPE_CHECKING:
    from bedrock_profile_cli.aws.operations import Bedrock
    from bedrock_profile_cli.commands.common import RegionChoice
    from bedrock_profile_cli.tagging import TagSpec

NAME = "list"


@with_common_options
def command(
    run: RunContext,
    type_: Optional[str] = choice(
        None, "--type", choices=PROFILE_TYPES, help="Only this type (filtered by the service)."
    ),
    model: Optional[str] = typer.Option(
        None, "--model", metavar="SUBSTRING", help="Only profiles with a model ID containing this."
    ),
    max_items: Optional[int] = typer.Option(None, "--max-items", min=1, help="Print at most N profiles."),
    page_size: Optional[int] = typer.Option(
        None, "--page-size", min=1, max=1000, help="Profiles per request (maxResults)."
    ),
    tag: list[str] = typer.Option(
        [],
        "--tag",
        metavar="KEY[=VALUE]",
        help="Only application profiles with this tag (and value); repeatable, all must match.",
    ),
    regions: list[str] = REGIONS,
    all_regions: bool = ALL_REGIONS,
) -> int:
    """List inference profiles (ListInferenceProfiles), all pages.

    With no --type both kinds are listed: the service's unfiltered call returns only SYSTEM_DEFINED.
    With --regions or --all-regions every region is listed (one document: regions, results each with
    its source region, skipped regions); the table is a matrix of profiles by source region.
    """
    from bedrock_profile_cli.aws.operations import Bedrock
    from bedrock_profile_cli.identifiers import model_arns, parse_model_arn
    from bedrock_profile_cli.output import emit
    from bedrock_profile_cli.tagging import parse_tag_spec

    assert run.options is not None

    def has_model(summary: Mapping[str, object]) -> bool:
        return any(model in parse_model_arn(arn)[1] for arn in model_arns(summary)) if model else True

    choice_ = region_choice(run, regions, all_regions)
    specs = [parse_tag_spec(text) for text in tag]
    if specs:
        if type_ == "SYSTEM_DEFINED":
            raise BedrockProfileError(
                ExitCode.USAGE,
                "--tag with --type SYSTEM_DEFINED: system-defined profiles carry no tags",
                hint="drop --type, or use --type APPLICATION",
            )
        type_ = "APPLICATION"  # only application profiles carry tags
    if choice_.many:
        return _list_in_regions(
            run, choice_, type_, page_size, has_model if model else None, max_items, specs
        )
    where = run.options.region or "the default region"
    with emulator_if_asked(run), progress(run, f"listing inference profiles in {where}") as tick:
        bedrock = Bedrock(run.options.aws_settings(), run.secrets, pool_size=16 if specs else 2)
        summaries = bedrock.list_profiles(
            type_,
            page_size=page_size,
            on_page=tick,
            keep=has_model if model else None,
            max_items=None if specs else max_items,
        )
        if specs:
            summaries = _tagged(bedrock, str(bedrock.default_region), summaries, specs, max_items)
    if not model and not specs and max_items is None and not run.options.emulator:
        from bedrock_profile_cli.completion import remember

        remember(summaries, bedrock.default_region)  # what TAB offers for get/check
    if not summaries:
        filters = [
            f"type {type_}" if type_ else "",
            f"model containing {model!r}" if model else "",
            *(f"tag {spec}" for spec in specs),
        ]
        said = ", ".join(f for f in filters if f)
        run.note(f"no inference profile{' with ' + said if said else ''} in {bedrock.default_region}")
    emit(run, summaries, "profile-summaries")
    return 0


def _list_in_regions(
    run: RunContext,
    choice_: RegionChoice,
    type_: str | None,
    page_size: int | None,
    keep: Callable[[Mapping[str, object]], bool] | None,
    max_items: int | None,
    specs: Sequence[TagSpec] = (),
) -> int:
    """Every region's profiles, concurrently: one document, each summary with its source region."""
    import threading

    from bedrock_profile_cli.aws.operations import Bedrock
    from bedrock_profile_cli.aws.regional import across, say_problems
    from bedrock_profile_cli.output import emit

    assert run.options is not None
    with emulator_if_asked(run):
        bedrock = Bedrock(run.options.aws_settings(), run.secrets, pool_size=16)
        regions = choice_.regions(bedrock.default_region)
        counts: dict[str, int] = {}
        lock = threading.Lock()
        with progress(run, f"listing inference profiles in {len(regions)} regions") as tick:

            def one(region: str) -> list[dict[str, object]]:
                def counted(count: int) -> None:
                    with lock:
                        counts[region] = count
                        tick(sum(counts.values()))

                found = bedrock.list_profiles(
                    type_,
                    region=region,
                    page_size=page_size,
                    on_page=counted,
                    keep=keep,
                    max_items=None if specs else max_items,
                )
                return _tagged(bedrock, region, found, specs, max_items) if specs else found

            outcome = across(regions, one)
    say_problems(run.warn, run.error, outcome)
    results: list[object] = [
        {"region": region, **summary} for region in regions for summary in outcome.answers.get(region, [])
    ]
    if max_items is not None:
        results = results[:max_items]
    if outcome.answers and not results:
        run.note(f"no inference profile matched in the {len(outcome.answers)} regions that answered")
    emit(run, multi_region_document(regions, results, outcome.skipped_docs()), "regional-summaries")
    return int(outcome.exit_code())


def _tagged(
    bedrock: Bedrock,
    region: str,
    summaries: list[dict[str, object]],
    specs: Sequence[TagSpec],
    max_items: int | None,
) -> list[dict[str, object]]:
    """The summaries whose tags (ListTagsForResource, concurrently) match every spec, each with its
    ``tags`` added."""
    from bedrock_profile_cli.tagging import all_match

    tags = bedrock.tags_of([(region, summary) for summary in summaries])
    kept = [{**s, "tags": t} for s, t in zip(summaries, tags, strict=True) if all_match(specs, t)]
    return kept if max_items is None else kept[:max_items]
