"""`check`: expectations about inference profiles, their evaluation, and waiting until they hold.

Pure logic: the AWS call comes in as a function, the clock and sleep can be replaced in tests.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.iam import Policy
from bedrock_profile_cli.identifiers import ANY_REGION, model_arns, parse_model_arn
from bedrock_profile_cli.tagging import TagSpec
from bedrock_profile_cli.textsafe import printable

MAX_BACKOFF_FACTOR = 8


@dataclass(frozen=True)
class Expectations:
    status: str = "ACTIVE"
    type: str | None = None
    models: tuple[str, ...] = ()
    in_regions: tuple[str, ...] = ()
    policies: tuple[Policy, ...] = ()  # --iam-policy: they must allow invoking the profile
    tags: tuple[TagSpec, ...] = ()  # --tag KEY[=VALUE]: the profile carries each


@dataclass
class ExpectationResult:
    name: str
    expected: str
    actual: object
    passed: bool

    def to_doc(self) -> dict[str, object]:
        return {"name": self.name, "expected": self.expected, "actual": self.actual, "passed": self.passed}

    def describe_failure(self) -> str:
        actual = self.actual
        if isinstance(actual, list):
            actual = "[" + ", ".join(str(a) for a in actual) + "]" if actual else "none"
        return f"expected {self.name} {self.expected}, got {actual}"


@dataclass
class CheckResult:
    identifier: str
    profile: dict[str, object] | None = None
    error: BedrockProfileError | None = None
    expectations: list[ExpectationResult] = field(default_factory=list)
    timed_out: bool = False
    region: str | None = None  # the source region, with --regions / --all-regions
    # Its request was still in flight when --timeout ran out, and was cut there: not the network's
    # fault, so not said as a network failure.
    cut_at_deadline: bool = False

    @property
    def label(self) -> str:
        """How the lines on stderr name it: the identifier, and the source region when several."""
        return f"{self.identifier} in {self.region}" if self.region else self.identifier

    @property
    def passed(self) -> bool:
        return self.error is None and not self.timed_out and all(e.passed for e in self.expectations)

    @property
    def exit_code(self) -> ExitCode:
        if self.passed:
            return ExitCode.OK
        if self.error is not None and not self.timed_out:
            return self.error.exit_code
        return ExitCode.CHECK_FAILED

    def failures(self) -> list[str]:
        found = [e.describe_failure() for e in self.expectations if not e.passed]
        if self.cut_at_deadline:
            return [*found, "no answer before --timeout ran out (the request in flight was cut there)"]
        if self.error is not None:
            not_found = self.error.exit_code == ExitCode.NOT_FOUND
            found.insert(0, "not found" if not_found else self.error.line(with_identifier=False))
        if self.timed_out:
            found.append("timed out waiting")
        return found

    def to_doc(self) -> dict[str, object]:
        doc: dict[str, object] = {"region": self.region} if self.region else {}
        doc |= {
            "identifier": self.identifier,
            "passed": self.passed,
            "expectations": [e.to_doc() for e in self.expectations],
            "profile": self.profile,
        }
        if self.error is not None:
            doc["error"] = {
                "exitCode": int(self.error.exit_code),
                "awsCode": self.error.aws_code,
                "message": self.error.message,
            }
        if self.timed_out:
            doc["timedOut"] = True
        return doc


def _model_matches(wanted: str, model_arn: str) -> bool:
    if wanted.startswith("arn:"):
        return wanted == model_arn
    return parse_model_arn(model_arn)[1] == wanted


def policy_result(profile: dict[str, object], region: str, policies: Sequence[Policy]) -> ExpectationResult:
    """Whether ``policies`` allow invoking ``profile`` from ``region``: every request it needs
    (permissions.needs) allowed for both actions and none denied.  Statements whose conditions
    cannot be evaluated here are named and count as not allowing."""
    from bedrock_profile_cli.iam import evaluate as decide
    from bedrock_profile_cli.permissions import Routing, needs

    missing: list[str] = []
    unsure: set[str] = set()
    for need in needs(Routing.of(region, profile)):
        decision = decide(policies, need.action, need.resource, need.context_map)
        unsure.update(decision.not_evaluated)
        if decision.denied_by:
            missing.append(f"{need.action} on {need.resource}: denied by {', '.join(decision.denied_by)}")
        elif decision.may_be_denied_by:
            names = ", ".join(decision.may_be_denied_by)
            missing.append(
                f"{need.action} on {need.resource}: may be denied by {names} (a condition not evaluated)"
            )
        elif not decision.allowed_by:
            missing.append(f"{need.action} on {need.resource}: not allowed")
    actual: list[str] = missing or ["allowed"]
    actual += [f"not evaluated (a condition this tool cannot evaluate): {label}" for label in sorted(unsure)]
    names = ", ".join(p.name for p in policies)
    return ExpectationResult("iam-policy", f"{names} allow invoking it from {region}", actual, not missing)


def evaluate(
    identifier: str,
    profile: dict[str, object],
    expect: Expectations,
    region: str | None = None,
    tags: dict[str, str] | None = None,
) -> CheckResult:
    """Every expectation checked against one profile document (asked in ``region``)."""
    arns = model_arns(profile)
    model_ids = [parse_model_arn(arn)[1] for arn in arns]
    regions = [parse_model_arn(arn)[0] or ANY_REGION for arn in arns]
    results = [
        ExpectationResult(
            "status", expect.status, profile.get("status"), profile.get("status") == expect.status
        )
    ]
    if expect.type is not None:
        results.append(
            ExpectationResult("type", expect.type, profile.get("type"), profile.get("type") == expect.type)
        )
    for wanted in expect.models:
        passed = any(_model_matches(wanted, arn) for arn in arns)
        results.append(ExpectationResult("model", wanted, model_ids, passed))
    for wanted_region in expect.in_regions:
        passed = wanted_region in regions or ANY_REGION in regions
        results.append(ExpectationResult("region", wanted_region, regions, passed))
    for spec in expect.tags:
        shown = [f"{k}={v}" for k, v in sorted((tags or {}).items())]
        results.append(ExpectationResult("tag", str(spec), shown, spec.matches(tags or {})))
    if expect.policies:
        source = region or _region_of(profile)
        results.append(policy_result(profile, source, expect.policies))
    return CheckResult(identifier=identifier, profile=profile, expectations=results)


def _region_of(profile: dict[str, object]) -> str:
    """The source region an inference profile's ARN names."""
    parts = str(profile.get("inferenceProfileArn", "")).split(":")
    return parts[3] if len(parts) > 3 else ""


