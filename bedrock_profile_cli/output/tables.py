"""Tables for people: one renderer per record kind (registered in :mod:`.kinds`).

Nothing is ever dropped or cropped, and an ID, ARN, name, region or model ID is never broken by an
inserted line break or ellipsis: a copied ARN is the ARN.  Each renderer lays its records out for
the width (``output.table_width``) in one of two forms:

- a table, when every row fits: ``get`` a two-column box, ``list`` columns under a header;
- otherwise one block per record (as ``kubectl describe`` or ``psql \\x``): ``Key:  value`` lines
  behind a ``│`` gutter.  A value that does not fit after its key goes on the line below it; one
  longer than the whole width is printed whole there all the same, left to the terminal's soft
  wrap (which, unlike an inserted line break, keeps a copied ARN whole).

Text that came from the service is data: it goes into rich as ``Text`` (never markup) with control
and format characters made visible (:func:`textsafe.printable`).  rich is imported only when a
table is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, TextIO

from bedrock_profile_cli.identifiers import ANY_REGION, model_arns, parse_model_arn
from bedrock_profile_cli.textsafe import printable

if TYPE_CHECKING:
    from rich.console import Console

ACTIVE = "ACTIVE"
NONE = "-"  # shown for a value that is absent (no status, no models)
GAP = "  "  # between columns of a table, and between a block's key and its value
GUTTER = "│ "
# A value that does not fit after its key goes on the next line, this far in (gutter included).
VALUE_INDENT = 4
# Prose (a description) wraps between words after its key only when that leaves this much room.
MIN_PROSE_WIDTH = 20

Segment = tuple[str, str]  # text (already printable) and a rich style ("" for none)
Line = list[Segment]


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


# --- measuring and laying out lines -------------------------------------------------------------------


def _cells(text: str) -> int:
    """Terminal cells ``text`` takes (East Asian wide characters count two)."""
    from rich.cells import cell_len

    return cell_len(text)


def _width(line: Line) -> int:
    return sum(_cells(text) for text, _ in line)


def _safe(value: object) -> str:
    return printable("" if value is None else str(value))


def _status_style(status: object, active: str) -> str:
    return active if status == ACTIVE else "bold yellow"


def _aligned(row: Sequence[Segment], widths: Sequence[int]) -> Line:
    """The cells of ``row`` side by side, each but the last padded to its column's width."""
    line: Line = []
    for i, (text, style) in enumerate(row):
        line.append((text, style))
        if i < len(row) - 1:
            line.append((" " * (widths[i] - _cells(text)) + GAP, ""))
    return line


def _column_widths(rows: Sequence[Sequence[Segment]]) -> list[int]:
    widths: list[int] = []
    for row in rows:
        for i, (text, _) in enumerate(row):
            if i == len(widths):
                widths.append(0)
            widths[i] = max(widths[i], _cells(text))
    return widths


def _row_width(row: Sequence[Segment], widths: Sequence[int]) -> int:
    return _width(_aligned(row, widths))


def _words(text: str) -> list[str]:
    return [word for word in text.split(" ") if word]


def _wrap(chunks: Sequence[str], width: int) -> list[str]:
    """``chunks`` joined by spaces in lines of at most ``width`` cells, broken only between chunks;
    a chunk longer than ``width`` gets a line of its own, whole."""
    lines: list[str] = []
    current = ""
    for chunk in chunks:
        candidate = f"{current} {chunk}" if current else chunk
        if current and _cells(candidate) > width:
            lines.append(current)
            current = chunk
        else:
            current = candidate
    return [*lines, current]


def _trim(line: Line) -> Line:
    """``line`` without the padding after its last cell (cells of a row that ended early)."""
    out = list(line)
    while out and not out[-1][0].strip(" "):
        out.pop()
    return out


