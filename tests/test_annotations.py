"""GitHub ``::error`` annotations carry service text as data: shown as the human line shows it, then
escaped as a workflow command, so nothing reaches the Actions log viewer as a terminal sequence or as
a second workflow command."""

import json
import re
import unicodedata

import pytest

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.expectations import Expectations, evaluate, from_lookup, github_annotation
from bedrock_profile_cli.textsafe import UNSAFE_CATEGORIES
from tests.conftest import SONNET, run_cli
from tests.fakeserver import Reply, ScriptedServer

PREFIX = "::error title=bedrock-profile check::"
PROFILE = {
    "inferenceProfileName": "n",
    "inferenceProfileArn": f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/{SONNET}",
    "models": [{"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/a.b-v1:0"}],
    "inferenceProfileId": SONNET,
    "status": "ACTIVE",
    "type": "SYSTEM_DEFINED",
}

# One hostile string per class of trouble, and what must be seen instead.
HOSTILE = {
    "CSI clear screen": ("\x1b[2J", "\\x1b[2J"),
    "SGR colour": ("\x1b[31mred", "\\x1b[31mred"),
    "OSC 52 clipboard write": ("\x1b]52;c;ZXZpbA==\x07", "\\x1b]52;c;ZXZpbA==\\x07"),
    "OSC title, ST-terminated": ("\x1b]0;pwned\x1b\\", "\\x1b]0;pwned\\x1b\\"),
    "BEL": ("ding\x07", "ding\\x07"),
    "DEL": ("a\x7fb", "a\\x7fb"),
    "C1 CSI": ("\x9b31m", "\\x9b31m"),
    "bidi override": ("\u202eevil", "\\u202eevil"),
    "zero-width and tags": ("a\u200b\U000e0041", "a\\u200b\\U000e0041"),
    "line separator": ("one\u2028two", "one\\u2028two"),
}


def _assert_safe_one_line(line: str) -> None:
    assert line.startswith(PREFIX)
    assert len(line.splitlines()) == 1
    assert "\n" not in line and "\r" not in line
    assert not any(unicodedata.category(ch) in UNSAFE_CATEGORIES for ch in line), repr(line)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_service_text_is_escaped_in_the_annotation(case: str) -> None:
    raw, shown = HOSTILE[case]
    line = github_annotation(evaluate("x", {**PROFILE, "status": raw}, Expectations()))
    _assert_safe_one_line(line)
    assert shown in line


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_error_messages_are_escaped_in_the_annotation(case: str) -> None:
    raw, shown = HOSTILE[case]
    error = BedrockProfileError(ExitCode.SERVICE, f"boom {raw}", aws_code=f"Odd{raw}")
    line = github_annotation(from_lookup("x", None, error, Expectations()))
    _assert_safe_one_line(line)
    assert line.count(shown) == 2


def test_line_breaks_become_the_workflow_escapes_and_never_a_new_command() -> None:
    line = github_annotation(evaluate("x", {**PROFILE, "status": "a\r\n::warning::b%c"}, Expectations()))
    _assert_safe_one_line(line)
    assert line.endswith("got a%0D%0A::warning::b%25c")


def test_the_title_property_is_escaped_as_a_property() -> None:
    from bedrock_profile_cli.expectations import _workflow_property

    assert _workflow_property("a:b,c%d\ne\x1b") == "a%3Ab%2Cc%25d%0Ae\\x1b"


def test_annotations_from_the_check_command_carry_no_escape(invoke) -> None:
    hostile = {**PROFILE, "status": "\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202e\x7f"}
    with ScriptedServer([], default=Reply(200, json.dumps(hostile).encode())) as server:
        result = invoke(
            "check", SONNET, "--endpoint-url", server.url, "--color", "never", env={"GITHUB_ACTIONS": "true"}
        )
    assert result.code == ExitCode.CHECK_FAILED, result.err
    annotations = [line for line in result.err.splitlines() if line.startswith("::error")]
    assert len(annotations) == 1
    _assert_safe_one_line(annotations[0])
    assert "\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J\\u202e\\x7f" in annotations[0]
    assert not any(ch in result.err for ch in "\x1b\x07\x7f\u202e")


@pytest.mark.parametrize("error_format", ["text", "json"])
def test_service_text_never_becomes_a_legacy_workflow_command(faults, error_format: str) -> None:
    """The runner also reads the legacy `##[error]` form anywhere in a stderr line, so service text
    holding it would add an annotation (or `##[stop-commands]` would silence ours): under GitHub
    Actions every stderr line, --debug's included, has it escaped."""
    from bedrock_profile_cli.emulator.service import Fault

    hostile = "##[error]fake annotation ##[stop-commands]tok\n::error::pwned\n  ::add-mask::x"
    faults.inject(
        Fault("GetInferenceProfile", status=400, code="ValidationException", message=hostile, times=None)
    )
    result = run_cli(
        "check", SONNET, "--debug", "--error-format", error_format, env={"GITHUB_ACTIONS": "true"}
    )
    assert result.code == 6, result.err  # ValidationException
    assert "##[" not in result.err
    # --debug prints the exception's message raw, over several lines: none may start a command.
    commands = [line for line in result.err.splitlines() if line.lstrip().startswith("::")]
    assert all(line.startswith("::error title=bedrock-profile check::") for line in commands), commands
    assert "\\x3a:error::pwned" in result.err
    assert "#\\u0023[error]fake annotation" in result.err
    if error_format == "json":
        lines = [line for line in result.err.splitlines() if line.startswith("{")]
        assert any("#\u0023[error]fake" in json.loads(line).get("message", "") for line in lines)
    else:
        assert re.search(r"^::error title=[^:]*::.*#\\u0023\[error\]fake", result.err, re.M)
    # Outside Actions the message is shown as the service sent it (it is not a command there).
    plain = run_cli("check", SONNET, "--error-format", error_format)
    assert "##[error]fake annotation" in plain.err
