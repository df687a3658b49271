"""textsafe.printable: what service text may not do on a terminal, per class of character, and as a
property over any string."""

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedrock_profile_cli.textsafe import UNSAFE_CATEGORIES, printable

# One representative list per class the issue names; every member must come out escaped.
CLASSES = {
    "C0 and DEL": ["\x00", "\x07", "\x08", "\x09", "\x0a", "\x0d", "\x1b", "\x7f"],
    "C1 (CSI, OSC, NEL)": ["\x85", "\x9b", "\x9d"],
    "bidi controls": ["\u061c", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069"],
    "zero-width and joiners": ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"],
    "invisible operators": ["\u2061", "\u2062", "\u2063", "\u2064"],
    "deprecated format controls": ["\u206a", "\u206b", "\u206c", "\u206d", "\u206e", "\u206f"],
    "soft hyphen and Mongolian vowel separator": ["\u00ad", "\u180e"],
    "interlinear annotation": ["\ufff9", "\ufffa", "\ufffb"],
    "tag characters": ["\U000e0000", "\U000e0001", "\U000e0020", "\U000e0041", "\U000e007f"],
    "line and paragraph separators": ["\u2028", "\u2029"],
    "private use": ["\ue000", "\uf8ff", "\U000f0000", "\U00100000"],
    "lone surrogates": ["\ud800", "\udfff"],
}


@pytest.mark.parametrize("cls", sorted(CLASSES))
def test_every_character_of_each_class_is_escaped(cls: str) -> None:
    for ch in CLASSES[cls]:
        shown = printable(f"a{ch}b")
        assert ch not in shown, (cls, hex(ord(ch)))
        assert shown.startswith("a\\") and shown.endswith("b")
        assert shown.isascii()
        assert len(shown.splitlines()) == 1


def test_escapes_read_as_python_writes_them() -> None:
    assert printable("\x1b[2J") == "\\x1b[2J"
    assert printable("x\u202ey") == "x\\u202ey"
    assert printable("\U000e0041") == "\\U000e0041"  # eight digits: not \ue000 followed by "41"
    assert printable("caf\u00e9 \u6f22\u5b57 \U0001f600") == "caf\u00e9 \u6f22\u5b57 \U0001f600"


def test_line_separators_no_longer_split_an_error_line() -> None:
    assert printable("one\u2028two\u2029three").splitlines() == ["one\\u2028two\\u2029three"]


UNSAFE_STRATEGY = st.characters(categories=sorted(UNSAFE_CATEGORIES))
ANY_STRING = st.text(
    alphabet=st.one_of(st.characters(), UNSAFE_STRATEGY, st.sampled_from("\\x1bu202e")), max_size=120
)
NO_BACKSLASH = st.text(
    alphabet=st.one_of(
        st.characters(exclude_characters="\\"), UNSAFE_STRATEGY, st.sampled_from("x1bu202eU0")
    ),
    max_size=60,
)


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in UNSAFE_CATEGORIES


@given(ANY_STRING)
@settings(max_examples=1000)
def test_printable_leaves_no_unsafe_character_and_one_line(s: str) -> None:
    shown = printable(s)
    assert not any(_unsafe(ch) for ch in shown)
    assert len(shown.splitlines()) <= 1
    if not any(_unsafe(ch) for ch in s):
        assert shown == s
    # every escape is of an unsafe character: removing them leaves exactly the safe characters
    assert printable(shown) == shown


ESCAPE = re.compile(r"\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|U([0-9a-f]{8}))")


def _read_back(shown: str) -> str:
    return ESCAPE.sub(lambda m: chr(int(next(g for g in m.groups() if g), 16)), shown)


@given(NO_BACKSLASH)
@settings(max_examples=1000)
def test_the_original_can_be_read_back_when_it_has_no_backslash(s: str) -> None:
    # Each escape starts with a backslash and has a fixed length per form: without a backslash of
    # its own, the original is recovered exactly, so two different strings never look alike.
    assert _read_back(printable(s)) == s


@pytest.mark.parametrize("cls", sorted(CLASSES))
def test_every_class_is_escaped_in_tables_text_output_and_error_lines(cls: str) -> None:
    from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
    from bedrock_profile_cli.output.formats import to_text
    from tests.conftest import render_output

    hostile = "x" + "".join(CLASSES[cls]) + "y"
    doc = {
        "inferenceProfileName": hostile,
        "description": hostile,
        "inferenceProfileArn": hostile,
        "models": [{"modelArn": f"arn:aws:bedrock:{hostile}::foundation-model/{hostile}"}],
        "inferenceProfileId": hostile,
        "status": hostile,
        "type": hostile,
    }
    tables = [
        re.sub(r"\x1b\[[0-9;]*m", "", render_output(doc, kind, fmt, columns=width, color=color))
        for kind in ("profile", "profile-summaries")
        for fmt in ("table", "wide")
        for width in (30, 200)
        for color in (False, True)
    ]
    lines = [
        to_text(doc),
        to_text([doc]),
        BedrockProfileError(ExitCode.SERVICE, hostile, aws_code=hostile).line(),
    ]
    for text in tables + lines:
        # newlines and tabs of the layout itself (rows, to_text's columns) are the only ones left
        assert not any(ch in text for ch in CLASSES[cls] if ch not in "\t\n"), (cls, text)
        assert printable(hostile) in text
    assert not any("\t" in text for text in tables)
    assert "\n" not in lines[-1]
