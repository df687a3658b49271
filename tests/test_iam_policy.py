"""``iam-policy`` and ``check --iam-policy`` on the command surface: what is printed, when nothing
is, and every way a policy file can be wrong.  (Agreement with the catalog for every profile is
tests/test_iam_policy_catalog.py.)"""

from __future__ import annotations

import io
import json

from bedrock_profile_cli.errors import ExitCode
from tests.conftest import run_cli

SONNET_US = "us.anthropic.claude-sonnet-4-6"
SONNET_GLOBAL = "global.anthropic.claude-sonnet-4-6"
ACCOUNT = "123456789012"


def policy_for(invoke, *args: str) -> dict:
    result = invoke("iam-policy", *args, "--emulator", "-o", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_policy_is_json_by_default_and_the_same_bytes_each_time(invoke) -> None:
    first = invoke("iam-policy", SONNET_US, SONNET_GLOBAL, "-r", "us-east-1", "--emulator")
    second = invoke("iam-policy", SONNET_GLOBAL, SONNET_US, "-r", "us-east-1", "--emulator")
    assert first.code == 0, first.err
    assert first.out == second.out  # argument order does not change the policy
    assert json.loads(first.out)["Version"] == "2012-10-17"


def test_nothing_is_printed_when_a_profile_is_missing(invoke) -> None:
    result = invoke("iam-policy", SONNET_US, "us.no-such.model-v1:0", "-r", "us-east-1", "--emulator")
    assert result.code == ExitCode.NOT_FOUND
    assert result.out == ""
    assert "no policy printed" in result.err


def test_a_model_id_gets_the_resolve_hint(invoke) -> None:
    result = invoke("iam-policy", "anthropic.claude-sonnet-4-6", "-r", "us-east-1", "--emulator")
    assert result.code == ExitCode.NOT_FOUND
    assert "is a foundation model ID" in result.err and SONNET_US in result.err


def test_scp_regions_one_per_line_with_unspecified_for_a_global_profile(invoke) -> None:
    result = invoke(
        "iam-policy", SONNET_US, SONNET_GLOBAL, "-r", "us-east-1", "--scp-regions", "-o", "text", "--emulator"
    )
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines == sorted(lines) and "unspecified" in lines and "us-east-1" in lines
    as_json = invoke("iam-policy", SONNET_US, "-r", "us-east-1", "--scp-regions", "-o", "json", "--emulator")
    assert "unspecified" not in json.loads(as_json.out)  # no global profile, no region-less grant


def test_table_shows_each_statement(invoke) -> None:
    result = invoke("iam-policy", SONNET_GLOBAL, "-r", "us-east-1", "-o", "table", "--emulator")
    assert result.code == 0, result.err
    for text in ("InvokeInferenceProfiles", "InvokeGlobalModels", "aws:RequestedRegion", "unspecified"):
        assert text in result.out


def test_query_selects_from_the_policy(invoke) -> None:
    result = invoke(
        "iam-policy", SONNET_US, "-r", "us-east-1", "-q", "Statement[].Sid", "-o", "text", "--emulator"
    )
    assert result.out.split() == ["InvokeInferenceProfiles", "InvokeModelsInDestinationRegions"]


# --- check --iam-policy --------------------------------------------------------------------------------


def test_check_passes_on_the_generated_policy_and_says_so(invoke, tmp_path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(policy_for(invoke, SONNET_US, "-r", "us-east-1")))
    result = invoke("check", SONNET_US, "-r", "us-east-1", "--iam-policy", str(path), "--emulator")
    assert result.code == 0, result.err
    assert "iam-policy" in result.err


def test_check_names_the_deny_that_blocks_a_destination(invoke, tmp_path) -> None:
    document = policy_for(invoke, SONNET_US, "-r", "us-east-1")
    west = "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-6"
    document["Statement"].append(
        {"Sid": "NoWest", "Effect": "Deny", "Action": "bedrock:Invoke*", "Resource": west}
    )
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(document))
    result = invoke("check", SONNET_US, "-r", "us-east-1", "--iam-policy", str(path), "--emulator")
    assert result.code == ExitCode.CHECK_FAILED
    assert f"bedrock:InvokeModel on {west}: denied by {path}: NoWest" in result.err


