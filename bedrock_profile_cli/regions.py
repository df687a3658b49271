"""Region names, from botocore's bundled endpoint data (never a hard-coded list): every region of
every partition, and those where Bedrock has an endpoint.  Read as a data file, not imported, and
kept in the cache directory keyed by that file's path, size and mtime (parsing its 1.2 MB is most
of a TAB's cost); an entry that is not lists of region names is ignored."""

from __future__ import annotations

import difflib
import json
import re
from importlib.util import find_spec
from pathlib import Path

from bedrock_profile_cli.cachedir import cache_dir, private_dir, write_private
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

REGION_RE = re.compile(r"[a-z]{2,4}(-[a-z]+)+-\d+")
_CACHE_FILE = "regions.json"


def _endpoints_file() -> Path | None:
    spec = find_spec("botocore")
    for location in list(spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "data" / "endpoints.json"
        if path.is_file():
            return path
    return None


def _parse(path: Path) -> dict[str, list[str]] | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    everywhere: set[str] = set()
    bedrock: set[str] = set()
    for partition in data.get("partitions", []):
        everywhere.update(name for name in partition.get("regions", {}) if REGION_RE.fullmatch(name))
        endpoints = partition.get("services", {}).get("bedrock", {}).get("endpoints", {})
        bedrock.update(name for name in endpoints if REGION_RE.fullmatch(name))
    return {"all": sorted(everywhere | bedrock), "bedrock": sorted(bedrock)}


def _valid(entry: object, key: str) -> dict[str, list[str]] | None:
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    lists = {name: entry.get(name) for name in ("all", "bedrock")}
    for values in lists.values():
        if not isinstance(values, list) or not all(
            isinstance(v, str) and REGION_RE.fullmatch(v) for v in values
        ):
            return None
    return {name: list(values) for name, values in lists.items() if isinstance(values, list)}


def _regions() -> dict[str, list[str]]:
    path = _endpoints_file()
    if path is None:
        return {"all": [], "bedrock": []}
    try:
        stat = path.stat()
    except OSError:
        return {"all": [], "bedrock": []}
    key = f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}"
    cached = cache_dir() / _CACHE_FILE
    try:
        found = _valid(json.loads(cached.read_text()), key)
    except (OSError, ValueError):
        found = None
    if found is not None:
        return found
    parsed = _parse(path)
    if parsed is None:
        return {"all": [], "bedrock": []}
    try:
        private_dir(cached.parent)
        write_private(cached, json.dumps({"key": key, **parsed}).encode())
    except OSError:
        pass
    return parsed


def bedrock_regions() -> list[str]:
    """Regions where botocore's endpoint data lists Bedrock."""
    return _regions()["bedrock"]


def known_regions() -> list[str]:
    """Every region botocore's endpoint data names, in every partition."""
    return _regions()["all"]


def unknown(name: str) -> tuple[bool, str | None]:
    """Whether ``name`` is no region botocore's endpoint data knows, and the closest one that is."""
    known = known_regions()
    if not known or name in known:
        return False, None
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return True, close[0] if close else None


def check_region(name: str, option: str) -> str:
    """``name`` when botocore knows it; otherwise exit 2 naming the closest known region."""
    is_unknown, closest = unknown(name)
    if not is_unknown:
        return name
    hint = f"did you mean {closest}?" if closest else "see `aws account list-regions` for the names"
    raise BedrockProfileError(ExitCode.USAGE, f"{option} {name!r} is not a region botocore knows", hint=hint)