def from_lookup(
    identifier: str,
    profile: dict[str, object] | None,
    error: BedrockProfileError | None,
    expect: Expectations,
    region: str | None = None,
    tags: dict[str, str] | None = None,
) -> CheckResult:
    if profile is not None:
        return evaluate(identifier, profile, expect, region, tags)
    return CheckResult(identifier=identifier, error=error)


# What waiting treats as "not yet" rather than failure.
NOT_YET = frozenset({ExitCode.NOT_FOUND})
BACK_OFF = frozenset({ExitCode.THROTTLED, ExitCode.INTERNAL_SERVER})
# What an attempt cut short at the deadline ends in: waiting timed out (exit 3), not a network error.
CUT_SHORT = frozenset({ExitCode.NETWORK})


@dataclass
class Clock:
    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random


def wait_until(
    lookup: Callable[[Sequence[int]], list[CheckResult]],
    count: int,
    *,
    timeout: float,
    interval: float,
    clock: Clock | None = None,
    deadline: float | None = None,
) -> list[CheckResult]:
    """Poll ``lookup`` (given the indexes still pending) until every result passes, one fails for
    good, or ``timeout`` runs out.  Not found means "not yet"; throttling backs off.  ``deadline``
    (on the clock) is the end the caller gave its lookups too; by default now + ``timeout``."""
    clock = clock or Clock()
    deadline = clock.now() + timeout if deadline is None else deadline
    results: list[CheckResult | None] = [None] * count
    pending = list(range(count))
    backoff = 1
    while True:
        fresh = lookup(pending)
        time_is_up = clock.now() >= deadline
        throttled = False
        still: list[int] = []
        for index, result in zip(pending, fresh, strict=True):
            code = result.error.exit_code if result.error is not None else None
            cut_short = code in CUT_SHORT and time_is_up
            if not (cut_short and results[index] is not None):
                results[index] = result  # an attempt cut short by the deadline saw nothing new
                result.cut_at_deadline = cut_short  # (only when it is all there is to show)
            if result.passed:
                continue
            if code in BACK_OFF:
                throttled = True
                still.append(index)
            elif code is None or code in NOT_YET or cut_short:
                still.append(index)  # (cut short by the deadline: timed out, below)
            # any other lookup error is final: it keeps its own exit code
        pending = still
        if not pending:
            break
        backoff = min(backoff * 2, MAX_BACKOFF_FACTOR) if throttled else 1
        pause = interval * backoff * (0.8 + 0.4 * clock.jitter())
        remaining = deadline - clock.now()
        if remaining <= 0:
            for index in pending:
                last = results[index]
                assert last is not None
                last.timed_out = True
            break
        clock.sleep(min(pause, remaining))
    return [r for r in results if r is not None]


ANNOTATION_TITLE = "bedrock-profile check"


def _workflow_data(text: str) -> str:
    """Text for the message of a workflow command: shown as the human line shows it (every
    control, format and separator character as a visible escape, so no ESC/CSI, OSC 52, BEL or
    bidi override reaches the log viewer), then GitHub's own escaping of ``%``, CR and LF.  A line
    break the service put in stays a line break of the annotation (``%0A``), never a new command."""
    pieces = re.split(r"([\r\n])", text)  # CR and LF kept, as GitHub's own escapes
    shown = "".join(piece if piece in ("\r", "\n") else printable(piece) for piece in pieces)
    return shown.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _workflow_property(text: str) -> str:
    """A property value of a workflow command (``title=...``): as a message, and ``:``/``,`` too."""
    return _workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(result: CheckResult) -> str:
    """A GitHub Actions ``::error`` workflow command for a failed result, on one line whatever the
    service sent."""
    message = f"{result.label}: " + "; ".join(result.failures())
    return f"::error title={_workflow_property(ANNOTATION_TITLE)}::{_workflow_data(message)}"
