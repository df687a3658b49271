"""Every `bedrock-profile` command line in README's code blocks runs, through the installed console
script in bash, against the served emulator, and exits as documented: 0, or the `# exit N` its line
says.  A README example that fails as written fails here."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import BIN_DIR, aws_cli, run_cli, run_shell, wait_for

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
# Lines that cannot run on this machine, each with the reason.
NOT_HERE = {"Out-String": "PowerShell is not installed here"}


def command_lines(text: str) -> list[str]:
    """The bedrock-profile command lines of every fenced code block: `$ ` prompts dropped,
    backslash continuations and YAML folded (`run: >`) blocks joined."""
    found: list[str] = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i].strip()
            if line.startswith("run: >"):  # a folded YAML scalar: the more-indented lines after it
                indent = len(lines[i]) - len(lines[i].lstrip())
                folded = []
                i += 1
                while i < len(lines) and (len(lines[i]) - len(lines[i].lstrip())) > indent:
                    folded.append(lines[i].strip())
                    i += 1
                line = " ".join(folded)
            else:
                while line.endswith("\\") and i + 1 < len(lines):
                    i += 1
                    line = line[:-1].rstrip() + " " + lines[i].strip()
                i += 1
            line = line.removeprefix("$ ")
            if line.startswith("bedrock-profile ") or line == "bedrock-profile":
                found.append(line)
    return found


COMMANDS = command_lines(README)


def expected_exit(line: str) -> int:
    match = re.search(r"#\s*exit (\d+)", line)
    return int(match.group(1)) if match else 0


def test_readme_has_command_lines_to_run() -> None:
    assert len(COMMANDS) >= 15


@pytest.fixture
def world(emulator, isolated_env, bedrock, monkeypatch):
    """What README's examples assume: named profiles prod and dev, an application profile in
    $PROFILE_ARN that routes to the model the CI example names, an ID in $ID, completion folders."""
    home = isolated_env / "home"
    for folder in (".local/share/bash-completion/completions", ".zfunc", ".config/fish/completions"):
        (home / folder).mkdir(parents=True, exist_ok=True)
    credentials = isolated_env / "aws-credentials"
    credentials.write_text(
        "".join(
            f"[{name}]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
            for name in ("prod", "dev")
        )
    )
    (isolated_env / "aws-config").write_text(
        "[default]\n[profile prod]\nregion = us-east-1\n[profile dev]\nregion = us-east-1\n"
    )
    ci_line = next(line for line in COMMANDS if "$PROFILE_ARN" in line and "--model" in line)
    model = shlex.split(ci_line.split("#")[0])[shlex.split(ci_line.split("#")[0]).index("--model") + 1]
    pages = bedrock.get_paginator("list_inference_profiles").paginate(typeEquals="SYSTEM_DEFINED")
    system = next(
        s
        for page in pages
        for s in page["inferenceProfileSummaries"]
        if any(m["modelArn"].endswith("/" + model) for m in s["models"])
    )
    arn = bedrock.create_inference_profile(
        inferenceProfileName="readme-example", modelSource={"copyFrom": system["inferenceProfileArn"]}
    )["inferenceProfileArn"]
    # README's CI recipe checks a policy file the team keeps: here, the one iam-policy writes for it.
    workdir = isolated_env / "work"
    workdir.mkdir()
    policy = run_cli("iam-policy", arn, env={"AWS_ENDPOINT_URL_BEDROCK": emulator.url})
    assert policy.code == 0, policy.err
    (workdir / "policy.json").write_text(policy.out)
    return {"PROFILE_ARN": arn, "ID": system["inferenceProfileId"], "HOME": str(home), "CWD": str(workdir)}


@pytest.mark.parametrize("line", COMMANDS)
def test_readme_command_line_exits_as_documented(world, spawn, line) -> None:
    for marker, reason in NOT_HERE.items():
        if marker in line:
            pytest.skip(reason)  # the one kind of line this machine cannot run; see NOT_HERE
    path = f"{BIN_DIR}:/usr/bin:/bin"
    if re.search(r"(^|[|&;]\s*)aws ", line):  # an example that runs the AWS CLI as well
        path += f":{Path(aws_cli()).parent}"
    env = {**world, "PATH": path}
    if line.rstrip().split("#")[0].rstrip().endswith("&"):  # `bedrock-profile emulator ... &`
        command = re.sub(r"--port \d+", "--port 0", line.split("#")[0].rstrip().rstrip("&"))
        server = spawn(cmd=["bash", "-c", f"exec {command}"], env=env)
        first = []
        wait_for(lambda: first.append(server.proc.stdout.readline()) or first[-1], what="the URL line")
        assert first[-1].startswith("AWS_ENDPOINT_URL_BEDROCK=http://127.0.0.1:")
        server.proc.terminate()
        assert server.finish().code == 0
        return
    result = run_shell(line, env=env, cwd=world["CWD"])
    assert result.code == expected_exit(line), f"{line}\n{result.err}"
    assert "Traceback" not in result.err


def test_completion_install_lines_make_their_folder_first() -> None:
    """A fresh account has none of these folders: README makes each before writing into it."""
    targets = re.findall(r"^bedrock-profile completion \w+ > (\S+)", README, re.M)
    assert len(targets) == 3
    for target in targets:
        folder = target.rsplit("/", 1)[0]
        assert re.search(rf"^mkdir -p {re.escape(folder)}$", README, re.M), folder
