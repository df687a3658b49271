"""Property-based tests: identifiers from the service's own pattern, arbitrary strings, and arbitrary
response documents of the GetInferenceProfile output shape."""

import json
from datetime import datetime, timezone

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.identifiers import SERVICE_PATTERN, parse
from bedrock_profile_cli.output.formats import to_json, to_text, to_yaml
from tests.conftest import render_output

UNSAFE = ("\x1b", "\x07", "\x9b", "\u202e")


@given(st.from_regex(SERVICE_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 2048))
def test_identifiers_from_the_service_pattern_pass_and_round_trip(raw: str) -> None:
    ident = parse(raw)
    assert ident.raw == raw
    if ident.is_arn:
        rebuilt = (
            f"arn:{ident.partition}:bedrock:{ident.region or ''}:{ident.account or ''}:"
            f"{ident.resource_type}/{ident.resource_id}"
        )
        assert rebuilt == raw


@given(st.text(max_size=300))
@settings(max_examples=500)
def test_arbitrary_strings_never_crash_local_validation(raw: str) -> None:
    try:
        parse(raw)
    except BedrockProfileError as err:
        assert err.exit_code in (ExitCode.USAGE, ExitCode.VALIDATION)
        line = err.line()
        assert "\n" not in line
        assert not any(ch in line for ch in UNSAFE)


@given(st.text(max_size=60))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_arbitrary_identifiers_through_the_cli_take_only_expected_paths(invoke, raw: str) -> None:
    if raw.startswith("-"):
        raw = "x" + raw  # an argument starting with '-' is an option to any CLI
    result = invoke("get", "--emulator", raw, "-o", "json")
    assert result.code in (0, ExitCode.USAGE, ExitCode.NOT_FOUND, ExitCode.VALIDATION), result.err
    assert "Traceback" not in result.err


any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
timestamps = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=st.just(timezone.utc)
).map(lambda d: d.isoformat())
profiles = st.fixed_dictionaries(
    {
        "inferenceProfileName": any_text,
        "inferenceProfileArn": any_text,
        "models": st.lists(st.fixed_dictionaries({}, optional={"modelArn": any_text}), max_size=5),
        "inferenceProfileId": any_text,
        "status": any_text,
        "type": any_text,
    },
    optional={"description": any_text, "createdAt": timestamps, "updatedAt": timestamps},
)


@given(st.lists(profiles, min_size=1, max_size=3))
@settings(max_examples=150, deadline=None)
def test_any_document_of_the_output_shape_renders_in_every_format(docs) -> None:
    assert json.loads(to_json(docs)) == docs
    assert yaml.safe_load(to_yaml(docs)) == docs
    for rendered in (to_json(docs), to_yaml(docs), to_text(docs)):
        assert not any(ch in rendered for ch in UNSAFE)
    for color in (False, True):
        text = render_output(docs, "profile", "table", color=color)
        text += render_output(docs, "profile-summaries", "table", color=color)
        assert not any(ch in text for ch in ("\x07", "\x9b", "\u202e"))
        if not color:
            assert "\x1b" not in text
    assert to_json(docs).isascii()


@given(st.one_of(st.integers(0, 2**35), st.floats(0, 2**35, allow_nan=False)))
def test_epoch_timestamps_print_as_botocore_parses_them(value) -> None:
    from datetime import timezone

    from botocore.utils import parse_timestamp

    from bedrock_profile_cli.aws.shapes import iso_timestamp

    try:
        expected = parse_timestamp(value).astimezone(timezone.utc).isoformat()
    except (ValueError, OverflowError, OSError, RuntimeError):
        return  # out of botocore's range: iso_timestamp refuses it (tested elsewhere)
    assert iso_timestamp(value) == expected
