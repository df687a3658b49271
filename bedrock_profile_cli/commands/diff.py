"""``bedrock-profile diff OLD [NEW]``: what changed between two snapshots, or between one and the
account now (the comparison itself: :mod:`bedrock_profile_cli.inventory`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import typer

from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.options import choice, with_common_options
from bedrock_profile_cli.settings import DIFF_FIELDS

if TYPE_CHECKING:
    from bedrock_profile_cli.inventory import Snapshot

NAME = "diff"
LIVE = "live"  # how the account now is named in the lines people read
# Far above any snapshot (every region's ~130 profiles are a few MB): a runaway file is refused.
MAX_SNAPSHOT_CHARS = 64 * 1024 * 1024


@with_common_options
def command(
    run: RunContext,
    old: str = typer.Argument(
        ..., metavar="OLD", help="A snapshot file ('-': standard input).", show_default=False
    ),
    new: Optional[str] = typer.Argument(
        None,
        metavar="[NEW]",
        help="A second snapshot file ('-': standard input); without it, the account now, in the "
        "regions OLD covers, with OLD's --type and --tags.",
        show_default=False,
    ),
    ignore: list[str] = choice(
        [], "--ignore", choices=DIFF_FIELDS, help="Leave this out of the comparison (repeatable)."
    ),
) -> int:
    """Compare a snapshot with another one, or with the account now: profiles added and removed
    per region, and for the others what changed (status, name, models, destination regions, tags).

    Exit 0 when nothing changed, 3 when something did.  A region skipped in either, or covered by
    only one, is not compared (said on stderr), never reported as removals.
    """
    from bedrock_profile_cli.inventory import compare, summary_line
    from bedrock_profile_cli.output import emit

    assert run.options is not None
    if old == "-" and new == "-":
        raise BedrockProfileError(ExitCode.USAGE, "OLD and NEW cannot both be - (standard input)")
    before = _read(run, old)
    code = ExitCode.OK
    if new is not None:
        after = _read(run, new)
    else:
        after, code = _live(run, before)
    comparison = compare(before, after, ignore)
    for warning in comparison.warnings:
        run.warn(warning)
    by_reason: dict[str, list[str]] = {}
    for region, why in comparison.not_compared.items():
        by_reason.setdefault(why, []).append(region)
    for why, regions in by_reason.items():
        run.warn(f"not compared ({why}): {', '.join(regions)}")
    emit(run, comparison.changes, "changes")
    if comparison.compared or not code:  # no "no changes" when the account could not be asked
        run.note(summary_line(comparison))
    if code:
        return int(code)
    return int(ExitCode.CHECK_FAILED if comparison.changes else ExitCode.OK)


def _read(run: RunContext, name: str) -> Snapshot:
    """The snapshot in the file ``name`` (``-``: standard input); exit 2 naming it when it cannot be
    read or is not a snapshot."""
    from bedrock_profile_cli.commands.common import read_input
    from bedrock_profile_cli.inventory import parse_snapshot

    text, shown = read_input(run, name, MAX_SNAPSHOT_CHARS)
    return parse_snapshot(text, shown)


def _live(run: RunContext, before: Snapshot) -> tuple[Snapshot, ExitCode]:
    """The account now, as a snapshot of exactly the regions ``before`` covers, taken as it was
    (its --type and --tags); and the exit code of the regions' failures (0 when none failed)."""
    from bedrock_profile_cli.aws.operations import Bedrock
    from bedrock_profile_cli.aws.regional import say_problems
    from bedrock_profile_cli.commands.common import emulator_if_asked
    from bedrock_profile_cli.commands.snapshot import take
    from bedrock_profile_cli.inventory import snapshot_of
    from bedrock_profile_cli.regions import check_region

    assert run.options is not None
    regions = [check_region(region, f"{before.name}: region") for region in before.covered]
    if run.options.region:
        run.warn(f"--region is ignored: diff asks the regions {before.name} covers")
    with emulator_if_asked(run):
        bedrock = Bedrock(run.options.aws_settings(), run.secrets, pool_size=16)
        document, outcome = take(bedrock, regions, before.profile_type, before.with_tags)
    # Skipped regions are said as "not compared"; failures as errors (and their exit code).
    say_problems(lambda text: None, run.error, outcome)
    return snapshot_of(document, LIVE), outcome.exit_code()