@dataclass(frozen=True)
class Field:
    """One labelled value of a record.  ``rows`` are its lines; each row is one or more cells
    (region and model ID) that line up across rows and are never broken.  ``prose`` marks free text
    (a description) that may wrap between words.  ``header`` names the cells in the box form."""

    label: str
    rows: tuple[tuple[Segment, ...], ...]
    prose: bool = False
    header: tuple[Segment, ...] | None = None

    @classmethod
    def one(cls, label: str, value: object, style: str = "") -> Field:
        return cls(label, (((_safe(value), style),),))

    @classmethod
    def text(cls, label: str, chunks: Sequence[str]) -> Field:
        """Prose, broken only between ``chunks`` (its words); nothing to show is shown as ``-``."""
        return cls(label, (tuple((chunk, "") for chunk in chunks) or ((NONE, ""),),), prose=True)


# --- one record per block ------------------------------------------------------------------------------


def _indent(width: int, cells: int, preferred: int) -> int:
    """The indent for a value of ``cells`` on its own line: ``preferred`` if the value then fits,
    else just the gutter, else none; ``preferred`` if it fits nowhere (it is longer than the width)."""
    for indent in (preferred, len(GUTTER), 0):
        if indent + cells <= width:
            return indent
    return preferred


def _indented(indent: int, line: Line) -> Line:
    lead = GUTTER + " " * (indent - len(GUTTER)) if indent >= len(GUTTER) else " " * indent
    return [(lead, "dim"), *line] if lead else line


def _block_field(field: Field, key: Line, column: int, width: int) -> list[Line]:
    """The lines of one field: after its key (``column`` cells in) when they fit there, else on the
    lines below it."""
    key_alone = [(GUTTER, "dim"), *key]
    padded = [*key_alone, (" " * (column - _width(key_alone)), "")]
    continuation: Line = [(GUTTER, "dim"), (" " * (column - len(GUTTER)), "")]
    if field.prose:
        chunks = [text for text, _ in field.rows[0]]
        style = field.rows[0][0][1]
        room = width - column
        if room >= MIN_PROSE_WIDTH and max(_cells(chunk) for chunk in chunks) <= room:
            first, *rest = _wrap(chunks, room)
            return [[*padded, (first, style)], *[[*continuation, (part, style)] for part in rest]]
        wrapped = _wrap(chunks, width - VALUE_INDENT)
        return [
            key_alone,
            *[_indented(_indent(width, _cells(part), VALUE_INDENT), [(part, style)]) for part in wrapped],
        ]

    widths = _column_widths(field.rows)
    if all(column + _row_width(row, widths) <= width for row in field.rows):
        head, *tail = field.rows
        return [padded + _aligned(head, widths), *[continuation + _aligned(row, widths) for row in tail]]
    lines = [key_alone]
    if all(VALUE_INDENT + _row_width(row, widths) <= width for row in field.rows):
        return lines + [_indented(VALUE_INDENT, _aligned(row, widths)) for row in field.rows]
    for row in field.rows:  # each cell on a line of its own, the first ones leading
        for i, cell in enumerate(row):
            if not cell[0]:
                continue  # a cell left empty under the one above (a profile's further destinations)
            preferred = VALUE_INDENT + (2 if i else 0)
            lines.append(_indented(_indent(width, _cells(cell[0]), preferred), [cell]))
    return lines


def _block_body(fields: Sequence[Field], width: int) -> list[Line]:
    keys = [[(f"{field.label}:", "bold")] for field in fields]
    column = len(GUTTER) + max((_width(key) for key in keys), default=0) + len(GAP)
    body: list[Line] = []
    for field, key in zip(fields, keys, strict=True):
        body += [_trim(line) for line in _block_field(field, key, column, width)]
    return body


def _blocks(records: Sequence[Sequence[Field]], width: int) -> list[Line]:
    """Each record as ``Key:  value`` lines behind a gutter, opened by ``╭`` and closed by ``╰``
    (rules as long as the widest line, at most the width), a blank line between records."""
    bodies = [_block_body(fields, width) for fields in records]
    widest = max((_width(line) for body in bodies for line in body), default=0)
    rule = "─" * max(1, min(width, widest) - 1)
    lines: list[Line] = []
    for i, body in enumerate(bodies):
        lines += [[]] if i else []
        lines += [[("╭" + rule, "dim")], *body, [("╰" + rule, "dim")]]
    return lines


# --- inference profiles (get) --------------------------------------------------------------------------

