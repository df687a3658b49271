"""Tags of application profiles (``get --tags``, ``list --tag``, ``check --tag``) and the derived
facts of ``get``, over the served emulator (TagResource sets what ListTagsForResource answers)."""

from __future__ import annotations

import json

import pytest

from bedrock_profile_cli.emulator.service import inject_fault
from bedrock_profile_cli.errors import ExitCode
from tests.conftest import run_cli

SYSTEM = "us.anthropic.claude-sonnet-4-6"
SYSTEM_ARN = f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/{SYSTEM}"


def create(bedrock, name: str, **tags: str) -> str:
    found = bedrock.create_inference_profile(
        inferenceProfileName=name,
        modelSource={"copyFrom": SYSTEM_ARN},
        tags=[{"key": k.replace("_", "-"), "value": v} for k, v in tags.items()],
    )
    return str(found["inferenceProfileArn"])


def test_get_tags_adds_them_only_when_asked(invoke, emulator, bedrock) -> None:
    arn = create(bedrock, "team-a", team="ml", cost_center="42")
    plain = json.loads(invoke("get", arn, "-o", "json").out)
    assert "tags" not in plain and "derived" not in plain  # default JSON stays the API's
    tagged = invoke("get", arn, SYSTEM, "--tags", "-o", "json")
    assert tagged.code == 0, tagged.err
    app, system = json.loads(tagged.out)
    assert app["tags"] == {"team": "ml", "cost-center": "42"}
    assert system["tags"] == {}  # a system-defined profile has none (and costs no call)


def test_tags_cost_no_call_for_a_system_profile(invoke, emulator, faults) -> None:
    faults.clear()
    assert invoke("get", SYSTEM, "--tags", "-o", "json").code == 0
    assert "ListTagsForResource" not in faults.calls


def test_table_shows_tags_and_what_is_derived(invoke, emulator, bedrock) -> None:
    arn = create(bedrock, "team-b", team="ml")
    result = invoke("get", arn, "--tags", "-o", "table", env={"COLUMNS": "120"})
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert any("Tags (1)" in line and "team=ml" in line for line in lines)
    assert any("Copied from (derived)" in line and SYSTEM in line for line in lines)
    assert any("Model (derived)" in line and "anthropic.claude-sonnet-4-6" in line for line in lines)


def test_with_derived_puts_it_in_json(invoke, emulator, bedrock) -> None:
    arn = create(bedrock, "team-c")
    doc = json.loads(invoke("get", arn, "--with-derived", "-o", "json").out)
    assert doc["derived"] == {"models": ["anthropic.claude-sonnet-4-6"], "copiedFrom": SYSTEM}
    system = json.loads(invoke("get", SYSTEM, "--with-derived", "-o", "json").out)
    assert "derived" not in system  # derived facts are for application profiles


def test_list_tag_filters_across_pages_and_all_must_match(invoke, emulator, bedrock) -> None:
    expected = set()
    for i in range(23):  # more than two pages of 10
        tags = {"team": "ml" if i % 2 else "web"}
        if i % 3 == 0:
            tags["env"] = "prod"
        arn = create(bedrock, f"p{i}", **tags)
        if i % 2 and i % 3 == 0:
            expected.add(arn)
    result = invoke("list", "--tag", "team=ml", "--tag", "env", "-o", "json")
    assert result.code == 0, result.err
    got = json.loads(result.out)
    assert {s["inferenceProfileArn"] for s in got} == expected
    assert all(s["tags"]["team"] == "ml" and "env" in s["tags"] for s in got)
    only_key = json.loads(invoke("list", "--tag", "env", "-o", "json").out)
    assert len(only_key) == 8  # i = 0, 3, ..., 21


def test_list_tag_with_type_system_defined_is_a_usage_error(invoke, emulator) -> None:
    result = invoke("list", "--tag", "team", "--type", "SYSTEM_DEFINED")
    assert result.code == ExitCode.USAGE
    assert "system-defined profiles carry no tags" in result.err


@pytest.mark.parametrize("spec", ["", "=ml"])
def test_a_tag_without_a_key_is_a_usage_error(invoke, emulator, spec) -> None:
    assert invoke("list", "--tag", spec).code == ExitCode.USAGE
    assert invoke("check", SYSTEM, "--tag", spec).code == ExitCode.USAGE


def test_check_tag_passes_and_fails(invoke, emulator, bedrock) -> None:
    arn = create(bedrock, "ci", team="ml", cost_center="42")
    ok = invoke("check", arn, "--tag", "team=ml", "--tag", "cost-center")
    assert ok.code == 0, ok.err
    bad = invoke("check", arn, "--tag", "team=web", "-o", "json")
    assert bad.code == ExitCode.CHECK_FAILED
    tag = next(e for e in json.loads(bad.out)["expectations"] if e["name"] == "tag")
    assert tag == {
        "name": "tag",
        "expected": "team=web",
        "actual": ["cost-center=42", "team=ml"],
        "passed": False,
    }
    system = invoke("check", SYSTEM, "--tag", "team")
    assert system.code == ExitCode.CHECK_FAILED  # a system-defined profile carries no tags


def test_tags_refused_is_the_lookups_failure(emulator, bedrock) -> None:
    arn = create(bedrock, "denied", team="ml")
    inject_fault(operation="ListTagsForResource", status=403, code="AccessDeniedException", times=None)
    result = run_cli("get", arn, "--tags")
    assert result.code == ExitCode.ACCESS_DENIED
    assert "bedrock:ListTagsForResource" in result.err
    assert result.out == ""  # asked with its tags, it is not printed without them


def test_check_tag_in_regions(invoke, emulator, bedrock) -> None:
    arn = create(bedrock, "regional", team="ml")
    result = invoke("list", "--tag", "team=ml", "--regions", "us-east-1,eu-west-1", "-o", "json")
    assert result.code == 0, result.err
    assert [r["inferenceProfileArn"] for r in json.loads(result.out)["results"]] == [arn]
