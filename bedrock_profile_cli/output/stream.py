"""Printing a list one item at a time, byte for byte as :func:`bedrock_profile_cli.output.emit` prints
the whole list, so that each item can be dropped once it is out (``get`` with many identifiers:
memory grows with the number in flight, not with the number asked for).

JSON, YAML and text stream.  ``--query`` needs the whole document, and a table is for a person
reading a screenful: both are buffered and handed to ``emit``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.output import emit, output_format
from bedrock_profile_cli.output.formats import to_text, to_yaml


def emit_each(run: RunContext, documents: Iterable[object], kind: str) -> None:
    """Write the list ``documents`` (of record kind ``kind``) on stdout, item by item."""
    from bedrock_profile_cli.output.kinds import KINDS

    fmt = output_format(run, KINDS[kind])
    query = run.options.query if run.options else None
    if query is not None or fmt not in ("json", "yaml", "text"):
        emit(run, list(documents), kind)
        return
    pieces = {"json": _json_pieces, "yaml": _yaml_pieces, "text": _text_pieces}[fmt]
    for piece in pieces(iter(documents)):
        run.stdout.write(piece)
    run.stdout.flush()


def _json_pieces(documents: Iterator[object]) -> Iterator[str]:
    """``json.dumps(list, indent=2, ensure_ascii=True)`` + newline, one item at a time."""
    first = True
    for document in documents:
        item = json.dumps(document, indent=2, ensure_ascii=True)
        indented = "\n".join("  " + line for line in item.split("\n"))  # no raw newline inside JSON
        yield ("[\n" if first else ",\n") + indented
        first = False
    yield "[]\n" if first else "\n]\n"


def _yaml_pieces(documents: Iterator[object]) -> Iterator[str]:
    """Block-style YAML sequence items are independent: the list is the items one after another."""
    empty = True
    for document in documents:
        empty = False
        yield to_yaml([document])
    if empty:
        yield to_yaml([])


def _text_pieces(documents: Iterator[object]) -> Iterator[str]:
    for document in documents:
        yield to_text([document])