MODEL_HEADER: tuple[Segment, ...] = (("Region", "bold"), ("Model ID", "bold"))


def _model_rows(models: Sequence[object]) -> tuple[tuple[Segment, ...], ...]:
    """A (region, model ID) row per model ARN; a region-less ARN (``global.`` profiles) is served in
    any commercial region: ``*``."""
    rows = []
    for model in models:
        arn = model.get("modelArn", "") if isinstance(model, dict) else model
        region, model_id = parse_model_arn(str(arn))
        rows.append(((_safe(region or ANY_REGION), "cyan"), (_safe(model_id), "")))
    return tuple(rows)


def profile_fields(profile: Mapping[str, object], now: datetime) -> list[Field]:
    status = profile.get("status")
    fields = [Field.one("Source region", profile["region"], "cyan")] if "region" in profile else []
    fields += [
        Field.one("Name", profile.get("inferenceProfileName"), "bold"),
        Field.one("ID", profile.get("inferenceProfileId")),
        Field.one("ARN", profile.get("inferenceProfileArn")),
        Field.one("Type", profile.get("type")),
        Field.one("Status", status if status is not None else NONE, _status_style(status, "bold green")),
    ]
    if "description" in profile:
        fields.append(Field.text("Description", _words(_safe(profile.get("description")))))
    for key, label in (("createdAt", "Created"), ("updatedAt", "Updated")):
        if key in profile:
            fields.append(Field.text(label, _timestamp_chunks(format_timestamp(profile[key], now))))
    models = profile.get("models")
    models = models if isinstance(models, list) else []
    label = f"Models ({len(models)})"
    if models:
        fields.append(Field(label, _model_rows(models), header=MODEL_HEADER))
    else:
        fields.append(Field.one(label, NONE))
    derived = profile.get("derived")
    if isinstance(derived, dict):  # the tool's inference, not the service's: labelled so
        routed = derived.get("models")
        names = [_safe(m) for m in routed] if isinstance(routed, list) else []
        fields.append(Field("Model (derived)", tuple(((m, ""),) for m in names) or (((NONE, ""),),)))
        fields.append(Field.one("Copied from (derived)", derived.get("copiedFrom") or NONE))
    tags = profile.get("tags")
    if isinstance(tags, dict):
        rows = tuple(((f"{_safe(k)}={_safe(v)}", ""),) for k, v in sorted(tags.items()))
        fields.append(Field(f"Tags ({len(tags)})", rows or (((NONE, ""),),)))
    return fields


def _timestamp_chunks(shown: str) -> list[str]:
    """'2024-08-23 19:00:00 UTC (2 years ago)' breaks after the date and before the age only."""
    moment, paren, age = shown.partition(" (")
    words = _words(moment)
    if not paren or len(words) != 3:
        return _words(shown)
    return [words[0], " ".join(words[1:]), paren.strip() + age]


def _box_value_lines(field: Field, value_width: int) -> list[Line]:
    if field.prose:
        style = field.rows[0][0][1]
        return [[(part, style)] for part in _wrap([text for text, _ in field.rows[0]], value_width)]
    if field.header is not None:
        widths = _column_widths((field.header, *field.rows))
        rule = sum(widths) + len(GAP) * (len(widths) - 1)
        header = _aligned(field.header, widths)
        return [header, [("─" * rule, "")], *[_aligned(row, widths) for row in field.rows]]
    widths = _column_widths(field.rows)
    return [_aligned(row, widths) for row in field.rows]


def _box_needs(field: Field) -> tuple[int, int]:
    """The least and the most value width ``field`` can take in the box."""
    if field.prose:
        chunks = [text for text, _ in field.rows[0]]
        return max(_cells(chunk) for chunk in chunks), _cells(" ".join(chunks))
    widest = max(_width(line) for line in _box_value_lines(field, 0))
    return widest, widest


