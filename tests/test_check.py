"""check: expectations, waiting, annotations; unit tests of the pure parts and runs on the emulator."""

import json
import threading
import time
from datetime import datetime, timezone

import pytest

from bedrock_profile_cli.emulator.backend import InferenceProfile
from bedrock_profile_cli.emulator.service import inject_fault
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.expectations import (
    CheckResult,
    Clock,
    Expectations,
    evaluate,
    github_annotation,
    wait_until,
)
from tests.conftest import SONNET, run_cli

NOVA = "us.amazon.nova-pro-v1:0"
PROFILE = {
    "inferenceProfileId": NOVA,
    "status": "ACTIVE",
    "type": "SYSTEM_DEFINED",
    "models": [
        {"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"},
        {"modelArn": "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0"},
    ],
}


def test_every_expectation_passing() -> None:
    result = evaluate(
        NOVA,
        PROFILE,
        Expectations(
            type="SYSTEM_DEFINED",
            models=(
                "amazon.nova-pro-v1:0",
                "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0",
            ),
            in_regions=("us-west-2", "us-east-1"),
        ),
    )
    assert result.passed
    assert result.exit_code == ExitCode.OK
    assert [e.name for e in result.expectations] == ["status", "type", "model", "model", "region", "region"]


@pytest.mark.parametrize(
    ("expect", "message"),
    [
        (Expectations(status="DEPRECATED"), "expected status DEPRECATED, got ACTIVE"),
        (Expectations(type="APPLICATION"), "expected type APPLICATION, got SYSTEM_DEFINED"),
        (
            Expectations(models=("anthropic.claude-v2",)),
            "expected model anthropic.claude-v2, got [amazon.nova-pro-v1:0, amazon.nova-pro-v1:0]",
        ),
        (
            Expectations(models=("arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0",)),
            "expected model arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0",
        ),
        (Expectations(in_regions=("eu-west-1",)), "expected region eu-west-1, got [us-east-1, us-west-2]"),
    ],
)
def test_each_expectation_failing_says_expected_and_got(expect: Expectations, message: str) -> None:
    result = evaluate(NOVA, PROFILE, expect)
    assert not result.passed
    assert result.exit_code == ExitCode.CHECK_FAILED
    assert any(message in failure for failure in result.failures())


def test_a_global_model_arn_serves_any_region() -> None:
    global_profile = {**PROFILE, "models": [{"modelArn": "arn:aws:bedrock:::foundation-model/m.x"}]}
    assert evaluate("g", global_profile, Expectations(in_regions=("sa-east-1",))).passed


def test_unknown_status_fails_without_crashing() -> None:
    result = evaluate("x", {**PROFILE, "status": "SOMETHING_NEW"}, Expectations())
    assert result.failures() == ["expected status ACTIVE, got SOMETHING_NEW"]


class FakeClock(Clock):
    def __init__(self) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []
        super().__init__(now=lambda: self.t, sleep=self._sleep, jitter=lambda: 0.5)

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def _not_found() -> BedrockProfileError:
    return BedrockProfileError(ExitCode.NOT_FOUND, "missing", aws_code="ResourceNotFoundException")


def test_wait_treats_not_found_as_not_yet() -> None:
    answers = iter([None, None, PROFILE])

    def lookup(indexes):
        profile = next(answers)
        return [
            CheckResult("x", error=_not_found())
            if profile is None
            else evaluate("x", profile, Expectations())
        ]

    clock = FakeClock()
    results = wait_until(lookup, 1, timeout=60, interval=5, clock=clock)
    assert results[0].passed
    assert clock.sleeps == [5.0, 5.0]


def test_wait_times_out_with_what_was_last_seen() -> None:
    clock = FakeClock()
    results = wait_until(
        lambda idx: [CheckResult("x", error=_not_found())], 1, timeout=12, interval=5, clock=clock
    )
    assert results[0].timed_out
    assert results[0].exit_code == ExitCode.CHECK_FAILED
    assert results[0].failures() == ["not found", "timed out waiting"]
    assert sum(clock.sleeps) == pytest.approx(12)


def test_wait_backs_off_while_throttled() -> None:
    throttled = BedrockProfileError(ExitCode.THROTTLED, "slow down", aws_code="ThrottlingException")
    answers = iter([throttled, throttled, throttled, None])

    def lookup(indexes):
        error = next(answers)
        return [CheckResult("x", error=error) if error else evaluate("x", PROFILE, Expectations())]

    clock = FakeClock()
    assert wait_until(lookup, 1, timeout=300, interval=1, clock=clock)[0].passed
    assert clock.sleeps == [2.0, 4.0, 8.0]


def test_other_lookup_errors_end_the_wait_with_their_own_code() -> None:
    denied = BedrockProfileError(ExitCode.ACCESS_DENIED, "no", aws_code="AccessDeniedException")
    clock = FakeClock()
    results = wait_until(lambda idx: [CheckResult("x", error=denied)], 1, timeout=60, interval=5, clock=clock)
    assert results[0].exit_code == ExitCode.ACCESS_DENIED
    assert clock.sleeps == []


