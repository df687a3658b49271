"""Shell completion: committed scripts match what completion.py generates; TAB answers from local
files only; what the service returns is cached, and read back, only when it is a valid identifier.
(The scripts themselves are driven in real shells by test_shell_completion.py.)"""

import errno
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from bedrock_profile_cli import cachedir, completion
from bedrock_profile_cli import regions as region_lists
from bedrock_profile_cli.errors import ExitCode
from tests.conftest import SONNET, run_cli

ROOT = Path(__file__).resolve().parent.parent


def test_committed_scripts_match_what_completion_py_generates() -> None:
    for filename, text in completion.scripts().items():
        committed = ROOT / "completions" / filename
        assert committed.read_text() == text, (
            f"{committed} is stale: python -m bedrock_profile_cli.completion completions"
        )
    assert sorted(p.name for p in (ROOT / "completions").iterdir()) == sorted(completion.scripts())


def test_the_module_writes_the_scripts(tmp_path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bedrock_profile_cli.completion", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    for filename, text in completion.scripts().items():
        assert (tmp_path / filename).read_text() == text


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
    assert tab("get", "-o", "") == ["table", "wide", "json", "yaml", "text"]
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
    assert tab("get", "us.amazon.nova") == [  # the live catalog's us. Nova profiles in us-east-1
        "us.amazon.nova-2-lite-v1:0",
        "us.amazon.nova-lite-v1:0",
        "us.amazon.nova-micro-v1:0",
        "us.amazon.nova-premier-v1:0",
        "us.amazon.nova-pro-v1:0",
    ]
    assert SONNET in tab("check", "us.anthropic")
    arns = tab("get", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro")
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
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_imports_nothing_heavy(words, offered, shell, isolated_env) -> None:
    if shell != "bash" and words == ["l"]:
        # Typer renders the help of commands and options through rich for zsh, fish and
        # PowerShell (typer._completion_classes._sanitize_help_text): not this module's to change.
        return
    line = " ".join(["bedrock-profile", *words])
    script = (
        "import os, sys\n"
        f"os.environ.update(_BEDROCK_PROFILE_COMPLETE='complete_{shell}', "
        f"COMP_WORDS={line!r}, COMP_CWORD={str(len(words))!r}, "
        f"_TYPER_COMPLETE_ARGS={line!r}, _TYPER_COMPLETE_FISH_ACTION='get-args')\n"
        "from bedrock_profile_cli.cli import main\n"
        "try:\n    main([])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('boto3', 'botocore', 'yaml', 'moto', 'rich', 'jmespath', 'pydantic') if m in sys.modules]\n"
        "sys.stderr.write('HEAVY:' + ','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert proc.stderr.strip().endswith("HEAVY:"), proc.stderr
    assert not offered or any(offered in candidate for candidate in proc.stdout.split())


# --- what reaches a shell: only identifiers that keep the service's rule ------------------------------

HOSTILE = [
    "us.\\$(touch /tmp/pwned)",
    "us.$(touch /tmp/pwned)",
    "us.`touch /tmp/pwned`",
    "us.x;touch /tmp/pwned",
    "us.x\ntouch /tmp/pwned",
    "us.back\\slash",
    "us.quote'd",
    'us.quote"d',
    "us.with space",
    "",
    "x" * 3000,
]
ACCOUNT_ARN = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/"


def profiles_folder(isolated_env: Path) -> Path:
    return isolated_env / "cache" / "bedrock-profile" / "profiles"


def test_remember_caches_only_valid_identifiers(isolated_env) -> None:
    summaries = [
        {"inferenceProfileId": SONNET, "inferenceProfileArn": ACCOUNT_ARN + SONNET},
        *({"inferenceProfileId": bad, "inferenceProfileArn": ACCOUNT_ARN + bad} for bad in HOSTILE),
        {"inferenceProfileId": None, "inferenceProfileArn": 42},
        {"inferenceProfileId": ["us.a-list"]},
    ]
    path = completion.remember(summaries, "us-east-1")
    assert path == profiles_folder(isolated_env) / "123456789012.us-east-1.json"
    assert json.loads(path.read_text()) == {"identifiers": [ACCOUNT_ARN + SONNET, SONNET]}
    assert [p.name for p in profiles_folder(isolated_env).iterdir()] == [path.name]


def test_remember_writes_nothing_when_nothing_is_valid(isolated_env) -> None:
    assert completion.remember([{"inferenceProfileId": bad} for bad in HOSTILE], "us-east-1") is None
    assert not profiles_folder(isolated_env).exists() or not list(profiles_folder(isolated_env).iterdir())


def test_the_cache_is_private(isolated_env) -> None:
    path = completion.remember([{"inferenceProfileId": SONNET}], "us-east-1")
    assert path is not None
    for folder in (isolated_env / "cache", isolated_env / "cache" / "bedrock-profile", path.parent):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    assert path.stat().st_mode & 0o777 == 0o600


def test_an_old_0755_cache_folder_is_made_private(isolated_env) -> None:
    folder = profiles_folder(isolated_env)
    folder.mkdir(parents=True, mode=0o755)
    for each in (folder, folder.parent):
        each.chmod(0o755)
    completion.remember([{"inferenceProfileId": SONNET}], "us-east-1")
    assert folder.stat().st_mode & 0o777 == folder.parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    "content",
    [
        json.dumps({"identifiers": "us.a-string-not-a-list"}),
        json.dumps(["us.a-list-not-a-dict"]),
        json.dumps("us.a-string"),
        json.dumps(None),
        json.dumps({"identifiers": [1, None, ["us.nested"], {"id": "us.in-a-dict"}]}),
        json.dumps({"identifiers": HOSTILE}),
        json.dumps({"ids": ["us.wrong-key"]}),
        '{"identifiers": ["us.truncated"',
        "[" * 100_000,
        b"\xff\xfe not utf-8",
    ],
)
def test_a_cache_file_of_the_wrong_shape_offers_nothing(isolated_env, content) -> None:
    folder = profiles_folder(isolated_env)
    folder.mkdir(parents=True)
    (folder / "123456789012.us-east-1.json").write_text(json.dumps({"identifiers": [SONNET]}))
    bad = folder / "999999999999.us-east-1.json"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert completion.cached_identifiers("us-east-1") == [SONNET]
    assert completion.complete_identifier(None, "us.") == [SONNET]


def test_a_huge_cache_file_is_not_read(isolated_env) -> None:
    folder = profiles_folder(isolated_env)
    folder.mkdir(parents=True)
    (folder / "1.us-east-1.json").write_text(json.dumps({"identifiers": [SONNET] * 300_000}))
    assert completion.cached_identifiers("us-east-1") == []


def test_a_region_with_glob_characters_reads_no_other_region(isolated_env) -> None:
    completion.remember([{"inferenceProfileId": SONNET}], "eu-west-1")
    assert completion.cached_identifiers("*") == []
    assert completion.cached_identifiers("eu-west-1") == [SONNET]


def test_a_failed_cache_write_leaves_no_temporary_file(isolated_env, monkeypatch) -> None:
    def refuse(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    assert completion.remember([{"inferenceProfileId": SONNET}], "us-east-1") is None
    assert list(profiles_folder(isolated_env).iterdir()) == []


def test_a_cache_write_over_the_file_size_limit_leaves_no_temporary_file(isolated_env) -> None:
    """ulimit -f: EFBIG (Python ignores SIGXFSZ), list does not fail, and no tmp*.tmp remains."""
    script = (
        "from bedrock_profile_cli.completion import remember\n"
        "ids = [f'us.model-{i:05d}-v1:0' for i in range(5000)]\n"
        "print(remember([{'inferenceProfileId': i} for i in ids], 'us-east-1'))\n"
    )

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, preexec_fn=limit, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "None"
    assert list(profiles_folder(isolated_env).iterdir()) == []


@pytest.mark.parametrize(
    ("shell", "filename"),
    [
        ("bash", "bedrock-profile.bash"),
        ("zsh", "_bedrock-profile"),
        ("fish", "bedrock-profile.fish"),
        ("powershell", "bedrock-profile.ps1"),
        ("PWSH", "bedrock-profile.ps1"),
    ],
)
def test_completion_command_prints_the_committed_script(invoke, shell, filename) -> None:
    committed = (Path(__file__).resolve().parent.parent / "completions" / filename).read_text()
    result = invoke("completion", shell)
    assert result.code == 0, result.err
    assert result.out == committed


def test_completion_command_refuses_an_unknown_shell(invoke) -> None:
    result = invoke("completion", "tcsh")
    assert result.code == ExitCode.USAGE
    assert "'tcsh' is not one of bash, zsh, fish, powershell" in result.err


def test_typers_eval_based_installers_are_gone(invoke) -> None:
    # Typer's --install-completion wrote scripts that eval the program's answers.
    assert "--install-completion" not in invoke("--help").out
    assert invoke("--install-completion").code == ExitCode.USAGE


def test_region_list_is_cached_and_a_bad_entry_is_ignored(isolated_env) -> None:
    regions = completion.bedrock_regions()
    assert "us-east-1" in regions
    assert "eu-west-1" in regions
    cached = cachedir.cache_dir() / "regions.json"
    entry = json.loads(cached.read_text())
    assert entry["bedrock"] == regions
    assert set(regions) <= set(entry["all"])
    assert cached.stat().st_mode & 0o777 == 0o600
    # A planted entry with the right key but values that are not region names is not offered.
    planted = ["us-east-1; touch /tmp/x", "$(id)"]
    cached.write_text(json.dumps({"key": entry["key"], "bedrock": planted, "all": planted}))
    region_lists._memo.clear()  # as a new process would: the file, not this one's memory
    assert completion.bedrock_regions() == regions
    cached.write_text("not json")
    region_lists._memo.clear()
    assert completion.bedrock_regions() == regions