def test_two_policy_files_add_up(invoke, tmp_path) -> None:
    document = policy_for(invoke, SONNET_US, "-r", "us-east-1")
    first, second = dict(document), dict(document)
    first["Statement"], second["Statement"] = document["Statement"][:1], document["Statement"][1:]
    (tmp_path / "a.json").write_text(json.dumps(first))
    (tmp_path / "b.json").write_text(json.dumps(second))
    alone = invoke(
        "check", SONNET_US, "-r", "us-east-1", "--iam-policy", str(tmp_path / "a.json"), "--emulator"
    )
    assert alone.code == ExitCode.CHECK_FAILED
    both = invoke(
        "check",
        SONNET_US,
        "-r",
        "us-east-1",
        "--emulator",
        "--iam-policy",
        str(tmp_path / "a.json"),
        "--iam-policy",
        str(tmp_path / "b.json"),
    )
    assert both.code == 0, both.err


def test_policy_from_stdin(invoke, tmp_path) -> None:
    from bedrock_profile_cli.cli import main
    from bedrock_profile_cli.context import RunContext
    from tests.conftest import Stream

    text = json.dumps(policy_for(invoke, SONNET_US, "-r", "us-east-1"))
    out, err = Stream(), Stream()
    run = RunContext(stdout=out, stderr=err, env={}, stdin=io.StringIO(text))
    code = main(["check", SONNET_US, "-r", "us-east-1", "--iam-policy", "-", "--emulator"], run)
    assert code == 0, err.getvalue()


def test_policy_files_are_checked_before_any_request(emulator, faults, tmp_path) -> None:
    faults.clear()
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}\n')
    result = run_cli("check", SONNET_US, "--iam-policy", str(bad))
    assert result.code == ExitCode.USAGE
    assert f"{bad}:4:" in result.err and ": not JSON" in result.err  # the column differs by Python
    missing = run_cli("check", SONNET_US, "--iam-policy", str(tmp_path / "nope.json"))
    assert missing.code == ExitCode.USAGE and "nope.json: cannot read it: No such file" in missing.err
    twice = run_cli("check", SONNET_US, "--iam-policy", "-", "--iam-policy", "-", stdin=None, input="{}")
    assert twice.code == ExitCode.USAGE and "given twice" in twice.err
    assert faults.calls == {}


def test_a_policy_from_stdin_through_the_console_script(emulator, tmp_path) -> None:
    generated = run_cli("iam-policy", SONNET_US)
    assert generated.code == 0, generated.err
    result = run_cli("check", SONNET_US, "--iam-policy", "-", input=generated.out)
    assert result.code == 0, result.err
    broken = run_cli("check", SONNET_US, "--iam-policy", "-", input="[]")
    assert broken.code == ExitCode.USAGE and "<stdin>:1:1" in broken.err


def test_a_policy_over_iams_size_limit_says_so(invoke) -> None:
    ids = invoke(
        "list", "--type", "SYSTEM_DEFINED", "-q", "[].inferenceProfileId", "-o", "text", "--emulator"
    )
    result = invoke("iam-policy", *ids.out.split()[:40], "-r", "us-east-1", "--emulator")
    assert result.code == 0, result.err
    assert "IAM takes at most 6,144" in result.err
    assert len(json.dumps(json.loads(result.out), separators=(",", ":"))) > 6144


def test_a_named_region_that_is_skipped_means_no_policy(invoke) -> None:
    named = invoke("iam-policy", SONNET_US, "--regions", "us-east-1,af-south-1", "--emulator")
    assert named.code == ExitCode.CREDENTIALS_OR_CONFIG
    assert named.out == "" and "af-south-1 did not answer" in named.err
    every = invoke("iam-policy", SONNET_GLOBAL, "--all-regions", "--emulator", "-o", "json")
    assert every.code == 0, every.err  # --all-regions: the opt-in regions an account lacks are skipped
    assert "af-south-1" not in every.out
