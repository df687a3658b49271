"""``--regions`` / ``--all-regions`` on get, list, check and resolve, and ``resolve`` itself, over the
served emulator through the installed console script (the real wire path), plus the options' rules
in process.  Expected values come from the snapshot the emulator serves (``catalog.json.gz``, read
through its own reader, not through the code under test) and from botocore's endpoint data."""

from __future__ import annotations

import json

import pytest

from bedrock_profile_cli.emulator.catalog import load
from bedrock_profile_cli.emulator.service import inject_fault
from bedrock_profile_cli.errors import ExitCode
from tests.conftest import run_cli

CATALOG = load()
SERVED = set(CATALOG.regions)
SCP = "AccessDeniedException"
SCP_MESSAGE = "User is not authorized to perform bedrock:ListInferenceProfiles with an explicit deny in a service control policy"


def commercial_bedrock_regions() -> list[str]:
    """Independently of regions.py: botocore's endpoint data, the aws partition's Bedrock regions."""
    import botocore.loaders

    endpoints = botocore.loaders.create_loader().load_data("endpoints")
    partition = next(p for p in endpoints["partitions"] if p["partition"] == "aws")
    return sorted(set(partition["services"]["bedrock"]["endpoints"]) & set(partition["regions"]))


ALL = commercial_bedrock_regions()


def ids_in(region: str) -> set[str]:
    return {p["inferenceProfileId"] for p in CATALOG.profiles(region)}


