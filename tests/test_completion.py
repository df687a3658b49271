"""Shell completion: committed scripts match what Typer generates; TAB answers from local files only."""

import subprocess
import sys
from pathlib import Path

import pytest

from bedrock_profile_cli import cachedir, completion
from tests.conftest import SONNET, run_cli

ROOT = Path(__file__).resolve().parent.parent


def test_committed_scripts_match_what_typer_generates() -> None:
    for filename, text in completion.scripts().items():
        committed = ROOT / "completions" / filename
        assert committed.read_text() == text, (
            f"{committed} is stale: python -m bedrock_profile_cli.completion completions"
        )
    assert sorted(p.name for p in (ROOT / "completions").iterdir()) == sorted(completion.scripts())


def tab(*words: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash completion offers for the last word."""
    line = " ".join(["bedrock-profile", *words])
    result = run_cli(
        env={
            "_BEDROCK_PROFILE_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words)),
            **(env or {}),
        }
    )
    assert result.code == 0, result.err
    return result.out.split()


def test_output_and_type_complete_from_their_choices() -> None:
    assert tab("get", "-o", "") == ["table", "json", "yaml", "text"]
    assert tab("list", "--type", "A") == ["APPLICATION"]
    assert tab("check", "x", "--type", "S") == ["SYSTEM_DEFINED"]


def test_profiles_come_from_the_aws_files(isolated_env) -> None:
    (isolated_env / "aws-config").write_text(
        "[default]\nregion = us-east-1\n[profile prod]\n[profile prod-eu]\n[sso-session corp]\n"
    )
    (isolated_env / "aws-credentials").write_text("[ci]\naws_access_key_id = x\n[prod]\n")
    assert tab("get", "--profile", "") == ["ci", "default", "prod", "prod-eu"]
    assert tab("get", "-p", "pro") == ["prod", "prod-eu"]


def test_regions_come_from_botocores_bedrock_endpoints() -> None:
    offered = tab("get", "--region", "")
    assert {"us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1", "us-gov-west-1"} <= set(offered)
    assert not any(r.startswith(("bedrock", "fips")) for r in offered)
    assert tab("list", "-r", "eu-west-") == [r for r in offered if r.startswith("eu-west-")]


def test_identifiers_come_from_the_cache_that_list_writes(emulator, isolated_env) -> None:
    assert tab("get", "us.amazon.nova") == []
    assert run_cli("list", "-o", "json").code == 0
    assert (isolated_env / "cache" / "bedrock-profile" / "profiles" / "123456789012.us-east-1.json").exists()
    assert tab("get", "us.amazon.nova") == [
        "us.amazon.nova-lite-v1:0",
        "us.amazon.nova-micro-v1:0",
        "us.amazon.nova-pro-v1:0",
    ]
    assert SONNET in tab("check", "us.anthropic")
    arns = tab("get", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-p")
    assert arns == ["arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0"]
    # another region's cache is not offered when the region is known
    assert tab("get", "--region", "eu-west-1", "us.amazon.nova") == []


def test_cache_dir_follows_platform_conventions(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cachedir.cache_dir() == tmp_path / "xdg" / "bedrock-profile"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert cachedir.cache_dir() == Path.home() / ".cache" / "bedrock-profile"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cachedir.cache_dir() == Path.home() / "Library" / "Caches" / "bedrock-profile"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert cachedir.cache_dir() == tmp_path / "local" / "bedrock-profile" / "Cache"


def test_an_unwritable_cache_never_fails_list(emulator, isolated_env, monkeypatch) -> None:
    blocker = isolated_env / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert run_cli("list", "-o", "json").code == 0


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        (["get", "--output", ""], "json"),
        (["get", "--region", "us"], "us-east-1"),
        (["get", "--profile", ""], "default"),
        (["get", "us."], ""),
        (["l"], "list"),
    ],
)
def test_completion_imports_nothing_heavy(words, offered, isolated_env) -> None:
    line = " ".join(["bedrock-profile", *words])
    script = (
        "import os, sys\n"
        "os.environ.update(_BEDROCK_PROFILE_COMPLETE='complete_bash', "
        f"COMP_WORDS={line!r}, COMP_CWORD={str(len(words))!r})\n"
        "from bedrock_profile_cli.cli import main\n"
        "try:\n    main([])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('boto3', 'botocore', 'yaml', 'moto', 'rich', 'jmespath', 'pydantic') if m in sys.modules]\n"
        "sys.stderr.write('HEAVY:' + ','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert proc.stderr.strip().endswith("HEAVY:"), proc.stderr
    assert offered in proc.stdout.split() or not offered
