"""Tables at every width: nothing dropped, nothing cropped, no ID/ARN/name/region/model ID broken.

Data: tests/golden/realistic_profiles.json (summaries the live service returned, up to 10 models,
region-less model ARNs of global. profiles, plus a 66-character ID with a 123-character ARN and a
63-character name).  A profile document of GetInferenceProfile has the same fields as a summary.
"""

import json
import re
from pathlib import Path

import pytest

from bedrock_profile_cli.identifiers import ANY_REGION, model_arns, parse_model_arn
from tests.conftest import render_output
from tests.test_render import NOW

DATA = json.loads((Path(__file__).parent / "golden" / "realistic_profiles.json").read_text())["summaries"]
WIDTHS = (20, 30, 40, 50, 60, 80, 120, 200)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# What may stand before a value on a line longer than the width: the gutter, a key, spaces.
LEAD = re.compile(r"(│ )?([A-Z][A-Za-z]*( \(\d+\))?:)? *")


def regions(doc: dict) -> list[str]:
    return [parse_model_arn(arn)[0] or ANY_REGION for arn in model_arns(doc)]


def models(doc: dict) -> list[str]:
    return [parse_model_arn(arn)[1] for arn in model_arns(doc)]


def whole_values(doc: dict, *, arn: bool, with_models: bool) -> list[str]:
    """The values that must each appear whole on one line."""
    values = [doc["inferenceProfileId"], doc["inferenceProfileName"], *regions(doc)]
    if arn:
        values.append(doc["inferenceProfileArn"])
    if with_models:
        values += models(doc)
    return values


def check_layout(text: str, width: int, values: list[str]) -> None:
    lines = text.splitlines()
    assert lines, "nothing printed"
    assert lines[0].strip(), "a blank first line"
    assert "…" not in text
    assert "..." not in text
    for value in values:
        assert any(value in line for line in lines), f"{value!r} is not whole on any line at {width}"
    for line in lines:
        if len(line) <= width:
            continue
        # Only one unbreakable value longer than the width may run past it, after its key or indent.
        lead = LEAD.match(line)
        assert lead is not None
        rest = line[lead.end() :]
        assert rest in values, f"line of {len(line)} at width {width} is not one whole value: {line!r}"
        assert len(rest) > width, f"{rest!r} would fit at width {width} on a line of its own"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("color", [False, True])
def test_get_keeps_every_value_whole_at_every_width(width: int, color: bool) -> None:
    for doc in DATA:
        text = ANSI.sub("", render_output(doc, "profile", "table", columns=width, color=color, now=NOW))
        check_layout(text, width, whole_values(doc, arn=True, with_models=True))
        assert f"Models ({len(doc['models'])})" in text


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("fmt", ["table", "wide"])
@pytest.mark.parametrize("color", [False, True])
def test_list_keeps_every_value_whole_at_every_width(width: int, fmt: str, color: bool) -> None:
    text = ANSI.sub("", render_output(DATA, "profile-summaries", fmt, columns=width, color=color, now=NOW))
    values = [v for doc in DATA for v in whole_values(doc, arn=False, with_models=fmt == "wide")]
    check_layout(text, width, values)
    for doc in DATA:
        for field in ("type", "status"):
            assert doc[field] in text


@pytest.mark.parametrize("width", WIDTHS)
def test_several_profiles_print_one_after_another(width: int) -> None:
    text = render_output(DATA, "profile", "table", columns=width, now=NOW)
    check_layout(text, width, [v for doc in DATA for v in whole_values(doc, arn=True, with_models=True)])
    assert text.count("╭") == len(DATA)
    assert "\n\n╭" in text  # a blank line between profiles, none before the first


# --- one test per class of layout -----------------------------------------------------------------------

GLOBAL = DATA[0]  # global.anthropic.claude-sonnet-4-5-20250929-v1:0: a region-less model ARN first
TEN = DATA[3]  # apac.amazon.nova-pro-v1:0: ten models
LONG = DATA[6]  # a 66-character ID, a 123-character ARN


def test_box_when_every_value_fits() -> None:
    text = render_output(GLOBAL, "profile", "table", columns=200, now=NOW)
    lines = text.splitlines()
    assert lines[0].startswith("╭") and lines[0].endswith("╮")
    assert lines[-1].startswith("╰") and lines[-1].endswith("╯")
    assert len({len(line) for line in lines}) == 1  # a closed box, every line as wide
    assert f"│ ARN         │ {GLOBAL['inferenceProfileArn']} │" in lines
    assert re.search(r"│ Models \(2\)  │ Region +Model ID +│", text)
    assert re.search(r"│             │ \* +anthropic\.claude-sonnet-4-5-20250929-v1:0 +│", text)


def test_block_when_a_value_does_not_fit_in_the_box() -> None:
    text = render_output(GLOBAL, "profile", "table", columns=122, now=NOW)  # the box needs 123
    assert "┬" not in text and "╮" not in text
    assert f"│ ARN:          {GLOBAL['inferenceProfileArn']}" in text.splitlines()


