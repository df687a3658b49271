"""The record kinds a command can hand to the output layer, in one registry.

A kind names what a document is (a profile, profile summaries, check results) and how people see
it as a table, and, if it has one, as a wide table (``-o wide``: more columns; a kind without one
draws its table).  JSON, YAML and text need nothing per kind.  A new command with a new shape of
data adds its kind here and its table renderer in :mod:`.tables`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bedrock_profile_cli.output import tables

if TYPE_CHECKING:
    from rich.console import Console

TableRenderer = Callable[[object, "Console", datetime], None]


@dataclass(frozen=True)
class RecordKind:
    name: str
    table: TableRenderer
    # The format when neither --output nor BEDROCK_PROFILE_OUTPUT says; None: table on a terminal,
    # else JSON.
    default_format: str | None = None
    # -o wide; None: the same as the table.
    wide: TableRenderer | None = None
    # The table of a list is each record's table, a blank line between: a list can be drawn one
    # record at a time (output.stream), each dropped once printed.
    table_per_record: bool = False


PROFILE = RecordKind("profile", tables.draw_profiles, table_per_record=True)
PROFILE_SUMMARIES = RecordKind("profile-summaries", tables.draw_summaries, wide=tables.draw_summaries_wide)
# check's results for people are its lines on stderr; stdout carries JSON/YAML/text only when asked.
CHECK_RESULTS = RecordKind("check-results", tables.draw_nothing, default_format="table")

RESOLUTIONS = RecordKind("resolutions", tables.draw_resolutions, wide=tables.draw_resolutions_wide)
# --regions / --all-regions: one document (regions, results, skipped) drawn as a whole.
REGIONAL_PROFILES = RecordKind("regional-profiles", tables.draw_profiles)
REGIONAL_SUMMARIES = RecordKind(
    "regional-summaries", tables.draw_regional_summaries, wide=tables.draw_regional_summaries_wide
)

# A policy is a JSON document people paste: JSON unless a table is asked for.
IAM_POLICY = RecordKind("iam-policy", tables.draw_policy, default_format="json")
SCP_REGIONS = RecordKind("scp-regions", tables.draw_lines)

# A snapshot is a document to commit and diff: JSON unless a table is asked for.
SNAPSHOT = RecordKind("snapshot", tables.draw_snapshot, default_format="json")
CHANGES = RecordKind("changes", tables.draw_changes)

KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in (
        PROFILE,
        PROFILE_SUMMARIES,
        CHECK_RESULTS,
        RESOLUTIONS,
        REGIONAL_PROFILES,
        REGIONAL_SUMMARIES,
        IAM_POLICY,
        SCP_REGIONS,
        SNAPSHOT,
        CHANGES,
    )
}
