"""``bedrock-profile check ID_OR_ARN...``: assert expectations, optionally waiting until they hold."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Optional

import typer

from bedrock_profile_cli.commands.common import (
    emulator_if_asked,
    multi_region_document,
    parse_all,
    region_choice,
)
from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.errors import ExitCode
from bedrock_profile_cli.options import (
    ALL_REGIONS,
    IDENTIFIERS,
    REGIONS,
    choice,
    seconds,
    with_common_options,
)
from bedrock_profile_cli.settings import PROFILE_STATUSES, PROFILE_TYPES

if TYPE_CHECKING:
    from bedrock_profile_cli.expectations import CheckResult

NAME = "check"


@with_common_options
def command(
    run: RunContext,
    identifiers: list[str] = IDENTIFIERS,
    status: str = choice("ACTIVE", "--status", choices=PROFILE_STATUSES, help="Expected status."),
    type_: Optional[str] = choice(None, "--type", choices=PROFILE_TYPES, help="Expected type."),
    model: list[str] = typer.Option(
        [], "--model", metavar="MODEL", help="Routes to this model (ID or ARN); repeatable."
    ),
    in_region: list[str] = typer.Option(
        [], "--in-region", metavar="REGION", help="Some model is served in this region; repeatable."
    ),
    wait: bool = typer.Option(
        False, "--wait", help="Poll until the expectations hold (not found = not yet)."
    ),
    timeout: float = seconds(300, "--timeout", low=0, high=7 * 86400, help="Give up waiting after this."),
    interval: float = seconds(5, "--interval", low=0.1, high=3600, help="Time between polls (jittered)."),
    tag: list[str] = typer.Option(
        [], "--tag", metavar="KEY[=VALUE]", help="Carries this tag (and value); repeatable."
    ),
    iam_policy: list[str] = typer.Option(
        [],
        "--iam-policy",
        metavar="FILE",
        help="These IAM policy documents must allow invoking each profile from its region ('-': "
        "stdin); repeatable.",
    ),
    regions: list[str] = REGIONS,
    all_regions: bool = ALL_REGIONS,
) -> int:
    """Assert that inference profiles meet expectations: exit 0 if all do, 3 if any does not.

    Lookup errors keep their own exit codes (a missing profile is 4), except that with --wait a
    profile that is not found yet is waited for, and a timeout is 3.  With --regions or
    --all-regions every profile is asserted in every region (one result per profile and region);
    regions that refuse the caller are skipped.
    """
    from bedrock_profile_cli import expectations
    from bedrock_profile_cli.aws.operations import Bedrock, ProfileLookup
    from bedrock_profile_cli.identifiers import check_model
    from bedrock_profile_cli.output import emit
    from bedrock_profile_cli.regions import check_region

    assert run.options is not None
    for region in in_region:
        check_region(region, "--in-region")  # a typo fails now, not after the whole --timeout
    for value in model:
        check_model(value, "--model")
    from bedrock_profile_cli.commands.common import read_policies
    from bedrock_profile_cli.tagging import parse_tag_spec

    expect = expectations.Expectations(
        status=status,
        type=type_,
        models=tuple(model),
        in_regions=tuple(in_region),
        policies=read_policies(run, iam_policy),  # a bad file fails now, before any request
        tags=tuple(parse_tag_spec(text) for text in tag),
    )
    choice_ = region_choice(run, regions, all_regions)
    parsed = parse_all(run, identifiers)
    with emulator_if_asked(run):
        deadline = time.monotonic() + timeout if wait else None
        pool_size = 16 if choice_.many else len(parsed)
        bedrock = Bedrock(run.options.aws_settings(), run.secrets, pool_size=pool_size, deadline=deadline)
        bedrock.with_tags = bool(expect.tags)
        if choice_.many:
            asked = choice_.regions(bedrock.default_region)
            lookups = [ProfileLookup(identifier=i, region=r) for i in parsed for r in asked]
        else:
            lookups = bedrock.plan(parsed, run.warn)

        def lookup(indexes: Sequence[int]) -> list[CheckResult]:
            chosen = [lookups[i] for i in indexes]
            bedrock.fetch(chosen)
            results = [
                expectations.from_lookup(o.identifier.raw, o.profile, o.error, expect, o.region, o.tags)
                for o in chosen
            ]
            if choice_.many:
                for result, looked_up in zip(results, chosen, strict=True):
                    result.region = looked_up.region
            return results

        if wait:
            run.note(f"waiting up to {timeout:g}s for {len(parsed)} inference profile(s)")
            results = expectations.wait_until(
                lookup, len(lookups), timeout=timeout, interval=interval, deadline=deadline
            )
        else:
            results = lookup(range(len(lookups)))
        if not choice_.many:
            from bedrock_profile_cli.aws.resolving import improve_not_found_hints

            improve_not_found_hints(
                bedrock,
                [
                    (lk.identifier, lk.region, r.error)
                    for lk, r in zip(lookups, results, strict=True)
                    if r.error and not r.timed_out  # no call once --timeout is over
                ],
            )
    if choice_.many:
        return _finish_in_regions(run, asked, results)
    _say_results(run, results)
    docs = [r.to_doc() for r in results]
    emit(run, docs if len(docs) > 1 else docs[0], "check-results")
    failed = [r for r in results if not r.passed]
    return int(failed[0].exit_code) if failed else 0


def _finish_in_regions(run: RunContext, asked: list[str], results: list[CheckResult]) -> int:
    """Skip the regions where every lookup was refused; the rest are asserted region by region."""
    from bedrock_profile_cli.aws.regional import outcome_of, refused, say_problems
    from bedrock_profile_cli.output import emit

    # Only a region that refused every lookup is skipped: any other failure fails its assertion.
    outcome = outcome_of(
        asked, {region: [r.error for r in results if r.region == region] for region in asked}, refused
    )
    say_problems(run.warn, run.error, outcome)
    kept = [r for r in results if r.region in outcome.answers]
    for result in kept:
        if result.error is not None:
            result.error.identifier = result.label
    _say_results(run, kept)
    emit(
        run, multi_region_document(asked, [r.to_doc() for r in kept], outcome.skipped_docs()), "check-results"
    )
    failed = [r for r in kept if not r.passed]
    codes = [outcome.exit_code(), *(r.exit_code for r in failed)]
    return int(next((code for code in codes if code), ExitCode.OK))


def _say_results(run: RunContext, results: Sequence[CheckResult]) -> None:
    """The human result, on stderr: a tick or a cross per profile, and GitHub annotations."""
    from bedrock_profile_cli.expectations import github_annotation

    tick, cross = ("✓", "✗") if run.stderr_is_utf8() else ("ok", "FAIL")
    # Workflow commands for GitHub's log; with --error-format json every stderr line is JSON instead.
    annotate = run.env.get("GITHUB_ACTIONS") == "true" and run.error_format != "json"
    for result in results:
        if result.passed:
            met = ", ".join(f"{e.name} {e.expected}" for e in result.expectations)
            run.note(f"{tick} {result.label}: {met}")
            continue
        if result.error is not None and not result.timed_out:
            run.error(result.error)
        else:
            run.note(f"{cross} {result.label}: " + "; ".join(result.failures()))
        if annotate:
            run.workflow_command(run.redact(github_annotation(result)))
