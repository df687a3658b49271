"""Shell completion that answers from local files only: nothing here touches the network or imports
botocore (which costs ~100 ms on every TAB).

- ``--profile``: the sections of the AWS config and credentials files.
- ``--region``: the Bedrock regions in botocore's bundled ``endpoints.json``, read as a data file.
- identifiers for ``get``/``check``: a small cache that ``list`` writes per account and region in the
  user's cache directory.
- the committed scripts in ``completions/`` come from :func:`scripts`
  (``python -m bedrock_profile_cli.completion completions/`` rewrites them).
"""

from __future__ import annotations

import configparser
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from bedrock_profile_cli.cachedir import PROG, cache_dir

COMPLETE_VAR = "_BEDROCK_PROFILE_COMPLETE"
SHELL_FILES = {
    "bash": "bedrock-profile.bash",
    "zsh": "_bedrock-profile",
    "fish": "bedrock-profile.fish",
    "pwsh": "bedrock-profile.ps1",
}
_REGION_RE = re.compile(r"[a-z]{2,4}(-[a-z]+)+-\d+")
_CACHE_LIMIT = 5000  # identifiers kept per account and region


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


def _cache_file(account: str, region: str) -> Path:
    safe = [re.sub(r"[^A-Za-z0-9-]", "_", part) for part in (account, region)]
    return cache_dir() / "profiles" / f"{safe[0]}.{safe[1]}.json"


def remember(summaries: Iterable[dict[str, Any]], region: str | None) -> Path | None:
    """Record the IDs and ARNs that ``list`` saw, per account and region.  Best effort: a cache
    that cannot be written is no reason to fail a command."""
    entries: dict[str, list[str]] = {}
    for summary in summaries:
        arn = str(summary.get("inferenceProfileArn", ""))
        fields = arn.split(":", 5)
        account = fields[4] if len(fields) == 6 and fields[4] else "unknown"
        where = (fields[3] if len(fields) == 6 and fields[3] else None) or region or "unknown"
        bucket = entries.setdefault(f"{account}\n{where}", [])
        for value in (summary.get("inferenceProfileId"), arn):
            if value:
                bucket.append(str(value))
    written = None
    for key, values in entries.items():
        account, where = key.split("\n")
        path = _cache_file(account, where)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as tmp:
                json.dump({"identifiers": sorted(set(values))[:_CACHE_LIMIT]}, tmp)
            os.replace(tmp.name, path)
            written = path
        except OSError:
            continue
    return written


def cached_identifiers(region: str | None) -> list[str]:
    """Identifiers from the cache for ``region`` (every region when it is not known)."""
    folder = cache_dir() / "profiles"
    pattern = f"*.{region}.json" if region else "*.json"
    found: list[str] = []
    for path in sorted(folder.glob(pattern)):
        try:
            found.extend(str(v) for v in json.loads(path.read_text()).get("identifiers", []))
        except (OSError, ValueError, AttributeError):
            continue
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
