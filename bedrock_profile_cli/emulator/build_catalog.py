"""Build the emulator's catalog (``data/catalog.json.gz``) from a snapshot of the live Bedrock API.

    python -m bedrock_profile_cli.emulator.build_catalog [SNAPSHOT_DIR]          # rewrite the file
    python -m bedrock_profile_cli.emulator.build_catalog [SNAPSHOT_DIR] --check  # exit 1 if it drifted

SNAPSHOT_DIR (default ``../shared/data`` next to the repository) holds ``profiles.json`` (the raw
ListInferenceProfiles summaries, each with the source ``region`` it was listed in),
``foundation-models.json`` (ListFoundationModels, deduplicated by model ID, each with the ``regions``
that listed it) and ``README.md`` (where and when the snapshot was taken: ``commit XXXXXXX`` and
``data dated YYYY-MM-DD``; or pass ``--source`` and ``--date``).

Nothing is cleaned: summaries are kept as the service returned them (names, descriptions, dates and
destinations per source region, up to 10 models, region-less model ARNs, IDs without a version).
The only derived facts are each region's ``profileOnlyModels``: models that region's own profiles
route to in that region but that its ListFoundationModels does not list (reachable there only through
a profile), including models foundation-models.json lacks altogether (the emulator then knows only
their ID and ARN). Entries with no ``modelArn`` (``mantleOnly``: served by another endpoint, not returned by
ListFoundationModels) are left out and named in the provenance. The file is gzip'd JSON written
deterministically: the same snapshot gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

FORMAT = 1
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_FILE = PACKAGE_DIR / "data" / "catalog.json.gz"
REPO_ROOT = PACKAGE_DIR.parent.parent
DEFAULT_SNAPSHOT = REPO_ROOT.parent / "shared" / "data"
BUILD_COMMAND = "python -m bedrock_profile_cli.emulator.build_catalog SNAPSHOT_DIR"

Doc = dict[str, Any]


class SnapshotError(Exception):
    """The snapshot is missing, unreadable or not what this script expects."""


def _read_json(folder: Path, name: str) -> list[Doc]:
    path = folder / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SnapshotError(f"{path}: expected a JSON array of objects")
    return data


def provenance_from_readme(folder: Path) -> tuple[str | None, str | None]:
    """``(source, date)`` as the snapshot's README states them, or None where it does not."""
    try:
        text = (folder / "README.md").read_text(encoding="utf-8")
    except OSError:
        return None, None
    text = " ".join(text.split())
    repo = re.search(r"repository `([^`]+)`", text)
    commit = re.search(r"commit ([0-9a-f]{7,40})", text)
    date = re.search(r"data dated (\d{4}-\d{2}-\d{2})", text)
    source = None
    if repo and commit:
        source = f"github.com/{repo.group(1)} commit {commit.group(1)}"
    return source, date.group(1) if date else None


def _model_arn_parts(arn: str) -> tuple[str, str]:
    """(region, model ID) of ``arn:aws:bedrock:REGION::foundation-model/ID``; region may be ''."""
    head, _, model_id = arn.partition("/")
    return head.split(":")[3], model_id


