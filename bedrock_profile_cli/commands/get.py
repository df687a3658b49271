"""``bedrock-profile get ID_OR_ARN...``: GetInferenceProfile for each, printed in argument order."""

from __future__ import annotations

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
    from bedrock_profile_cli.aws.operations import get_profiles
    from bedrock_profile_cli.output import emit

    assert run.options is not None
    parsed = parse_all(run, identifiers)
    with emulator_if_asked(run):
        lookups = get_profiles(parsed, run.options.aws_settings(), run.secrets, warn=run.warn)
    profiles = [lookup.profile for lookup in lookups if lookup.profile is not None]
    many = len(identifiers) > 1
    if many or profiles:
        emit(run, profiles if many else profiles[0], "profile")
    failures = [lookup.error for lookup in lookups if lookup.error is not None]
    for failure in failures:
        run.error(failure)
    return int(failures[0].exit_code) if failures else 0
