"""The emulator: its store as plain Python, and the same through boto3 over real HTTP and in process."""

import pytest

from bedrock_profile_cli.emulator.backend import ProfileStore, ServiceError
from bedrock_profile_cli.emulator.catalog import system_profiles
from bedrock_profile_cli.emulator.moto_glue import EmulatorConflict, patch

ACCOUNT = "123456789012"
FM = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"


@pytest.fixture
def store() -> ProfileStore:
    return ProfileStore(account_id=ACCOUNT, region="us-east-1")


def code_of(call) -> str:
    with pytest.raises(ServiceError) as info:
        call()
    return info.value.code


def test_catalog_has_every_geography_prefix() -> None:
    ids = {
        spec.profile_id.split(".")[0]
        for region in ("us-east-1", "eu-west-1", "ap-northeast-1")
        for spec in system_profiles(region)
    }
    assert ids == {"us", "eu", "apac", "global"}
    assert all(spec.profile_id.startswith(("eu.", "global.")) for spec in system_profiles("eu-west-1"))
    assert system_profiles("sa-east-1") == []


def test_seeded_system_profile_by_id_and_arn(store: ProfileStore) -> None:
    profile = store.get("us.anthropic.claude-3-5-sonnet-20240620-v1:0")
    assert profile.type == "SYSTEM_DEFINED"
    assert (
        profile.arn
        == f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0"
    )
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


def test_get_unknown_and_invalid(store: ProfileStore) -> None:
    assert code_of(lambda: store.get("nope")) == "ResourceNotFoundException"
    assert code_of(lambda: store.get("bad id")) == "ValidationException"
    other_region = "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0"
    assert code_of(lambda: store.get(other_region)) == "ResourceNotFoundException"


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


def test_create_validation_conflict_and_idempotency(store: ProfileStore) -> None:
    assert code_of(lambda: store.create("", {"copyFrom": FM})) == "ValidationException"
    assert code_of(lambda: store.create("bad/name", {"copyFrom": FM})) == "ValidationException"
    assert code_of(lambda: store.create("n", {})) == "ValidationException"
    assert code_of(lambda: store.create("n", {"copyFrom": "arn:aws:s3:::bucket"})) == "ValidationException"
    missing = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.missing-v1:0"
    assert code_of(lambda: store.create("n", {"copyFrom": missing})) == "ResourceNotFoundException"
    first = store.create("dup", {"copyFrom": FM}, client_request_token="tok")
    assert store.create("dup", {"copyFrom": FM}, client_request_token="tok") is first
    assert code_of(lambda: store.create("dup", {"copyFrom": FM})) == "ConflictException"


def test_list_pages_and_type_filter(store: ProfileStore) -> None:
    app = store.create("mine", {"copyFrom": FM})
    unfiltered, _ = store.list_profiles(max_results=1000)
    assert unfiltered
    assert all(p.type == "SYSTEM_DEFINED" for p in unfiltered)
    assert [p.profile_id for p in store.list_profiles(type_equals="APPLICATION")[0]] == [app.profile_id]
    seen, token = [], None
    while True:
        page, token = store.list_profiles(max_results=3, next_token=token)
        assert len(page) <= 3
        seen += [p.profile_id for p in page]
        if not token:
            break
    assert seen == [p.profile_id for p in unfiltered]
    assert code_of(lambda: store.list_profiles(max_results=0)) == "ValidationException"
    assert code_of(lambda: store.list_profiles(next_token="garbage!")) == "ValidationException"
    assert code_of(lambda: store.list_profiles(type_equals="OTHER")) == "ValidationException"


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


def test_refuses_to_patch_a_moto_that_implements_the_operations() -> None:
    class Response:
        def get_inference_profile(self) -> None: ...

    class Backend:
        pass

    with pytest.raises(EmulatorConflict, match="get_inference_profile"):
        patch(Response, Backend)


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
    pages = bedrock.get_paginator("list_inference_profiles").paginate(PaginationConfig={"PageSize": 5})
    summaries = [s for page in pages for s in page["inferenceProfileSummaries"]]
    assert len(summaries) == len(system_profiles("us-east-1"))
    with pytest.raises(bedrock.exceptions.TooManyTagsException):
        bedrock.tag_resource(resourceARN=arn, tags=[{"key": f"k{i}", "value": "v"} for i in range(60)])
    bedrock.delete_inference_profile(inferenceProfileIdentifier=arn)
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException) as info:
        bedrock.get_inference_profile(inferenceProfileIdentifier=arn)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


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


def test_state_is_per_region_and_account(emulator) -> None:
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


def test_in_process_emulator_answers_without_a_server() -> None:
    import boto3

    from bedrock_profile_cli.emulator.server import in_process

    with in_process():
        client = boto3.client("bedrock", region_name="us-west-2")
        got = client.get_inference_profile(inferenceProfileIdentifier="us.amazon.nova-pro-v1:0")
    assert got["inferenceProfileArn"].startswith("arn:aws:bedrock:us-west-2:")