def profile_box(fields: Sequence[Field], width: int) -> list[Line] | None:
    """The profile as a two-column box, if every value fits whole at ``width``; else None."""
    label_width = max(_cells(field.label) for field in fields)
    room = width - label_width - 7  # "│ " label " │ " value " │"
    needs = [_box_needs(field) for field in fields]
    if max(least for least, _ in needs) > room:
        return None
    value_width = min(room, max(most for _, most in needs))
    bar = ("│", "")
    lines: list[Line] = [[(f"╭{'─' * (label_width + 2)}┬{'─' * (value_width + 2)}╮", "")]]
    for field in fields:
        for i, value in enumerate(_box_value_lines(field, value_width)):
            label = field.label if i == 0 else ""
            pad = " " * (value_width - _width(value))
            label_pad = " " * (label_width - _cells(label))
            lines.append([bar, (" ", ""), (label, "bold"), (label_pad + " ", ""), bar, (" ", ""), *value])
            lines[-1] += [(pad + " ", ""), bar]
    lines.append([(f"╰{'─' * (label_width + 2)}┴{'─' * (value_width + 2)}╯", "")])
    return lines


def profile_lines(profile: Mapping[str, object], now: datetime, width: int) -> list[Line]:
    """One inference profile: the box when it fits, else a block."""
    fields = profile_fields(profile, now)
    return profile_box(fields, width) or _blocks([fields], width)


# --- inference profile summaries (list) ----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    cells: tuple[tuple[Segment, ...], ...]  # per row, its lines


def _regions_and_models(summary: Mapping[str, object]) -> tuple[list[str], list[str]]:
    parsed = [parse_model_arn(arn) for arn in model_arns(summary)]
    regions = list(dict.fromkeys(_safe(region or ANY_REGION) for region, _ in parsed))
    models = list(dict.fromkeys(_safe(model) for _, model in parsed))
    return regions, models


def summary_columns(summaries: Sequence[Mapping[str, object]], wide: bool) -> list[Column]:
    """The columns of ``list``: ID over name, type over status, the regions served; with ``wide``
    also the model IDs."""
    ids, kinds, regions, models = [], [], [], []
    for summary in summaries:
        status = summary.get("status")
        profile_id = _safe(summary.get("inferenceProfileId"))
        ids.append(((profile_id, "bold"), (_safe(summary.get("inferenceProfileName")), "dim")))
        kinds.append(
            (
                (_safe(summary.get("type")), ""),
                (_safe(status if status is not None else NONE), _status_style(status, "green")),
            )
        )
        served, routed = _regions_and_models(summary)
        regions.append(tuple((region, "") for region in served) or ((NONE, ""),))
        models.append(tuple((model, "") for model in routed) or ((NONE, ""),))
    columns = [
        Column("ID / name", tuple(ids)),
        Column("Type / status", tuple(kinds)),
        Column("Regions", tuple(regions)),
    ]
    if wide:
        columns.append(Column("Models", tuple(models)))
    if any(isinstance(summary.get("tags"), dict) for summary in summaries):  # list --tag
        columns.append(Column("Tags", tuple(_tag_cells(summary) for summary in summaries)))
    return columns


def _tag_cells(document: Mapping[str, object]) -> tuple[Segment, ...]:
    tags = document.get("tags")
    shown = sorted(tags.items()) if isinstance(tags, dict) else []
    return tuple((f"{_safe(k)}={_safe(v)}", "") for k, v in shown) or ((NONE, ""),)


def summary_grid(columns: Sequence[Column], width: int) -> list[Line] | None:
    """The summaries as a table with a header, if every line fits whole at ``width``; else None."""
    widths = [
        max([_cells(column.header)] + [_cells(text) for cell in column.cells for text, _ in cell])
        for column in columns
    ]
    total = sum(widths) + len(GAP) * (len(widths) - 1)
    if total > width:
        return None
    header = _aligned([(column.header, "bold") for column in columns], widths)
    lines: list[Line] = [header, [("─" * total, "")]]
    for row in range(len(columns[0].cells)):
        height = max(len(column.cells[row]) for column in columns)
        for i in range(height):
            cells = [column.cells[row][i] if i < len(column.cells[row]) else ("", "") for column in columns]
            lines.append(_trim(_aligned(cells, widths)))
    return lines


