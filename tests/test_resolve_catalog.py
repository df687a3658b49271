"""``resolve`` against the facts: for every foundation model of the live-API snapshot
(``../shared/data`` next to the repository, read-only) and every source region, what ``resolve
--emulator --all-regions`` answers equals what this file computes from the snapshot's raw JSON.

The expectations come from ``profiles.json`` and ``foundation-models.json`` and botocore's endpoint
data only, by the documented rule, written out again here: nothing of ``bedrock_profile_cli`` is
imported (its routing, resolving or the emulator's catalog would make the test restate the code);
the CLI is only run.  Mismatches are collected and reported together, as (model, region, field,
expected, got), so one run shows every disagreement.

Without the snapshot these tests skip, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import botocore
import pytest

SNAPSHOT = Path(__file__).resolve().parents[2] / "shared" / "data"
SNAPSHOT_ACCOUNT = "452954105288"  # the collecting account, in the snapshot's profile ARNs
EMULATOR_ACCOUNT = "123456789012"  # moto's default account: the emulator's ARNs carry it
PARTITION = "aws"  # AWS_REGION=us-east-1 (conftest): the commercial partition
OPT_IN_REFUSAL = "UnrecognizedClientException"
GLOBAL = "global"

Doc = dict[str, Any]


def arn_parts(arn: str) -> tuple[str, str, str, str]:
    """(region, account, resource type, resource ID) of an ARN; the ID may hold ``:`` and ``/``."""
    prefix, partition, service, region, account, resource = arn.split(":", 5)
    assert (prefix, partition, service) == ("arn", PARTITION, "bedrock"), arn
    kind, _, ident = resource.partition("/")
    return region, account, kind, ident


@dataclass
class Truth:
    """The snapshot, and what ``resolve`` must answer from it."""

    profiles: list[Doc]
    models: list[Doc]
    by_region: dict[str, list[Doc]] = field(default_factory=dict)
    model_by_id: dict[str, Doc] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for summary in self.profiles:  # kept in the order each region listed them
            self.by_region.setdefault(summary["region"], []).append(summary)
        self.model_by_id = {m["modelId"]: m for m in self.models}
        assert len(self.model_by_id) == len(self.models), "model IDs repeat in foundation-models.json"

    @property
    def source_regions(self) -> set[str]:
        return set(self.by_region)

    @property
    def served_models(self) -> list[str]:
        """Models the emulator serves: those with a ListFoundationModels answer (a ``modelArn``)."""
        return [m["modelId"] for m in self.models if "modelArn" in m]

    @property
    def unserved_models(self) -> list[str]:
        return [m["modelId"] for m in self.models if "modelArn" not in m]

    def profiles_for(self, model: str, region: str) -> list[Doc]:
        found = []
        for summary in self.by_region.get(region, []):
            destinations: list[str] = []
            for entry in summary["models"]:
                where, _, kind, ident = arn_parts(entry["modelArn"])
                if kind == "foundation-model" and ident == model:
                    destination = where or "*"
                    if destination not in destinations:
                        destinations.append(destination)
            if not destinations:
                continue
            profile_id = summary["inferenceProfileId"]
            if summary["type"] != "SYSTEM_DEFINED":
                pytest.fail(f"{profile_id} in {region} is {summary['type']}: extend this test's rule")
            arn_region, account, kind, ident = arn_parts(summary["inferenceProfileArn"])
            assert (arn_region, account, kind, ident) == (
                region,
                SNAPSHOT_ACCOUNT,
                "inference-profile",
                profile_id,
            )
            found.append(
                {
                    "inferenceProfileId": profile_id,
                    "inferenceProfileArn": (
                        f"arn:{PARTITION}:bedrock:{region}:{EMULATOR_ACCOUNT}:inference-profile/{profile_id}"
                    ),
                    "type": summary["type"],
                    "scope": profile_id.split(".", 1)[0],
                    "destinationRegions": destinations,
                }
            )

        def order(profile: Doc) -> tuple[int, int, str]:
            # system-defined of a geography, then global (application profiles would come last)
            rank = 1 if profile["scope"] == GLOBAL else 0
            return rank, len(profile["destinationRegions"]), profile["inferenceProfileId"]

        return sorted(found, key=order)

    def inference_types(self, model: str, region: str) -> list[str] | None:
        facts = self.model_by_id.get(model)
        if facts is not None and "modelArn" not in facts:
            return None  # not a ListFoundationModels answer: the emulator does not know it
        if facts is not None and region in facts["regions"]:
            return list(facts["inferenceTypesSupported"])
        for summary in self.by_region.get(region, []):
            for entry in summary["models"]:
                where, _, kind, ident = arn_parts(entry["modelArn"])
                if (where, kind, ident) == (region, "foundation-model", model):
                    return ["INFERENCE_PROFILE"]  # reachable there only through a profile
        return None

    def resolution(self, model: str, region: str, given: str | None = None) -> Doc:
        types = self.inference_types(model, region)
        profiles = self.profiles_for(model, region)
        on_demand = types is not None and "ON_DEMAND" in types
        geography = [p["inferenceProfileId"] for p in profiles if p["scope"] != GLOBAL]
        global_ = [p["inferenceProfileId"] for p in profiles if p["scope"] == GLOBAL]
        recommended = model if on_demand else next(iter(geography + global_), None)
        return {
            "model": model,
            "region": region,
            "input": given if given is not None else model,
            "onDemand": on_demand,
            "inferenceTypesSupported": types,
            "recommended": recommended,
            "profiles": profiles,
        }

    def callable_somewhere(self, model: str) -> bool:
        return any(
            (r := self.resolution(model, region))["onDemand"] or r["profiles"]
            for region in self.source_regions
        )

    def lists_models_of(self, profile_id: str) -> bool:
        """Whether every model the profile routes has a ListFoundationModels answer."""
        return all(m in self.served_models for m in self.models_of_profile(profile_id, self.by_region))

    def models_of_profile(self, profile_id: str, regions: Iterable[str]) -> list[str]:
        """The distinct model IDs a profile names where it is listed, in first-seen order."""
        found: list[str] = []
        for region in regions:
            for summary in self.by_region.get(region, []):
                if summary["inferenceProfileId"] != profile_id:
                    continue
                for entry in summary["models"]:
                    _, _, _, ident = arn_parts(entry["modelArn"])
                    if ident not in found:
                        found.append(ident)
        return found


@pytest.fixture(scope="module")
def truth() -> Truth:
    files = [SNAPSHOT / name for name in ("profiles.json", "foundation-models.json")]
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        message = (
            f"the live-API snapshot is missing ({', '.join(missing)}): it belongs at ../shared/data next "
            "to the repository; resolve cannot be checked against the facts without it"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    profiles, models = (json.loads(path.read_text()) for path in files)
    return Truth(profiles, models)


def commercial_bedrock_regions() -> set[str]:
    """Regions of the commercial partition with a Bedrock endpoint, straight from botocore's data
    (endpoint names like ``bedrock-fips-us-east-1`` are not regions)."""
    data = json.loads((Path(botocore.__file__).parent / "data" / "endpoints.json").read_text())
    (aws,) = [p for p in data["partitions"] if p["partition"] == PARTITION]
    return set(aws["services"]["bedrock"]["endpoints"]) & set(aws["regions"])


def mismatches(got: Sequence[Doc], expected: Iterable[Doc]) -> list[str]:
    """Every difference between the results and the expected ones, keyed by (input, model, region)."""
    problems: list[str] = []
    ours: dict[tuple[str, str, str], Doc] = {}
    for doc in got:
        key = (str(doc.get("input")), str(doc.get("model")), str(doc.get("region")))
        if key in ours:
            problems.append(f"{key}: answered twice")
        ours[key] = doc
    wanted = {(d["input"], d["model"], d["region"]): d for d in expected}
    for key in sorted(wanted.keys() - ours.keys()):
        problems.append(f"{key}: missing from the results")
    for key in sorted(ours.keys() - wanted.keys()):
        problems.append(f"{key}: not expected, got {ours[key]}")
    for key in sorted(wanted.keys() & ours.keys()):
        fields = dict.fromkeys([*wanted[key], *ours[key]])
        for name in fields:
            want, have = wanted[key].get(name, "<absent>"), ours[key].get(name, "<absent>")
            if want != have:
                given, model, region = key
                via = "" if given == model else f" (input {given})"
                problems.append(f"{model} in {region}{via}: {name}: expected {want!r}, got {have!r}")
    return problems


def report(problems: list[str]) -> str:
    shown = "\n".join(problems[:40])
    more = f"\n... and {len(problems) - 40} more" if len(problems) > 40 else ""
    return f"{len(problems)} disagreement(s) with the snapshot:\n{shown}{more}"


def stderr_records(err: str) -> list[Doc]:
    records = []
    for line in err.splitlines():
        if line.strip():
            try:
                records.append(json.loads(line))
            except ValueError:
                raise AssertionError(f"a stderr line that is not JSON: {line!r}") from None
    return records


def resolve_all_regions(invoke: Any, truth: Truth, models: Sequence[str]) -> tuple[int, Doc, list[Doc]]:
    """resolve of ``models`` in one run over every region, with the region-level checks done: the
    document and the errors it reported."""
    got = invoke("resolve", "--emulator", *models, "--all-regions", "-o", "json", "--error-format", "json")
    document = json.loads(got.out)
    partition = commercial_bedrock_regions()
    assert len(partition) == 33  # what botocore's data says today; the docs quote it
    assert len(document["regions"]) == len(set(document["regions"])) == 33
    assert set(document["regions"]) == partition
    assert truth.source_regions < partition
    skipped = {s["region"]: s for s in document["skipped"]}
    assert len(skipped) == len(document["skipped"])
    assert set(skipped) == partition - truth.source_regions
    assert {s["awsCode"] for s in skipped.values()} == {OPT_IN_REFUSAL}
    assert all(set(s) == {"region", "reason", "exitCode", "awsCode", "message"} for s in skipped.values())
    errors = [r for r in stderr_records(got.tool_err) if r.get("level") == "error"]
    return got.code, document, errors


def test_every_callable_model_in_every_region(invoke: Any, truth: Truth) -> None:
    """Each model some source region can call (on demand or through a profile), in one run: exit 0,
    and for every one of the 18 answering regions exactly the resolution the snapshot gives."""
    models = [m for m in truth.served_models if truth.callable_somewhere(m)]
    assert len(models) > 100  # most of the catalog; the rest are PROVISIONED-only variants
    code, document, errors = resolve_all_regions(invoke, truth, models)
    expected = [truth.resolution(m, r) for m in models for r in sorted(truth.source_regions)]
    assert mismatches(document["results"], expected) == [], report(mismatches(document["results"], expected))
    assert errors == []
    assert code == 0


def test_models_no_region_can_call(invoke: Any, truth: Truth) -> None:
    """The served models that no region can call (provisioned throughput only) and the models the
    snapshot has no ListFoundationModels answer for (the emulator does not know them): exit 4, an
    error for each of them and no other, every region answering as the snapshot says."""
    stuck = [m for m in truth.served_models if not truth.callable_somewhere(m)]
    unknown = truth.unserved_models
    assert stuck
    assert unknown
    code, document, errors = resolve_all_regions(invoke, truth, [*stuck, *unknown])
    expected = [truth.resolution(m, r) for m in [*stuck, *unknown] for r in sorted(truth.source_regions)]
    assert mismatches(document["results"], expected) == [], report(mismatches(document["results"], expected))
    named = [e["identifier"] for e in errors]
    assert sorted(named) == sorted([*stuck, *unknown])
    assert {e["exitCode"] for e in errors} == {4}
    # known models are "not callable", unknown ones "no such model": null types in every region
    for model in unknown:
        ours = [r for r in document["results"] if r["model"] == model]
        assert {r["region"] for r in ours} == truth.source_regions
        assert all(r["inferenceTypesSupported"] is None and r["profiles"] == [] for r in ours), model
    said = {e["identifier"]: e["message"] for e in errors}
    assert [m for m in unknown if "no foundation model" not in said[m]] == []
    assert [m for m in stuck if "no foundation model" in said[m]] == []
    assert code == 4


def test_models_only_profiles_name(invoke: Any, truth: Truth) -> None:
    """Models that profiles route but that no region's ListFoundationModels listed: where a profile
    of the source region names the model in that very region, it is reachable there only through a
    profile (the snapshot's README), so INFERENCE_PROFILE; elsewhere the region has no such model."""
    listed = set(truth.model_by_id)
    routed = sorted(
        {
            arn_parts(entry["modelArn"])[3]
            for summary in truth.profiles
            for entry in summary["models"]
            if arn_parts(entry["modelArn"])[3] not in listed
        }
    )
    assert routed  # meta.llama3-2-*, meta.llama3-1-405b in this snapshot
    sources = sorted(truth.source_regions)  # the refused regions are the tests above's
    got = invoke("resolve", "--emulator", *routed, "--regions", ",".join(sources), "-o", "json")
    results = json.loads(got.out)["results"]
    expected = [truth.resolution(m, r) for m in routed for r in sources]
    assert mismatches(results, expected) == [], report(mismatches(results, expected))
    assert got.code == 0, got.err  # each is called through its profiles


def test_profile_ids_as_input_stand_for_their_models(invoke: Any, truth: Truth) -> None:
    """Every ``us.`` profile of us-east-1, given as input there: one resolution per model it routes,
    with the profile ID as ``input``.  (Profiles of models ListFoundationModels never listed are
    test_models_only_profiles_name's, so that one disagreement is reported once.)"""
    region = "us-east-1"
    ids = [
        s["inferenceProfileId"]
        for s in truth.by_region[region]
        if s["inferenceProfileId"].startswith("us.") and truth.lists_models_of(s["inferenceProfileId"])
    ]
    assert len(ids) > 40
    got = invoke("resolve", "--emulator", *ids, "-r", region, "-o", "json")
    expected = [
        truth.resolution(model, region, given)
        for given in ids
        for model in truth.models_of_profile(given, [region])
    ]
    documents = json.loads(got.out)
    assert mismatches(documents, expected) == [], report(mismatches(documents, expected))
    assert all(d["recommended"] for d in expected)  # the profile itself routes it, at the least
    assert got.code == 0, got.err


def choose_pairs(truth: Truth) -> dict[str, tuple[str, str, str]]:
    """(model, region, what to call) for the cases the rule tells apart, the first of each in
    sorted order."""
    kinds: dict[str, tuple[str, str, str]] = {}
    for model in sorted(truth.served_models):
        for region in sorted(truth.source_regions):
            r = truth.resolution(model, region)
            scopes = [p["scope"] for p in r["profiles"]]
            has_global, has_geo = GLOBAL in scopes, any(s != GLOBAL for s in scopes)
            if r["onDemand"]:
                kind = "on demand, though profiles route it too" if scopes else "on demand"
            elif r["inferenceTypesSupported"] == ["INFERENCE_PROFILE"] and has_geo and has_global:
                kind = "profile only: geography and global"
            elif has_geo and not has_global:
                kind = "profile only: geography"
            elif has_global:
                kind = "only through the global profile"
            else:
                continue
            kinds.setdefault(kind, (model, region, r["recommended"]))
    return kinds


def test_recommended_as_text(invoke: Any, truth: Truth) -> None:
    """``-q recommended -o text`` prints exactly the identifier to call, for one (model, region) of
    each case."""
    pairs = choose_pairs(truth)
    assert len(pairs) == 5, pairs
    wrong = []
    for kind, (model, region, call) in pairs.items():
        assert call is not None
        if kind.startswith("on demand"):
            assert call == model
        elif kind == "only through the global profile":
            assert call.startswith(f"{GLOBAL}.")
        else:
            assert not call.startswith(f"{GLOBAL}.")
        got = invoke("resolve", "--emulator", model, "-r", region, "-q", "recommended", "-o", "text")
        if (got.code, got.out) != (0, f"{call}\n"):
            wrong.append(
                f"{kind}: {model} from {region}: expected {call!r}, got {got.out!r} (exit {got.code})"
            )
    assert wrong == []


def test_a_profile_of_another_geography_resolves_to_the_local_one(invoke: Any, truth: Truth) -> None:
    """``us.X`` asked from eu-west-1, which does not list it but lists ``eu.X``: its model, resolved
    there, recommends eu.X; a note says where us.X is offered."""
    region = "eu-west-1"
    here = {s["inferenceProfileId"] for s in truth.by_region[region]}
    us_ids = sorted(
        {s["inferenceProfileId"] for s in truth.profiles if s["inferenceProfileId"].startswith("us.")}
    )
    cases = [
        us_id
        for us_id in us_ids
        if us_id not in here
        and f"eu.{us_id[3:]}" in here
        and truth.lists_models_of(us_id)
        and all(
            truth.resolution(m, region)["recommended"] == f"eu.{us_id[3:]}"
            for m in truth.models_of_profile(us_id, sorted(truth.source_regions))
        )
    ]
    assert len(cases) > 10
    cases = cases[::4]  # each input is searched for in the 32 other regions: a sample suffices
    got = invoke("resolve", "--emulator", *cases, "-r", region, "-o", "json")
    expected = [
        truth.resolution(model, region, us_id)
        for us_id in cases
        for model in truth.models_of_profile(us_id, sorted(truth.source_regions))
    ]
    documents = json.loads(got.out)
    assert mismatches(documents, expected) == [], report(mismatches(documents, expected))
    assert {d["input"]: d["recommended"] for d in documents} == {c: f"eu.{c[3:]}" for c in cases}
    for us_id in cases:
        offering = sorted({s["region"] for s in truth.profiles if s["inferenceProfileId"] == us_id})
        said = [line for line in got.err.splitlines() if line.startswith(f"{us_id} ")]
        assert len(said) == 1, (us_id, got.err)
        if len(offering) <= 5:  # longer lists are shortened
            assert [r for r in offering if r not in said[0]] == [], said[0]
    assert got.code == 0, got.err
