"""Where the tool keeps its caches (kept apart so that `get` need not import the completion code)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bedrock_profile_cli.settings import PROG

__all__ = ["PROG", "cache_dir"]


def cache_dir() -> Path:
    """The user's cache directory for this tool (XDG on Linux, platform conventions elsewhere)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / PROG / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / PROG
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache") / PROG