def summary_fields(summary: Mapping[str, object], wide: bool) -> list[Field]:
    status = summary.get("status")
    served, routed = _regions_and_models(summary)
    fields = [
        Field.one("ID", summary.get("inferenceProfileId"), "bold"),
        Field.one("Name", summary.get("inferenceProfileName")),
        Field.one("Type", summary.get("type")),
        Field.one("Status", status if status is not None else NONE, _status_style(status, "green")),
        Field("Regions", tuple(((region, ""),) for region in served) or (((NONE, ""),),)),
    ]
    if wide:
        fields.append(Field("Models", tuple(((model, ""),) for model in routed) or (((NONE, ""),),)))
    return fields


def summary_lines(summaries: Sequence[Mapping[str, object]], width: int, wide: bool = False) -> list[Line]:
    """Profile summaries: a table when every row fits, else one block per summary."""
    grid = summary_grid(summary_columns(summaries, wide), width)
    if grid is not None:
        return grid
    return _blocks([summary_fields(summary, wide) for summary in summaries], width)


# --- the console and one renderer per record kind (see .kinds) -------------------------------------------


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


def _print(console: Console, lines: Sequence[Line]) -> None:
    """``lines`` as they are: rich neither wraps nor crops them (a longer line is the terminal's to
    soft-wrap), and the text is never read as markup."""
    from rich.text import Text

    if lines:
        console.print(Text("\n").join(Text.assemble(*line) for line in lines), soft_wrap=True)


def _profiles(document: object) -> list[Mapping[str, object]]:
    regional = regional_results(document)
    items = regional if regional is not None else document if isinstance(document, list) else [document]
    return [item if isinstance(item, dict) else {} for item in items]


def draw_profiles(document: object, console: Console, now: datetime) -> None:
    """A profile (GetInferenceProfile's document); a list of them, one after another."""
    lines: list[Line] = []
    for i, profile in enumerate(_profiles(document)):
        if i:
            lines.append([])
        lines += profile_lines(profile, now, console.width)
    _print(console, lines)


def _summaries(document: object) -> list[Mapping[str, object]]:
    rows = document if isinstance(document, list) else [document]
    return [row for row in rows if isinstance(row, dict)]


def draw_summaries(document: object, console: Console, now: datetime) -> None:
    """Profile summaries (ListInferenceProfiles): ID, name, type, status and regions.  No rows, no
    table: the command says on stderr that nothing matched."""
    rows = _summaries(document)
    if rows:
        _print(console, summary_lines(rows, console.width))


def draw_summaries_wide(document: object, console: Console, now: datetime) -> None:
    """Profile summaries with their model IDs too (``-o wide``)."""
    rows = _summaries(document)
    if rows:
        _print(console, summary_lines(rows, console.width, wide=True))


def draw_nothing(document: object, console: Console, now: datetime) -> None:
    """For kinds whose human form is already on stderr (``check``): stdout stays empty."""


# --- many source regions (--regions, --all-regions) ---------------------------------------------------


def regional_results(document: object) -> list[Mapping[str, object]] | None:
    """The results of a multi-region document (``regions``, ``results``, ``skipped``), else None."""
    if isinstance(document, dict) and isinstance(document.get("results"), list) and "regions" in document:
        return [row for row in document["results"] if isinstance(row, dict)]
    return None


def _answered_regions(document: Mapping[str, object]) -> list[str]:
    asked = document.get("regions")
    skipped = document.get("skipped")
    gone = {s.get("region") for s in skipped if isinstance(s, dict)} if isinstance(skipped, list) else set()
    return [_safe(r) for r in asked if r not in gone] if isinstance(asked, list) else []


