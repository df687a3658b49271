"""The committed completion scripts, driven in real bash (with and without bash-completion), zsh and
fish against a hostile cache and hostile profile names: nothing the program prints is run, hostile
identifiers are not offered, valid ones are, and identifiers and ARNs complete whole in bash although
they contain ':'.  PowerShell cannot be installed here: its script is checked by inspection only.

The shells are installed by .ci/run; when CI=true a missing one fails these tests instead of
skipping them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BIN_DIR, SONNET, record

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "completions"
BASH_COMPLETION = Path("/usr/share/bash-completion/bash_completion")
IN_CI = os.environ.get("CI") == "true"

PRO = "us.amazon.nova-pro-v1:0"
LITE = "us.amazon.nova-lite-v1:0"
ARN = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
VALID = [PRO, LITE, SONNET, ARN + PRO, ARN + LITE]
US = sorted(v for v in VALID if v.startswith("us."))


def need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        if IN_CI:
            pytest.fail(f"{program} is not installed; .ci/run installs it")
        pytest.skip(f"{program} is not installed")
    return found


@pytest.fixture
def world(isolated_env: Path) -> dict[str, object]:
    """A cache holding valid and hostile identifiers, AWS config with hostile profile names, a
    working folder of decoy files (offered only if something fell back to file names), and the
    file a hostile candidate would create if it ever ran."""
    mark = isolated_env / "pwned"
    touch = f"touch {mark}"
    hostile_ids = [
        f"us.\\$({touch})",  # the reported one: Typer's zsh quoting escapes $ but not \\
        f"us.$({touch})",
        f"us.`{touch}`",
        f"us.x;{touch}",
        f"us.x|{touch}",
        f"us.x&&{touch}",
        f"us.({touch})",
        f"us.x\n{touch}",
        "us.back\\slash",
        "us.quote'd",
        'us.quote"d',
        "us.with space",
        "us.$HOME",
        "us.*",
    ]
    profiles = isolated_env / "cache" / "bedrock-profile" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "123456789012.us-east-1.json").write_text(json.dumps({"identifiers": VALID + hostile_ids}))
    for name, data in {
        "100000000000": {"identifiers": "us.a-string-not-a-list"},
        "200000000000": ["us.a-list-not-a-dict"],
        "300000000000": "us.a-string-not-a-dict",
        "400000000000": {"identifiers": [1, None, ["us.nested"], {"id": "us.in-a-dict"}]},
    }.items():
        (profiles / f"{name}.us-east-1.json").write_text(json.dumps(data))
    (profiles / "500000000000.us-east-1.json").write_text('{"identifiers": ["us.not-json"')
    hostile_profiles = [  # not identifiers: offered, but only ever as data
        f"\\$({touch})",
        f"\\`{touch}\\`",
        f"$({touch})",
        f"`{touch}`",
        f"x;{touch}",
        f"({touch})",
        "with space",
        "q\"u'o$t`e:s\\",
    ]
    (isolated_env / "aws-config").write_text(
        "[default]\n" + "".join(f"[profile {name}]\n" for name in hostile_profiles)
    )
    cwd = isolated_env / "cwd"
    cwd.mkdir()
    for decoy in ("us.decoy-file", "arn-decoy", "0-decoy", "zzz-decoy", "inference-decoy"):
        (cwd / decoy).write_text("")
    env = {
        **os.environ,
        "PATH": f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}",
        "XDG_CONFIG_HOME": str(isolated_env / "xdg-config"),
        "XDG_DATA_HOME": str(isolated_env / "xdg-data"),
    }
    return {"mark": mark, "cwd": cwd, "env": env, "profiles": ["default", *hostile_profiles]}


def run(argv: list[str], world: dict[str, object]) -> str:
    proc = subprocess.run(
        argv,
        cwd=world["cwd"],
        env=world["env"],  # type: ignore[arg-type]
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    record(proc.stdout, proc.stderr)
    assert proc.returncode == 0, proc.stderr
    assert not Path(str(world["mark"])).exists(), "a candidate ran as a command"
    return proc.stdout


# --- bash ---------------------------------------------------------------------------------------------

BREAKS = " :="  # the COMP_WORDBREAKS characters these lines use


def bash_words(line: str) -> list[str]:
    """COMP_WORDS as bash makes them: words split at blanks, and a run of ':' or '=' a word of its own
    (checked against interactive bash: `a:b::c` is a, :, b, ::, c)."""
    words = [piece for token in line.split() for piece in re.findall(r"[:=]+|[^:=]+", token)]
    return [*words, ""] if line.endswith(" ") else words


def bash_complete(world: dict[str, object], line: str, *, with_bash_completion: bool) -> list[str]:
    """COMPREPLY for ``line`` (cursor at the end), after the script is sourced into a bash."""
    need("bash")
    if with_bash_completion and not BASH_COMPLETION.exists():
        if IN_CI:
            pytest.fail("bash-completion is not installed; .ci/run installs it")
        pytest.skip("bash-completion is not installed")
    words = bash_words(line)
    setup = f"source {shlex.quote(str(BASH_COMPLETION))}" if with_bash_completion else ""
    expect = "" if with_bash_completion else "!"
    script = f"""
        {setup}
        source {shlex.quote(str(SCRIPTS / "bedrock-profile.bash"))}
        {expect} declare -F _get_comp_words_by_ref >/dev/null || {{ echo "wrong bash-completion state"; exit 3; }}
        COMP_LINE={shlex.quote(line)}
        COMP_POINT=${{#COMP_LINE}}
        COMP_WORDS=({" ".join(shlex.quote(w) for w in words)})
        COMP_CWORD={len(words) - 1}
        complete -p bedrock-profile
        _bedrock_profile_completion bedrock-profile "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
        printf '%s\\0' "${{COMPREPLY[@]}}"
    """
    out = run(["bash", "--norc", "--noprofile", "-c", script], world)
    registration, _, replies = out.partition("\n")
    assert registration == "complete -F _bedrock_profile_completion bedrock-profile"  # no -o default
    return [r for r in replies.split("\0") if r]


def bash_result(line: str, reply: str) -> str:
    """The last word once bash put ``reply`` in place of what follows the last word break."""
    start = max(line.rfind(c) for c in BREAKS) + 1
    return (line[:start] + reply).rsplit(" ", 1)[-1]


BOTH = pytest.mark.parametrize("with_bash_completion", [False, True], ids=["plain-bash", "bash-completion"])


@BOTH
def test_bash_offers_the_valid_cached_identifiers_and_nothing_hostile(world, with_bash_completion) -> None:
    assert (
        sorted(bash_complete(world, "bedrock-profile get us.", with_bash_completion=with_bash_completion))
        == US
    )


@BOTH
@pytest.mark.parametrize(
    ("line", "completed"),
    [
        ("bedrock-profile get us.amazon.nova-pro-v1:", [PRO]),
        ("bedrock-profile get us.amazon.nova-pro-v1", [PRO]),
        ("bedrock-profile get arn", [ARN + LITE, ARN + PRO]),
        ("bedrock-profile get arn:aws:bedrock:", [ARN + LITE, ARN + PRO]),
        ("bedrock-profile get arn:aws:bedrock:us-east-1:123456789012:inference", [ARN + LITE, ARN + PRO]),
        (
            "bedrock-profile get arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-p",
            [ARN + PRO],
        ),
        (f"bedrock-profile check {PRO} us.amazon.nova-", [LITE]),
        ("bedrock-profile get zzz", []),
        ("bedrock-profile get arn:aws:bedrock:eu-west-1:", []),
    ],
)
def test_bash_completes_identifiers_and_arns_whole(world, with_bash_completion, line, completed) -> None:
    replies = bash_complete(world, line, with_bash_completion=with_bash_completion)
    assert sorted(bash_result(line, r) for r in replies) == sorted(completed)


@BOTH
def test_bash_inserts_hostile_profile_names_quoted_and_never_runs_them(world, with_bash_completion) -> None:
    replies = bash_complete(
        world, "bedrock-profile get --profile ", with_bash_completion=with_bash_completion
    )
    # what the shell reads back from the inserted text is the name itself
    assert sorted(shlex.split(r)[0] for r in replies) == sorted(world["profiles"])
    assert "default" in replies


@BOTH
def test_bash_completes_options_and_choices(world, with_bash_completion) -> None:
    assert bash_complete(world, "bedrock-profile get -o ", with_bash_completion=with_bash_completion) == [
        "table",
        "wide",
        "json",
        "yaml",
        "text",
    ]
    assert bash_complete(world, "bedrock-profile l", with_bash_completion=with_bash_completion) == ["list"]


# --- zsh ----------------------------------------------------------------------------------------------

ZSH_STUBS = r"""
compdef() { print -r -- "compdef $*" >&2 }
compadd() {
  local -a shown
  while (( $# )); do
    case $1 in
      -d) shown=("${(@P)2}"); shift 2 ;;
      --) shift; break ;;
      *) shift ;;
    esac
  done
  local v
  for v in "$@"; do print -rn -- "v$v"$'\0'; done
  for v in "${shown[@]}"; do print -rn -- "d$v"$'\0'; done
}
"""


def zsh_complete(
    world: dict[str, object], line: str, *, autoload: bool = False
) -> tuple[list[str], list[str]]:
    """What the completion function hands compadd for ``line`` (cursor at the end): the candidates
    and the display strings."""
    need("zsh")
    words = line.split(" ")
    if autoload:  # as compinit would: from $fpath, by the file's name, called twice
        load = f"fpath=({shlex.quote(str(SCRIPTS))} $fpath); autoload -Uz _bedrock-profile"
        call = "_bedrock-profile; _bedrock-profile"
    else:
        load = f"source {shlex.quote(str(SCRIPTS / '_bedrock-profile'))}"
        call = "_bedrock-profile"
    call += " || true"  # no candidate: the function fails, as completion functions do
    script = f"""
        {ZSH_STUBS}
        {load}
        words=({" ".join(shlex.quote(w) for w in words)})
        CURRENT={len(words)}
        {call}
    """
    out = run(["zsh", "-f", "-c", script], world)
    items = [item for item in out.split("\0") if item]
    values = [item[1:] for item in items if item[0] == "v"]
    if autoload:
        half = len(values) // 2
        assert values[:half] == values[half:], "the second call answers as the first"
        values = values[:half]
    return values, [item[1:] for item in items if item[0] == "d"]


@pytest.mark.parametrize("autoload", [False, True], ids=["sourced", "autoloaded"])
def test_zsh_offers_the_valid_cached_identifiers_and_nothing_hostile(world, autoload) -> None:
    values, _ = zsh_complete(world, "bedrock-profile get us.", autoload=autoload)
    assert sorted(values) == US
    values, _ = zsh_complete(world, "bedrock-profile get us.amazon.nova-pro-v1:", autoload=autoload)
    assert values == [PRO]
    values, _ = zsh_complete(world, "bedrock-profile get arn:aws:bedrock:", autoload=autoload)
    assert sorted(values) == [ARN + LITE, ARN + PRO]


def test_zsh_hands_hostile_profile_names_to_compadd_as_data(world) -> None:
    values, _ = zsh_complete(world, "bedrock-profile get --profile ")
    assert sorted(values) == sorted(world["profiles"])  # " ' $ ` : \ all decoded from Typer's quoting


def test_zsh_shows_descriptions_and_never_falls_back_to_files(world) -> None:
    values, shown = zsh_complete(world, "bedrock-profile ")
    from bedrock_profile_cli.commands import COMMANDS

    assert values == [module.NAME for module in COMMANDS]
    assert shown[1].startswith("list ") and "-- List inference profiles" in shown[1]
    assert zsh_complete(world, "bedrock-profile get zzz") == ([], [])  # Typer answers `_files`


def test_zsh_registers_itself_when_sourced(world) -> None:
    need("zsh")
    proc = subprocess.run(
        ["zsh", "-f", "-c", f"{ZSH_STUBS}\nsource {shlex.quote(str(SCRIPTS / '_bedrock-profile'))}"],
        capture_output=True,
        text=True,
        check=False,
        env=world["env"],  # type: ignore[arg-type]
    )
    assert proc.stderr.strip() == "compdef _bedrock-profile bedrock-profile"


# --- fish ---------------------------------------------------------------------------------------------


def fish_complete(world: dict[str, object], line: str) -> list[str]:
    """The candidates ``complete -C`` gives for ``line`` (the values, without descriptions)."""
    need("fish")
    script = f'source {shlex.quote(str(SCRIPTS / "bedrock-profile.fish"))}; complete -C "$LINE"'
    world = {**world, "env": {**world["env"], "LINE": line}}  # type: ignore[dict-item]
    out = run(["fish", "--no-config", "-c", script], world)
    return [entry.split("\t")[0] for entry in out.splitlines()]


def test_fish_offers_the_valid_cached_identifiers_and_nothing_hostile(world) -> None:
    assert sorted(fish_complete(world, "bedrock-profile get us.")) == US
    assert fish_complete(world, "bedrock-profile get us.amazon.nova-pro-v1:") == [PRO]
    assert sorted(fish_complete(world, "bedrock-profile get arn:aws:bedrock:")) == [ARN + LITE, ARN + PRO]


def test_fish_offers_hostile_profile_names_as_data_and_no_files(world) -> None:
    assert sorted(fish_complete(world, "bedrock-profile get --profile ")) == sorted(world["profiles"])
    assert fish_complete(world, "bedrock-profile get zzz") == []
    assert fish_complete(world, "bedrock-profile l") == ["list"]


# --- every shell offers what the program answers ----------------------------------------------------

PROTOCOL_LINES = [
    "bedrock-profile ",
    "bedrock-profile get -",
    "bedrock-profile check x -",
    "bedrock-profile list --",
]


def program_candidates(world: dict[str, object], line: str) -> list[str]:
    """What the program answers bash's protocol (values only, one a line) for ``line``."""
    words = line.split(" ")
    env = {**world["env"], "_BEDROCK_PROFILE_COMPLETE": "complete_bash"}  # type: ignore[dict-item]
    env.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    return run([str(BIN_DIR / "bedrock-profile")], {**world, "env": env}).splitlines()


@pytest.mark.parametrize("line", PROTOCOL_LINES)
def test_zsh_and_fish_offer_every_option_even_with_help_over_several_lines(world, line) -> None:
    """Some option help spans lines (--color, --error-format): zsh's and fish's answers still give
    one candidate per option, and no help line becomes a candidate."""
    expected = sorted(program_candidates(world, line))
    assert len(expected) > 3
    assert sorted(zsh_complete(world, line)[0]) == expected
    assert sorted(fish_complete(world, line)) == expected


# --- every script, by inspection (PowerShell: only so) -------------------------------------------------


def script_text(name: str) -> str:
    return (SCRIPTS / name).read_text()


def code_lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


@pytest.mark.parametrize(
    ("name", "forbidden"),
    [
        (
            "bedrock-profile.bash",
            [r"\beval\b", r"-o\s+default", r"-o\s+filenames", r"-o\s+bashdefault", r"COMPREPLY=\(\s*\$\("],
        ),
        ("_bedrock-profile", [r"\beval\b", r"_files", r"(?m)^\s*_arguments", r"_describe", r"\(e\)"]),
        ("bedrock-profile.fish", [r"\beval\b", r"--force-files", r"-F\b"]),
        (
            "bedrock-profile.ps1",
            [
                r"(?i)invoke-expression",
                r"(?i)\biex\b",
                r"(?i)scriptblock\]::create",
                r"(?i)invoke-command",
                r"(?i)addscript",
                r"(?i)set-psreadlinekeyhandler",
            ],
        ),
    ],
)
def test_no_script_evaluates_what_the_program_prints(name: str, forbidden: list[str]) -> None:
    code = code_lines(script_text(name))
    for pattern in forbidden:
        assert not re.search(pattern, code), f"{name}: {pattern}"


def test_powershell_uses_each_line_as_text_and_quotes_what_it_inserts() -> None:
    code = code_lines(script_text("bedrock-profile.ps1"))
    assert "Register-ArgumentCompleter -Native -CommandName bedrock-profile" in code
    assert "-split ':::', 2" in code  # value and help, split once
    assert (
        "[System.Management.Automation.CompletionResult]::new($text, $value, 'ParameterValue', $help)" in code
    )
    # anything but letters, digits and . _ : / - is inserted single-quoted, quotes (and the
    # typographic ones PowerShell also reads as quotes) doubled
    assert "-cnotmatch '^[A-Za-z0-9._:/-]+$'" in code
    assert "-replace \"['\\u2018\\u2019\\u201A\\u201B]\", '$0$0'" in code
    assert "$env:_BEDROCK_PROFILE_COMPLETE = 'complete_powershell'" in code
    # a help text over several lines goes on in lines without ':::': never a candidate
    assert "if ($line.Contains(':::')) {" in code
    assert "$items[$items.Count - 1].Help += ' ' + $line" in code
    assert "Remove-Item -Path Env:_BEDROCK_PROFILE_COMPLETE" in code


def powershell_insert(value: str) -> str:
    """The script's quoting rule, restated, to check it on hostile values."""
    if re.fullmatch(r"[A-Za-z0-9._:/-]+", value):
        return value
    return "'" + re.sub(r"['\u2018\u2019\u201a\u201b]", lambda m: m.group(0) * 2, value) + "'"


@pytest.mark.parametrize(
    "value", ["$(touch x)", "a;b", "it's", "a\u2019b", "`x`", "@(1)", "a,b", "a b", "x\u2018;y"]
)
def test_the_powershell_quoting_rule_leaves_nothing_to_evaluate(value: str) -> None:
    inserted = powershell_insert(value)
    assert inserted[0] == inserted[-1] == "'"
    # inside '...' PowerShell expands nothing, and every quote character inside comes doubled
    body = re.sub(r"(['\u2018\u2019\u201a\u201b])\1", "", inserted[1:-1])
    assert not re.search(r"['\u2018\u2019\u201a\u201b]", body)
    assert re.sub(r"(['\u2018\u2019\u201a\u201b])\1", r"\1", inserted[1:-1]) == value


def test_the_powershell_quoting_rule_leaves_identifiers_bare() -> None:
    for value in [*VALID, "--profile", "us-east-1"]:
        assert powershell_insert(value) == value
