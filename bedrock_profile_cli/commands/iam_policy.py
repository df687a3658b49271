"""``bedrock-profile iam-policy ID_OR_ARN...``: the least-privilege IAM policy for calling them."""

from __future__ import annotations

import json

import typer

from bedrock_profile_cli.commands.common import emulator_if_asked, parse_all, region_choice
from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.options import ALL_REGIONS, IDENTIFIERS, REGIONS, with_common_options

NAME = "iam-policy"


@with_common_options
def command(
    run: RunContext,
    identifiers: list[str] = IDENTIFIERS,
    only_via_profile: bool = typer.Option(
        False,
        "--only-via-profile",
        help="Allow the foundation models only through these profiles (condition on "
        "bedrock:InferenceProfileArn), never by direct calls.",
    ),
    scp_regions: bool = typer.Option(
        False,
        "--scp-regions",
        help="Print instead the aws:RequestedRegion values a region-deny SCP must allow for these "
        "profiles (their source and destination regions; 'unspecified' for a global profile).",
    ),
    regions: list[str] = REGIONS,
    all_regions: bool = ALL_REGIONS,
) -> int:
    """Print the identity-based IAM policy that allows bedrock:InvokeModel and
    bedrock:InvokeModelWithResponseStream (Converse and ConverseStream too) through these inference
    profiles from their source regions: each profile, and the foundation model in every region the
    profile routes to from there (GetInferenceProfile's models), as the live service says.

    Nothing is printed unless every profile was found: a policy missing one would fail at run time.
    """
    from bedrock_profile_cli.aws.operations import Bedrock
    from bedrock_profile_cli.output import emit
    from bedrock_profile_cli.permissions import Routing, policy
    from bedrock_profile_cli.permissions import scp_regions as regions_for_scp

    assert run.options is not None
    if scp_regions and only_via_profile:
        raise BedrockProfileError(
            ExitCode.USAGE,
            "--scp-regions and --only-via-profile cannot be used together",
            hint="--scp-regions prints regions, not a policy",
        )
    choice = region_choice(run, regions, all_regions)
    parsed = parse_all(run, identifiers)
    failures: list[BedrockProfileError] = []
    code = ExitCode.OK
    with emulator_if_asked(run):
        bedrock = Bedrock(
            run.options.aws_settings(), run.secrets, pool_size=16 if choice.many else len(parsed)
        )
        if choice.many:
            from bedrock_profile_cli.commands.common import lookups_in_regions

            asked = choice.regions(bedrock.default_region)
            found, failures, outcome = lookups_in_regions(run, bedrock, parsed, asked)
            code = outcome.exit_code()
            named_but_skipped = [p.region for p in outcome.skipped] if choice.names else []
            if named_but_skipped and not code:
                # Regions named one by one are part of the policy asked for: without them it is
                # not that policy (--all-regions skips the opt-in regions an account lacks).
                run.note(f"no policy printed: {', '.join(named_but_skipped)} did not answer")
                code = outcome.skipped[0].error.exit_code
        else:
            lookups = bedrock.plan(parsed, run.warn)
            bedrock.fetch(lookups)
            found = [lk for lk in lookups if lk.profile is not None]
            failures = [lk.error for lk in lookups if lk.error is not None]
            if failures:
                from bedrock_profile_cli.aws.resolving import improve_not_found_hints

                improve_not_found_hints(
                    bedrock, [(lk.identifier, lk.region, lk.error) for lk in lookups if lk.error]
                )
    for failure in failures:
        run.error(failure)
    if failures or code or not found:
        if found:
            run.note("no policy printed: it would leave out the profiles that failed")
        codes = [code, *(f.exit_code for f in failures)]
        return int(next((c for c in codes if c), ExitCode.NOT_FOUND))
    routings = [Routing.of(str(lk.region), lk.profile or {}) for lk in found]
    if scp_regions:
        emit(run, regions_for_scp(routings), "scp-regions")
    else:
        document = policy(routings, only_via_profile=only_via_profile)
        size = len(json.dumps(document, separators=(",", ":")))
        if size > MANAGED_POLICY_LIMIT:
            run.warn(
                f"the policy is {size:,} characters without whitespace; IAM takes at most "
                f"{MANAGED_POLICY_LIMIT:,} in a managed policy ({INLINE_POLICIES_LIMIT:,} for all of a "
                "role's inline policies): split the profiles across several policies"
            )
        emit(run, document, "iam-policy")
    return 0


# IAM's quotas on policy size, counted without whitespace (IAM and AWS STS quotas, user guide).
MANAGED_POLICY_LIMIT = 6144
INLINE_POLICIES_LIMIT = 10240
