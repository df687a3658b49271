"""Many source regions at once (``--regions``, ``--all-regions``): the same work in each region,
concurrently on a bounded pool, and what each region's failure means for the run.

A region that refuses the caller is *skipped*: an opt-in region the account has not enabled answers
403 UnrecognizedClientException, and a service control policy that denies a region answers
AccessDenied.  Any other failure in a region (throttling, the network, a broken answer) is a
*failure*: the other regions still count, and the run ends with the failure's exit code.  When no
region answers at all, the run ends with the first region's failure.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

T = TypeVar("T")
# Regions in flight at once: each may run a couple of calls of its own (both profile types).
MAX_REGION_WORKERS = 16

NOT_ENABLED = "UnrecognizedClientException"
REFUSALS: dict[str, str] = {
    NOT_ENABLED: "not enabled for this account: an opt-in region refuses the credentials",
    "AccessDeniedException": "access denied: a service control policy or an IAM condition on the region",
    "AccessDenied": "access denied: a service control policy or an IAM condition on the region",
}


def refused(error: BedrockProfileError) -> bool:
    """Whether ``error`` is a region refusing the caller (skipped), rather than a failure."""
    return error.aws_code in REFUSALS


@dataclass
class RegionProblem:
    """A region that gave no answer: refused (skipped) or failed."""

    region: str
    error: BedrockProfileError
    # False: a failure whatever its code, as a call that fails after the region already answered
    # (an AccessDenied there is IAM on that call, not the region refusing the caller).
    may_be_refusal: bool = True

    @property
    def refused(self) -> bool:
        return self.may_be_refusal and refused(self.error)

    @property
    def reason(self) -> str:
        """Why, in words that stay the same from one run to the next (no request ID, no hint):
        a snapshot records it."""
        refusal = REFUSALS.get(self.error.aws_code or "", "")
        if refusal:
            return refusal
        code = f"{self.error.aws_code}: " if self.error.aws_code else ""
        return f"{code}{self.error.message.rstrip('. ')}"

    def to_doc(self) -> dict[str, object]:
        return {
            "region": self.region,
            "reason": self.reason,
            "exitCode": int(self.error.exit_code),
            "awsCode": self.error.aws_code,
            "message": self.error.message,
        }


@dataclass
class RegionalResult(Generic[T]):
    """Each asked region's answer, or its problem, in the order the regions were asked."""

    regions: list[str]
    answers: dict[str, T] = field(default_factory=dict)
    problems: list[RegionProblem] = field(default_factory=list)

    @property
    def skipped(self) -> list[RegionProblem]:
        return [p for p in self.problems if p.refused]

    @property
    def failed(self) -> list[RegionProblem]:
        return [p for p in self.problems if not p.refused]

    def exit_code(self) -> ExitCode:
        """0 unless a region failed (that failure's code) or no region answered (the first's)."""
        if not self.answers and self.problems:
            return self.problems[0].error.exit_code
        failed = self.failed
        return failed[0].error.exit_code if failed else ExitCode.OK

    def skipped_docs(self) -> list[dict[str, object]]:
        """The ``skipped`` list of the multi-region JSON: every region that gave no answer."""
        return [problem.to_doc() for problem in self.problems]


def across(
    regions: Sequence[str],
    work: Callable[[str], T],
    *,
    workers: int = MAX_REGION_WORKERS,
) -> RegionalResult[T]:
    """``work(region)`` for every region, concurrently (at most ``workers`` at once).  A
    :class:`BedrockProfileError` from a region is that region's problem; anything else is a bug and
    propagates."""
    outcome: RegionalResult[T] = RegionalResult(regions=list(regions))

    def one(region: str) -> tuple[str, T | None, BedrockProfileError | None]:
        try:
            return region, work(region), None
        except BedrockProfileError as err:
            return region, None, err

    if len(regions) == 1:
        results = [one(regions[0])]
    else:
        executor = ThreadPoolExecutor(
            max_workers=max(1, min(workers, len(regions))), thread_name_prefix="bedrock-region"
        )
        try:
            results = list(executor.map(functools.partial(one), regions))
        finally:
            executor.shutdown(wait=False, cancel_futures=True)
    for region, answer, error in results:
        if error is not None:
            outcome.problems.append(RegionProblem(region, error))
        else:
            outcome.answers[region] = answer  # type: ignore[assignment]
    return outcome


def outcome_of(
    regions: Sequence[str],
    errors: Mapping[str, Sequence[BedrockProfileError | None]],
    gave_no_answer: Callable[[BedrockProfileError], bool],
) -> RegionalResult[bool]:
    """Which regions answered, from the result of each call made there (``errors``: None for a
    call that succeeded): a region where every call ended in an error ``gave_no_answer`` accepts
    is a problem (the first refusal among them, else the first error), any other answered."""
    outcome: RegionalResult[bool] = RegionalResult(regions=list(regions))
    for region in regions:
        here = list(errors.get(region, ()))
        failed = [e for e in here if e is not None and gave_no_answer(e)]
        if here and len(failed) == len(here):
            outcome.problems.append(RegionProblem(region, next((e for e in failed if refused(e)), failed[0])))
        else:
            outcome.answers[region] = True
    return outcome


def say_problems(
    warn: Callable[[str], None], report: Callable[[BedrockProfileError], None], outcome: RegionalResult[T]
) -> None:
    """Skipped regions as one warning per reason (naming them); each failed region as its error;
    when no region answered, the first region's error as well (the run's exit code is its)."""
    by_reason: dict[str, list[str]] = {}
    for problem in outcome.skipped:
        by_reason.setdefault(problem.reason, []).append(problem.region)
    for reason, names in by_reason.items():
        count = f"{len(names)} region{'s' if len(names) != 1 else ''}"
        warn(f"skipped {count} ({reason}): {', '.join(names)}")
    for problem in outcome.failed:
        error = problem.error
        if error.identifier is None:
            error.identifier = problem.region
        else:
            error.identifier = f"{error.identifier} in {problem.region}"
        report(error)
    if not outcome.answers and outcome.skipped:
        first = outcome.skipped[0].error
        asked = len(outcome.regions)
        report(
            BedrockProfileError(
                first.exit_code,
                f"none of the {asked} region{'s' if asked != 1 else ''} asked answered",
                aws_code=first.aws_code,
                hint=first.hint,
                operation=first.operation,
            )
        )
