import os
from pathlib import Path

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
