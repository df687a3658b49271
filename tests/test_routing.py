"""The routing rule as pure functions (``routing.py``) and the partition's regions (``regions.py``)."""

from __future__ import annotations

from bedrock_profile_cli import regions
from bedrock_profile_cli.routing import Resolution, destinations, recommend, routes, scope_of

MODEL = "anthropic.claude-sonnet-4-6"


def summary(profile_id: str, *arns: str, type_: str = "SYSTEM_DEFINED") -> dict[str, object]:
    return {
        "inferenceProfileId": profile_id,
        "inferenceProfileArn": f"arn:aws:bedrock:ap-northeast-1:123456789012:inference-profile/{profile_id}",
        "type": type_,
        "models": [{"modelArn": arn} for arn in arns],
    }


def arn(region: str, model: str = MODEL) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model}"


JP = summary(f"jp.{MODEL}", arn("ap-northeast-1"), arn("ap-northeast-3"))
APAC = summary(f"apac.{MODEL}", arn("ap-northeast-1"), arn("ap-southeast-1"), arn("ap-south-1"))
GLOBAL = summary(f"global.{MODEL}", arn(""), arn("ap-northeast-1"))
APP = summary("a1b2c3d4e5f6", arn("ap-northeast-1"), type_="APPLICATION")
OTHER = summary("jp.amazon.nova-lite-v1:0", arn("ap-northeast-1", "amazon.nova-lite-v1:0"))


def test_scope_is_read_from_the_id_or_the_type() -> None:
    assert [scope_of(s) for s in (JP, APAC, GLOBAL, APP)] == ["jp", "apac", "global", "application"]
    assert scope_of(summary("us-gov.anthropic.claude-3-haiku-20240307-v1:0")) == "us-gov"


def test_destinations_keep_order_and_mark_a_region_less_arn() -> None:
    assert destinations(GLOBAL, MODEL) == ["*", "ap-northeast-1"]
    assert destinations(OTHER, MODEL) == []


def test_routes_rank_geography_narrowest_first_then_global_then_application() -> None:
    found = routes([GLOBAL, APP, APAC, OTHER, JP], MODEL)
    assert [r.profile_id for r in found] == [
        f"jp.{MODEL}",
        f"apac.{MODEL}",
        f"global.{MODEL}",
        "a1b2c3d4e5f6",
    ]


def test_recommend_on_demand_first_then_geography_then_global_never_application() -> None:
    assert recommend(MODEL, True, routes([JP], MODEL)) == MODEL
    assert recommend(MODEL, False, routes([GLOBAL, APAC], MODEL)) == f"apac.{MODEL}"
    assert recommend(MODEL, False, routes([GLOBAL, APP], MODEL)) == f"global.{MODEL}"
    assert recommend(MODEL, False, routes([APP], MODEL)) is None


def test_resolution_document_and_what_resolved_means() -> None:
    only_app = Resolution(MODEL, "ap-northeast-1", MODEL, ["INFERENCE_PROFILE"], routes([APP], MODEL))
    doc = only_app.to_doc()
    assert (doc["onDemand"], doc["recommended"], only_app.resolved) == (False, None, True)
    assert doc["profiles"][0]["scope"] == "application"
    nothing = Resolution(MODEL, "ap-northeast-1", MODEL, None, [])
    assert (nothing.resolved, nothing.to_doc()["inferenceTypesSupported"]) == (False, None)


def test_partitions_from_botocores_endpoint_data() -> None:
    assert regions.partition_of("eu-west-1") == "aws"
    assert regions.partition_of("us-gov-west-1") == "aws-us-gov"
    assert regions.partition_of(None) == "aws"
    assert "us-gov-west-1" in regions.partition_bedrock_regions("aws-us-gov")
    commercial = regions.partition_bedrock_regions("aws")
    assert "us-east-1" in commercial and not any(r.startswith("us-gov") for r in commercial)
    assert not any(r.startswith("bedrock") for r in commercial)  # endpoint aliases are not regions


def test_regions_completion_completes_after_the_last_comma() -> None:
    from bedrock_profile_cli.options import _complete_regions

    found = _complete_regions("us-east-1,eu-we")
    assert found and all(c.startswith("us-east-1,eu-west-") for c in found)
    assert "us-east-1" in _complete_regions("us-ea")


def test_regional_clients_share_one_service_model_and_nothing_else(monkeypatch) -> None:
    from bedrock_profile_cli.aws.operations import Bedrock
    from bedrock_profile_cli.aws.settings import AwsSettings

    bedrock = Bedrock(AwsSettings(region="us-east-1"), set())
    east, west = bedrock.clients.client("us-east-1"), bedrock.clients.client("eu-west-1")
    assert east.meta.service_model is west.meta.service_model
    assert type(east) is type(west)
    assert (east.meta.region_name, west.meta.region_name) == ("us-east-1", "eu-west-1")
    assert east.meta.endpoint_url == "https://bedrock.us-east-1.amazonaws.com"
    assert west.meta.endpoint_url == "https://bedrock.eu-west-1.amazonaws.com"
    assert east.meta.events is not west.meta.events  # each client's own handlers, as botocore makes them
    import boto3
    import botocore.client

    assert botocore.client.ClientCreator.__name__ == "ClientCreator"  # restored after each creation
    other = boto3.client("bedrock", region_name="us-east-1")  # another session: its own model
    assert other.meta.service_model is not east.meta.service_model