def build(folder: Path, *, source: str | None = None, date: str | None = None) -> Doc:
    """The catalog document for the snapshot in ``folder``."""
    profiles = _read_json(folder, "profiles.json")
    models = _read_json(folder, "foundation-models.json")
    readme_source, readme_date = provenance_from_readme(folder)
    source = source or readme_source
    date = date or readme_date
    if not source or not date:
        raise SnapshotError(
            f"{folder / 'README.md'} does not say where and when the snapshot was taken "
            "(`repository `owner/name`` ... `commit abc1234` ... `data dated YYYY-MM-DD`); "
            "pass --source and --date"
        )

    regions: dict[str, Doc] = {}
    accounts: set[str] = set()
    for summary in profiles:
        summary = dict(summary)
        region = summary.pop("region", None)
        if not isinstance(region, str) or not region:
            raise SnapshotError(f"profile summary without its source region: {summary}")
        arn = str(summary.get("inferenceProfileArn", ""))
        parts = arn.split(":", 5)
        expected_tail = f"inference-profile/{summary.get('inferenceProfileId')}"
        if len(parts) != 6 or parts[3] != region or parts[5] != expected_tail:
            # The emulator rebuilds each ARN with the caller's account: it must be this shape.
            raise SnapshotError(f"unexpected ARN {arn!r} for a profile listed in {region}")
        accounts.add(parts[4])
        regions.setdefault(region, {"profiles": [], "models": [], "profileOnlyModels": []})
        regions[region]["profiles"].append(summary)

    catalog_models: dict[str, Doc] = {}
    skipped: list[str] = []
    for model in models:
        model = dict(model)
        listed_in = model.pop("regions", [])
        model_id = str(model.get("modelId", ""))
        if "modelArn" not in model:
            skipped.append(model_id)
            continue
        if model_id in catalog_models:
            raise SnapshotError(f"model {model_id} listed twice in foundation-models.json")
        catalog_models[model_id] = model
        for region in listed_in:
            if region in regions:
                regions[region]["models"].append(model_id)
            else:
                raise SnapshotError(f"model {model_id} listed in {region}, a region with no profiles")

    for region, entry in regions.items():
        listed = set(entry["models"])
        only: list[str] = []
        for summary in entry["profiles"]:
            for model in summary.get("models", []):
                model_region, model_id = _model_arn_parts(str(model.get("modelArn", "")))
                if model_region == region and model_id not in listed and model_id not in only:
                    only.append(model_id)
        entry["profileOnlyModels"] = only

    if len(accounts) > 1:
        raise SnapshotError(f"profile ARNs name several accounts: {sorted(accounts)}")
    return {
        "format": FORMAT,
        "provenance": {
            "source": source,
            "date": date,
            "what": "ListInferenceProfiles per source region and ListFoundationModels per region, "
            "as the live Amazon Bedrock API returned them",
            "snapshotAccount": accounts.pop() if accounts else None,
            "skippedModels": {
                "reason": "no modelArn (mantleOnly: not from ListFoundationModels)",
                "ids": skipped,
            },
            "build": BUILD_COMMAND,
        },
        "regions": dict(sorted(regions.items())),
        "models": catalog_models,
    }


def encode(catalog: Doc) -> bytes:
    """gzip'd JSON, byte-for-byte the same for the same catalog (no timestamp, no file name)."""
    text = json.dumps(catalog, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as stream:
        stream.write(text)
    return buffer.getvalue()


def decode(raw: bytes) -> Doc:
    catalog: Doc = json.loads(gzip.decompress(raw).decode("utf-8"))
    if catalog.get("format") != FORMAT:
        raise SnapshotError(f"catalog format {catalog.get('format')!r}, expected {FORMAT}")
    return catalog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bedrock_profile_cli.emulator.build_catalog",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("snapshot", nargs="?", type=Path, default=DEFAULT_SNAPSHOT, help="snapshot folder")
    parser.add_argument("--output", type=Path, default=DATA_FILE, help=f"catalog file (default {DATA_FILE})")
    parser.add_argument("--source", help="where the snapshot comes from (default: from its README)")
    parser.add_argument("--date", help="when the snapshot was taken, YYYY-MM-DD (default: from its README)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the catalog file differs")
    args = parser.parse_args(argv)
    try:
        raw = encode(build(args.snapshot, source=args.source, date=args.date))
    except SnapshotError as exc:
        print(f"build_catalog: {exc}", file=sys.stderr)
        return 2
    current = args.output.read_bytes() if args.output.exists() else b""
    if args.check:
        if current != raw:
            print(f"build_catalog: {args.output} differs from {args.snapshot}; rebuild it", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(raw)
    catalog = decode(raw)
    profiles = sum(len(r["profiles"]) for r in catalog["regions"].values())
    print(
        f"wrote {args.output} ({len(raw)} bytes): {profiles} profiles in {len(catalog['regions'])} regions, "
        f"{len(catalog['models'])} foundation models" + ("" if current != raw else " (unchanged)")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
