"""Keep botocore's JSON data files (the Bedrock service model, endpoint rules, endpoints.json)
parsed in the user's cache directory, as ``marshal`` data.

Parsing those files is about 50 ms of every run, the largest cost after imports; reading them back
with marshal takes a few.  Entries are keyed by the file's path, size and modification time and by
botocore's version, so an upgrade or a user model in ~/.aws/models is never served stale.  Any
problem (missing, corrupt, unwritable cache, an entry of the wrong shape or not the user's own)
falls back to botocore's own loader.  The folder is private (0700, entries 0600) and a failed write
leaves no temporary file behind.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from bedrock_profile_cli.cachedir import private_dir, write_private

_EXTENSIONS = (".json", ".json.gz")
# Every file botocore loads through this loader (service models, endpoint rule sets, endpoints.json,
# partitions.json, _retry.json, sdk-default-configuration.json...) is a JSON object: its
# JSONFileLoader returns an OrderedDict, or None when there is no file.  So only non-empty dicts are
# stored, and anything else read back from the cache is not an entry this module wrote.


def _plain(value: object) -> object:
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
            cached = _read(entry)
            if cached is not None:
                return cached
        data = self._inner.load_file(file_path)
        if entry is not None and isinstance(data, dict) and data:
            self._store(entry, {str(key): _plain(value) for key, value in data.items()})
        return data

    def _store(self, entry: Path, data: dict[str, object]) -> None:
        try:
            payload = marshal.dumps(data)
            private_dir(entry.parent)
            write_private(entry, payload)
        except (OSError, ValueError):
            pass


def _read(entry: Path) -> dict[str, object] | None:
    """The entry's data, or None when it is missing, unreadable, corrupt, of the wrong shape, or not
    the user's own private file."""
    try:
        with entry.open("rb") as handle:
            st = os.fstat(handle.fileno())
            if sys.platform != "win32" and (st.st_uid != os.getuid() or st.st_mode & 0o022):
                return None
            # The user's own file in their private cache folder, as checked just above.
            data = marshal.loads(handle.read())  # noqa: S302
    except (OSError, EOFError, ValueError, TypeError):
        return None
    # Only what load_file stores: a non-empty dict.  marshal of {}, [] or None loads fine but is
    # not botocore data; botocore's loader answers instead.
    if not isinstance(data, dict) or not data:
        return None
    return data


def install(session: Any) -> None:
    """Put the caching loader in front of ``session``'s data loader."""
    import botocore

    from bedrock_profile_cli.cachedir import cache_dir

    loader = session.get_component("data_loader")
    inner = getattr(loader, "file_loader", None)
    if inner is None or isinstance(inner, CachingFileLoader):
        return
    loader.file_loader = CachingFileLoader(inner, cache_dir() / "botocore-data", botocore.__version__)
