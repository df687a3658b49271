"""``snapshot`` and ``diff``: the snapshot document and the comparison as pure logic (expected values
written out by hand), then over the served emulator (state arranged with boto3, as a user's
Terraform or console would change it), through the console script where that is the point and in
process otherwise."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bedrock_profile_cli.emulator.service import inject_fault
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.inventory import (
    FORMAT,
    Snapshot,
    SnapshotError,
    build_snapshot,
    compare,
    parse_snapshot,
    summary_line,
)
from tests.conftest import render_output, run_cli

ACCOUNT = "123456789012"
NOVA = "us.amazon.nova-pro-v1:0"
NOVA_ARN = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/{NOVA}"
HAIKU_ARN = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0"


def model(region: str, model_id: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"


# --- the snapshot document -------------------------------------------------------------------------------


def summary(profile_id: str, region: str = "us-east-1", **extra: object) -> dict[str, object]:
    kind = "APPLICATION" if "." not in profile_id else "SYSTEM_DEFINED"
    resource = "application-inference-profile" if kind == "APPLICATION" else "inference-profile"
    return {
        "inferenceProfileName": f"name of {profile_id}",
        "description": "prose",
        "createdAt": "2024-08-26T00:00:00+00:00",
        "updatedAt": "2025-01-01T00:00:00+00:00",
        "inferenceProfileArn": f"arn:aws:bedrock:{region}:{ACCOUNT}:{resource}/{profile_id}",
        "models": [{"modelArn": model("us-west-2", "m")}, {"modelArn": model("us-east-1", "m")}],
        "inferenceProfileId": profile_id,
        "status": "ACTIVE",
        "type": kind,
        **extra,
    }


def test_snapshot_is_sorted_with_keys_in_a_fixed_order_and_no_volatile_fields() -> None:
    glob = summary(
        "global.m",
        models=[{"modelArn": model("us-east-1", "m")}, {"modelArn": "arn:aws:bedrock:::foundation-model/m"}],
    )
    doc = build_snapshot(
        {
            "us-west-2": [(summary("us.m", "us-west-2"), None)],
            "us-east-1": [(summary("us.m"), None), (summary("app1"), {"z": "1", "a": "2"}), (glob, None)],
        },
        [{"region": "af-south-1", "reason": "not enabled"}],
        profile_type=None,
        with_tags=True,
        taken_at=datetime(2026, 5, 1, 12, 30, 15, 999, tzinfo=timezone.utc),
    )
    assert list(doc) == [
        "format",
        "formatVersion",
        "takenAt",
        "account",
        "profileType",
        "withTags",
        "regions",
        "skipped",
    ]
    assert doc["format"] == "bedrock-profile-snapshot" and doc["formatVersion"] == 1
    assert doc["takenAt"] == "2026-05-01T12:30:15+00:00"
    assert doc["account"] == ACCOUNT
    assert [r["region"] for r in doc["regions"]] == ["us-east-1", "us-west-2"]
    east = doc["regions"][0]["profiles"]
    assert [p["inferenceProfileId"] for p in east] == ["app1", "global.m", "us.m"]
    assert east[0] == {
        "inferenceProfileId": "app1",
        "inferenceProfileName": "name of app1",
        "inferenceProfileArn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:application-inference-profile/app1",
        "type": "APPLICATION",
        "status": "ACTIVE",
        "createdAt": "2024-08-26T00:00:00+00:00",
        "models": [model("us-east-1", "m"), model("us-west-2", "m")],
        "destinationRegions": ["us-east-1", "us-west-2"],
        "tags": {"a": "2", "z": "1"},
    }
    assert list(east[0]) == [  # the order the file has (a dict compares equal in any order)
        "inferenceProfileId",
        "inferenceProfileName",
        "inferenceProfileArn",
        "type",
        "status",
        "createdAt",
        "models",
        "destinationRegions",
        "tags",
    ]
    assert list(east[0]["tags"]) == ["a", "z"]
    assert east[1]["destinationRegions"] == ["*", "us-east-1"]  # a region-less model ARN
    assert "tags" not in east[2]  # a system-defined profile has none
    assert doc["skipped"] == [{"region": "af-south-1", "reason": "not enabled"}]
    text = json.dumps(doc)
    assert "updatedAt" not in text and "description" not in text


def test_snapshot_account_is_null_without_profiles() -> None:
    doc = build_snapshot(
        {"us-east-1": []},
        [],
        profile_type="APPLICATION",
        with_tags=False,
        taken_at=datetime.now(timezone.utc),
    )
    assert doc["account"] is None
    assert doc["regions"] == [{"region": "us-east-1", "profiles": []}]
    assert parse_snapshot(json.dumps(doc), "x.json").regions == {"us-east-1": {}}


# --- comparing two ---------------------------------------------------------------------------------------


def record(profile_id: str, **extra: object) -> dict[str, object]:
    base: dict[str, object] = {
        "inferenceProfileId": profile_id,
        "inferenceProfileName": profile_id.upper(),
        "type": "APPLICATION",
        "status": "ACTIVE",
        "models": [model("us-east-1", "m"), model("us-west-2", "m")],
        "destinationRegions": ["us-east-1", "us-west-2"],
        "tags": {},
    }
    return {**base, **extra}


def snap(
    name: str,
    regions: dict[str, list[dict[str, object]]],
    skipped: dict[str, str] | None = None,
    *,
    profile_type: str | None = None,
    with_tags: bool = True,
    account: str | None = ACCOUNT,
) -> Snapshot:
    by_region = {
        region: {str(p["inferenceProfileId"]): p for p in profiles} for region, profiles in regions.items()
    }
    return Snapshot(name, profile_type, with_tags, account, by_region, skipped or {})


def test_compare_reports_each_kind_of_change_once_in_region_id_and_field_order() -> None:
    old = snap(
        "old",
        {
            "us-east-1": [
                record("gone"),
                record("same"),
                record(
                    "moved",
                    status="ACTIVE",
                    inferenceProfileName="Before",
                    tags={"team": "ml", "env": "prod", "keep": "x"},
                ),
            ],
            "eu-west-1": [record("euro")],
        },
    )
    new = snap(
        "new",
        {
            "us-east-1": [
                record("same"),
                record(
                    "moved",
                    status="INACTIVE",
                    inferenceProfileName="After",
                    models=[model("us-east-1", "m"), model("us-west-1", "m")],
                    destinationRegions=["us-east-1", "us-west-1"],
                    tags={"team": "platform", "keep": "x", "cost": "42"},
                ),
                record("fresh"),
            ],
            "eu-west-1": [record("euro")],
        },
    )
    result = compare(old, new)
    assert result.compared == ["eu-west-1", "us-east-1"]
    assert result.not_compared == {} and result.warnings == []
    common = {"region": "us-east-1", "added": None, "removed": None}
    assert result.changes == [
        {**common, "inferenceProfileId": "fresh", "inferenceProfileName": "FRESH", "change": "added",
         "field": None, "before": None, "after": record("fresh")},
        {**common, "inferenceProfileId": "gone", "inferenceProfileName": "GONE", "change": "removed",
         "field": None, "before": record("gone"), "after": None},
        {**common, "inferenceProfileId": "moved", "inferenceProfileName": "After", "change": "changed",
         "field": "status", "before": "ACTIVE", "after": "INACTIVE"},
        {**common, "inferenceProfileId": "moved", "inferenceProfileName": "After", "change": "changed",
         "field": "name", "before": "Before", "after": "After"},
        {"region": "us-east-1", "inferenceProfileId": "moved", "inferenceProfileName": "After",
         "change": "changed", "field": "models",
         "before": [model("us-east-1", "m"), model("us-west-2", "m")],
         "after": [model("us-east-1", "m"), model("us-west-1", "m")],
         "added": [model("us-west-1", "m")], "removed": [model("us-west-2", "m")]},
        {"region": "us-east-1", "inferenceProfileId": "moved", "inferenceProfileName": "After",
         "change": "changed", "field": "destinations",
         "before": ["us-east-1", "us-west-2"], "after": ["us-east-1", "us-west-1"],
         "added": ["us-west-1"], "removed": ["us-west-2"]},
        {"region": "us-east-1", "inferenceProfileId": "moved", "inferenceProfileName": "After",
         "change": "changed", "field": "tags",
         "before": {"env": "prod", "keep": "x", "team": "ml"},
         "after": {"cost": "42", "keep": "x", "team": "platform"},
         "added": {"cost": "42", "team": "platform"}, "removed": {"env": "prod", "team": "ml"}},
    ]  # fmt: skip
    assert (
        summary_line(result) == "7 changes: 1 profile added, 1 removed, 1 changed, in 1 of 2 regions compared"
    )
    narrowed = compare(old, new, ignore=("tags", "models", "destinations", "name"))
    assert [(c["inferenceProfileId"], c["field"]) for c in narrowed.changes] == [
        ("fresh", None),
        ("gone", None),
        ("moved", "status"),
    ]
    assert (
        compare(old, old).changes == []
        and summary_line(compare(old, old)) == "no changes (2 regions compared)"
    )


def test_a_region_skipped_on_either_side_or_covered_by_one_is_not_compared() -> None:
    old = snap(
        "old.json", {"us-east-1": [record("a")], "eu-west-1": [record("b")]}, {"af-south-1": "not enabled"}
    )
    new = snap(
        "live", {"af-south-1": [record("c")], "ap-south-1": [record("d")]}, {"us-east-1": "access denied"}
    )
    result = compare(old, new)
    assert result.changes == []  # nothing reported removed (us-east-1, eu-west-1) or added (af-, ap-south-1)
    assert result.compared == []
    assert result.not_compared == {
        "af-south-1": "skipped in old.json: not enabled",
        "ap-south-1": "not in old.json",
        "eu-west-1": "not in live",
        "us-east-1": "skipped in live: access denied",
    }


def test_different_types_compare_only_the_type_both_hold() -> None:
    system = record("us.m", type="SYSTEM_DEFINED")
    both = snap("all.json", {"us-east-1": [system, record("app")]})
    apps = snap("apps.json", {"us-east-1": [record("app", status="FAILED")]}, profile_type="APPLICATION")
    result = compare(both, apps)
    assert [(c["inferenceProfileId"], c["field"]) for c in result.changes] == [("app", "status")]
    assert result.warnings == ["only APPLICATION profiles compared: all.json holds both types"]
    systems = snap("sys.json", {"us-east-1": [system]}, profile_type="SYSTEM_DEFINED")
    with pytest.raises(BedrockProfileError) as caught:
        compare(apps, systems)
    assert caught.value.exit_code == ExitCode.USAGE
    assert "nothing to compare" in caught.value.message


def test_tags_are_compared_only_when_both_have_them() -> None:
    old = snap("old.json", {"us-east-1": [record("a", tags={"team": "ml"})]})
    new = snap("new.json", {"us-east-1": [record("a")]}, with_tags=False)
    result = compare(old, new)
    assert result.changes == []
    assert result.warnings == ["tags not compared: new.json was taken without --tags"]
    assert compare(old, new, ignore=("tags",)).warnings == []  # asked for: nothing to say


def test_another_account_is_said() -> None:
    old = snap("prod.json", {"us-east-1": []})
    new = snap("dev.json", {"us-east-1": []}, account="210987654321")
    assert compare(old, new).warnings == [
        f"prod.json is of account {ACCOUNT}, dev.json of account 210987654321"
    ]


# --- reading one ---------------------------------------------------------------------------------------


def minimal(**extra: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "format": FORMAT,
        "formatVersion": 1,
        "takenAt": "2026-05-01T12:00:00+00:00",
        "account": ACCOUNT,
        "profileType": None,
        "withTags": False,
        "regions": [{"region": "us-east-1", "profiles": [record("a")]}],
        "skipped": [],
    }
    return {**doc, **extra}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "bedrock-profile-snapshot",\n  "formatVersion": }', "f.json:2:20: not JSON: Expecting value"),
        ("", "f.json:1:1: not JSON: Expecting value"),
        ("just some text\n", "f.json:1:1: not JSON: Expecting value"),
        ("[1, 2]", "f.json: not a bedrock-profile snapshot: a list, not an object"),
        ('{"regions": []}', 'f.json: not a bedrock-profile snapshot (no "format": "bedrock-profile-snapshot")'),
        (json.dumps(minimal(formatVersion=2)), "f.json: snapshot format version 2 is not one this bedrock-profile reads (it reads 1)"),
        (json.dumps(minimal(formatVersion=True)), "format version true is not one"),
        (json.dumps(minimal(formatVersion="1")), 'format version "1" is not one'),
        (json.dumps(minimal(withTags="yes")), "f.json: withTags: must be true or false"),
        (json.dumps(minimal(profileType="BOTH")), "f.json: profileType: must be null or one of"),
        (json.dumps(minimal(regions={})), "f.json: regions: must be a list"),
        (json.dumps(minimal(regions=[{"region": "us-east-1", "profiles": [record("a", models="arn")]}])),
         "f.json: regions[0].profiles[0].models: must be a list of strings"),
        (json.dumps(minimal(regions=[{"region": "us-east-1", "profiles": [record("a", tags={"k": 1})]}])),
         "regions[0].profiles[0].tags: must be an object of strings"),
        (json.dumps(minimal(regions=[{"region": "us-east-1", "profiles": [record("a"), record("a")]}])),
         'regions[0].profiles[1]: "a" is listed twice in us-east-1'),
        (json.dumps(minimal(skipped=[{"region": "us-east-1", "reason": "x"}])),
         'skipped[0].region: "us-east-1" is already in the snapshot'),
        (json.dumps(minimal(regions=[], skipped=[])), "f.json: the snapshot covers no region"),
        ("[" * 100_000, "f.json: not a snapshot: nested too deeply"),
        ("a: &x [1]\nb: *x\n", "f.json: YAML with aliases (*name): not a snapshot"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_snapshot_is_exit_2_naming_it(text: str, message: str) -> None:
    with pytest.raises(SnapshotError) as caught:
        parse_snapshot(text, "f.json")
    assert caught.value.exit_code == ExitCode.USAGE
    assert message in caught.value.message


def test_a_yaml_snapshot_reads_as_its_json() -> None:
    import yaml

    doc = minimal(
        regions=[{"region": "us-east-1", "profiles": [record("a", createdAt="2024-08-26T00:00:00+00:00")]}]
    )
    text = yaml.safe_dump(doc, sort_keys=False)
    assert parse_snapshot(text, "s.yaml") == parse_snapshot(json.dumps(doc), "s.yaml")


# --- tables ------------------------------------------------------------------------------------------------


def test_the_change_table_groups_by_region_and_shows_service_text_as_data() -> None:
    old = snap("a", {"us-east-1": [record("p", tags={"team": "ml", "env": "x"})], "eu-west-1": [record("q")]})
    new = snap(
        "b",
        {
            "us-east-1": [
                record("p", status="[bold]INACTIVE\x1b[2J", tags={"team": "platform", "cost": "1"})
            ],
            "eu-west-1": [],
        },
    )
    out = render_output(compare(old, new).changes, "changes", "table", color=True)
    plain = render_output(compare(old, new).changes, "changes", "table")
    assert "\x1b[2J" not in out and "[bold]" in plain  # markup is text; ESC made visible
    assert plain.splitlines() == [
        "eu-west-1",
        "  - q  Q  APPLICATION",
        "",
        "us-east-1",
        "  ~ p  P",
        "      status  ACTIVE → [bold]INACTIVE\\x1b[2J",
        "      tags    + cost=1",
        "              - env=x",
        "              ~ team: ml → platform",
    ]
    assert render_output([], "changes", "table") == ""


def test_the_snapshot_table_lists_every_profile_with_its_region() -> None:
    doc = build_snapshot(
        {"us-east-1": [(summary("app1"), {})]},
        [],
        profile_type=None,
        with_tags=True,
        taken_at=datetime.now(timezone.utc),
    )
    out = render_output(doc, "snapshot", "table", columns=120)
    assert "us-east-1" in out and "app1" in out and "name of app1" in out and "APPLICATION" in out


def test_a_snapshot_is_json_unless_asked_otherwise() -> None:
    from bedrock_profile_cli.output.kinds import KINDS

    assert KINDS["snapshot"].default_format == "json"


# --- over the served emulator -----------------------------------------------------------------------------


def create(bedrock, name: str, source: str = NOVA_ARN, tags: dict[str, str] | None = None) -> str:
    arn: str = bedrock.create_inference_profile(
        inferenceProfileName=name,
        modelSource={"copyFrom": source},
        tags=[{"key": k, "value": v} for k, v in (tags or {}).items()],
    )["inferenceProfileArn"]
    return arn


def profile_id(arn: str) -> str:
    return arn.rsplit("/", 1)[1]


def test_diff_against_the_account_reports_exactly_what_changed(emulator, bedrock, tmp_path: Path) -> None:
    kept = create(bedrock, "kept", tags={"team": "ml", "env": "prod"})
    doomed = create(bedrock, "doomed", tags={"team": "ml"})
    untouched = create(bedrock, "untouched", tags={"team": "search"})
    bedrock.tag_resource(resourceARN=untouched, tags=[{"key": "cost", "value": "7"}])
    taken = run_cli("snapshot", "--tags")
    assert taken.code == 0, taken.err
    old = tmp_path / "profiles.json"
    old.write_text(taken.out)
    doc = json.loads(taken.out)
    assert [r["region"] for r in doc["regions"]] == ["us-east-1"] and doc["skipped"] == []
    by_id = {p["inferenceProfileId"]: p for p in doc["regions"][0]["profiles"]}
    assert by_id[profile_id(untouched)]["tags"] == {"cost": "7", "team": "search"}
    assert by_id[NOVA]["type"] == "SYSTEM_DEFINED" and "tags" not in by_id[NOVA]

    bedrock.tag_resource(resourceARN=kept, tags=[{"key": "team", "value": "platform"}])
    bedrock.delete_inference_profile(inferenceProfileIdentifier=doomed)
    fresh = create(bedrock, "fresh", source=HAIKU_ARN)

    result = run_cli("diff", str(old), "-o", "json")
    assert result.code == ExitCode.CHECK_FAILED, result.err
    changes = json.loads(result.out)
    assert [(c["change"], c["inferenceProfileId"], c["field"]) for c in changes] == sorted(
        [
            ("changed", profile_id(kept), "tags"),
            ("removed", profile_id(doomed), None),
            ("added", profile_id(fresh), None),
        ],
        key=lambda change: change[1],
    )
    tags = next(c for c in changes if c["field"] == "tags")
    assert tags["region"] == "us-east-1" and tags["inferenceProfileName"] == "kept"
    assert (tags["before"], tags["after"]) == (
        {"env": "prod", "team": "ml"},
        {"env": "prod", "team": "platform"},
    )
    assert (tags["added"], tags["removed"]) == ({"team": "platform"}, {"team": "ml"})
    added = next(c for c in changes if c["change"] == "added")
    assert added["after"]["inferenceProfileName"] == "fresh" and added["after"]["tags"] == {}
    assert added["after"]["destinationRegions"] == sorted(
        {
            m["modelArn"].split(":")[3]
            for m in bedrock.get_inference_profile(inferenceProfileIdentifier=fresh)["models"]
        }
    )
    removed = next(c for c in changes if c["change"] == "removed")
    assert removed["before"]["inferenceProfileName"] == "doomed"
    assert "3 changes: 1 profile added, 1 removed, 1 changed, in 1 of 1 region compared" in result.err

    table = run_cli("diff", str(old), "-o", "table")
    assert table.code == ExitCode.CHECK_FAILED
    assert table.out.splitlines()[0] == "us-east-1"
    assert f"  - {profile_id(doomed)}  doomed  APPLICATION" in table.out.splitlines()
    assert "~ team: ml → platform" in table.out


def test_diff_right_after_a_snapshot_and_against_itself_is_empty(emulator, bedrock, invoke, tmp_path) -> None:
    create(bedrock, "app", tags={"team": "ml"})
    taken = invoke("snapshot", "--tags", "--type", "application")
    assert taken.code == 0, taken.err
    old = tmp_path / "apps.json"
    old.write_text(taken.out)
    doc = json.loads(taken.out)
    assert doc["profileType"] == "APPLICATION" and doc["withTags"] is True and doc["account"] == ACCOUNT
    for args in ([str(old)], [str(old), str(old)]):
        result = invoke("diff", *args, "-o", "json")
        assert (result.code, json.loads(result.out)) == (0, []), result.err
        assert "no changes (1 region compared)" in result.err
    yaml_file = tmp_path / "apps.yaml"
    yaml_file.write_text(invoke("snapshot", "--tags", "--type", "APPLICATION", "-o", "yaml").out)
    assert invoke("diff", str(old), str(yaml_file)).code == 0


def test_diff_asks_the_regions_and_settings_the_old_snapshot_has(emulator, bedrock, invoke, tmp_path) -> None:
    app = create(bedrock, "app", tags={"team": "ml"})
    taken = invoke("snapshot", "--regions", "us-west-2,us-east-1,af-south-1", "--type", "APPLICATION")
    assert taken.code == 0, taken.err
    assert "skipped 1 region" in taken.err and "af-south-1" in taken.err
    doc = json.loads(taken.out)
    assert [r["region"] for r in doc["regions"]] == ["us-east-1", "us-west-2"]  # sorted
    assert [s["region"] for s in doc["skipped"]] == ["af-south-1"]
    assert doc["skipped"][0]["awsCode"] == "UnrecognizedClientException" and doc["skipped"][0]["reason"]
    old = tmp_path / "old.json"
    old.write_text(taken.out)
    bedrock.tag_resource(resourceARN=app, tags=[{"key": "team", "value": "other"}])  # taken without --tags
    result = invoke("diff", str(old), "-r", "eu-west-1", "-o", "json")
    assert (result.code, json.loads(result.out)) == (0, []), result.err
    assert f"not compared (skipped in {old}: not enabled for this account" in result.err
    assert "af-south-1" in result.err
    assert "--region is ignored" in result.err
    assert "no changes (2 regions compared)" in result.err
    fresh = create(bedrock, "fresh")
    result = invoke("diff", str(old), "-o", "json")
    assert result.code == ExitCode.CHECK_FAILED
    assert [(c["region"], c["inferenceProfileId"], c["change"]) for c in json.loads(result.out)] == [
        ("us-east-1", profile_id(fresh), "added")
    ]


def test_a_region_skipped_now_but_not_then_is_not_compared(emulator, bedrock, invoke, tmp_path) -> None:
    taken = invoke("snapshot", "--regions", "us-east-1,eu-west-3", "--type", "SYSTEM_DEFINED")
    assert taken.code == 0, taken.err
    old = tmp_path / "old.json"
    old.write_text(taken.out)
    inject_fault(
        operation="*",
        region="eu-west-3",
        status=403,
        code="AccessDeniedException",
        message="denied by an SCP",
        times=None,
    )
    result = invoke("diff", str(old), "-o", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == []  # eu-west-3's profiles are not "removed"
    assert "not compared (skipped in live: access denied" in result.err and "eu-west-3" in result.err


def test_tags_that_cannot_be_read_fail_the_region_not_skip_it(emulator, bedrock, invoke) -> None:
    create(bedrock, "app")
    inject_fault(
        operation="ListTagsForResource",
        status=403,
        code="AccessDeniedException",
        message="no tags for you",
        times=None,
    )
    result = invoke("snapshot", "--tags", "--type", "APPLICATION")
    assert result.code == ExitCode.ACCESS_DENIED
    doc = json.loads(result.out)
    assert doc["regions"] == []
    assert (
        doc["skipped"][0]["region"] == "us-east-1" and doc["skipped"][0]["exitCode"] == ExitCode.ACCESS_DENIED
    )
    assert "skipped" not in result.err  # a failure (an error line), not a refusing region
    assert "error" in result.err and "no tags for you" in result.err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"format": "bedrock-profile-snapshot", "formatVersion": 1, "regions": [', ":1:"),
        ('{"hello": "world"}', "not a bedrock-profile snapshot"),
        ('{"format": "bedrock-profile-snapshot", "formatVersion": 99}', "format version 99"),
    ],
)
def test_a_corrupt_snapshot_is_exit_2(invoke, tmp_path, content, expected) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    for args in ([str(bad)], [str(bad), str(bad)]):
        result = invoke("diff", *args)
        assert result.code == ExitCode.USAGE
        assert str(bad) in result.err and expected in result.err
        assert result.out == ""


def test_an_unreadable_snapshot_is_exit_2(invoke, tmp_path) -> None:
    missing = tmp_path / "missing.json"
    result = invoke("diff", str(missing))
    assert result.code == ExitCode.USAGE and f"{missing}: cannot read it" in result.err
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    assert invoke("diff", str(binary)).code == ExitCode.USAGE


def test_ignore_is_a_choice_any_case_repeatable(invoke, tmp_path) -> None:
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text(json.dumps(minimal(regions=[{"region": "us-east-1", "profiles": [record("a")]}])))
    new.write_text(
        json.dumps(
            minimal(
                regions=[
                    {"region": "us-east-1", "profiles": [record("a", status="X", inferenceProfileName="B")]}
                ]
            )
        )
    )
    assert invoke("diff", str(old), str(new)).code == ExitCode.CHECK_FAILED
    assert invoke("diff", str(old), str(new), "--ignore", "STATUS").code == ExitCode.CHECK_FAILED
    assert invoke("diff", str(old), str(new), "--ignore", "Status", "--ignore", "name").code == 0
    refused = invoke("diff", str(old), str(new), "--ignore", "createdAt")
    assert (
        refused.code == ExitCode.USAGE
        and "is not one of status, name, models, destinations, tags" in refused.err
    )


def test_diff_reads_old_from_standard_input(emulator, tmp_path) -> None:
    doc = minimal(regions=[{"region": "us-east-1", "profiles": [record("a")]}])
    new = tmp_path / "new.json"
    new.write_text(json.dumps(doc))
    result = run_cli("diff", "-", str(new), input=json.dumps(doc))
    assert (result.code, result.out) == (0, "[]\n"), result.err


def test_a_huge_number_or_a_missing_key_is_not_a_snapshot(invoke, tmp_path) -> None:
    good = invoke("snapshot", "--emulator", "--type", "SYSTEM_DEFINED", "-o", "json")
    assert good.code == 0, good.err
    doc = json.loads(good.out)
    huge = tmp_path / "huge.json"
    huge.write_text(good.out.replace('"formatVersion": 1', '"formatVersion": ' + "1" * 5000))
    missing = tmp_path / "missing.json"
    del doc["regions"][0]["profiles"][0]["status"]
    missing.write_text(json.dumps(doc))
    for path in (huge, missing):
        result = invoke("diff", str(path), str(path))
        assert result.code == ExitCode.USAGE, result.err
        assert str(path) in result.err
