"""``bedrock-profile get ID_OR_ARN...``: GetInferenceProfile for each, printed in argument order."""

from __future__ import annotations

from collections.abc import Iterator

from bedrock_profile_cli.commands.common import emulator_if_asked, parse_all
from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.options import IDENTIFIERS, with_common_options

NAME = "get"


@with_common_options
def command(run: RunContext, identifiers: list[str] = IDENTIFIERS) -> int:
    """Show inference profiles (GetInferenceProfile), as a table, JSON, YAML or text.

    Several identifiers are fetched concurrently and printed in argument order (a JSON array, a YAML
    list, or one table each); failures go to stderr and the exit code is the first failure's.
    """
    from bedrock_profile_cli.aws.operations import Bedrock

    assert run.options is not None
    parsed = parse_all(run, identifiers)
    failures = []
    with emulator_if_asked(run):
        bedrock = Bedrock(run.options.aws_settings(), run.secrets, pool_size=len(parsed))
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
    for failure in failures:
        run.error(failure)
    return int(failures[0].exit_code) if failures else 0
