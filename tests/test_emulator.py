"""The emulator: its store as plain Python, the HTTP service, and the same through boto3 over real HTTP
and in process (regions, accounts, short pages, foundation models, moto for the rest)."""

import json
import socket
import subprocess
import sys
import time

import pytest

from bedrock_profile_cli.emulator.backend import ProfileStore, ServiceError
from bedrock_profile_cli.emulator.catalog import load
from bedrock_profile_cli.emulator.service import EmulatorService
from bedrock_profile_cli.errors import ExitCode
from tests.conftest import CLI, SONNET

ACCOUNT = "123456789012"
FM = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
NOVA_LITE = "us.amazon.nova-lite-v1:0"  # 3 destinations from us-east-1, 4 from us-west-1


@pytest.fixture
def store() -> ProfileStore:
    return ProfileStore(account_id=ACCOUNT, region="us-east-1")


def code_of(call) -> str:
    with pytest.raises(ServiceError) as info:
        call()
    return info.value.code


def test_catalog_covers_the_snapshot_regions_and_every_geography() -> None:
    catalog = load()
    assert len(catalog.regions) == 18
    prefixes = {p["inferenceProfileId"].split(".")[0] for r in catalog.regions for p in catalog.profiles(r)}
    assert prefixes == {"us", "eu", "global", "apac", "au", "jp", "in", "ca"}
    assert all(p["inferenceProfileId"].startswith(("eu.", "global.")) for p in catalog.profiles("eu-west-1"))
    assert catalog.profiles("af-south-1") == []  # an opt-in region the snapshot's account had not enabled
    assert catalog.provenance["date"] == "2026-08-22"
    assert "df190de" in catalog.provenance["source"]


def test_seeded_system_profile_by_id_and_arn(store: ProfileStore) -> None:
    profile = store.get(SONNET)
    assert profile.type == "SYSTEM_DEFINED"
    assert profile.arn == f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/{SONNET}"
    assert store.get(profile.arn) is profile
    assert len(profile.models) == 3
    doc = profile.to_api()
    assert list(doc) == [
        "inferenceProfileName",
        "description",
        "createdAt",
        "updatedAt",
        "inferenceProfileArn",
        "models",
        "inferenceProfileId",
        "status",
        "type",
    ]
    assert doc["createdAt"] == 1758842954.945039  # epoch seconds on the wire, as the service sends


def test_same_id_routes_differently_per_source_region() -> None:
    east = ProfileStore(account_id=ACCOUNT, region="us-east-1").get(NOVA_LITE)
    west = ProfileStore(account_id=ACCOUNT, region="us-west-1").get(NOVA_LITE)
    assert len(east.models) == 3
    assert len(west.models) == 4
    assert east.arn != west.arn


def test_get_unknown_and_invalid(store: ProfileStore) -> None:
    assert code_of(lambda: store.get("nope")) == "ResourceNotFoundException"
    assert code_of(lambda: store.get("bad id")) == "ValidationException"
    other_region = f"arn:aws:bedrock:us-west-2:{ACCOUNT}:inference-profile/{SONNET}"
    assert code_of(lambda: store.get(other_region)) == "ResourceNotFoundException"
    other_account = f"arn:aws:bedrock:us-east-1:452954105288:inference-profile/{SONNET}"
    assert code_of(lambda: store.get(other_account)) == "ResourceNotFoundException"


def test_create_from_foundation_model_and_system_profile(store: ProfileStore) -> None:
    app = store.create("my-app", {"copyFrom": FM}, description="team x")
    assert app.type == "APPLICATION"
    assert app.models == [FM]
    assert app.arn == f"arn:aws:bedrock:us-east-1:{ACCOUNT}:application-inference-profile/{app.profile_id}"
    assert len(app.profile_id) == 12
    system = store.get("us.anthropic.claude-3-haiku-20240307-v1:0")
    copy = store.create("cross-region", {"copyFrom": system.arn})
    assert copy.models == system.models
    assert store.get(copy.arn) is copy
    assert store.get(copy.profile_id) is copy


