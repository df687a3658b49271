"""Printing a list one item at a time, byte for byte as :func:`bedrock_profile_cli.output.emit` prints
the whole list, so that each item can be dropped once it is out (``get`` with many identifiers:
memory grows with the number in flight, not with the number asked for).

JSON, YAML, text, and the tables of kinds drawn one record at a time stream.  ``--query`` needs the
whole document, and so does a kind whose table is one table of all records: those are buffered and
handed to ``emit``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone

from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.output import emit, output_format
from bedrock_profile_cli.output.formats import TABLE, WIDE, to_text, to_yaml
from bedrock_profile_cli.output.kinds import TableRenderer


def emit_each(
    run: RunContext, documents: Iterable[object], kind: str, *, now: datetime | None = None
) -> None:
    """Write the list ``documents`` (of record kind ``kind``) on stdout, item by item."""
    from bedrock_profile_cli.output.kinds import KINDS

    record = KINDS[kind]
    fmt = output_format(run, record)
    query = run.options.query if run.options else None
    if query is None and fmt in (TABLE, WIDE) and record.table_per_record:
        _tables(run, documents, record.wide if fmt == WIDE and record.wide else record.table, now)
        return
    if query is not None or fmt not in ("json", "yaml", "text"):
        emit(run, list(documents), kind, now=now)
        return
    pieces = {"json": _json_pieces, "yaml": _yaml_pieces, "text": _text_pieces}[fmt]
    for piece in pieces(iter(documents)):
        run.stdout.write(piece)
    run.stdout.flush()


def _tables(run: RunContext, documents: Iterable[object], draw: TableRenderer, now: datetime | None) -> None:
    from bedrock_profile_cli.output import table_width
    from bedrock_profile_cli.output.tables import make_console

    console = make_console(run.stdout, run.stdout_color(), table_width(run))
    now = now or datetime.now(timezone.utc)
    for i, document in enumerate(documents):
        if i:
            run.stdout.write("\n")
        draw(document, console, now)
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
