"""The emulator's catalog against the facts: the shared snapshot of the live API (``../shared/data``
next to the repository; read-only), and every profile of every region through the CLI in every format.

Without the snapshot these tests skip, except under CI (``CI=true``), where they fail: the emulator
must not drift from the facts unnoticed.
"""

import json
import os
import re
from datetime import datetime
from pathlib import Path

import pytest

from bedrock_profile_cli.emulator import build_catalog
from bedrock_profile_cli.emulator.backend import ProfileStore, parse_time, wire_time
from bedrock_profile_cli.emulator.catalog import load
from tests.conftest import render_output

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT.parent / "shared" / "data"
ACCOUNT = "123456789012"
FORMATS = ("table", "wide", "yaml", "text")


@pytest.fixture(scope="module")
def snapshot() -> dict[str, list[dict]]:
    files = [SNAPSHOT / name for name in ("profiles.json", "foundation-models.json")]
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        message = (
            f"the live-API snapshot is missing ({', '.join(missing)}): it belongs at ../shared/data next "
            "to the repository; the emulator's catalog cannot be checked against the facts without it"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {path.stem: json.loads(path.read_text()) for path in files}


def test_catalog_equals_the_snapshot_where_they_overlap(snapshot) -> None:
    catalog = load()
    listed = {(s["region"], s["inferenceProfileId"]) for s in snapshot["profiles"]}
    for summary in snapshot["profiles"]:
        expected = {k: v for k, v in summary.items() if k != "region"}
        ours = [
            p
            for p in catalog.profiles(summary["region"])
            if p["inferenceProfileId"] == summary["inferenceProfileId"]
        ]
        assert ours == [expected], f"{summary['region']} {summary['inferenceProfileId']}"
    invented = {
        (region, p["inferenceProfileId"]) for region in catalog.regions for p in catalog.profiles(region)
    } - listed
    assert invented == set()
    assert set(catalog.regions) == {s["region"] for s in snapshot["profiles"]}

    for model in snapshot["foundation-models"]:
        if "modelArn" not in model:  # mantleOnly: not a ListFoundationModels answer
            assert model["modelId"] in catalog.provenance["skippedModels"]["ids"]
            continue
        facts = {k: v for k, v in model.items() if k not in ("regions", "modelArn")}
        for region in catalog.regions:
            ours = [m for m in catalog.models(region) if m["modelId"] == model["modelId"]]
            if region in model["regions"]:
                assert len(ours) == 1, f"{model['modelId']} in {region}"
                assert {k: v for k, v in ours[0].items() if k != "modelArn"} == facts
                assert ours[0]["modelArn"] == f"arn:aws:bedrock:{region}::foundation-model/{model['modelId']}"
                if model["modelArn"].split(":")[3] == region:
                    assert ours[0]["modelArn"] == model["modelArn"]
            elif ours:  # only added where the region's own profiles route to it there
                assert ours[0]["inferenceTypesSupported"] == ["INFERENCE_PROFILE"]
                assert any(
                    m["modelArn"] == ours[0]["modelArn"]
                    for s in snapshot["profiles"]
                    if s["region"] == region
                    for m in s["models"]
                )


def test_catalog_file_is_what_the_build_script_makes_of_the_snapshot(snapshot) -> None:
    assert build_catalog.main([str(SNAPSHOT), "--check"]) == 0


def test_the_emulator_answers_the_snapshots_facts(snapshot) -> None:
    """GetInferenceProfile in each source region says what the live API said there, with the caller's
    account in the ARN and timestamps as epoch seconds."""
    stores: dict[str, ProfileStore] = {}
    for summary in snapshot["profiles"]:
        region = summary["region"]
        store = stores.setdefault(region, ProfileStore(account_id=ACCOUNT, region=region))
        got = store.get(summary["inferenceProfileId"]).to_api()
        expected = {k: v for k, v in summary.items() if k != "region"}
        expected["inferenceProfileArn"] = expected["inferenceProfileArn"].replace(
            ":452954105288:", f":{ACCOUNT}:"
        )
        expected["createdAt"] = wire_time(parse_time(expected["createdAt"]))
        expected["updatedAt"] = wire_time(parse_time(expected["updatedAt"]))
        assert got == expected
        assert store.get(got["inferenceProfileArn"]).profile_id == summary["inferenceProfileId"]


def test_the_quirks_are_kept() -> None:
    catalog = load()
    every = [(r, p) for r in catalog.regions for p in catalog.profiles(r)]
    assert max(len(p["models"]) for _, p in every) == 10
    assert any(p["inferenceProfileId"] == "global.xai.grok-4.6" for _, p in every)
    assert any(not p["inferenceProfileId"].endswith(("0", "1", "2", "3")) for _, p in every)
    globals_ = [p for _, p in every if p["inferenceProfileId"].startswith("global.")]
    assert all(p["models"][0]["modelArn"].startswith("arn:aws:bedrock:::foundation-model/") for p in globals_)
    assert any("." in p["inferenceProfileName"] for _, p in every)  # outside botocore's name pattern


def test_readme_examples_use_ids_of_the_live_catalog() -> None:
    catalog = load()
    known = {p["inferenceProfileId"] for r in catalog.regions for p in catalog.profiles(r)}
    models = {m["modelId"] for r in catalog.regions for m in catalog.models(r)}
    readme = (ROOT / "README.md").read_text()
    profile_ids = set(
        re.findall(r"\b(?:us|eu|apac|global|jp|au|ca|in)\.[a-z0-9-]+\.[a-z0-9.:-]*[a-z0-9]", readme)
    )
    model_ids = set(
        re.findall(r"(?<![.\w])(?:anthropic|amazon|meta|mistral|cohere)\.[a-z0-9.:-]*[a-z0-9]", readme)
    )
    assert profile_ids
    assert model_ids
    assert profile_ids - known == set()
    assert model_ids - models == set()


def iso(text: str) -> str:
    return datetime.fromisoformat(text).isoformat()


def expected_output(summary: dict) -> dict:
    doc = {k: v for k, v in summary.items() if k != "region"}
    doc["inferenceProfileArn"] = doc["inferenceProfileArn"].replace(":452954105288:", f":{ACCOUNT}:")
    doc["createdAt"], doc["updatedAt"] = iso(doc["createdAt"]), iso(doc["updatedAt"])
    return doc


@pytest.mark.parametrize("region", load().regions)
def test_every_profile_of_every_region_through_the_cli_in_every_format(invoke, region) -> None:
    """get of every ID and list, in process, parse and print; each document renders in every format
    (10 models, region-less model ARNs, IDs without a version, names outside botocore's pattern)."""
    summaries = load().profiles(region)
    ids = [s["inferenceProfileId"] for s in summaries]
    got = invoke("get", "--emulator", "-r", region, *ids, "-o", "json")
    assert got.code == 0, got.err
    documents = json.loads(got.out)
    assert documents == [expected_output(s) for s in summaries]
    # one page per type: paging has tests of its own (test_emulator, test_list_query)
    listed = invoke(
        "list", "--emulator", "-r", region, "-o", "json", env={"BEDROCK_PROFILE_EMULATOR_PAGE_SIZE": "1000"}
    )
    assert listed.code == 0, listed.err
    assert json.loads(listed.out) == documents  # both types: no APPLICATION profile here yet
    for kind in ("profile", "profile-summaries"):
        for fmt in FORMATS:
            rendered = render_output(documents, kind, fmt)
            lines = rendered.splitlines()
            missing = [i for i in ids if not any(i in line for line in lines)]  # whole, on one line
            assert missing == [], f"{kind} {fmt} lacks {missing}"
            if fmt in ("table", "wide") and (kind, fmt) != ("profile-summaries", "table"):
                models = {m["modelArn"].rsplit("/", 1)[1] for doc in documents for m in doc["models"]}
                cropped = [m for m in models if not any(m in line for line in lines)]
                assert cropped == [], f"{kind} {fmt} crops model IDs"
            assert "…" not in rendered
            if (kind, fmt) == ("profile", "table"):
                assert rendered.count("╭") == len(documents)


def squash(rendered: str) -> str:
    return "".join(ch for ch in rendered if not ch.isspace() and ch not in "│")