def test_copy_from_takes_that_regions_destinations() -> None:
    west = ProfileStore(account_id=ACCOUNT, region="us-west-1")
    copy = west.create("west-copy", {"copyFrom": west.get(NOVA_LITE).arn})
    assert copy.models == west.get(NOVA_LITE).models
    assert len(copy.models) == 4


def test_create_validation_conflict_and_idempotency(store: ProfileStore) -> None:
    assert code_of(lambda: store.create("", {"copyFrom": FM})) == "ValidationException"
    assert code_of(lambda: store.create("bad/name", {"copyFrom": FM})) == "ValidationException"
    assert code_of(lambda: store.create("n", {})) == "ValidationException"
    assert code_of(lambda: store.create("n", {"copyFrom": "arn:aws:s3:::bucket"})) == "ValidationException"
    missing = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.missing-v1:0"
    assert code_of(lambda: store.create("n", {"copyFrom": missing})) == "ResourceNotFoundException"
    absent_model = "arn:aws:bedrock:us-east-1::foundation-model/acme.not-a-model-v1:0"
    assert code_of(lambda: store.create("n", {"copyFrom": absent_model})) == "ValidationException"
    first = store.create("dup", {"copyFrom": FM}, client_request_token="tok")
    assert store.create("dup", {"copyFrom": FM}, client_request_token="tok") is first
    assert code_of(lambda: store.create("dup", {"copyFrom": FM})) == "ConflictException"


def test_list_pages_are_short_and_complete(store: ProfileStore) -> None:
    app = store.create("mine", {"copyFrom": FM})
    first, token = store.list_profiles(max_results=1000)
    assert len(first) == 10  # fewer than asked, with a token: the consumer must page
    assert token
    assert all(p.type == "SYSTEM_DEFINED" for p in first)
    assert [p.profile_id for p in store.list_profiles(type_equals="APPLICATION")[0]] == [app.profile_id]
    seen, token = [], None
    while True:
        page, token = store.list_profiles(max_results=3, next_token=token)
        assert len(page) <= 3
        seen += [p.profile_id for p in page]
        if not token:
            break
    # the service's order, as the snapshot listed it
    assert seen == [p["inferenceProfileId"] for p in load().profiles("us-east-1")]
    assert code_of(lambda: store.list_profiles(max_results=0)) == "ValidationException"
    assert code_of(lambda: store.list_profiles(next_token="garbage!")) == "ValidationException"
    assert code_of(lambda: store.list_profiles(type_equals="OTHER")) == "ValidationException"


def test_page_size_is_configurable() -> None:
    big = ProfileStore(account_id=ACCOUNT, region="us-east-1", page_size=1000)
    page, token = big.list_profiles()
    assert len(page) == len(load().profiles("us-east-1"))
    assert token is None


def test_delete_and_tags(store: ProfileStore) -> None:
    app = store.create("t", {"copyFrom": FM}, tags=[{"key": "team", "value": "x"}])
    assert store.list_tags(app.arn) == [{"key": "team", "value": "x"}]
    store.tag(app.arn, [{"key": "env", "value": "ci"}])
    store.untag(app.arn, ["team"])
    assert store.list_tags(app.arn) == [{"key": "env", "value": "ci"}]
    too_many = [{"key": f"k{i}", "value": "v"} for i in range(60)]
    assert code_of(lambda: store.tag(app.arn, too_many)) == "TooManyTagsException"
    system = store.get("us.anthropic.claude-3-haiku-20240307-v1:0")
    assert code_of(lambda: store.delete(system.profile_id)) == "ValidationException"
    store.delete(app.arn)
    assert code_of(lambda: store.get(app.profile_id)) == "ResourceNotFoundException"
    assert code_of(lambda: store.list_tags(app.arn)) == "ResourceNotFoundException"


