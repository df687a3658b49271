"""Region names, from botocore's bundled endpoint data (never a hard-coded list): every region of
every partition, those where Bedrock has an endpoint, and per partition its Bedrock regions (what
``--all-regions`` asks) and the pattern its region names follow.  Read as a data file, not imported, and
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
_CACHE_FORMAT = 2
DEFAULT_PARTITION = "aws"
Regions = dict[str, object]


def _endpoints_file() -> Path | None:
    spec = find_spec("botocore")
    for location in list(spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "data" / "endpoints.json"
        if path.is_file():
            return path
    return None


def _parse(path: Path) -> Regions | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    everywhere: set[str] = set()
    bedrock: set[str] = set()
    partitions: dict[str, dict[str, object]] = {}
    for partition in data.get("partitions", []):
        named = {name for name in partition.get("regions", {}) if REGION_RE.fullmatch(name)}
        everywhere.update(named)
        endpoints = partition.get("services", {}).get("bedrock", {}).get("endpoints", {})
        served = {name for name in endpoints if REGION_RE.fullmatch(name)}
        bedrock.update(served)
        name = partition.get("partition")
        if isinstance(name, str):
            partitions[name] = {
                "regex": str(partition.get("regionRegex", "")),
                # A Bedrock endpoint whose name is a region of this partition (not "bedrock-fips-...").
                "bedrock": sorted(served & named),
            }
    return {
        "format": _CACHE_FORMAT,
        "all": sorted(everywhere | bedrock),
        "bedrock": sorted(bedrock),
        "partitions": partitions,
    }


def _names(values: object) -> bool:
    return isinstance(values, list) and all(isinstance(v, str) and REGION_RE.fullmatch(v) for v in values)


def _valid(entry: object, key: str) -> Regions | None:
    if not isinstance(entry, dict) or entry.get("key") != key or entry.get("format") != _CACHE_FORMAT:
        return None
    if not _names(entry.get("all")) or not _names(entry.get("bedrock")):
        return None
    partitions = entry.get("partitions")
    if not isinstance(partitions, dict):
        return None
    for info in partitions.values():
        if (
            not isinstance(info, dict)
            or not isinstance(info.get("regex"), str)
            or not _names(info.get("bedrock"))
        ):
            return None
    return {name: entry[name] for name in ("format", "all", "bedrock", "partitions")}


_memo: dict[str, Regions] = {}


def _regions() -> Regions:
    """The region lists: read once per process and cache directory (a run with many regions asks
    on every error)."""
    key = f"{_endpoints_file()}\0{cache_dir()}"
    if key not in _memo:
        _memo[key] = _load_regions()
    return _memo[key]


def _load_regions() -> Regions:
    path = _endpoints_file()
    if path is None:
        return _EMPTY
    try:
        stat = path.stat()
    except OSError:
        return _EMPTY
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
        return _EMPTY
    try:
        private_dir(cached.parent)
        write_private(cached, json.dumps({"key": key, **parsed}).encode())
    except OSError:
        pass
    return parsed


_EMPTY: Regions = {"format": _CACHE_FORMAT, "all": [], "bedrock": [], "partitions": {}}


def _list(entry: Regions, name: str) -> list[str]:
    values = entry.get(name)
    return [str(v) for v in values] if isinstance(values, list) else []


def bedrock_regions() -> list[str]:
    """Regions where botocore's endpoint data lists Bedrock, in every partition."""
    return _list(_regions(), "bedrock")


def known_regions() -> list[str]:
    """Every region botocore's endpoint data names, in every partition."""
    return _list(_regions(), "all")


def _partitions() -> dict[str, dict[str, object]]:
    found = _regions().get("partitions")
    return found if isinstance(found, dict) else {}


def partition_of(region: str | None) -> str:
    """The partition ``region`` belongs to, by the partitions' region patterns (as botocore matches
    them); the commercial one for no region or one no pattern matches."""
    if region:
        for name, info in _partitions().items():
            if region in _list(info, "bedrock"):
                return name
        for name, info in _partitions().items():
            pattern = info.get("regex")
            if isinstance(pattern, str) and pattern and re.match(pattern, region):
                return name
    return DEFAULT_PARTITION


def partition_bedrock_regions(partition: str) -> list[str]:
    """The regions of ``partition`` where Bedrock has an endpoint (what ``--all-regions`` asks)."""
    return _list(_partitions().get(partition, {}), "bedrock")


def unknown(name: str) -> tuple[bool, str | None]:
    """Whether ``name`` is no region botocore's endpoint data knows, and the closest one that is."""
    known = known_regions()
    if not known or name in known:
        return False, None
    if name.lower() in known:
        return True, name.lower()  # region names are lower case
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return True, close[0] if close else None


def check_region(name: str, option: str) -> str:
    """``name`` when botocore knows it; otherwise exit 2 naming the closest known region."""
    is_unknown, closest = unknown(name)
    if not is_unknown:
        return name
    hint = f"did you mean {closest}?" if closest else "see `aws account list-regions` for the names"
    raise BedrockProfileError(ExitCode.USAGE, f"{option} {name!r} is not a region botocore knows", hint=hint)
