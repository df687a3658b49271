"""Snapshots of the inference profiles an account sees, and what changed between two of them: pure
logic, no AWS access (``commands/snapshot.py`` and ``commands/diff.py`` make the calls).

A snapshot is one document meant to be committed to git and compared later, so it is sorted
(regions, then profile IDs; every key in a fixed order) and leaves out what changes when nothing a
caller sees did: ``updatedAt`` (the service moves it on its own) and ``description`` (prose; for a
system-defined profile it restates the destinations, which are recorded).  A region that refused
the caller is recorded under ``skipped``, with the reason, so that a comparison leaves it out rather
than report every profile of it removed.

:func:`compare` lists the changes between two snapshots, one object per change (a profile added or
removed, or one field of a profile changed), in region, profile ID and field order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.identifiers import ANY_REGION, model_arns, parse_model_arn
from bedrock_profile_cli.settings import DIFF_FIELDS, PROFILE_TYPES

FORMAT = "bedrock-profile-snapshot"
FORMAT_VERSION = 1
Doc = dict[str, object]

# diff's names for what it compares (--ignore takes them) -> the profile's key in a snapshot.
FIELD_KEYS: dict[str, str] = {
    "status": "status",
    "name": "inferenceProfileName",
    "models": "models",
    "destinations": "destinationRegions",
    "tags": "tags",
}
assert tuple(FIELD_KEYS) == DIFF_FIELDS
SET_FIELDS = ("models", "destinations")  # lists compared as sets: added and removed items
SNAPSHOT_HINT = "give a file that `bedrock-profile snapshot` wrote"


# --- taking a snapshot ---------------------------------------------------------------------------------


def destination_regions(arns: Iterable[str]) -> list[str]:
    """The regions of the model ARNs, sorted; ``*`` for an ARN with no region (a ``global.``
    profile's first model: any commercial region)."""
    return sorted({parse_model_arn(arn)[0] or ANY_REGION for arn in arns})


def profile_record(summary: Mapping[str, object], tags: Mapping[str, str] | None = None) -> Doc:
    """A profile as a snapshot records it (from a ListInferenceProfiles summary): its keys in a fixed
    order, model ARNs sorted, ``tags`` (sorted by key) only when given."""
    arns = sorted(set(model_arns(summary)))
    record: Doc = {
        "inferenceProfileId": summary.get("inferenceProfileId"),
        "inferenceProfileName": summary.get("inferenceProfileName"),
        "inferenceProfileArn": summary.get("inferenceProfileArn"),
        "type": summary.get("type"),
        "status": summary.get("status"),
        "createdAt": summary.get("createdAt"),
        "models": arns,
        "destinationRegions": destination_regions(arns),
    }
    if tags is not None:
        record["tags"] = dict(sorted(tags.items()))
    return record


def account_of(records: Iterable[Mapping[str, object]]) -> str | None:
    """The account in the first profile ARN that names one (no call to STS); None when none does."""
    for record in records:
        arn = record.get("inferenceProfileArn")
        parts = arn.split(":", 5) if isinstance(arn, str) else []
        if len(parts) == 6 and parts[0] == "arn" and parts[4]:
            return parts[4]
    return None


def build_snapshot(
    found: Mapping[str, Sequence[tuple[Mapping[str, object], Mapping[str, str] | None]]],
    skipped: Sequence[Mapping[str, object]],
    *,
    profile_type: str | None,
    with_tags: bool,
    taken_at: datetime,
) -> Doc:
    """The snapshot document: ``found`` maps each region that answered to its (summary, tags or
    None) pairs; ``skipped`` are the regions that did not (each with ``region`` and ``reason``)."""
    regions: list[Doc] = []
    every: list[Doc] = []
    for region in sorted(found):
        by_id = {str(summary.get("inferenceProfileId")): (summary, tags) for summary, tags in found[region]}
        records = [profile_record(*by_id[profile_id]) for profile_id in sorted(by_id)]
        regions.append({"region": region, "profiles": records})
        every += records
    return {
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "takenAt": taken_at.astimezone(timezone.utc).replace(microsecond=0).isoformat(),
        "account": account_of(every),
        "profileType": profile_type,
        "withTags": with_tags,
        "regions": regions,
        "skipped": sorted((dict(s) for s in skipped), key=lambda s: str(s.get("region"))),
    }


# --- reading one ---------------------------------------------------------------------------------------


class SnapshotError(BedrockProfileError):
    """A file that is not a snapshot this version reads: exit 2, naming the file (and the line and
    column of a JSON error, or the member at fault)."""

    def __init__(
        self,
        name: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
        *,
        hint: str = SNAPSHOT_HINT,
    ) -> None:
        where = f"{name}:{line}:{column}" if line is not None else name
        super().__init__(ExitCode.USAGE, f"{where}: {message}", hint=hint)


@dataclass(frozen=True)
class Snapshot:
    """A snapshot, checked: where it came from (a file name, or ``live``), what it was taken with,
    each answered region's profiles by ID, and the skipped regions with their reasons."""

    name: str
    profile_type: str | None
    with_tags: bool
    account: str | None
    regions: Mapping[str, Mapping[str, Mapping[str, object]]]
    skipped: Mapping[str, str] = field(default_factory=dict)

    @property
    def covered(self) -> list[str]:
        """Every region the snapshot speaks for: answered or skipped, sorted."""
        return sorted({*self.regions, *self.skipped})


def parse_snapshot(text: str, name: str) -> Snapshot:
    """The snapshot in ``text`` (read from ``name``): JSON, or the YAML ``snapshot -o yaml`` writes.
    Anything else is :class:`SnapshotError` (exit 2)."""
    try:
        doc = json.loads(text)
    except RecursionError:
        raise SnapshotError(name, "not a snapshot: nested too deeply") from None
    except json.JSONDecodeError as exc:
        doc = _yaml_mapping(text, name) if text.lstrip()[:1] not in ("{", "[") else None
        if doc is None:
            raise SnapshotError(name, f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise SnapshotError(name, f"not a snapshot: {exc}") from None
    return snapshot_of(doc, name)


def _yaml_mapping(text: str, name: str) -> object | None:
    """``text`` as YAML when it is a YAML mapping (a snapshot written with ``-o yaml``), else None.
    A document that uses an object twice (YAML aliases, which a snapshot never has) is refused: read
    as data it could stand for far more than the file holds."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        doc = yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    if not isinstance(doc, dict):
        return None
    seen: set[int] = set()
    stack: list[object] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in seen:
                raise SnapshotError(name, "YAML with aliases (*name): not a snapshot")
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)
    return doc


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=True, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def snapshot_of(doc: object, name: str) -> Snapshot:
    """``doc`` checked as a snapshot of this format version (:class:`SnapshotError` when it is not)."""

    def bad(path: str, message: str) -> SnapshotError:
        return SnapshotError(name, f"{path}: {message}")

    if not isinstance(doc, dict):
        raise SnapshotError(name, f"not a bedrock-profile snapshot: {_kind(doc)}, not an object")
    if doc.get("format") != FORMAT:
        raise SnapshotError(name, f'not a bedrock-profile snapshot (no "format": "{FORMAT}")')
    version = doc.get("formatVersion")
    if type(version) is not int or version != FORMAT_VERSION:
        raise SnapshotError(
            name,
            f"snapshot format version {_shown(version)} is not one this bedrock-profile reads "
            f"(it reads {FORMAT_VERSION})",
            hint="take the snapshot again with this bedrock-profile, or diff with the one that wrote it",
        )
    profile_type = doc.get("profileType")
    if profile_type is not None and profile_type not in PROFILE_TYPES:
        raise bad("profileType", f"must be null or one of {', '.join(PROFILE_TYPES)}")
    with_tags = doc.get("withTags")
    if not isinstance(with_tags, bool):
        raise bad("withTags", "must be true or false")
    account = doc.get("account")
    if account is not None and not isinstance(account, str):
        raise bad("account", "must be a string or null")
    if not isinstance(doc.get("takenAt"), str):
        raise bad("takenAt", "must be a string (ISO 8601)")
    raw_regions, raw_skipped = doc.get("regions"), doc.get("skipped")
    if not isinstance(raw_regions, list):
        raise bad("regions", "must be a list")
    if not isinstance(raw_skipped, list):
        raise bad("skipped", "must be a list")
    regions: dict[str, dict[str, Mapping[str, object]]] = {}
    for i, entry in enumerate(raw_regions):
        path = f"regions[{i}]"
        if not isinstance(entry, dict):
            raise bad(path, f"must be an object, not {_kind(entry)}")
        region, profiles = entry.get("region"), entry.get("profiles")
        if not isinstance(region, str) or not region:
            raise bad(f"{path}.region", "must be a region name")
        if region in regions:
            raise bad(f"{path}.region", f"{_shown(region)} is listed twice")
        if not isinstance(profiles, list):
            raise bad(f"{path}.profiles", "must be a list")
        regions[region] = {}
        for j, record in enumerate(profiles):
            profile_id = _checked_profile(record, f"{path}.profiles[{j}]", bad)
            if profile_id in regions[region]:
                raise bad(f"{path}.profiles[{j}]", f"{_shown(profile_id)} is listed twice in {region}")
            regions[region][profile_id] = record
    skipped: dict[str, str] = {}
    for i, entry in enumerate(raw_skipped):
        path = f"skipped[{i}]"
        if not isinstance(entry, dict):
            raise bad(path, f"must be an object, not {_kind(entry)}")
        region, reason = entry.get("region"), entry.get("reason")
        if not isinstance(region, str) or not region:
            raise bad(f"{path}.region", "must be a region name")
        if region in regions or region in skipped:
            raise bad(f"{path}.region", f"{_shown(region)} is already in the snapshot")
        if not isinstance(reason, str):
            raise bad(f"{path}.reason", "must be a string")
        skipped[region] = reason
    if not regions and not skipped:
        raise SnapshotError(name, "the snapshot covers no region")
    return Snapshot(name, profile_type, with_tags, account, regions, skipped)


# Members diff compares: a record without one is no snapshot's (null would read as a change).
COMPARED_MEMBERS = ("inferenceProfileName", "status")


def _checked_profile(record: object, path: str, bad: Callable[[str, str], SnapshotError]) -> str:
    """The profile ID of ``record``, once every member a comparison reads is of its type."""
    if not isinstance(record, dict):
        raise bad(path, f"must be an object, not {_kind(record)}")
    profile_id = record.get("inferenceProfileId")
    if not isinstance(profile_id, str) or not profile_id:
        raise bad(f"{path}.inferenceProfileId", "must be a non-empty string")
    for key in ("inferenceProfileName", "inferenceProfileArn", "type", "status", "createdAt"):
        if key in COMPARED_MEMBERS and key not in record:  # compared: missing is not null
            raise bad(f"{path}.{key}", "is missing")
        if not isinstance(record.get(key), (str, type(None))):
            raise bad(f"{path}.{key}", f"must be a string or null, not {_kind(record.get(key))}")
    for key in ("models", "destinationRegions"):
        if key not in record:
            raise bad(f"{path}.{key}", "is missing")
        if not _string_list(record.get(key)):
            raise bad(f"{path}.{key}", "must be a list of strings")
    tags = record.get("tags", {})
    if not isinstance(tags, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in tags.items()
    ):
        raise bad(f"{path}.tags", "must be an object of strings")
    return profile_id


# --- comparing two -------------------------------------------------------------------------------------


@dataclass
class Comparison:
    """What :func:`compare` found: the changes, the regions compared, those that could not be
    (region -> why), and what people should know about the comparison itself."""

    changes: list[Doc] = field(default_factory=list)
    compared: list[str] = field(default_factory=list)
    not_compared: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def change(
    region: str,
    profile_id: str,
    kind: str,
    *,
    name: object = None,
    field: str | None = None,
    before: object = None,
    after: object = None,
    added: object = None,
    removed: object = None,
) -> Doc:
    """One change, every key always present: the profile's region, ID and name (its name now; a
    removed profile's last one); ``change`` is ``added`` or ``removed`` (the whole profile in
    ``after`` or ``before``) or ``changed`` (``field``, its value ``before`` and ``after``, and for
    models, destinations and tags what was ``added`` and ``removed``)."""
    return {
        "region": region,
        "inferenceProfileId": profile_id,
        "inferenceProfileName": name,
        "change": kind,
        "field": field,
        "before": before,
        "after": after,
        "added": added,
        "removed": removed,
    }


def compare(old: Snapshot, new: Snapshot, ignore: Collection[str] = ()) -> Comparison:
    """The changes from ``old`` to ``new`` in the regions both answered for.  A region that one of
    them skipped, or that only one covers, is not compared (never reported as removals or
    additions).  Snapshots of different ``--type``: only the type both hold is compared (exit 2
    when neither holds the other's); tags only when both were taken with ``--tags``."""
    result = Comparison()
    fields = [f for f in DIFF_FIELDS if f not in ignore]
    only_type = _common_type(old, new, result.warnings)
    if "tags" in fields and not (old.with_tags and new.with_tags):
        fields.remove("tags")
        if old.with_tags or new.with_tags:
            without = new if old.with_tags else old
            result.warnings.append(f"tags not compared: {without.name} was taken without --tags")
    if old.account and new.account and old.account != new.account:
        result.warnings.append(f"{old.name} is of account {old.account}, {new.name} of account {new.account}")
    for region in sorted({*old.covered, *new.covered}):
        why = _why_not_compared(region, old, new)
        if why is not None:
            result.not_compared[region] = why
            continue
        result.compared.append(region)
        before = _of_type(old.regions[region], only_type)
        after = _of_type(new.regions[region], only_type)
        for profile_id in sorted({*before, *after}):
            if profile_id not in after:
                was = before[profile_id]
                name = was.get("inferenceProfileName")
                result.changes.append(change(region, profile_id, "removed", name=name, before=was))
            elif profile_id not in before:
                now = after[profile_id]
                name = now.get("inferenceProfileName")
                result.changes.append(change(region, profile_id, "added", name=name, after=now))
            else:
                result.changes += field_changes(
                    region, profile_id, before[profile_id], after[profile_id], fields
                )
    return result


def field_changes(
    region: str,
    profile_id: str,
    before: Mapping[str, object],
    after: Mapping[str, object],
    fields: Sequence[str] = DIFF_FIELDS,
) -> list[Doc]:
    """The changes of one profile, one per field of ``fields`` that differs, in that order."""
    found: list[Doc] = []
    called = after.get("inferenceProfileName")
    for which in fields:
        key = FIELD_KEYS[which]
        was, now = before.get(key), after.get(key)
        if which == "tags":
            old_tags = was if isinstance(was, dict) else {}
            new_tags = now if isinstance(now, dict) else {}
            if old_tags != new_tags:
                found.append(
                    change(
                        region,
                        profile_id,
                        "changed",
                        name=called,
                        field=which,
                        before=dict(sorted(old_tags.items())),
                        after=dict(sorted(new_tags.items())),
                        added={k: v for k, v in sorted(new_tags.items()) if old_tags.get(k) != v},
                        removed={k: v for k, v in sorted(old_tags.items()) if new_tags.get(k) != v},
                    )
                )
        elif which in SET_FIELDS:
            old_items = {str(item) for item in was} if isinstance(was, list) else set()
            new_items = {str(item) for item in now} if isinstance(now, list) else set()
            if old_items != new_items:
                found.append(
                    change(
                        region,
                        profile_id,
                        "changed",
                        name=called,
                        field=which,
                        before=sorted(old_items),
                        after=sorted(new_items),
                        added=sorted(new_items - old_items),
                        removed=sorted(old_items - new_items),
                    )
                )
        elif was != now:
            found.append(
                change(region, profile_id, "changed", name=called, field=which, before=was, after=now)
            )
    return found


def _common_type(old: Snapshot, new: Snapshot, warnings: list[str]) -> str | None:
    """The profile type to compare (None: both); exit 2 for two different types."""
    a, b = old.profile_type, new.profile_type
    if a == b:
        return a
    if a is not None and b is not None:
        raise BedrockProfileError(
            ExitCode.USAGE,
            f"{old.name} holds {a} profiles and {new.name} {b} profiles: nothing to compare",
            hint="compare snapshots taken with the same --type",
        )
    narrower = a or b
    wider = old if a is None else new
    warnings.append(f"only {narrower} profiles compared: {wider.name} holds both types")
    return narrower


def _of_type(
    profiles: Mapping[str, Mapping[str, object]], only: str | None
) -> Mapping[str, Mapping[str, object]]:
    if only is None:
        return profiles
    return {pid: record for pid, record in profiles.items() if record.get("type") == only}


def _why_not_compared(region: str, old: Snapshot, new: Snapshot) -> str | None:
    for snapshot in (old, new):
        if region not in snapshot.covered:
            return f"not in {snapshot.name}"
    for snapshot in (old, new):
        if region in snapshot.skipped:
            return f"skipped in {snapshot.name}: {snapshot.skipped[region]}"
    return None


def summary_line(comparison: Comparison) -> str:
    """One line for people: how many profiles were added, removed and changed, and where."""
    compared = len(comparison.compared)
    where = f"{compared} region{'' if compared == 1 else 's'} compared"
    if not comparison.changes:
        return f"no changes ({where})"
    counts: dict[str, set[tuple[object, object]]] = {kind: set() for kind in ("added", "removed", "changed")}
    for item in comparison.changes:
        counts[str(item["change"])].add((item["region"], item["inferenceProfileId"]))
    said = [f"{len(keys)} {kind}" for kind, keys in counts.items() if keys]
    first = int(said[0].split()[0])
    said[0] = said[0].replace(" ", f" profile{'' if first == 1 else 's'} ", 1)
    total = len(comparison.changes)
    regions = len({item["region"] for item in comparison.changes})
    return f"{total} change{'' if total == 1 else 's'}: {', '.join(said)}, in {regions} of {where}"