def matrix_lines(
    document: Mapping[str, object], rows: Sequence[Mapping[str, object]], width: int
) -> list[Line]:
    """``list --all-regions``: a row per profile ID, a column per region that answered (its name
    across when they all fit side by side, else written downwards), ``●`` where the region offers
    the profile.  Empty when it does not fit at all."""
    regions = _answered_regions(document)
    offered: dict[str, set[str]] = {}
    for row in rows:
        offered.setdefault(_safe(row.get("inferenceProfileId")), set()).add(_safe(row.get("region")))
    ids = sorted(offered)
    id_width = max([_cells("ID"), *(_cells(i) for i in ids)])
    across = id_width + len(GAP) + sum(len(r) for r in regions) + len(GAP) * (len(regions) - 1)
    if regions and across <= width:  # room for the region names side by side
        header = [("ID".ljust(id_width) + GAP, "bold"), (GAP.join(regions), "cyan")]
        lines_across: list[Line] = [header, [("─" * across, "")]]
        for profile_id in ids:
            cells = GAP.join(("●" if r in offered[profile_id] else "·").center(len(r)) for r in regions)
            lines_across.append([(profile_id.ljust(id_width) + GAP, "bold"), (cells.rstrip(), "")])
        return lines_across
    total = id_width + len(GAP) + 2 * len(regions)
    if not regions or total > width:
        return []
    height = max(len(r) for r in regions)
    lines: list[Line] = []
    for level in range(height):
        label = ("ID" if level == height - 1 else "").ljust(id_width) + GAP
        cells = " ".join(r[level] if level < len(r) else " " for r in regions)
        lines.append(_trim([(label, "bold"), (cells, "cyan")]))
    lines.append([("─" * total, "")])
    for profile_id in ids:
        cells = " ".join("●" if r in offered[profile_id] else "·" for r in regions)
        lines.append([(profile_id.ljust(id_width) + GAP, "bold"), (cells, "")])
    return lines


def _offering_blocks(rows: Sequence[Mapping[str, object]], width: int) -> list[Line]:
    offered: dict[str, list[str]] = {}
    for row in rows:
        offered.setdefault(_safe(row.get("inferenceProfileId")), []).append(_safe(row.get("region")))
    records = [
        [Field.one("ID", profile_id, "bold"), Field("Offered from", tuple(((r, ""),) for r in where))]
        for profile_id, where in sorted(offered.items())
    ]
    return _blocks(records, width)


def draw_regional_summaries(document: object, console: Console, now: datetime) -> None:
    rows = regional_results(document) or []
    if rows and isinstance(document, dict):
        _print(console, matrix_lines(document, rows, console.width) or _offering_blocks(rows, console.width))


def draw_regional_summaries_wide(document: object, console: Console, now: datetime) -> None:
    """Every summary with its source region first (``-o wide``)."""
    rows = regional_results(document) or []
    if not rows:
        return
    columns = summary_columns(rows, wide=True)
    source = Column("Source", tuple(((_safe(row.get("region")), "cyan"),) for row in rows))
    grid = summary_grid([source, *columns], console.width)
    if grid is None:
        records = [
            [Field.one("Source", row.get("region"), "cyan"), *summary_fields(row, True)] for row in rows
        ]
        grid = _blocks(records, console.width)
    _print(console, grid)


# --- resolve ---------------------------------------------------------------------------------------------


def _resolutions(document: object) -> list[Mapping[str, object]]:
    found = regional_results(document)
    if found is not None:
        return found
    return _summaries(document)


def _yes_no(value: object) -> Segment:
    return ("yes", "green") if value is True else ("no", "")


def resolution_lines(rows: Sequence[Mapping[str, object]], width: int) -> list[Line]:
    """Per model (a heading), a row per source region: on demand or not, and what to call; a table
    when it fits, else blocks."""
    groups: dict[tuple[str, str], list[Mapping[str, object]]] = {}
    for row in rows:
        groups.setdefault((_safe(row.get("model")), _safe(row.get("input"))), []).append(row)
    lines: list[Line] = []
    for (model, given), members in groups.items():
        columns = [
            Column("Region", tuple(((_safe(r.get("region")), "cyan"),) for r in members)),
            Column("On demand", tuple((_yes_no(r.get("onDemand")),) for r in members)),
            Column(
                "Call",
                tuple(
                    ((_safe(r.get("recommended") or NONE), "bold" if r.get("recommended") else "yellow"),)
                    for r in members
                ),
            ),
        ]
        grid = summary_grid(columns, width)
        if grid is None:
            return _blocks([resolution_fields(r, with_profiles=False) for r in rows], width)
        heading: Line = [(model, "bold")]
        if given and given != model:
            heading.append((f" (from {given})", "dim"))
        lines += [[]] if lines else []
        lines += [heading, *grid]
    return lines


