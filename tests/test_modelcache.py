import errno
import marshal
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.loaders import JSONFileLoader, create_loader

from bedrock_profile_cli.botocore_cache import CachingFileLoader


class Counting(JSONFileLoader):
    def __init__(self) -> None:
        self.loads = 0

    def load_file(self, file_path):
        self.loads += 1
        return super().load_file(file_path)


def bedrock_model_path() -> str:
    loader = create_loader()
    _, path = loader.load_data_with_path("endpoints")
    data_dir = Path(path).parent
    version = sorted(p.name for p in (data_dir / "bedrock").iterdir())[-1]
    return str(data_dir / "bedrock" / version / "service-2")


def test_cached_data_equals_botocores_and_is_read_back_without_parsing(tmp_path: Path) -> None:
    path = bedrock_model_path()
    inner = Counting()
    cached = CachingFileLoader(inner, tmp_path, "1.0")
    first = cached.load_file(path)
    second = cached.load_file(path)
    assert first == second == JSONFileLoader().load_file(path)
    assert list(second["shapes"]["GetInferenceProfileResponse"]["members"]) == list(
        first["shapes"]["GetInferenceProfileResponse"]["members"]
    )
    assert inner.loads == 1
    assert len(list(tmp_path.glob("*.marshal"))) == 1


def test_a_changed_file_or_botocore_version_is_not_served_stale(tmp_path: Path) -> None:
    model = tmp_path / "model"
    (tmp_path / "model.json").write_text('{"v": 1}')
    inner = Counting()
    cache = tmp_path / "cache"
    assert CachingFileLoader(inner, cache, "1.0").load_file(str(model)) == {"v": 1}
    (tmp_path / "model.json").write_text('{"v": 22}')
    os.utime(tmp_path / "model.json", ns=(1, 1))
    assert CachingFileLoader(inner, cache, "1.0").load_file(str(model)) == {"v": 22}
    assert CachingFileLoader(inner, cache, "2.0").load_file(str(model)) == {"v": 22}
    assert inner.loads == 3


def test_a_corrupt_or_unwritable_cache_falls_back_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "m.json").write_text('{"ok": true}')
    cache = tmp_path / "cache"
    loader = CachingFileLoader(JSONFileLoader(), cache, "1.0")
    loader.load_file(str(tmp_path / "m"))
    for entry in cache.glob("*.marshal"):
        entry.write_bytes(b"\xff garbage")
    assert loader.load_file(str(tmp_path / "m")) == {"ok": True}
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    assert CachingFileLoader(JSONFileLoader(), blocked, "1.0").load_file(str(tmp_path / "m")) == {"ok": True}
    assert loader.load_file(str(tmp_path / "missing")) is None


# --- a private cache, entries of the right shape, no temporary file left behind ------------------------


def entry_of(cache: Path) -> Path:
    (entry,) = cache.glob("*.marshal")
    return entry


def test_folders_are_created_0700_and_entries_0600(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "m.json").write_text('{"ok": true}')
    from bedrock_profile_cli.cachedir import cache_dir

    cache = cache_dir() / "botocore-data"
    CachingFileLoader(JSONFileLoader(), cache, "1.0").load_file(str(tmp_path / "m"))
    for folder in (tmp_path / "xdg", cache_dir(), cache):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    assert entry_of(cache).stat().st_mode & 0o777 == 0o600


def test_a_folder_an_older_version_left_0755_is_made_private(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    from bedrock_profile_cli.cachedir import cache_dir

    cache = cache_dir() / "botocore-data"
    cache.mkdir(parents=True, mode=0o755)
    cache_dir().chmod(0o755)
    cache.chmod(0o755)
    (tmp_path / "m.json").write_text('{"ok": true}')
    CachingFileLoader(JSONFileLoader(), cache, "1.0").load_file(str(tmp_path / "m"))
    assert cache.stat().st_mode & 0o777 == 0o700
    assert cache_dir().stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "xdg").stat().st_mode & 0o777 == 0o755  # not ours: left alone


@pytest.mark.parametrize("planted", [{}, [], None, "text", 42, ("a", "b"), {"": None}.keys()])
def test_an_entry_of_the_wrong_shape_falls_back_to_botocore(tmp_path: Path, planted) -> None:
    (tmp_path / "m.json").write_text('{"ok": true}')
    cache = tmp_path / "cache"
    inner = Counting()
    loader = CachingFileLoader(inner, cache, "1.0")
    assert loader.load_file(str(tmp_path / "m")) == {"ok": True}
    try:
        payload = marshal.dumps(planted)
    except ValueError:  # dict_keys cannot be marshalled: plant bytes that are not marshal at all
        payload = b"\x00"
    entry_of(cache).write_bytes(payload)
    assert loader.load_file(str(tmp_path / "m")) == {"ok": True}
    assert inner.loads == 2
    # ... and the right data replaced the bad entry
    assert marshal.loads(entry_of(cache).read_bytes()) == {"ok": True}


def test_only_json_objects_are_stored(tmp_path: Path) -> None:
    for name, text in (("list", "[1, 2]"), ("empty", "{}"), ("null", "null")):
        (tmp_path / f"{name}.json").write_text(text)
        loader = CachingFileLoader(JSONFileLoader(), tmp_path / "cache", "1.0")
        assert loader.load_file(str(tmp_path / name)) == JSONFileLoader().load_file(str(tmp_path / name))
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_an_entry_others_can_write_is_not_trusted(tmp_path: Path) -> None:
    (tmp_path / "m.json").write_text('{"ok": true}')
    cache = tmp_path / "cache"
    inner = Counting()
    loader = CachingFileLoader(inner, cache, "1.0")
    loader.load_file(str(tmp_path / "m"))
    entry_of(cache).write_bytes(marshal.dumps({"planted": True}))
    entry_of(cache).chmod(0o666)
    assert loader.load_file(str(tmp_path / "m")) == {"ok": True}
    assert inner.loads == 2


def test_a_failed_replace_leaves_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "m.json").write_text('{"ok": true}')
    cache = tmp_path / "cache"

    def refuse(src: str, dst: str) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    assert CachingFileLoader(JSONFileLoader(), cache, "1.0").load_file(str(tmp_path / "m")) == {"ok": True}
    assert list(cache.iterdir()) == []


def test_a_write_over_the_file_size_limit_leaves_no_temporary_file(tmp_path: Path) -> None:
    """ulimit -f: the write fails with EFBIG (Python ignores SIGXFSZ); the model is still loaded."""
    cache = tmp_path / "cache"
    script = (
        "import sys\n"
        "from botocore.loaders import JSONFileLoader\n"
        "from bedrock_profile_cli.botocore_cache import CachingFileLoader\n"
        f"data = CachingFileLoader(JSONFileLoader(), __import__('pathlib').Path({str(cache)!r}), '1.0')"
        f".load_file({bedrock_model_path()!r})\n"
        "print(len(data['shapes']))\n"
    )

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, preexec_fn=limit, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) > 10
    assert cache.is_dir()
    assert list(cache.iterdir()) == []