def test_foundation_models_per_region(store: ProfileStore) -> None:
    models = {m["modelId"]: m for m in store.list_models({})}
    assert (
        models["amazon.nova-pro-v1:0"]["modelArn"]
        == "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"
    )
    assert models["anthropic.claude-3-haiku-20240307-v1:0"]["inferenceTypesSupported"] == ["ON_DEMAND"]
    # us-east-1's profiles route to Claude 3 Sonnet there, its model list lacks it: only via a profile
    assert models["anthropic.claude-3-sonnet-20240229-v1:0"]["inferenceTypesSupported"] == [
        "INFERENCE_PROFILE"
    ]
    assert models["anthropic.claude-sonnet-4-5-20250929-v1:0"]["inferenceTypesSupported"] == [
        "INFERENCE_PROFILE"
    ]
    assert isinstance(models["amazon.nova-pro-v1:0"]["modelLifecycle"]["startOfLifeTime"], (int, float))
    anthropic = store.list_models({"byProvider": "anthropic"})
    assert anthropic
    assert {m["providerName"] for m in anthropic} == {"Anthropic"}
    assert all(
        "PROVISIONED" in m["inferenceTypesSupported"]
        for m in store.list_models({"byInferenceType": "PROVISIONED"})
    )
    by_arn = store.get_model("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0")
    assert by_arn == store.get_model("amazon.nova-pro-v1:0")
    other_region = "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0"
    assert code_of(lambda: store.get_model(other_region)) == "ResourceNotFoundException"
    assert code_of(lambda: store.get_model("acme.none-v1:0")) == "ResourceNotFoundException"
    assert code_of(lambda: store.get_model("not a model")) == "ValidationException"


def test_moto_does_not_answer_what_the_emulator_models() -> None:
    from bedrock_profile_cli.emulator.moto_glue import moto_conflicts

    assert moto_conflicts() == []  # if moto grows them, the emulator still answers first


# --- The service: regions and accounts --------------------------------------------------------


