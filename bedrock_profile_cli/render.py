"""Rendering: a profile (or several) as JSON, YAML or a rich table.

JSON and YAML carry exactly what the API returned; the table is for people.  Text that came from the
service is data: it goes into rich as ``Text`` (never markup) with control characters made visible.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TextIO

from bedrock_profile_cli.identifiers import ANY_REGION, parse_model_arn
from bedrock_profile_cli.textsafe import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

ACTIVE = "ACTIVE"


def to_json(document: Any) -> str:
    """Indented JSON.  Every non-ASCII or control character is written as a ``\\uXXXX`` escape, so
    no service-provided text can act on a terminal; it parses to exactly the same data."""
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def to_yaml(document: Any) -> str:
    """Block-style YAML from the same data.  Safe dump, ASCII only: any control or non-ASCII
    character is written as an escape inside a double-quoted scalar."""
    import yaml

    text: str = yaml.safe_dump(
        document, sort_keys=False, default_flow_style=False, allow_unicode=False, width=10_000
    )
    return text


def _text_cell(value: Any) -> str:
    if isinstance(value, str):
        return printable(value)
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def _text_row(value: Any) -> str:
    if isinstance(value, list):
        return "\t".join(_text_cell(v) for v in value)
    if isinstance(value, dict):
        return "\t".join(_text_cell(v) for v in value.values())
    return _text_cell(value)


def to_text(document: Any) -> str:
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


def is_scalar_or_scalars(document: Any) -> bool:
    scalar = (str, int, float, bool, type(None))
    return isinstance(document, scalar) or (
        isinstance(document, list) and all(isinstance(item, scalar) for item in document)
    )


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def humanize_age(then: datetime, now: datetime) -> str:
    """'3 months ago', 'in 2 days', 'just now'."""
    seconds = (now - then).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 45:
        return "just now"
    steps = (
        (60 * 60, 60, "minute"),
        (24 * 3600, 3600, "hour"),
        (30 * 86400, 86400, "day"),
        (365 * 86400, 30 * 86400, "month"),
    )
    text = None
    for limit, size, unit in steps:
        if seconds < limit:
            text = _plural(max(1, int(seconds // size)), unit)
            break
    if text is None:
        text = _plural(max(1, int(seconds // (365 * 86400))), "year")
    return f"in {text}" if future else f"{text} ago"


def format_timestamp(value: Any, now: datetime) -> str:
    """An ISO timestamp as '2024-08-23 18:36:02 UTC (3 months ago)'; anything else as it is."""
    if not isinstance(value, str):
        return printable(str(value))
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return printable(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC ({humanize_age(moment, now)})"


def _text(value: Any, style: str = "") -> Any:
    from rich.text import Text

    return Text(printable("" if value is None else str(value)), style=style)


def _lines(values: Sequence[str]) -> Any:
    """One line per value, each made safe on its own."""
    from rich.text import Text

    return Text("\n").join(_text(v) for v in values) if values else _text("-")


def _models_table(models: Sequence[Any]) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    table.add_column("Region", no_wrap=True, style="cyan")
    table.add_column("Model ID", overflow="fold")
    for model in models:
        arn = model.get("modelArn", "") if isinstance(model, dict) else str(model)
        region, model_id = parse_model_arn(str(arn))
        table.add_row(_text(region or "-"), _text(model_id))
    return table


def profile_table(profile: dict[str, Any], now: datetime) -> Table:
    """One inference profile as a two-column table; IDs and ARNs wrap, never truncate."""
    from rich import box
    from rich.table import Table

    status = profile.get("status")
    status_style = "bold green" if status == ACTIVE else "bold yellow"
    table = Table(box=box.ROUNDED, show_header=False, title_justify="left", expand=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    table.add_row("Name", _text(profile.get("inferenceProfileName"), "bold"))
    table.add_row("ID", _text(profile.get("inferenceProfileId")))
    table.add_row("ARN", _text(profile.get("inferenceProfileArn")))
    table.add_row("Type", _text(profile.get("type")))
    table.add_row("Status", _text(status if status is not None else "-", status_style))
    if "description" in profile:
        table.add_row("Description", _text(profile.get("description")))
    for key, label in (("createdAt", "Created"), ("updatedAt", "Updated")):
        if key in profile:
            table.add_row(label, _text(format_timestamp(profile[key], now)))
    models = profile.get("models") or []
    table.add_row(f"Models ({len(models)})", _models_table(models) if models else _text("-"))
    return table


def make_console(stream: TextIO, color: bool) -> Console:
    """A rich console for ``stream``: no markup, no guessing highlights, colour only if asked."""
    from rich.console import Console

    return Console(
        file=stream,
        force_terminal=True if color else None,
        color_system="auto" if color else None,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )


def summary_table(summaries: Sequence[dict[str, Any]]) -> Table:
    """Inference profile summaries, one row each: ID over name, type over status, the regions served
    and the model IDs.  IDs fold at narrow widths, never truncate."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    table.add_column("ID / name", overflow="fold", ratio=5, min_width=24)
    table.add_column("Type / status", no_wrap=True)
    table.add_column("Regions", no_wrap=True)
    table.add_column("Models", overflow="fold", ratio=4, min_width=16)
    for summary in summaries:
        parsed = [
            parse_model_arn(str(m.get("modelArn", "")))
            for m in summary.get("models") or []
            if isinstance(m, dict)
        ]
        regions = list(dict.fromkeys(region or ANY_REGION for region, _ in parsed))
        models = list(dict.fromkeys(model for _, model in parsed))
        status = summary.get("status")
        profile = Text.assemble(
            _text(summary.get("inferenceProfileId"), "bold"),
            "\n",
            _text(summary.get("inferenceProfileName"), "dim"),
        )
        kind = Text.assemble(
            _text(summary.get("type")),
            "\n",
            _text(status if status is not None else "-", "green" if status == ACTIVE else "bold yellow"),
        )
        table.add_row(profile, kind, _lines(regions), _lines(models))
    return table


def render_document(
    document: Any,
    fmt: str,
    *,
    stream: TextIO,
    color: bool,
    table: Callable[[Console], None] | None = None,
) -> None:
    """Print ``document`` as json, yaml or text; as ``table`` when the command gave a table renderer,
    otherwise as text for scalars (and lists of scalars) and JSON for anything else."""
    if fmt == "table" and table is None:
        fmt = "text" if is_scalar_or_scalars(document) else "json"
    if fmt == "json":
        stream.write(to_json(document))
    elif fmt == "yaml":
        stream.write(to_yaml(document))
    elif fmt == "text":
        stream.write(to_text(document))
    else:
        assert table is not None
        table(make_console(stream, color))
    stream.flush()


def profile_tables(
    profiles: Sequence[dict[str, Any]], now: datetime | None = None
) -> Callable[[Console], None]:
    """A table renderer for ``render_document``: one table per profile."""

    def draw(console: Console) -> None:
        moment = now or datetime.now(timezone.utc)
        for i, profile in enumerate(profiles):
            if i:
                console.print()
            console.print(profile_table(profile, moment))

    return draw