def resolution_fields(row: Mapping[str, object], *, with_profiles: bool = True) -> list[Field]:
    recommended = row.get("recommended")
    fields = [
        Field.one("Model", row.get("model"), "bold"),
        Field.one("Region", row.get("region"), "cyan"),
        Field.one("On demand", "yes" if row.get("onDemand") is True else "no"),
        Field.one("Call", recommended or NONE, "bold" if recommended else "yellow"),
    ]
    if not with_profiles:
        return fields
    profiles = row.get("profiles")
    profiles = [p for p in profiles if isinstance(p, dict)] if isinstance(profiles, list) else []
    if profiles:
        lines: list[tuple[Segment, ...]] = []
        for profile in profiles:
            where = profile.get("destinationRegions")
            shown = [_safe(r) for r in where] if isinstance(where, list) and where else [NONE]
            lines.append(
                (
                    (_safe(profile.get("inferenceProfileId")), ""),
                    (_safe(profile.get("scope")), "cyan"),
                    (shown[0], ""),
                )
            )
            lines += [(("", ""), ("", ""), (region, "")) for region in shown[1:]]
        fields.append(Field(f"Profiles ({len(profiles)})", tuple(lines)))
    else:
        fields.append(Field.one("Profiles (0)", NONE))
    return fields


def draw_resolutions(document: object, console: Console, now: datetime) -> None:
    rows = _resolutions(document)
    if rows:
        _print(console, resolution_lines(rows, console.width))


def draw_resolutions_wide(document: object, console: Console, now: datetime) -> None:
    """Each resolution with every profile that routes the model, its scope and destinations."""
    rows = _resolutions(document)
    if rows:
        _print(console, _blocks([resolution_fields(r) for r in rows], console.width))


# --- iam-policy ------------------------------------------------------------------------------------------


def _as_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [_safe(v) for v in value]
    return [] if value is None else [_safe(value)]


def statement_fields(statement: Mapping[str, object]) -> list[Field]:
    fields = [
        Field.one("Sid", statement.get("Sid") or NONE, "bold"),
        Field.one("Effect", statement.get("Effect")),
    ]
    for key in ("Action", "NotAction", "Resource", "NotResource"):
        if key in statement:
            fields.append(
                Field(key, tuple(((value, ""),) for value in _as_list(statement[key])) or (((NONE, ""),),))
            )
    condition = statement.get("Condition")
    if isinstance(condition, dict) and condition:
        rows: list[tuple[Segment, ...]] = []
        for operator, block in condition.items():
            for key, values in block.items() if isinstance(block, dict) else []:
                for value in _as_list(values):
                    rows.append(((_safe(operator), "cyan"), (_safe(key), ""), (value, "")))
        fields.append(Field("Condition", tuple(rows) or (((NONE, ""),),)))
    return fields


def draw_policy(document: object, console: Console, now: datetime) -> None:
    """An IAM policy for people: one block per statement (``-o json`` is the document itself)."""
    statements = document.get("Statement") if isinstance(document, dict) else None
    items = (
        statements if isinstance(statements, list) else [statements] if isinstance(statements, dict) else []
    )
    records = [statement_fields(s) for s in items if isinstance(s, dict)]
    if records:
        _print(console, _blocks(records, console.width))


def draw_lines(document: object, console: Console, now: datetime) -> None:
    """A list of names (``iam-policy --scp-regions``), one per line."""
    _print(console, [[(value, "")] for value in _as_list(document)])


# --- snapshot and diff -----------------------------------------------------------------------------------


def draw_snapshot(document: object, console: Console, now: datetime) -> None:
    """A snapshot for people (``-o table``; its default is JSON): every profile with its source region,
    as ``list -o wide`` draws them."""
    entries = document.get("regions") if isinstance(document, dict) else None
    rows: list[object] = []
    for entry in entries if isinstance(entries, list) else []:
        profiles = entry.get("profiles") if isinstance(entry, dict) else None
        for profile in profiles if isinstance(profiles, list) else []:
            if isinstance(profile, dict):
                models = profile.get("models")
                arns = models if isinstance(models, list) else []
                rows.append(
                    {**profile, "region": entry.get("region"), "models": [{"modelArn": a} for a in arns]}
                )
    draw_regional_summaries_wide({"regions": [], "results": rows}, console, now)