def signed_headers(region: str, service: str = "bedrock") -> dict[str, str]:
    scope = f"AKIDEXAMPLE/20260101/{region}/{service}/aws4_request"
    return {"Authorization": f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature=abc"}


def answer(service: EmulatorService, region: str, path: str = "/inference-profiles") -> tuple[int, dict]:
    reply = service.handle("GET", f"http://127.0.0.1:1{path}", signed_headers(region), b"")
    return reply.status, json.loads(reply.body)


def test_regions_the_data_lacks_answer_as_the_service_does() -> None:
    service = EmulatorService()
    assert answer(service, "sa-east-1")[0] == 200
    status, doc = answer(service, "af-south-1")  # known to botocore, not in the data: not enabled
    assert status == 403
    assert doc == {
        "__type": "UnrecognizedClientException",
        "message": "The security token included in the request is invalid.",
    }
    status, doc = answer(service, "us-east-1a")  # not a region at all
    assert status == 403
    assert doc["__type"] == "InvalidSignatureException"
    assert "us-east-1a" in doc["message"]


def test_account_is_the_callers(monkeypatch) -> None:
    service = EmulatorService()
    _, doc = answer(service, "us-east-1", f"/inference-profiles/{SONNET}")
    assert doc["inferenceProfileArn"].split(":")[4] == "123456789012"
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    _, doc = answer(service, "us-east-1", f"/inference-profiles/{SONNET}")
    assert doc["inferenceProfileArn"].split(":")[4] == "111122223333"
    status, _ = answer(
        service, "us-east-1", f"/inference-profiles/{doc['inferenceProfileArn'].replace('/', '%2F')}"
    )
    assert status == 200


def test_a_bug_is_a_json_500_not_an_exception(monkeypatch) -> None:
    errors = []
    service = EmulatorService(on_error=errors.append)
    monkeypatch.setattr(ProfileStore, "get", lambda *a: 1 / 0)
    status, doc = answer(service, "us-east-1", f"/inference-profiles/{SONNET}")
    assert status == 500
    assert doc["__type"] == "InternalServerException"
    assert isinstance(errors[0], ZeroDivisionError)


# --- boto3 over real HTTP against the served emulator ------------------------------------------------


def test_boto3_round_trip_over_http(bedrock) -> None:
    created = bedrock.create_inference_profile(
        inferenceProfileName="wire", modelSource={"copyFrom": FM}, tags=[{"key": "a", "value": "b"}]
    )
    arn = created["inferenceProfileArn"]
    assert created["status"] == "ACTIVE"
    got = bedrock.get_inference_profile(inferenceProfileIdentifier=arn)
    assert got["type"] == "APPLICATION"
    assert got["models"] == [{"modelArn": FM}]
    assert got["createdAt"].tzinfo is not None
    by_id = bedrock.get_inference_profile(inferenceProfileIdentifier=got["inferenceProfileId"])
    assert by_id["inferenceProfileArn"] == arn
    assert bedrock.list_tags_for_resource(resourceARN=arn)["tags"] == [{"key": "a", "value": "b"}]
    apps = bedrock.list_inference_profiles(typeEquals="APPLICATION")["inferenceProfileSummaries"]
    assert [p["inferenceProfileArn"] for p in apps] == [arn]
    pages = list(
        bedrock.get_paginator("list_inference_profiles").paginate(PaginationConfig={"PageSize": 1000})
    )
    summaries = [s for page in pages for s in page["inferenceProfileSummaries"]]
    assert len(summaries) == len(load().profiles("us-east-1"))
    assert len(pages) == 8  # short pages of 10 although 1000 were asked for
    listed_arn = summaries[0]["inferenceProfileArn"]
    assert (
        bedrock.get_inference_profile(inferenceProfileIdentifier=listed_arn)["inferenceProfileArn"]
        == listed_arn
    )
    with pytest.raises(bedrock.exceptions.TooManyTagsException):
        bedrock.tag_resource(resourceARN=arn, tags=[{"key": f"k{i}", "value": "v"} for i in range(60)])
    bedrock.delete_inference_profile(inferenceProfileIdentifier=arn)
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException) as info:
        bedrock.get_inference_profile(inferenceProfileIdentifier=arn)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_botocore_parses_inference_profile_although_its_enum_lacks_it(bedrock) -> None:
    from botocore.session import get_session

    enum = get_session().get_service_model("bedrock").shape_for("InferenceType").enum
    assert "INFERENCE_PROFILE" not in enum  # botocore does not validate enums in responses
    summaries = bedrock.list_foundation_models()["modelSummaries"]
    only_profiles = [m for m in summaries if m["inferenceTypesSupported"] == ["INFERENCE_PROFILE"]]
    assert only_profiles
    details = bedrock.get_foundation_model(modelIdentifier=only_profiles[0]["modelId"])["modelDetails"]
    assert details["inferenceTypesSupported"] == ["INFERENCE_PROFILE"]
    assert details["modelArn"].startswith("arn:aws:bedrock:us-east-1::foundation-model/")
    assert details["modelLifecycle"]["startOfLifeTime"].year >= 2023
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.get_foundation_model(modelIdentifier="acme.none-v1:0")


def test_other_bedrock_operations_are_motos(bedrock) -> None:
    assert bedrock.list_custom_models()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_boto3_errors_parse_into_the_real_exception_classes(bedrock) -> None:
    with pytest.raises(bedrock.exceptions.ValidationException) as info:
        bedrock.create_inference_profile(
            inferenceProfileName="x",
            modelSource={"copyFrom": "arn:aws:bedrock:us-east-1::foundation-model/a.b"},
            description="bad/desc",
        )
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    bedrock.create_inference_profile(inferenceProfileName="same", modelSource={"copyFrom": FM})
    with pytest.raises(bedrock.exceptions.ConflictException):
        bedrock.create_inference_profile(inferenceProfileName="same", modelSource={"copyFrom": FM})


def test_state_is_per_region(emulator) -> None:
    import boto3

    east = boto3.client("bedrock", region_name="us-east-1", endpoint_url=emulator.url)
    west = boto3.client("bedrock", region_name="eu-west-1", endpoint_url=emulator.url)
    arn = east.create_inference_profile(inferenceProfileName="only-east", modelSource={"copyFrom": FM})[
        "inferenceProfileArn"
    ]
    app_id = arn.rsplit("/", 1)[1]
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.get_inference_profile(inferenceProfileIdentifier=app_id)
    assert (
        west.get_inference_profile(inferenceProfileIdentifier="eu.meta.llama3-2-1b-instruct-v1:0")["status"]
        == "ACTIVE"
    )