def test_a_value_that_does_not_fit_after_its_key_goes_below_it() -> None:
    lines = render_output(GLOBAL, "profile", "table", columns=60, now=NOW).splitlines()
    i = lines.index("│ ARN:")
    assert lines[i + 1] == "│   " + GLOBAL["inferenceProfileArn"]  # 109 at width 60: soft wrap's


def test_a_value_that_fits_only_without_its_indent_loses_the_indent_not_a_character() -> None:
    profile_id = GLOBAL["inferenceProfileId"]  # 48
    lines = render_output(GLOBAL, "profile", "table", columns=50, now=NOW).splitlines()
    assert "│ " + profile_id in lines
    lines = render_output(GLOBAL, "profile", "table", columns=48, now=NOW).splitlines()
    assert profile_id in lines
    assert all(len(line) <= 48 or GLOBAL["inferenceProfileArn"] in line for line in lines)


def test_region_less_model_arns_are_a_star_in_get_and_list() -> None:
    assert (
        model_arns(GLOBAL)[0]
        == "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"
    )
    star = re.compile(r"(?m)[│ ]\*(  |$)")
    dash = re.compile(r"(?m)(^|[│ ])-( |$)")
    for width in WIDTHS:
        for text in (
            render_output(GLOBAL, "profile", "table", columns=width, now=NOW),
            render_output([GLOBAL], "profile-summaries", "table", columns=width, now=NOW),
            render_output([GLOBAL], "profile-summaries", "wide", columns=width, now=NOW),
        ):
            assert star.search(text), text
            assert not dash.search(text), text


def test_ten_models_each_on_its_own_line() -> None:
    for width in WIDTHS:
        text = render_output(TEN, "profile", "table", columns=width, now=NOW)
        for arn in model_arns(TEN):
            region = parse_model_arn(arn)[0] or ANY_REGION
            assert any(region in line for line in text.splitlines())
        assert len(re.findall(rf"(?m)(^|[│ ]){re.escape(models(TEN)[0])}( *│)?$", text)) == 10


def test_list_table_is_compact_and_wide_adds_the_models() -> None:
    table = render_output(DATA, "profile-summaries", "table", columns=200, now=NOW).splitlines()
    wide = render_output(DATA, "profile-summaries", "wide", columns=200, now=NOW).splitlines()
    assert table[0].split() == ["ID", "/", "name", "Type", "/", "status", "Regions"]
    assert wide[0].split() == ["ID", "/", "name", "Type", "/", "status", "Regions", "Models"]
    assert set(table[1]) == {"─"} and len(table[1]) == max(len(line) for line in table)
    app_row = next(line for line in table if line.startswith("a1b2c3d4e5f6 "))
    assert app_row.split()[-2:] == ["APPLICATION", "*"]
    app_row = next(line for line in wide if line.startswith("a1b2c3d4e5f6 "))
    assert app_row.split()[-3:] == ["APPLICATION", "*", "anthropic.claude-sonnet-4-5-20250929-v1:0"]


def test_list_falls_back_to_blocks_for_every_record_when_a_row_does_not_fit() -> None:
    # the 67-character name + SYSTEM_DEFINED + ap-southeast-1, two spaces between: 99 columns
    assert "ID / name" in render_output(DATA, "profile-summaries", "table", columns=99, now=NOW)
    text = render_output(DATA, "profile-summaries", "table", columns=98, now=NOW)
    assert "ID / name" not in text
    assert text.count("╭") == len(DATA)
    assert f"│ ID:       {LONG['inferenceProfileId']}" in text.splitlines()


def test_wide_is_table_for_a_profile_and_the_query_rule_holds() -> None:
    for width in (40, 200):
        assert render_output(LONG, "profile", "wide", columns=width, now=NOW) == render_output(
            LONG, "profile", "table", columns=width, now=NOW
        )


def test_wide_characters_are_measured_in_cells() -> None:
    doc = {**TEN, "inferenceProfileName": "アジア太平洋 Nova Pro 推論プロファイル"}  # 38 cells, 26 characters
    table = render_output([doc], "profile-summaries", "table", columns=80, now=NOW).splitlines()
    assert table[3].startswith(doc["inferenceProfileName"] + " " * (40 - 38))
    box = render_output(doc, "profile", "table", columns=200, now=NOW).splitlines()
    assert f"│ Name        │ {doc['inferenceProfileName']} " in box[1]


def test_no_trailing_spaces_outside_the_box() -> None:
    for width in WIDTHS:
        for fmt in ("table", "wide"):
            text = render_output(DATA, "profile-summaries", fmt, columns=width, now=NOW)
            assert all(line == line.rstrip() for line in text.splitlines())
        text = render_output(GLOBAL, "profile", "table", columns=width, now=NOW)
        if "┬" not in text:
            assert all(line == line.rstrip() for line in text.splitlines())


def test_an_empty_list_prints_no_table_at_any_width() -> None:
    # Nothing matched: `list` says so on stderr; a header-only table would only be noise.
    for columns in (20, 80, 200):
        for fmt in ("table", "wide"):
            assert render_output([], "profile-summaries", fmt, columns=columns, now=NOW) == ""


# --- through the command line, on the served emulator ------------------------------------------------


