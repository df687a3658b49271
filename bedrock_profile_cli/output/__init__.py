"""The output layer: a command hands over a document and its record kind; this layer applies
``--query``, picks the format, and writes stdout.  Commands never branch on the format.

- :mod:`.formats`: the format registry (json, yaml, text; table and wide through the kind).
- :mod:`.kinds`: the record-kind registry, each with its table renderer.
- :mod:`.tables`: the rich tables (rich is imported only when one is drawn).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.output.formats import FORMATS, SERIALISERS, TABLE, TABLES, WIDE, is_scalar_or_scalars
from bedrock_profile_cli.settings import OUTPUT_ENV, env_choice

if TYPE_CHECKING:
    from bedrock_profile_cli.output.kinds import RecordKind

DEFAULT_COLUMNS = 80


def output_format(run: RunContext, kind: RecordKind | None = None) -> str:
    """--output, else BEDROCK_PROFILE_OUTPUT, else the kind's default, else table for a person at a
    terminal and JSON for a pipe or a file.  An unknown format is refused here (exit 2)."""
    chosen = run.options.output if run.options else None
    if chosen is None:
        chosen = env_choice(run.env, OUTPUT_ENV, FORMATS)
    if chosen is None:
        chosen = kind.default_format if kind and kind.default_format else None
    if chosen is None:
        chosen = TABLE if run.stdout_is_terminal() else "json"
    if chosen not in FORMATS:
        raise BedrockProfileError(
            ExitCode.USAGE, f"unknown output format {chosen!r}", hint=f"use one of {', '.join(FORMATS)}"
        )
    return chosen


def table_width(run: RunContext) -> int | None:
    """The terminal's width on a terminal (rich asks it); COLUMNS, else 80, for a pipe or file."""
    if run.stdout_is_terminal():
        return None
    try:
        columns = int(run.env.get("COLUMNS", ""))
    except ValueError:
        return DEFAULT_COLUMNS
    return columns if columns > 0 else DEFAULT_COLUMNS


def emit(run: RunContext, document: object, kind: str, *, now: datetime | None = None) -> None:
    """Write ``document`` (plain JSON-like data of record kind ``kind``) on stdout.

    With ``--query`` the expression is applied first; what it selects has no table of its own, so a
    table (or wide) request prints text for scalars (and lists of them) and JSON otherwise."""
    from bedrock_profile_cli.output.kinds import KINDS
    from bedrock_profile_cli.output.query import search

    record = KINDS[kind]
    query = run.options.query if run.options else None
    if query is not None:
        document = search(query, document)
    fmt = output_format(run, record)
    if fmt in TABLES and query is None:
        from bedrock_profile_cli.output.tables import make_console

        console = make_console(run.stdout, run.stdout_color(), table_width(run))
        draw = record.wide if fmt == WIDE and record.wide is not None else record.table
        draw(document, console, now or datetime.now(timezone.utc))
    else:
        if fmt in TABLES:
            fmt = "text" if is_scalar_or_scalars(document) else "json"
        run.stdout.write(SERIALISERS[fmt](document))
    run.stdout.flush()
