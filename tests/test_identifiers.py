import pytest

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.identifiers import MAX_LENGTH, diagnose, parse, parse_model_arn

VALID = [
    "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "abc123",
    "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
    "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.meta.llama3-2-1b-instruct-v1:0",
    "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.x-v1:0",
    "arn:aws-cn:bedrock:cn-north-1:123456789012:inference-profile/x",
    "arn:aws-iso:bedrock:us-iso-east-1:123456789012:inference-profile/x",
    "arn:aws-iso-b:bedrock:us-isob-east-1:123456789012:inference-profile/x",
    "arn:aws:bedrock:::inference-profile/x",
    "x" * MAX_LENGTH,
]


@pytest.mark.parametrize("raw", VALID)
def test_valid_identifiers_pass(raw: str) -> None:
    assert diagnose(raw) is None
    assert parse(raw).raw == raw


def test_arn_parts_are_split() -> None:
    ident = parse(
        "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.meta.llama3-2-1b-instruct-v1:0"
    )
    assert ident.is_arn
    assert (ident.partition, ident.region, ident.account) == ("aws", "eu-west-1", "123456789012")
    assert ident.resource_type == "inference-profile"
    assert ident.profile_id == "eu.meta.llama3-2-1b-instruct-v1:0"


def test_id_has_no_region() -> None:
    ident = parse("us.anthropic.claude-3-5-sonnet-20240620-v1:0")
    assert not ident.is_arn
    assert ident.region is None
    assert ident.profile_id == ident.raw


def test_arn_without_region_has_none() -> None:
    assert parse("arn:aws:bedrock::123456789012:inference-profile/x").region is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a b", "character ' ' at position 2"),
        (" ", "character ' ' at position 1"),
        ("../etc", "'/' may only follow an ARN's resource type"),
        ("%2F", "character '%' at position 1"),
        ("x?y", "character '?' at position 2"),
        ("x#y", "character '#' at position 2"),
        ("\x1b[2J", "character '\\x1b' at position 1"),
        ("\u0430bc", "(U+0430)"),  # Cyrillic a, a look-alike
        ("x" * (MAX_LENGTH + 1), "2049 characters long; the limit is 2048"),
        ("arn:aws:s3:us-east-1:123456789012:inference-profile/x", "service must be 'bedrock'"),
        ("arn:aws-foo:bedrock:us-east-1:123456789012:inference-profile/x", "partition 'aws-foo'"),
        ("arn:aws:bedrock:US-EAST-1:123456789012:inference-profile/x", "region 'US-EAST-1'"),
        ("arn:aws:bedrock:us-east-1:1234:inference-profile/x", "account '1234' must be 12 digits"),
        ("arn:aws:bedrock:us-east-1:123456789012:foundation-model/x", "resource type 'foundation-model'"),
        ("arn:aws:bedrock:us-east-1:123456789012:inference-profile/", "no profile ID after the '/'"),
        ("arn:aws:bedrock:us-east-1:123456789012:inference-profile/a/b", "character '/' at position"),
        ("arn:aws:bedrock:us-east-1:inference-profile/x", "6 ':'-separated fields"),
    ],
)
def test_invalid_identifiers_say_which_part_is_wrong(raw: str, expected: str) -> None:
    with pytest.raises(BedrockProfileError) as info:
        parse(raw)
    assert info.value.exit_code == ExitCode.VALIDATION
    assert expected in info.value.message
    assert "\x1b" not in info.value.line()


def test_empty_identifier_is_a_usage_error() -> None:
    with pytest.raises(BedrockProfileError) as info:
        parse("")
    assert info.value.exit_code == ExitCode.USAGE


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        (
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2",
            ("us-east-1", "anthropic.claude-v2"),
        ),
        ("arn:aws:bedrock:::foundation-model/m:0", (None, "m:0")),
        ("not-an-arn", (None, "not-an-arn")),
        ("arn:aws:bedrock:eu-west-1:123456789012:custom", ("eu-west-1", "custom")),
    ],
)
def test_parse_model_arn(arn: str, expected: tuple[str | None, str]) -> None:
    assert parse_model_arn(arn) == expected