def test_wait_polls_only_what_is_still_pending() -> None:
    calls = []

    def lookup(indexes):
        calls.append(list(indexes))
        return [
            evaluate(str(i), PROFILE, Expectations())
            if i == 0 or len(calls) > 1
            else CheckResult(str(i), error=_not_found())
            for i in indexes
        ]

    results = wait_until(lookup, 2, timeout=60, interval=1, clock=FakeClock())
    assert calls == [[0, 1], [1]]
    assert all(r.passed for r in results)


def test_github_annotation_escapes_workflow_command_data() -> None:
    result = evaluate("x", {**PROFILE, "status": "50%\nbad"}, Expectations())
    assert (
        github_annotation(result)
        == "::error title=bedrock-profile check::x: expected status ACTIVE, got 50%25%0Abad"
    )


# --- on the served emulator ---------------------------------------------------------------------------


def test_check_passes_with_every_expectation(invoke, emulator) -> None:
    result = invoke(
        "check",
        NOVA,
        "--type",
        "SYSTEM_DEFINED",
        "--model",
        "amazon.nova-pro-v1:0",
        "--in-region",
        "us-west-2",
    )
    assert result.code == 0, result.err
    assert result.out == ""
    assert result.err.startswith("✓ us.amazon.nova-pro-v1:0: status ACTIVE, type SYSTEM_DEFINED")


def test_check_failure_is_3_with_expected_and_got(invoke, emulator) -> None:
    result = invoke("check", NOVA, "--model", "anthropic.claude-v2", "--in-region", "eu-west-1")
    assert result.code == ExitCode.CHECK_FAILED
    assert (
        "✗ us.amazon.nova-pro-v1:0: expected model anthropic.claude-v2, got [amazon.nova-pro-v1:0"
        in result.err
    )
    assert "expected region eu-west-1, got [us-east-1, us-west-2, us-east-2]" in result.err  # the live order


def test_check_lookup_errors_keep_their_codes(invoke, emulator) -> None:
    result = invoke("check", "missing-profile")
    assert result.code == ExitCode.NOT_FOUND
    assert "ResourceNotFoundException" in result.err
    inject_fault(operation="GetInferenceProfile", status=403, code="AccessDeniedException", times=None)
    assert invoke("check", NOVA).code == ExitCode.ACCESS_DENIED


def test_check_first_failure_in_argument_order_decides(invoke, emulator) -> None:
    assert invoke("check", NOVA, "missing-one", SONNET, "--type", "SYSTEM_DEFINED").code == ExitCode.NOT_FOUND
    assert invoke("check", NOVA, SONNET, "--model", "amazon.nova-pro-v1:0").code == ExitCode.CHECK_FAILED


def test_check_json_result_on_stdout(invoke, emulator) -> None:
    result = invoke("check", NOVA, "missing-one", "--type", "APPLICATION", "-o", "json")
    assert result.code == ExitCode.CHECK_FAILED
    docs = json.loads(result.out)
    assert [d["identifier"] for d in docs] == [NOVA, "missing-one"]
    assert docs[0]["passed"] is False
    assert docs[0]["profile"]["inferenceProfileId"] == NOVA
    assert docs[0]["expectations"][1] == {
        "name": "type",
        "expected": "APPLICATION",
        "actual": "SYSTEM_DEFINED",
        "passed": False,
    }
    assert docs[1]["error"]["exitCode"] == 4
    assert docs[1]["profile"] is None


def test_check_wait_succeeds_when_the_profile_appears_mid_wait(invoke, emulator) -> None:
    store = emulator.service.store("123456789012", "us-east-1")
    now = datetime.now(timezone.utc)

    def create_later() -> None:
        time.sleep(1.0)
        store.add(
            InferenceProfile(
                profile_id="tfcreated0001",
                arn=store.arn("application-inference-profile", "tfcreated0001"),
                name="from-terraform",
                type="APPLICATION",
                models=["arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"],
                created_at=now,
                updated_at=now,
            )
        )

    creator = threading.Thread(target=create_later)
    creator.start()
    started = time.monotonic()
    result = invoke(
        "check", "tfcreated0001", "--wait", "--interval", "0.3", "--timeout", "30", "--type", "APPLICATION"
    )
    creator.join()
    assert result.code == 0, result.err
    assert 0.9 < time.monotonic() - started < 20
    assert "✓ tfcreated0001" in result.err


def test_check_wait_times_out_with_exit_3(invoke, emulator) -> None:
    started = time.monotonic()
    result = invoke("check", "never-appears", "--wait", "--interval", "0.2", "--timeout", "1")
    assert result.code == ExitCode.CHECK_FAILED
    assert time.monotonic() - started < 10
    assert "✗ never-appears: not found; timed out waiting" in result.err


