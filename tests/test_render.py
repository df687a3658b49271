import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from bedrock_profile_cli.output.formats import to_json, to_yaml
from bedrock_profile_cli.output.tables import format_timestamp, humanize_age
from bedrock_profile_cli.terminal import use_color
from bedrock_profile_cli.textsafe import printable
from tests.conftest import render_output

NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=timezone.utc)
GOLDEN = Path(__file__).parent / "golden"

PROFILE = {
    "inferenceProfileName": "US Anthropic Claude 3.5 Sonnet",
    "description": "Routes requests to Anthropic Claude 3.5 Sonnet in us-east-1, us-east-2 and us-west-2.",
    "createdAt": "2024-08-23T19:00:00+00:00",
    "updatedAt": "2026-08-23T19:00:00.123000+00:00",
    "inferenceProfileArn": "arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
    "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "models": [
        {"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"},
        {"modelArn": "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"},
    ],
    "inferenceProfileId": "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "status": "ACTIVE",
    "type": "SYSTEM_DEFINED",
}


def render_profiles(profiles, fmt, *, many, stream, color, now, columns=80) -> None:
    document = list(profiles) if many else profiles[0]
    stream.write(render_output(document, "profile", fmt, color=color, columns=columns, now=now))


def table(profile: dict, color: bool = False, width: int = 80) -> str:
    stream = io.StringIO()
    render_profiles([profile], "table", many=False, stream=stream, color=color, now=NOW, columns=width)
    return stream.getvalue()


REALISTIC = json.loads((GOLDEN / "realistic_profiles.json").read_text())["summaries"]


@pytest.mark.parametrize(
    ("name", "width"), [("table_40.txt", 40), ("table_80.txt", 80), ("table_120.txt", 120)]
)
def test_get_matches_golden_output(name: str, width: int) -> None:
    assert table(PROFILE, width=width) == (GOLDEN / name).read_text()


@pytest.mark.parametrize(
    ("name", "fmt", "count", "width"),
    [
        ("list_40.txt", "table", 3, 40),
        ("list_80.txt", "table", 5, 80),
        ("list_wide_120.txt", "wide", 3, 120),
    ],
)
def test_list_matches_golden_output(name: str, fmt: str, count: int, width: int) -> None:
    text = render_output(REALISTIC[:count], "profile-summaries", fmt, columns=width, now=NOW)
    assert text == (GOLDEN / name).read_text()


def test_table_at_80_columns_keeps_ids_whole_and_never_truncates() -> None:
    lines = table(PROFILE).splitlines()
    arn = PROFILE["inferenceProfileArn"]
    assert "│   " + arn in lines  # longer than 80: whole on its line, for the terminal to soft-wrap
    assert all(len(line) <= 80 for line in lines if arn not in line)
    assert not any("…" in line or "..." in line for line in lines)
    assert "│ ID:           us.anthropic.claude-3-5-sonnet-20240620-v1:0" in lines
    assert "│ Models (2):   us-east-1  anthropic.claude-3-5-sonnet-20240620-v1:0" in lines
    assert "│               us-west-2  anthropic.claude-3-5-sonnet-20240620-v1:0" in lines


def test_table_at_40_columns_still_keeps_the_whole_arn() -> None:
    text = table(PROFILE, width=40)
    assert "…" not in text
    assert "│   " + PROFILE["inferenceProfileArn"] in text.splitlines()


def test_no_table_starts_with_a_blank_line() -> None:
    for width in (20, 40, 80, 200):
        for document, kind in ((PROFILE, "profile"), (REALISTIC, "profile-summaries")):
            for fmt in ("table", "wide"):
                text = render_output(document, kind, fmt, columns=width, now=NOW)
                assert text.splitlines()[0].strip(), (kind, fmt, width)


def test_table_shows_readable_utc_time_with_age() -> None:
    text = table(PROFILE, width=120)
    assert "2024-08-23 19:00:00 UTC (2 years ago)" in text
    assert "2026-08-23 19:00:00 UTC (3 months ago)" in text


def test_active_is_green_other_status_highlighted() -> None:
    assert "\x1b[1;32mACTIVE" in table(PROFILE, color=True)
    text = table({**PROFILE, "status": "DEPRECATING"}, color=True)
    assert "\x1b[1;33mDEPRECATING" in text


def test_no_escape_sequences_without_color() -> None:
    assert "\x1b" not in table(PROFILE, color=False)


def test_markup_and_escapes_from_the_service_are_data() -> None:
    hostile = {
        **PROFILE,
        "inferenceProfileName": "[bold red]x[/]",
        "description": "\x1b[2J\x1b]0;pwned\x07 \u202eevil \x9b31m",
    }
    for color in (False, True):
        text = table(hostile, color=color)
        assert "[bold red]x[/]" in text
        assert "\x1b[2J" not in text
        assert "\x07" not in text
        assert "\u202e" not in text
        assert "\x9b" not in text
        assert "\\x1b[2J" in text
    for rendered in (to_json(hostile), to_yaml(hostile)):
        assert not any(ch in rendered for ch in "\x1b\x07\u202e\x9b")
    assert json.loads(to_json(hostile)) == hostile
    assert yaml.safe_load(to_yaml(hostile)) == hostile


