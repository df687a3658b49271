"""``bedrock-profile get ID_OR_ARN...``: GetInferenceProfile for each, printed in argument order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import typer

from bedrock_profile_cli.commands.common import (
    emulator_if_asked,
    multi_region_document,
    parse_all,
    region_choice,
)
from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.options import ALL_REGIONS, IDENTIFIERS, REGIONS, with_common_options

if TYPE_CHECKING:
    from bedrock_profile_cli.aws.operations import Bedrock, ProfileLookup
    from bedrock_profile_cli.identifiers import Identifier

NAME = "get"


@with_common_options
def command(
    run: RunContext,
    identifiers: list[str] = IDENTIFIERS,
    tags: bool = typer.Option(
        False, "--tags", help="Add each profile's tags (application profiles; system-defined ones have none)."
    ),
    with_derived: bool = typer.Option(
        False,
        "--with-derived",
        help="Add what the tool derives for an application profile (its models, the system profile it "
        "was probably copied from) to JSON/YAML under 'derived'; tables always show it.",
    ),
    regions: list[str] = REGIONS,
    all_regions: bool = ALL_REGIONS,
) -> int:
    """Show inference profiles (GetInferenceProfile), as a table, JSON, YAML or text.

    Several identifiers are fetched concurrently and printed in argument order (a JSON array, a YAML
    list, or one table each); failures go to stderr and the exit code is the first failure's.  With
    --regions or --all-regions each is asked in every region (one document: regions, results with
    their source region, skipped regions); an identifier found in none is exit 4.
    """
    from bedrock_profile_cli.aws.operations import Bedrock

    assert run.options is not None
    choice = region_choice(run, regions, all_regions)
    parsed = parse_all(run, identifiers)
    failures: list[BedrockProfileError] = []
    with emulator_if_asked(run):
        bedrock = Bedrock(
            run.options.aws_settings(), run.secrets, pool_size=16 if choice.many else len(parsed)
        )
        bedrock.with_tags = tags
        extras = Extras(bedrock, tags=tags, derived=with_derived or _drawn_as_table(run))
        if choice.many:
            return _get_in_regions(run, bedrock, parsed, choice.regions(bedrock.default_region), extras)
        lookups = bedrock.plan(parsed, run.warn)

        def profiles() -> Iterator[object]:
            for lookup in bedrock.fetch_in_order(lookups):
                if lookup.error is not None:
                    failures.append(lookup.error)
                if lookup.profile is not None:
                    yield extras.document(lookup)
                    lookup.profile = None  # printed: dropped

        if len(identifiers) > 1:
            from bedrock_profile_cli.output.stream import emit_each

            emit_each(run, profiles(), "profile")
        else:
            from bedrock_profile_cli.output import emit

            for profile in profiles():
                emit(run, profile, "profile")
        if failures:
            from bedrock_profile_cli.aws.resolving import improve_not_found_hints

            improve_not_found_hints(
                bedrock,
                [(lookup.identifier, lookup.region, lookup.error) for lookup in lookups if lookup.error],
            )
    for failure in failures:
        run.error(failure)
    return int(failures[0].exit_code) if failures else 0


def _get_in_regions(
    run: RunContext, bedrock: Bedrock, parsed: Sequence[Identifier], regions: list[str], extras: Extras
) -> int:
    """Every identifier in every region: one document, the profiles each with its source region."""
    from bedrock_profile_cli.commands.common import lookups_in_regions
    from bedrock_profile_cli.output import emit

    found, failures, outcome = lookups_in_regions(run, bedrock, parsed, regions)
    results: list[object] = [{"region": lk.region, **extras.document(lk)} for lk in found]
    emit(run, multi_region_document(regions, results, outcome.skipped_docs()), "regional-profiles")
    for failure in failures:
        run.error(failure)
    codes = [outcome.exit_code(), *(f.exit_code for f in failures)]
    return int(next((code for code in codes if code), ExitCode.OK))


def _drawn_as_table(run: RunContext) -> bool:
    """Whether the profiles will be drawn as a table (which shows the derived facts)."""
    from bedrock_profile_cli.output import output_format
    from bedrock_profile_cli.output.formats import TABLES
    from bedrock_profile_cli.output.kinds import KINDS

    return (
        run.options is not None
        and run.options.query is None
        and output_format(run, KINDS["profile"]) in TABLES
    )


class Extras:
    """What ``--tags`` and derived facts add to a profile document (only when asked, so that
    default JSON stays the API's response)."""

    def __init__(self, bedrock: Bedrock, *, tags: bool, derived: bool) -> None:
        self.bedrock, self.tags, self.derived = bedrock, tags, derived
        self._systems: dict[str, list[dict[str, object]]] = {}

    def document(self, lookup: ProfileLookup) -> dict[str, object]:
        doc = dict(lookup.profile or {})
        if self.tags:
            doc["tags"] = dict(lookup.tags or {})
        if self.derived and doc.get("type") == "APPLICATION" and lookup.region:
            from bedrock_profile_cli.tagging import derived

            doc["derived"] = derived(doc, self._system_profiles(lookup.region))
        return doc

    def _system_profiles(self, region: str) -> list[dict[str, object]]:
        """The region's system-defined profiles, listed once (for 'copied from'); none when the
        listing fails: a derived fact is not worth failing the run."""
        if region not in self._systems:
            try:
                self._systems[region] = self.bedrock.list_profiles("SYSTEM_DEFINED", region=region)
            except BedrockProfileError:
                self._systems[region] = []
        return self._systems[region]