def test_all_regions_is_botocores_bedrock_regions_of_the_partition(emulator) -> None:
    result = run_cli("list", "--all-regions", "--type", "SYSTEM_DEFINED", "-o", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["regions"] == ALL
    assert len(ALL) >= 30  # 33 today
    skipped = {s["region"] for s in doc["skipped"]}
    assert skipped == set(ALL) - SERVED
    assert {s["awsCode"] for s in doc["skipped"]} == {"UnrecognizedClientException"}
    assert f"skipped {len(skipped)} regions" in result.err


def test_list_all_regions_has_every_profile_of_every_region(emulator) -> None:
    result = run_cli("list", "--all-regions", "--type", "SYSTEM_DEFINED", "-o", "json")
    doc = json.loads(result.out)
    got = {(r["region"], r["inferenceProfileId"]) for r in doc["results"]}
    expected = {(region, p) for region in SERVED for p in ids_in(region)}
    assert got == expected  # every page of every region (the emulator's pages hold 10)


def test_list_all_regions_keeps_each_regions_destinations(emulator) -> None:
    result = run_cli("list", "--regions", "us-east-1,us-west-1", "--model", "nova-lite", "-o", "json")
    doc = json.loads(result.out)
    by_region = {
        r["region"]: r for r in doc["results"] if r["inferenceProfileId"] == "us.amazon.nova-lite-v1:0"
    }
    for region in ("us-east-1", "us-west-1"):
        summary = next(
            p for p in CATALOG.profiles(region) if p["inferenceProfileId"] == "us.amazon.nova-lite-v1:0"
        )
        assert [m["modelArn"] for m in by_region[region]["models"]] == [
            m["modelArn"] for m in summary["models"]
        ]
    assert by_region["us-east-1"]["models"] != by_region["us-west-1"]["models"]


def test_list_all_regions_table_is_a_matrix(emulator) -> None:
    result = run_cli(
        "list",
        "--regions",
        "us-east-1,eu-west-1",
        "--model",
        "claude-sonnet-4-6",
        "-o",
        "table",
        env={"COLUMNS": "120"},
    )
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    row = next(line for line in lines if line.startswith("eu.anthropic.claude-sonnet-4-6 "))
    assert row.split()[1:] == ["·", "●"]  # not offered from us-east-1, offered from eu-west-1
    row = next(line for line in lines if line.startswith("us.anthropic.claude-sonnet-4-6 "))
    assert row.split()[1:] == ["●", "·"]


def test_scp_denied_region_is_skipped_and_the_run_succeeds(emulator) -> None:
    inject_fault(operation="*", region="eu-west-3", status=403, code=SCP, message=SCP_MESSAGE, times=None)
    result = run_cli("list", "--regions", "eu-west-1,eu-west-3", "--type", "SYSTEM_DEFINED", "-o", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert [s["region"] for s in doc["skipped"]] == ["eu-west-3"]
    assert doc["skipped"][0]["awsCode"] == SCP
    assert "service control policy" in doc["skipped"][0]["reason"]
    assert {r["region"] for r in doc["results"]} == {"eu-west-1"}
    assert "skipped 1 region" in result.err and "eu-west-3" in result.err


def test_every_region_refusing_is_the_first_regions_failure(emulator) -> None:
    result = run_cli(
        "resolve", "anthropic.claude-sonnet-4-6", "--regions", "af-south-1,il-central-1", "-o", "json"
    )
    assert result.code == ExitCode.CREDENTIALS_OR_CONFIG
    doc = json.loads(result.out)  # scripts still get the document: nothing found, and why
    assert doc["results"] == [] and [s["region"] for s in doc["skipped"]] == ["af-south-1", "il-central-1"]
    assert "none of the 2 regions asked answered" in result.err


def test_every_region_denied_by_scp_is_access_denied(emulator) -> None:
    for region in ("eu-west-1", "eu-west-3"):
        inject_fault(operation="*", region=region, status=403, code=SCP, message=SCP_MESSAGE, times=None)
    result = run_cli("list", "--regions", "eu-west-1,eu-west-3", "-o", "json")
    assert result.code == ExitCode.ACCESS_DENIED
    assert "none of the 2 regions asked answered" in result.err


def test_a_region_that_fails_otherwise_fails_the_run_but_the_rest_prints(emulator) -> None:
    inject_fault(operation="ListInferenceProfiles", region="us-west-2", status=500, times=None)
    result = run_cli("list", "--regions", "us-east-1,us-west-2", "--type", "SYSTEM_DEFINED", "-o", "json")
    assert result.code == ExitCode.INTERNAL_SERVER
    doc = json.loads(result.out)
    assert {r["region"] for r in doc["results"]} == {"us-east-1"}
    assert doc["skipped"][0]["region"] == "us-west-2" and doc["skipped"][0]["exitCode"] == 7
    assert "us-west-2: InternalServerException" in result.err


def test_get_in_regions_finds_the_id_where_it_is_offered(emulator) -> None:
    profile = "us.amazon.nova-lite-v1:0"
    result = run_cli("get", profile, "--all-regions", "-o", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert sorted(r["region"] for r in doc["results"]) == sorted(r for r in SERVED if profile in ids_in(r))
    assert all(r["inferenceProfileId"] == profile for r in doc["results"])


def test_get_in_regions_is_4_for_an_id_found_nowhere(emulator) -> None:
    result = run_cli("get", "us.amazon.nova-lite-v1:0", "--regions", "eu-west-1,ap-south-1", "-o", "json")
    assert result.code == ExitCode.NOT_FOUND
    assert json.loads(result.out)["results"] == []
    assert "not found in any of the 2 regions that answered" in result.err


def test_check_in_regions_asserts_each_region(emulator) -> None:
    profile = "us.amazon.nova-pro-v1:0"
    offered = [r for r in ("us-east-1", "us-west-2", "eu-west-1") if profile in ids_in(r)]
    assert offered == ["us-east-1", "us-west-2"]  # the data this test relies on
    ok = run_cli("check", profile, "--regions", "us-east-1,us-west-2", "-o", "json")
    assert ok.code == 0, ok.err
    assert [(r["region"], r["passed"]) for r in json.loads(ok.out)["results"]] == [
        ("us-east-1", True),
        ("us-west-2", True),
    ]
    bad = run_cli("check", profile, "--regions", "us-east-1,eu-west-1,af-south-1", "-o", "json")
    assert bad.code == ExitCode.NOT_FOUND
    doc = json.loads(bad.out)
    assert [(r["region"], r["passed"]) for r in doc["results"]] == [("us-east-1", True), ("eu-west-1", False)]
    assert [s["region"] for s in doc["skipped"]] == ["af-south-1"]
    assert f"{profile} in eu-west-1" in bad.err


def test_resolve_recommended_as_text_is_the_id_to_paste(emulator) -> None:
    result = run_cli(
        "resolve", "anthropic.claude-sonnet-4-6", "-r", "eu-west-1", "-q", "recommended", "-o", "text"
    )
    assert result.code == 0, result.err
    assert result.out == "eu.anthropic.claude-sonnet-4-6\n"
    assert "eu.anthropic.claude-sonnet-4-6" in ids_in("eu-west-1")


def test_resolve_a_profile_of_another_geography_finds_the_local_one(emulator) -> None:
    result = run_cli("resolve", "us.anthropic.claude-sonnet-4-6", "-r", "eu-west-1", "-o", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert (doc["model"], doc["input"], doc["recommended"]) == (
        "anthropic.claude-sonnet-4-6",
        "us.anthropic.claude-sonnet-4-6",
        "eu.anthropic.claude-sonnet-4-6",
    )
    assert "is an inference profile of" in result.err


def test_resolve_in_regions_skips_and_reports(emulator) -> None:
    inject_fault(operation="*", region="eu-west-3", status=403, code=SCP, message=SCP_MESSAGE, times=None)
    result = run_cli("resolve", "anthropic.claude-sonnet-4-6", "--regions", "eu-west-1,eu-west-3,af-south-1")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert [r["region"] for r in doc["results"]] == ["eu-west-1"]
    assert {s["region"]: s["awsCode"] for s in doc["skipped"]} == {
        "eu-west-3": SCP,
        "af-south-1": "UnrecognizedClientException",
    }


def test_resolve_a_model_nothing_routes_is_4_naming_where_it_can_be_called(emulator) -> None:
    # Served on demand nowhere and routed by no profile from eu-west-1, but by us. profiles.
    model = "amazon.nova-premier-v1:0"
    assert not any(model in str(p["models"]) for p in CATALOG.profiles("eu-west-1"))
    assert any(model in str(p["models"]) for p in CATALOG.profiles("us-east-1"))
    result = run_cli("resolve", model, "-r", "eu-west-1", "-o", "json")
    assert result.code == ExitCode.NOT_FOUND
    assert json.loads(result.out)["recommended"] is None
    assert "it can be called from" in result.err and "us-east-1" in result.err


def test_resolve_a_malformed_model_is_6_and_sends_nothing(emulator, faults) -> None:
    faults.clear()
    result = run_cli("resolve", "anthropic claude", "-r", "us-east-1")
    assert result.code == ExitCode.VALIDATION
    assert "invalid model or inference profile identifier" in result.err
    assert faults.calls == {}


def test_get_a_model_id_says_so_and_names_what_to_call(emulator) -> None:
    result = run_cli("get", "anthropic.claude-sonnet-4-6", "-r", "us-east-1")
    assert result.code == ExitCode.NOT_FOUND
    assert "is a foundation model ID, not an inference profile" in result.err
    assert "call it through us.anthropic.claude-sonnet-4-6" in result.err


def test_get_a_profile_not_offered_from_the_region_names_the_local_one(emulator) -> None:
    result = run_cli("get", "us.anthropic.claude-sonnet-4-6", "-r", "eu-west-1")
    assert result.code == ExitCode.NOT_FOUND
    offering = sorted(r for r in SERVED if "us.anthropic.claude-sonnet-4-6" in ids_in(r))
    assert f"it is from {', '.join(offering)}" in result.err
    assert "call eu.anthropic.claude-sonnet-4-6" in result.err


def test_check_not_found_gets_the_same_hint(emulator) -> None:
    result = run_cli("check", "anthropic.claude-sonnet-4-6", "-r", "eu-west-1")
    assert result.code == ExitCode.NOT_FOUND
    assert "call it through eu.anthropic.claude-sonnet-4-6" in result.err


def test_an_application_profile_id_keeps_the_usual_hint(emulator, faults) -> None:
    faults.clear()
    result = run_cli("get", "abcdefgh1234", "-r", "us-east-1")
    assert result.code == ExitCode.NOT_FOUND
    assert "an application profile exists in one region and account only" in result.err
    assert "ListInferenceProfiles" not in faults.calls or faults.calls.get("GetInferenceProfile") == 1


@pytest.mark.parametrize(
    "args",
    [
        ("-r", "us-east-1", "--regions", "eu-west-1"),
        ("--regions", "eu-west-1", "--all-regions"),
        ("-r", "us-east-1", "--all-regions"),
        ("--regions", "us-east-1,,eu-west-1"),
        ("--regions", "us-east-l"),
    ],
)
@pytest.mark.parametrize("command", ["get", "list", "check", "resolve"])
def test_region_options_are_checked_before_any_request(invoke, command, args) -> None:
    ident = [] if command == "list" else ["anthropic.claude-sonnet-4-6"]
    result = invoke(command, *ident, *args, "--emulator")
    assert result.code == ExitCode.USAGE, result.err
    assert result.err.count("\n") == 1


def test_regions_typo_names_the_closest_region(invoke) -> None:
    result = invoke("list", "--regions", "us-east-1,eu-wset-1", "--emulator")
    assert result.code == ExitCode.USAGE
    assert "did you mean eu-west-1?" in result.err


def test_resolve_lists_application_profiles_but_never_recommends_them(emulator, bedrock) -> None:
    system = next(
        p
        for p in CATALOG.profiles("us-east-1")
        if p["inferenceProfileId"] == "us.anthropic.claude-sonnet-4-6"
    )
    arn = f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/{system['inferenceProfileId']}"
    created = bedrock.create_inference_profile(inferenceProfileName="team-a", modelSource={"copyFrom": arn})
    result = run_cli("resolve", "anthropic.claude-sonnet-4-6", "-r", "us-east-1", "-o", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["recommended"] == "us.anthropic.claude-sonnet-4-6"
    application = [p for p in doc["profiles"] if p["type"] == "APPLICATION"]
    assert [p["inferenceProfileArn"] for p in application] == [created["inferenceProfileArn"]]
    assert application[0]["scope"] == "application"
    assert doc["profiles"][-1] == application[0]  # ranked last
    expected = [
        m["modelArn"].split(":")[3]
        for m in system["models"]
        if m["modelArn"].endswith("/anthropic.claude-sonnet-4-6")
    ]
    assert application[0]["destinationRegions"] == expected  # copied with the system profile's routing


def test_resolve_an_application_profile_arn_stands_for_its_model(emulator, bedrock) -> None:
    arn = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"
    created = bedrock.create_inference_profile(inferenceProfileName="nova", modelSource={"copyFrom": arn})
    result = run_cli("resolve", created["inferenceProfileArn"], "-o", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert (doc["model"], doc["region"], doc["input"]) == (
        "amazon.nova-pro-v1:0",
        "us-east-1",
        created["inferenceProfileArn"],
    )


# --- found by a hostile read -----------------------------------------------------------------------


def test_a_large_document_into_a_closed_pipe_is_141(emulator) -> None:
    from tests.conftest import run_shell

    result = run_shell("bedrock-profile list --all-regions -o json | head -1")  # ~650 KB
    assert result.code == ExitCode.BROKEN_PIPE, result.err
    assert "Traceback" not in result.err and "Broken pipe" not in result.err


def test_an_application_profile_asked_from_another_region_stands_for_its_model(emulator, bedrock) -> None:
    arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6"
    created = bedrock.create_inference_profile(
        inferenceProfileName="elsewhere", modelSource={"copyFrom": arn}
    )
    app_id = created["inferenceProfileArn"].rsplit("/", 1)[1]
    result = run_cli("resolve", app_id, "-r", "eu-west-1", "-o", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert (doc["model"], doc["recommended"]) == (
        "anthropic.claude-sonnet-4-6",
        "eu.anthropic.claude-sonnet-4-6",
    )
    assert f"{app_id} is an inference profile of us-east-1" in result.err


def test_a_region_that_fails_every_lookup_is_listed_with_its_code(emulator) -> None:
    inject_fault(operation="GetInferenceProfile", region="us-west-2", status=500, times=None)
    result = run_cli("get", "us.amazon.nova-pro-v1:0", "--regions", "us-east-1,us-west-2", "-o", "json")
    assert result.code == ExitCode.INTERNAL_SERVER
    doc = json.loads(result.out)
    assert [r["region"] for r in doc["results"]] == ["us-east-1"]
    assert [(s["region"], s["exitCode"]) for s in doc["skipped"]] == [("us-west-2", 7)]
    assert "regions that answered" not in result.err  # us-west-2 did not answer


def test_get_in_regions_says_a_model_id_is_one(emulator) -> None:
    result = run_cli("get", "anthropic.claude-sonnet-4-6", "--regions", "eu-west-1,ap-northeast-1")
    assert result.code == ExitCode.NOT_FOUND
    assert "is a foundation model ID" in result.err


def test_region_options_before_the_command_name(emulator) -> None:
    result = run_cli(
        "--regions", "eu-west-1", "resolve", "anthropic.claude-sonnet-4-6", "-q", "results[0].recommended"
    )
    assert result.code == 0, result.err
    assert result.out.strip() == '"eu.anthropic.claude-sonnet-4-6"'


def test_a_provisioned_only_model_is_said_to_be_one_without_searching(emulator, faults) -> None:
    model = next(
        m["modelId"]
        for m in CATALOG.models("us-east-1")
        if m.get("inferenceTypesSupported") == ["PROVISIONED"]
    )
    faults.clear()
    result = run_cli("resolve", model, "-r", "us-east-1")
    assert result.code == ExitCode.NOT_FOUND
    assert "PROVISIONED only" in result.err
    assert faults.calls.get("GetFoundationModel") == 1  # no search of other regions


def test_skipped_regions_are_not_counted_as_asked(emulator) -> None:
    result = run_cli("resolve", "amazon.nova-pro-v1:0:24k", "--regions", "us-east-1,eu-west-1,af-south-1")
    assert "any of the 2 regions that answered" in result.err


def test_a_model_details_answer_that_is_not_one_is_exit_11(invoke) -> None:
    from tests.fakeserver import Reply, ScriptedServer

    page = Reply(body=json.dumps({"inferenceProfileSummaries": []}).encode())
    bad = Reply(
        body=json.dumps({"modelDetails": {"modelId": "x.y", "inferenceTypesSupported": "ON_DEMAND"}}).encode()
    )
    with ScriptedServer([], default=page) as server:
        server.replies = [page, page, bad] if False else []
        server.default = bad
        result = invoke(
            "resolve", "x.y", "-r", "us-east-1", "--endpoint-url", server.url, "--max-attempts", "1"
        )
    assert result.code == ExitCode.SERVICE, result.err


def test_error_format_json_keeps_every_stderr_line_json_under_github_actions(invoke) -> None:
    result = invoke(
        "check",
        "us.amazon.nova-pro-v1:0",
        "--regions",
        "us-east-1,eu-west-1,af-south-1",
        "--emulator",
        "--error-format",
        "json",
        env={"GITHUB_ACTIONS": "true"},
    )
    assert result.code == ExitCode.NOT_FOUND
    lines = [line for line in result.tool_err.splitlines() if line.strip()]
    assert lines and all(json.loads(line)["level"] in ("error", "warning", "note") for line in lines)
    assert "::error" not in result.err
    text = invoke(
        "check", "us.amazon.nova-pro-v1:0", "-r", "eu-west-1", "--emulator", env={"GITHUB_ACTIONS": "true"}
    )
    assert "::error title=" in text.err  # the annotations stay for the text format