def test_unknown_enums_and_absent_optional_fields_render() -> None:
    minimal = {
        "inferenceProfileName": "n",
        "inferenceProfileArn": "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc",
        "models": [{"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/a.b"}],
        "inferenceProfileId": "abc",
        "status": "SOMETHING_NEW",
        "type": "FUTURE_TYPE",
    }
    text = table(minimal)
    assert "│ Models (1):  us-east-1  a.b" in text
    assert "SOMETHING_NEW" in text
    assert "FUTURE_TYPE" in text
    assert "Created" not in text
    assert "Description" not in text
    assert json.loads(to_json(minimal)) == minimal
    empty_models = {**minimal, "models": []}
    assert "Models (0)" in table(empty_models)


def test_json_is_one_document_in_service_order() -> None:
    text = to_json(PROFILE)
    assert list(json.loads(text)) == list(PROFILE)
    assert text.startswith("{\n  ")


def test_several_profiles_print_an_array_list_or_tables() -> None:
    second = {**PROFILE, "inferenceProfileId": "second"}
    for fmt, load in (("json", json.loads), ("yaml", yaml.safe_load)):
        stream = io.StringIO()
        render_profiles([PROFILE, second], fmt, many=True, stream=stream, color=False, now=NOW)
        assert load(stream.getvalue()) == [PROFILE, second]
    stream = io.StringIO()
    render_profiles([PROFILE, second], "table", many=True, stream=stream, color=False, now=NOW)
    assert stream.getvalue().count("╭") == 2


def test_yaml_is_block_style_with_iso_strings() -> None:
    text = to_yaml(PROFILE)
    assert "createdAt: '2024-08-23T19:00:00+00:00'" in text
    assert "{" not in text
    assert yaml.safe_load(text) == PROFILE


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(seconds=10), "just now"),
        (timedelta(minutes=5), "5 minutes ago"),
        (timedelta(hours=1), "1 hour ago"),
        (timedelta(days=3), "3 days ago"),
        (timedelta(days=95), "3 months ago"),
        (timedelta(days=800), "2 years ago"),
        (timedelta(days=-2), "in 2 days"),
    ],
)
def test_humanize_age(delta: timedelta, expected: str) -> None:
    assert humanize_age(NOW - delta, NOW) == expected


def test_format_timestamp_passes_odd_values_through_safely() -> None:
    assert format_timestamp("not a time\x1b", NOW) == "not a time\\x1b"
    assert format_timestamp(12, NOW) == "12"
    assert format_timestamp("2026-11-27T12:00:00Z", NOW) == "2026-11-27 12:00:00 UTC (just now)"


def test_printable_escapes_controls_and_bidi() -> None:
    assert printable("plain text") == "plain text"
    assert printable("a\nb\tc\x1b\x7f\x9b") == "a\\x0ab\\x09c\\x1b\\x7f\\x9b"
    assert printable("x\u202ey") == "x\\u202ey"
    assert printable("caf\u00e9") == "caf\u00e9"


class FakeStream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize(
    ("mode", "env", "tty", "expected"),
    [
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),
        ("auto", {"TERM": "dumb"}, True, False),
        ("auto", {"CLICOLOR_FORCE": "1"}, False, True),
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"FORCE_COLOR": "0"}, False, False),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
        ("always", {"NO_COLOR": "1"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
    ],
)
def test_use_color(mode: str, env: dict[str, str], tty: bool, expected: bool) -> None:
    assert use_color(mode, FakeStream(tty), env) is expected


@pytest.mark.parametrize("fmt", ["json", "yaml", "text", "table", "wide"])
@pytest.mark.parametrize("count", [0, 1, 3])
@pytest.mark.parametrize("color", [False, True])
def test_a_streamed_list_is_byte_for_byte_the_whole_list(fmt, count, color) -> None:
    from bedrock_profile_cli.context import CommonOptions, RunContext
    from bedrock_profile_cli.output.stream import emit_each
    from tests.conftest import Stream

    realistic = json.loads((GOLDEN / "realistic_profiles.json").read_text())["summaries"]
    documents = (realistic * 3)[:count]
    whole = render_output(documents, "profile", fmt, color=color, now=NOW)
    out = Stream()
    options = CommonOptions(output=fmt, color="always" if color else "never")
    run = RunContext(stdout=out, stderr=Stream(), env={"COLUMNS": "80"}, options=options)
    emit_each(run, iter(documents), "profile", now=NOW)
    assert out.getvalue() == whole
