"""Shell completion that answers from local files only: nothing here touches the network or imports
botocore (which costs ~100 ms on every TAB).

- ``--profile``: the sections of the AWS config and credentials files.
- ``--region``: the Bedrock regions in botocore's bundled ``endpoints.json``, read as a data file.
- identifiers for ``get``/``check``: a small private cache that ``list`` writes per account and
  region in the user's cache directory; only identifiers that keep the service's rule go in or
  come out.
- the committed scripts in ``completions/`` come from :func:`scripts`
  (``python -m bedrock_profile_cli.completion completions/`` rewrites them).
"""

from __future__ import annotations

import configparser
import json
import os
import re
import sys
from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from bedrock_profile_cli.cachedir import PROG, cache_dir, private_dir, write_private
from bedrock_profile_cli.identifiers import diagnose, parse

COMPLETE_VAR = "_BEDROCK_PROFILE_COMPLETE"
SHELL_FILES = {
    "bash": "bedrock-profile.bash",
    "zsh": "_bedrock-profile",
    "fish": "bedrock-profile.fish",
    "pwsh": "bedrock-profile.ps1",
}
_REGION_RE = re.compile(r"[a-z]{2,4}(-[a-z]+)+-\d+")
_CACHE_LIMIT = 5000  # identifiers kept per account and region
_CACHE_FILE_LIMIT = 4 * 1024 * 1024  # bytes: 5000 ARNs are well under 1 MiB


# --- profiles ----------------------------------------------------------------------------------------


def _aws_file(env: str, default: str) -> Path:
    return Path(os.environ.get(env) or Path.home() / ".aws" / default).expanduser()


def profile_names() -> list[str]:
    """Named profiles from the AWS config file (``[profile x]``, ``[default]``) and credentials file."""
    names: list[str] = []
    for env, default, prefix in (
        ("AWS_CONFIG_FILE", "config", "profile "),
        ("AWS_SHARED_CREDENTIALS_FILE", "credentials", ""),
    ):
        parser = configparser.RawConfigParser()
        try:
            parser.read(_aws_file(env, default))
        except (configparser.Error, OSError, UnicodeDecodeError):
            continue
        for section in parser.sections():
            name = section[len(prefix) :] if prefix and section.startswith(prefix) else section
            if prefix and section != "default" and not section.startswith(prefix):
                continue  # [sso-session x], [services x]
            names.append(name.strip())
    return sorted(dict.fromkeys(names))


def complete_profile(incomplete: str) -> list[str]:
    return [name for name in profile_names() if name.startswith(incomplete)]


# --- regions -----------------------------------------------------------------------------------------


def bedrock_regions() -> list[str]:
    """Regions where botocore's bundled endpoint data lists Bedrock (read as JSON, not imported)."""
    spec = find_spec("botocore")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / "data" / "endpoints.json"
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        regions: set[str] = set()
        for partition in data.get("partitions", []):
            endpoints = partition.get("services", {}).get("bedrock", {}).get("endpoints", {})
            regions.update(name for name in endpoints if _REGION_RE.fullmatch(name))
        return sorted(regions)
    return []


def complete_region(incomplete: str) -> list[str]:
    return [region for region in bedrock_regions() if region.startswith(incomplete)]


# --- identifiers, from the cache that `list` writes -----------------------------------------------
#
# What the service returns reaches a shell through this cache, so only identifiers that keep the
# service's own rule (letters, digits, '-', ':', '.', an optional ARN prefix) are written, and only
# those are read back: a file of the wrong shape, or an entry someone else planted, offers nothing.


def _valid(value: object) -> str | None:
    return value if isinstance(value, str) and diagnose(value) is None else None


def _safe_name(part: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "_", part)


def _cache_file(account: str, region: str) -> Path:
    return cache_dir() / "profiles" / f"{_safe_name(account)}.{_safe_name(region)}.json"


def remember(summaries: Iterable[dict[str, Any]], region: str | None) -> Path | None:
    """Record the IDs and ARNs that ``list`` saw, per account and region.  Best effort: a cache
    that cannot be written is no reason to fail a command.  Identifiers the service's rule refuses
    (shell syntax, backslashes, newlines...) are left out."""
    entries: dict[tuple[str, str], set[str]] = {}
    for summary in summaries:
        arn = _valid(summary.get("inferenceProfileArn"))
        account, where = "unknown", region or "unknown"
        if arn is not None and arn.startswith("arn:"):
            parsed = parse(arn)
            account, where = parsed.account or account, parsed.region or where
        bucket = entries.setdefault((account, where), set())
        bucket.update(v for v in (_valid(summary.get("inferenceProfileId")), arn) if v is not None)
    written = None
    for (account, where), values in entries.items():
        if not values:
            continue
        path = _cache_file(account, where)
        data = json.dumps({"identifiers": sorted(values)[:_CACHE_LIMIT]}).encode()
        try:
            write_private(private_dir(path.parent) / path.name, data)
            written = path
        except OSError:
            continue
    return written


def _read_cache(path: Path) -> list[str]:
    """The valid identifiers of one cache file; nothing when it is not ``{"identifiers": [str...]}``."""
    try:
        if path.stat().st_size > _CACHE_FILE_LIMIT:
            return []
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return []
    values = data.get("identifiers") if isinstance(data, dict) else None
    if not isinstance(values, list):
        return []
    return [v for v in values[:_CACHE_LIMIT] if _valid(v) is not None]


def cached_identifiers(region: str | None) -> list[str]:
    """Identifiers from the cache for ``region`` (every region when it is not known)."""
    folder = cache_dir() / "profiles"
    pattern = f"*.{_safe_name(region)}.json" if region else "*.json"
    found: list[str] = []
    for path in sorted(folder.glob(pattern)):
        found.extend(_read_cache(path))
    return sorted(dict.fromkeys(found))


def complete_identifier(region: str | None, incomplete: str, already: Iterable[str] = ()) -> list[str]:
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    taken = set(already)
    return [v for v in cached_identifiers(region) if v.startswith(incomplete) and v not in taken]


# --- the committed scripts -------------------------------------------------------------------------------


def scripts() -> dict[str, str]:
    """The completion script of each shell, as Typer generates it for this program."""
    from typer.completion import get_completion_script  # type: ignore[attr-defined]

    return {
        filename: get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell) + "\n"
        for shell, filename in SHELL_FILES.items()
    }


def write_scripts(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in scripts().items():
        (folder / filename).write_text(text)
        written.append(folder / filename)
    return written


if __name__ == "__main__":
    for path in write_scripts(Path(sys.argv[1] if len(sys.argv) > 1 else "completions")):
        print(path)
