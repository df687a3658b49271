"""Keep botocore's JSON data files (the Bedrock service model, endpoint rules, endpoints.json)
parsed in the user's cache directory, as ``marshal`` data.

Parsing those files is about 50 ms of every run, the largest cost after imports; reading them back
with marshal takes a few.  Entries are keyed by the file's path, size and modification time and by
botocore's version, so an upgrade or a user model in ~/.aws/models is never served stale.  Any
problem (missing, corrupt, unwritable cache) falls back to botocore's own loader.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

_EXTENSIONS = (".json", ".json.gz")


def _plain(value: Any) -> Any:
    """OrderedDicts (botocore's choice) as plain dicts, which keep order and marshal can write."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


class CachingFileLoader:
    """A stand-in for botocore's JSONFileLoader with the same two methods."""

    def __init__(self, inner: Any, folder: Path, version: str) -> None:
        self._inner = inner
        self._folder = folder
        self._version = version

    def exists(self, file_path: str) -> bool:
        return bool(self._inner.exists(file_path))

    def _entry(self, file_path: str) -> Path | None:
        for ext in _EXTENSIONS:
            try:
                stat = os.stat(file_path + ext)
            except OSError:
                continue
            key = f"{self._version}\0{file_path}{ext}\0{stat.st_size}\0{stat.st_mtime_ns}"
            return self._folder / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".marshal")
        return None

    def load_file(self, file_path: str) -> Any:
        entry = self._entry(file_path)
        if entry is not None:
            try:
                # The user's own cache dir: writable by them alone, as site-packages is.
                return marshal.loads(entry.read_bytes())  # noqa: S302
            except (OSError, EOFError, ValueError, TypeError):
                pass
        data = self._inner.load_file(file_path)
        if entry is not None and data is not None:
            self._store(entry, _plain(data))
        return data

    def _store(self, entry: Path, data: Any) -> None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=entry.parent, delete=False, suffix=".tmp") as tmp:
                tmp.write(marshal.dumps(data))
            os.replace(tmp.name, entry)
        except (OSError, ValueError):
            pass


def install(session: Any) -> None:
    """Put the caching loader in front of ``session``'s data loader."""
    import botocore

    from bedrock_profile_cli.cachedir import cache_dir

    loader = session.get_component("data_loader")
    inner = getattr(loader, "file_loader", None)
    if inner is None or isinstance(inner, CachingFileLoader):
        return
    loader.file_loader = CachingFileLoader(inner, cache_dir() / "botocore-data", botocore.__version__)
