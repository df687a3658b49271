"""list, --query, --output text and --error-format."""

import json

import pytest

from bedrock_profile_cli.emulator.catalog import load
from bedrock_profile_cli.errors import ExitCode
from bedrock_profile_cli.output.formats import to_text
from tests.conftest import SONNET, run_cli

FM = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"
SYSTEM_COUNT = len(load().profiles("us-east-1"))  # 71 in the live catalog


@pytest.fixture
def app_profiles(bedrock):
    return [
        bedrock.create_inference_profile(inferenceProfileName=f"app-{i}", modelSource={"copyFrom": FM})[
            "inferenceProfileArn"
        ]
        for i in range(3)
    ]


def test_list_shows_both_types_by_default(invoke, emulator, app_profiles) -> None:
    result = invoke("list", "-o", "json")
    assert result.code == 0, result.err
    summaries = json.loads(result.out)
    kinds = [s["type"] for s in summaries]
    assert kinds.count("SYSTEM_DEFINED") == SYSTEM_COUNT
    assert kinds.count("APPLICATION") == 3
    assert {s["inferenceProfileArn"] for s in summaries if s["type"] == "APPLICATION"} == set(app_profiles)
    assert all(s["createdAt"].endswith("+00:00") for s in summaries)


def test_list_follows_every_page(invoke, emulator, faults, app_profiles) -> None:
    result = invoke("list", "--page-size", "2", "-o", "json", "--type", "APPLICATION")
    assert len(json.loads(result.out)) == 3
    assert faults.calls["ListInferenceProfiles"] == 2  # ceil(3 / 2) pages
    result = invoke("list", "--page-size", "7", "-o", "json")
    assert len(json.loads(result.out)) == SYSTEM_COUNT + 3
    # ceil(n / 7) pages per type
    assert faults.calls["ListInferenceProfiles"] == 2 + -(-SYSTEM_COUNT // 7) + 1


def test_list_follows_the_emulators_short_pages(invoke, emulator, faults, app_profiles) -> None:
    # No --page-size: no maxResults is sent, and the emulator answers 10 at a time with a nextToken.
    assert len(json.loads(invoke("list", "-o", "json").out)) == SYSTEM_COUNT + 3
    assert faults.calls["ListInferenceProfiles"] == -(-SYSTEM_COUNT // 10) + 1


def test_list_type_model_and_max_items(invoke, emulator, faults, app_profiles) -> None:
    apps = json.loads(invoke("list", "--type", "application", "-o", "json").out)
    assert len(apps) == 3
    assert faults.calls["ListInferenceProfiles"] == 1
    nova = json.loads(invoke("list", "--model", "nova-lite", "-o", "json").out)
    assert {s["inferenceProfileId"] for s in nova if s["type"] == "SYSTEM_DEFINED"} == {
        "us.amazon.nova-lite-v1:0"
    }
    assert len(nova) == 4
    assert len(json.loads(invoke("list", "--max-items", "5", "-o", "json").out)) == 5
    assert invoke("list", "--type", "OTHER").code == ExitCode.USAGE


def test_list_table_is_readable_at_80_columns(invoke, emulator, app_profiles) -> None:
    text = invoke("list", "-o", "table").out
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "…" not in text
    for header in ("ID / name", "Type / status", "Regions"):
        assert header in text
    assert "app-0" in text
    assert "APPLICATION" in text


def test_list_errors_keep_their_codes(invoke, emulator) -> None:
    from bedrock_profile_cli.emulator.service import inject_fault

    inject_fault(operation="ListInferenceProfiles", status=403, code="AccessDeniedException", times=None)
    result = invoke("list")
    assert result.code == ExitCode.ACCESS_DENIED
    assert result.err.count("\n") == 1


def test_query_and_text_extract_single_values(invoke, emulator) -> None:
    arn = invoke("get", SONNET, "-q", "inferenceProfileArn", "-o", "text")
    assert arn.out == f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/{SONNET}\n"
    ids = invoke("list", "-q", "[].inferenceProfileId", "-o", "text").out.splitlines()
    assert len(ids) == SYSTEM_COUNT
    assert SONNET in ids
    assert invoke("get", SONNET, "-q", "models[].modelArn", "-o", "json").out.count("foundation-model") == 3
    # a query with the default (table) output on a scalar prints it as text
    assert invoke("get", SONNET, "-q", "status", "-o", "table").out == "ACTIVE\n"


def test_bad_jmespath_is_a_usage_error_before_any_request(invoke, emulator, faults) -> None:
    result = invoke("get", SONNET, "-q", "[?")
    assert result.code == ExitCode.USAGE
    assert "invalid --query" in result.err
    assert faults.calls == {}


@pytest.mark.parametrize(
    ("document", "text"),
    [
        ("arn:x", "arn:x\n"),
        (3, "3\n"),
        (True, "true\n"),
        (None, ""),
        (["a", "b"], "a\nb\n"),
        ([["a", 1], ["b", 2]], "a\t1\nb\t2\n"),
        ([{"id": "a", "n": 1}, {"id": "b", "n": 2}], "a\t1\nb\t2\n"),
        ({"id": "a", "models": [{"m": 1}]}, 'id\ta\nmodels\t[{"m":1}]\n'),
        ("tab\there\nnewline\x1b", "tab\\x09here\\x0anewline\\x1b\n"),
    ],
)
def test_text_output(document, text) -> None:
    assert to_text(document) == text


def test_error_format_json(invoke, emulator, monkeypatch) -> None:
    result = invoke("get", SONNET, "missing-x", "--error-format", "json")
    assert result.code == ExitCode.NOT_FOUND
    line = json.loads(result.err)
    assert line["level"] == "error"
    assert line["exitCode"] == 4
    assert line["exitName"] == "NOT_FOUND"
    assert line["awsCode"] == "ResourceNotFoundException"
    assert line["identifier"] == "missing-x"
    assert line["requestId"]
    assert "region us-east-1" in line["hint"]
    monkeypatch.setenv("BEDROCK_PROFILE_ERROR_FORMAT", "json")
    usage = invoke("get", SONNET, "-o", "xml")
    assert usage.code == ExitCode.USAGE
    assert json.loads(usage.err)["exitName"] == "USAGE"
    local = invoke("get", "bad id")
    assert json.loads(local.err)["exitCode"] == 6


def test_list_and_text_through_the_console_script(emulator) -> None:
    result = run_cli("list", "--type", "SYSTEM_DEFINED", "-q", "[].inferenceProfileId", "-o", "text")
    assert result.code == 0, result.err
    assert SONNET in result.out.splitlines()
    assert result.err == ""


@pytest.mark.parametrize(
    ("args", "operation"),
    [(["list"], "ListInferenceProfiles"), (["get", SONNET], "GetInferenceProfile")],
)
def test_access_denied_hint_names_the_operation_that_failed(invoke, emulator, args, operation) -> None:
    from bedrock_profile_cli.emulator.service import inject_fault

    inject_fault(operation=operation, status=403, code="AccessDeniedException", message="no", times=None)
    result = invoke(*args)
    assert result.code == ExitCode.ACCESS_DENIED
    assert f"the caller needs bedrock:{operation}" in result.err
    other = {"ListInferenceProfiles", "GetInferenceProfile"} - {operation}
    assert f"bedrock:{other.pop()}" not in result.err