def test_served_regions_exit_9_never_html(invoke, emulator) -> None:
    for region, says in (("af-south-1", "UnrecognizedClientException"), ("us-east-1a", "us-east-1a")):
        result = invoke("get", SONNET, "-r", region)
        assert result.code == ExitCode.CREDENTIALS_OR_CONFIG, result.err
        assert says in result.err
        assert result.err.count("\n") == 1
        assert "attempts" not in result.err  # a 403 is not retried


# --- In process -------------------------------------------------------------------------------------


def test_in_process_emulator_answers_without_a_server() -> None:
    import boto3

    from bedrock_profile_cli.emulator.server import in_process

    with in_process():
        client = boto3.client("bedrock", region_name="us-west-2")
        got = client.get_inference_profile(inferenceProfileIdentifier="us.amazon.nova-pro-v1:0")
    assert got["inferenceProfileArn"].startswith("arn:aws:bedrock:us-west-2:123456789012:")


@pytest.mark.parametrize("region", ["us-east-1a", "af-south-1"])
def test_in_process_regions_are_exit_9_not_a_key_error(invoke, region) -> None:
    result = invoke("get", "--emulator", "-r", region, SONNET)
    assert result.code == ExitCode.CREDENTIALS_OR_CONFIG, result.err
    assert "KeyError" not in result.err
    assert invoke("list", "--emulator", "-r", region).code == ExitCode.CREDENTIALS_OR_CONFIG


def test_in_process_page_size_from_the_environment(invoke) -> None:
    one = invoke(
        "list", "--emulator", "-r", "sa-east-1", "-o", "json", env={"BEDROCK_PROFILE_EMULATOR_PAGE_SIZE": "1"}
    )
    assert one.code == 0, one.err
    assert len(json.loads(one.out)) == len(load().profiles("sa-east-1"))
    bad = invoke("list", "--emulator", env={"BEDROCK_PROFILE_EMULATOR_PAGE_SIZE": "many"})
    assert bad.code == ExitCode.USAGE
    assert "BEDROCK_PROFILE_EMULATOR_PAGE_SIZE" in bad.err


def test_in_process_lookup_never_imports_moto() -> None:
    script = (
        "import sys\n"
        "from bedrock_profile_cli.cli import main\n"
        f"code = main(['get', '--emulator', {SONNET!r}, '-o', 'json'])\n"
        "print('MOTO:' + str('moto' in sys.modules))\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "MOTO:False"


# --- The served emulator command ----------------------------------------------------------------


def test_served_emulator_is_quiet_unless_verbose_and_pages_as_told(spawn) -> None:
    import boto3

    for args, logs in ((["--page-size", "1000"], False), (["--verbose"], True)):
        server = spawn("emulator", "--port", "0", *args)
        url = server.proc.stdout.readline().strip().split("=", 1)[1]
        client = boto3.client("bedrock", region_name="us-east-1", endpoint_url=url)
        page = client.list_inference_profiles(maxResults=1000)
        assert ("nextToken" in page) is logs  # --page-size 1000: one page; default: short pages of 10
        result = server.interrupt()
        assert ("GET /inference-profiles" in result.err) is logs
        assert result.err.count("\n") == (3 if logs else 2)  # the listening note, [the request,] interrupted


def test_port_in_use_or_bad_host_is_one_line_at_once() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for args, code in (
            (["--port", str(port)], ExitCode.NETWORK),
            (["--host", "no.such.host"], ExitCode.USAGE),
        ):
            started = time.monotonic()
            proc = subprocess.run(
                [CLI, "emulator", *args], capture_output=True, text=True, timeout=30, check=False
            )
            assert time.monotonic() - started < 1.5  # the process start included
            assert proc.returncode == code, proc.stderr
            assert proc.stdout == ""
            assert proc.stderr.count("\n") == 1, proc.stderr
