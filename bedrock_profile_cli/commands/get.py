"""``bedrock-profile get ID_OR_ARN...``: GetInferenceProfile for each, printed in argument order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

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
    from bedrock_profile_cli.aws.operations import Bedrock
    from bedrock_profile_cli.identifiers import Identifier

NAME = "get"


@with_common_options
def command(
    run: RunContext,
    identifiers: list[str] = IDENTIFIERS,
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
        if choice.many:
            return _get_in_regions(run, bedrock, parsed, choice.regions(bedrock.default_region))
        lookups = bedrock.plan(parsed, run.warn)

        def profiles() -> Iterator[object]:
            for lookup in bedrock.fetch_in_order(lookups):
                if lookup.error is not None:
                    failures.append(lookup.error)
                if lookup.profile is not None:
                    yield lookup.profile
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
    run: RunContext, bedrock: Bedrock, parsed: Sequence[Identifier], regions: list[str]
) -> int:
    """Every identifier in every region: one document, the profiles each with its source region."""
    from bedrock_profile_cli.commands.common import lookups_in_regions
    from bedrock_profile_cli.output import emit

    found, failures, outcome = lookups_in_regions(run, bedrock, parsed, regions)
    results: list[object] = [{"region": lk.region, **(lk.profile or {})} for lk in found]
    emit(run, multi_region_document(regions, results, outcome.skipped_docs()), "regional-profiles")
    for failure in failures:
        run.error(failure)
    codes = [outcome.exit_code(), *(f.exit_code for f in failures)]
    return int(next((code for code in codes if code), ExitCode.OK))