def test_a_request_cut_by_the_timeout_is_said_as_such_not_as_the_network(invoke, emulator, faults) -> None:
    faults.latency = 1.0  # every answer takes a second: --timeout 0.2 cuts the first request
    try:
        result = invoke("check", NOVA, "--wait", "--timeout", "0.2", "-o", "json")
    finally:
        faults.latency = 0.0
    assert result.code == ExitCode.CHECK_FAILED
    assert f"✗ {NOVA}: no answer before --timeout ran out" in result.err
    assert "check the network" not in result.err
    assert json.loads(result.out)["timedOut"] is True


def test_check_wait_backs_off_through_throttling(invoke, emulator, faults) -> None:
    # AWS_MAX_ATTEMPTS=2: each poll makes two attempts; three throttled polls, then the answer.
    inject_fault(operation="GetInferenceProfile", status=429, code="ThrottlingException", times=6)
    result = invoke("check", NOVA, "--wait", "--interval", "0.1", "--timeout", "60")
    assert result.code == 0, result.err
    assert faults.calls["GetInferenceProfile"] == 7


def test_github_annotations_only_under_github_actions(invoke, emulator, monkeypatch) -> None:
    assert "::error" not in invoke("check", NOVA, "--type", "APPLICATION").err
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = invoke("check", NOVA, "--type", "APPLICATION")
    assert result.code == ExitCode.CHECK_FAILED
    assert (
        "::error title=bedrock-profile check::us.amazon.nova-pro-v1:0: expected type APPLICATION, got SYSTEM_DEFINED"
        in result.err
    )
    assert "::error" not in result.out


def test_check_through_the_console_script(emulator) -> None:
    ok = run_cli("check", NOVA, "--in-region", "us-east-2")
    assert ok.code == 0, ok.err
    bad = run_cli("check", NOVA, "--type", "application", "-o", "json", "-q", "passed")
    assert bad.code == ExitCode.CHECK_FAILED, bad.err
    assert bad.out == "false\n"


@pytest.mark.parametrize(
    ("args", "canonical"),
    [
        (["--status", "active"], "status ACTIVE"),
        (["--type", "system_defined"], "type SYSTEM_DEFINED"),
        (["--color", "NEVER"], "status ACTIVE"),
        (["-o", "JSON"], "status ACTIVE"),
        (["--error-format", "Text"], "status ACTIVE"),
        (["--retry-mode", "STANDARD"], "status ACTIVE"),
    ],
)
def test_every_choice_option_takes_any_case(invoke, emulator, args, canonical) -> None:
    result = invoke("check", NOVA, *args)
    assert result.code == 0, result.err
    assert canonical in result.err


@pytest.mark.parametrize("option", ["--status", "--type", "--color", "-o", "--error-format", "--retry-mode"])
def test_every_choice_option_refuses_an_unknown_value_before_any_request(
    invoke, emulator, faults, option
) -> None:
    result = invoke("check", NOVA, option, "bogus")
    assert result.code == ExitCode.USAGE
    assert "'bogus' is not one of" in result.err
    assert faults.calls == {}


def test_check_prints_nothing_on_stdout_unless_a_machine_format_is_asked(invoke, emulator) -> None:
    assert invoke("check", NOVA).out == ""
    assert invoke("check", NOVA, "-o", "table").out == ""
    assert (
        invoke("check", NOVA, "-o", "text", "-q", "[identifier, passed]").out
        == "us.amazon.nova-pro-v1:0\ntrue\n"
    )


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("--help", "is not a model ID"),
        ("--", "is not a model ID"),
        ("nomodel", "is not a model ID"),
        ("bad model", "character ' '"),
        ("", "empty"),
        (f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/{SONNET}", "not a model's"),
    ],
)
def test_a_model_that_cannot_be_one_is_exit_2_before_any_request(invoke, value, says) -> None:
    # Nothing listens on the endpoint: a request would end in a network error (10), not 2.
    result = invoke("check", NOVA, f"--model={value}", "--endpoint-url", "http://127.0.0.1:9")
    assert result.code == ExitCode.USAGE
    assert f"--model {value!r}" in result.err and says in result.err, result.err


def test_every_model_of_the_catalog_is_a_valid_model_value() -> None:
    """The emulator's catalog, built from the live-API snapshot: every model ARN a profile routes to
    and every model ID a region lists passes, whole and as its ID."""
    from bedrock_profile_cli.emulator.catalog import load
    from bedrock_profile_cli.identifiers import check_model

    catalog = load()
    arns = {m["modelArn"] for r in catalog.regions for p in catalog.profiles(r) for m in p["models"]}
    arns |= {m["modelArn"] for r in catalog.regions for m in catalog.models(r)}
    assert len(arns) > 100
    for arn in sorted(arns):
        assert check_model(arn, "--model") == arn
        model_id = arn.split("/", 1)[1]
        assert check_model(model_id, "--model") == model_id
