"""Where the tool keeps its caches (kept apart so that `get` need not import the completion code),
and how it writes them: private to the user (folders 0700, files 0600), replaced atomically, and no
temporary file left behind when a write fails (disk full, ``ulimit -f``, read-only folder)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from bedrock_profile_cli.settings import PROG

__all__ = ["PROG", "cache_dir", "private_dir", "write_private"]

_PRIVATE_DIR = 0o700


def cache_dir() -> Path:
    """The user's cache directory for this tool (XDG on Linux, platform conventions elsewhere)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / PROG / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / PROG
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache") / PROG


def _tighten(folder: Path) -> None:
    """Take group and other access away from a folder of ours that an older version made 0755."""
    if sys.platform == "win32":
        return
    st = folder.stat()
    if st.st_uid == os.getuid() and st.st_mode & 0o077:
        folder.chmod(_PRIVATE_DIR)


def private_dir(folder: Path) -> Path:
    """Create ``folder`` and any missing parent 0700 (``mkdir -p`` would make them 0755), and make it
    private again when it exists (and every folder between :func:`cache_dir` and it).

    Raises OSError (a file in the way, no permission, read-only file system).
    """
    missing: list[Path] = []
    probe = folder
    while not probe.exists() and probe.parent != probe:
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        path.mkdir(mode=_PRIVATE_DIR, exist_ok=True)
    root = cache_dir()
    ours = [folder]
    if root == folder or root in folder.parents:
        ours += [p for p in folder.parents if p == root or root in p.parents]
    for path in ours:
        _tighten(path)
    if not folder.is_dir():
        raise NotADirectoryError(f"not a folder: {folder}")
    return folder


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, readable by the user alone (0600).

    The bytes go to a ``tmp*.tmp`` file in the same folder first (``mkstemp`` creates it 0600), which
    is removed whatever goes wrong before it takes ``path``'s place.  Raises OSError.
    """
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="tmp", suffix=".tmp")
    done = False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        done = True
    finally:
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
