"""Tables for people: one renderer per record kind (registered in :mod:`.kinds`).

Text that came from the service is data: it goes into rich as ``Text`` (never markup) with control
characters made visible.  rich is imported only when a table is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, TextIO

from bedrock_profile_cli.identifiers import ANY_REGION, model_arns, parse_model_arn
from bedrock_profile_cli.textsafe import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

ACTIVE = "ACTIVE"


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


def format_timestamp(value: object, now: datetime) -> str:
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


def _text(value: object, style: str = "") -> Text:
    from rich.text import Text

    return Text(printable("" if value is None else str(value)), style=style)


def _lines(values: Sequence[str]) -> Text:
    """One line per value, each made safe on its own."""
    from rich.text import Text

    return Text("\n").join(_text(v) for v in values) if values else _text("-")


def _models_table(models: Sequence[object]) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    table.add_column("Region", no_wrap=True, style="cyan")
    table.add_column("Model ID", overflow="fold")
    for model in models:
        arn = model.get("modelArn", "") if isinstance(model, dict) else model
        region, model_id = parse_model_arn(str(arn))
        table.add_row(_text(region or "-"), _text(model_id))
    return table


def profile_table(profile: Mapping[str, object], now: datetime) -> Table:
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
    models = profile.get("models")
    models = models if isinstance(models, list) else []
    table.add_row(f"Models ({len(models)})", _models_table(models) if models else _text("-"))
    return table


def make_console(stream: TextIO, color: bool, width: int | None = None) -> Console:
    """A rich console for ``stream``: no markup, no guessing highlights, colour only if asked.

    A closed pipe is reported as the BrokenPipeError it is (the error boundary makes it exit 141,
    quietly); rich's own reaction is to exit 1."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return _Console(
        file=stream,
        width=width,
        force_terminal=True if color else None,
        color_system="auto" if color else None,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )


def summary_table(summaries: Sequence[Mapping[str, object]]) -> Table:
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
        parsed = [parse_model_arn(arn) for arn in model_arns(summary)]
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


# --- one renderer per record kind (see .kinds) ---------------------------------------------------------


def draw_profiles(document: object, console: Console, now: datetime) -> None:
    """A profile (GetInferenceProfile's document) as a table; a list of them, one table each."""
    profiles = document if isinstance(document, list) else [document]
    for i, profile in enumerate(profiles):
        if i:
            console.print()
        console.print(profile_table(profile if isinstance(profile, dict) else {}, now))


def draw_summaries(document: object, console: Console, now: datetime) -> None:
    """Profile summaries (ListInferenceProfiles) as one table."""
    rows = document if isinstance(document, list) else [document]
    console.print(summary_table([row for row in rows if isinstance(row, dict)]))


def draw_nothing(document: object, console: Console, now: datetime) -> None:
    """For kinds whose human form is already on stderr (``check``): stdout stays empty."""