CHANGE_MARKS: dict[object, Segment] = {
    "added": ("+", "green"),
    "removed": ("-", "red"),
    "changed": ("~", "yellow"),
}
CHANGE_INDENT = "  "
FIELD_INDENT = "      "


def _change_rows(change: Mapping[str, object]) -> list[Line]:
    """What changed in one field: ``before → after``, or a line per item removed (``-``) and added
    (``+``); a tag whose value changed is one ``~ key: before → after`` line."""
    added, removed = change.get("added"), change.get("removed")
    if isinstance(added, dict) and isinstance(removed, dict):  # tags
        rows: list[Line] = []
        for key in sorted({*added, *removed}, key=str):
            if key in added and key in removed:
                rows.append(
                    [
                        ("~ ", "yellow"),
                        (f"{_safe(key)}: {_safe(removed[key])}", ""),
                        (" → ", "dim"),
                        (_safe(added[key]), ""),
                    ]
                )
            elif key in removed:
                rows.append([("- ", "red"), (f"{_safe(key)}={_safe(removed[key])}", "")])
            else:
                rows.append([("+ ", "green"), (f"{_safe(key)}={_safe(added[key])}", "")])
        return rows
    if isinstance(added, list) or isinstance(removed, list):
        gone = [[("- ", "red"), (_safe(item), "")] for item in (removed if isinstance(removed, list) else [])]
        new = [[("+ ", "green"), (_safe(item), "")] for item in (added if isinstance(added, list) else [])]
        return [*gone, *new]
    before, after = change.get("before"), change.get("after")
    return [
        [
            (_safe(NONE if before is None else before), ""),
            (" → ", "dim"),
            (_safe(NONE if after is None else after), ""),
        ]
    ]


def change_lines(changes: Sequence[Mapping[str, object]]) -> list[Line]:
    """``diff`` for people: per region (a heading), a ``+`` line per profile added, ``-`` per
    profile removed, ``~`` per profile changed with a line per change under it.  Values are never
    broken: one longer than the width is the terminal's to soft-wrap."""
    by_region: dict[str, list[Mapping[str, object]]] = {}
    for item in changes:
        by_region.setdefault(_safe(item.get("region")), []).append(item)
    label_width = max((len(_safe(item.get("field"))) for item in changes if item.get("field")), default=0)
    lines: list[Line] = []
    for region, items in by_region.items():
        lines += [[]] if lines else []
        lines.append([(region, "bold cyan")])
        current: str | None = None
        for item in items:
            kind = item.get("change")
            profile_id = _safe(item.get("inferenceProfileId"))
            mark, style = CHANGE_MARKS.get(kind, ("?", ""))
            if kind in ("added", "removed"):
                whole = item.get("after" if kind == "added" else "before")
                profile = whole if isinstance(whole, Mapping) else {}
                lines.append(
                    [
                        (CHANGE_INDENT + mark + " ", style),
                        (profile_id, "bold"),
                        (GAP + _safe(profile.get("inferenceProfileName")), "dim"),
                        (GAP + _safe(profile.get("type")), ""),
                    ]
                )
                current = None
                continue
            if profile_id != current:
                name = item.get("inferenceProfileName")
                lines.append(
                    [(CHANGE_INDENT + mark + " ", style), (profile_id, "bold"), (GAP + _safe(name), "dim")]
                )
                current = profile_id
            label = _safe(item.get("field"))
            for i, row in enumerate(_change_rows(item)):
                lead = FIELD_INDENT + (label if i == 0 else "").ljust(label_width) + GAP
                lines.append([(lead, "dim"), *row])
    return lines


def draw_changes(document: object, console: Console, now: datetime) -> None:
    """``diff``'s change list; no changes, no lines (stderr says so)."""
    items = [item for item in document if isinstance(item, dict)] if isinstance(document, list) else []
    if items:
        _print(console, change_lines(items))