def test_list_wide_through_the_cli(invoke, emulator) -> None:
    table = invoke("list", "-o", "table", env={"COLUMNS": "200"})
    wide = invoke("list", "-o", "WIDE", env={"COLUMNS": "200"})
    assert table.code == wide.code == 0, table.err + wide.err
    assert table.out.splitlines()[0].split()[-1] == "Regions"
    assert wide.out.splitlines()[0].split()[-1] == "Models"
    assert "anthropic.claude-sonnet-4-5-20250929-v1:0" in wide.out.split()
    from_env = invoke("list", env={"COLUMNS": "200", "BEDROCK_PROFILE_OUTPUT": "wide"})
    assert from_env.out == wide.out


def test_list_at_80_columns_is_the_compact_table(invoke, emulator) -> None:
    text = invoke("list", "-o", "table").out
    assert text.splitlines()[0].split() == ["ID", "/", "name", "Type", "/", "status", "Regions"]
    assert all(len(line) <= 80 for line in text.splitlines())


def test_get_wide_is_get_table_and_query_still_selects(invoke, emulator) -> None:
    from tests.conftest import SONNET

    assert invoke("get", SONNET, "-o", "wide").out == invoke("get", SONNET, "-o", "table").out
    assert invoke("get", SONNET, "-q", "status", "-o", "wide").out == "ACTIVE\n"
    assert json.loads(invoke("list", "-q", "[0]", "-o", "wide").out)["type"] == "SYSTEM_DEFINED"
    assert invoke("check", SONNET, "-o", "wide").out == ""


# --- resolve and many regions ---------------------------------------------------------------------------


def resolution(doc: dict, region: str) -> dict:
    """A resolve result for the model of ``doc`` (a realistic summary), routed by ``doc`` itself."""
    return {
        "model": models(doc)[0],
        "region": region,
        "input": models(doc)[0],
        "onDemand": False,
        "inferenceTypesSupported": ["INFERENCE_PROFILE"],
        "recommended": doc["inferenceProfileId"],
        "profiles": [
            {
                "inferenceProfileId": doc["inferenceProfileId"],
                "inferenceProfileArn": doc["inferenceProfileArn"],
                "type": doc["type"],
                "scope": doc["inferenceProfileId"].split(".")[0],
                "destinationRegions": list(dict.fromkeys(regions(doc))),
            }
        ],
    }


RESOLUTIONS = [resolution(doc, region) for doc in DATA for region in ("ap-northeast-1", "us-east-1")]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("fmt", ["table", "wide"])
def test_resolve_keeps_every_value_whole_at_every_width(width: int, fmt: str) -> None:
    text = ANSI.sub("", render_output(RESOLUTIONS, "resolutions", fmt, columns=width, color=True, now=NOW))
    values = [v for r in RESOLUTIONS for v in (r["model"], r["region"], r["recommended"])]
    if fmt == "wide":
        values += [r for doc in DATA for r in regions(doc)]
    check_layout(text, width, values)


def test_resolve_table_is_one_grid_per_model_with_its_regions() -> None:
    text = render_output(RESOLUTIONS[:2], "resolutions", "table", columns=120, now=NOW)
    lines = text.splitlines()
    assert lines[0] == RESOLUTIONS[0]["model"]
    assert lines[1].split() == ["Region", "On", "demand", "Call"]
    assert [line.split()[0] for line in lines[3:5]] == ["ap-northeast-1", "us-east-1"]


def regional(rows: list[dict], asked: list[str], skipped: list[str]) -> dict:
    return {
        "regions": asked,
        "results": rows,
        "skipped": [{"region": r, "reason": "not enabled", "exitCode": 9} for r in skipped],
    }


SOURCES = ["us-east-1", "eu-west-1", "ap-northeast-1"]
REGIONAL = regional(
    [{"region": region, **doc} for i, doc in enumerate(DATA) for region in SOURCES[: 1 + i % 3]],
    [*SOURCES, "af-south-1"],
    ["af-south-1"],
)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("fmt", ["table", "wide"])
def test_list_in_regions_keeps_every_value_whole_at_every_width(width: int, fmt: str) -> None:
    text = ANSI.sub(
        "", render_output(REGIONAL, "regional-summaries", fmt, columns=width, color=True, now=NOW)
    )
    if fmt == "wide":
        values = [v for doc in DATA for v in whole_values(doc, arn=False, with_models=True)] + SOURCES
    else:
        values = [doc["inferenceProfileId"] for doc in DATA]
        if "●" not in text:  # too narrow for the matrix (its regions head the columns, downwards)
            values += SOURCES
    check_layout(text, width, values)
    assert "af-south-1" not in text  # a skipped region has no column


def test_list_in_regions_matrix_marks_where_each_profile_is_offered() -> None:
    text = render_output(REGIONAL, "regional-summaries", "table", columns=200, now=NOW)
    for i, doc in enumerate(DATA):
        row = next(line for line in text.splitlines() if line.startswith(doc["inferenceProfileId"] + " "))
        offered = SOURCES[: 1 + i % 3]
        assert row.split()[1:] == ["●" if r in offered else "·" for r in SOURCES]
