"""The output formats, in one registry: each turns a document (plain JSON-like data) into text.

``json`` and ``yaml`` carry exactly the data; ``text`` is for shells; ``table`` is for people and is
drawn by the record kind's table renderer (:mod:`.kinds`); ``wide`` is the table with every column
the kind has (``list`` adds the model IDs), the table itself for kinds with no wider one.  Adding a
format means one function here and one entry in :data:`FORMATS`; ``--output`` takes its choices
from that registry.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from bedrock_profile_cli.textsafe import printable


def to_json(document: object) -> str:
    """Indented JSON.  Every non-ASCII or control character is written as a ``\\uXXXX`` escape, so
    no service-provided text can act on a terminal; it parses to exactly the same data."""
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def to_yaml(document: object) -> str:
    """Block-style YAML from the same data.  Safe dump, ASCII only: any control or non-ASCII
    character is written as an escape inside a double-quoted scalar."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: object) -> bool:
            return True  # a list used twice is written twice, never as &id001 / *id001

    text: str = yaml.dump(
        document, Dumper=Dumper, sort_keys=False, default_flow_style=False, allow_unicode=False, width=10_000
    )
    return text


def _text_cell(value: object) -> str:
    if isinstance(value, str):
        return printable(value)
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def _text_row(value: object) -> str:
    if isinstance(value, list):
        return "\t".join(_text_cell(v) for v in value)
    if isinstance(value, dict):
        return "\t".join(_text_cell(v) for v in value.values())
    return _text_cell(value)


def to_text(document: object) -> str:
    """For shell: a string raw (no quotes), a number, boolean or null as JSON writes it; a list one
    row per item; an object one ``key<TAB>value`` row per key.  A row of a list or object is its
    values joined by tabs; a value that is itself a list or object is compact JSON.  Control
    characters (tabs and newlines included) in strings are shown as escapes, so rows stay rows."""
    if document is None:
        return ""
    if isinstance(document, list):
        rows = [_text_row(item) for item in document]
    elif isinstance(document, dict):
        rows = [f"{printable(str(key))}\t{_text_cell(value)}" for key, value in document.items()]
    else:
        rows = [_text_cell(document)]
    return "".join(row + "\n" for row in rows)


def is_scalar_or_scalars(document: object) -> bool:
    scalar = (str, int, float, bool, type(None))
    return isinstance(document, scalar) or (
        isinstance(document, list) and all(isinstance(item, scalar) for item in document)
    )


TABLE = "table"
WIDE = "wide"
# Formats that serialise a document on their own; ``table`` and ``wide`` are drawn per record kind.
SERIALISERS: dict[str, Callable[[object], str]] = {"json": to_json, "yaml": to_yaml, "text": to_text}
TABLES: tuple[str, ...] = (TABLE, WIDE)
FORMATS: tuple[str, ...] = (TABLE, WIDE, *SERIALISERS)
