"""The GitHub Action (action.yml): its inputs are `check`'s options, its scripts never read an input
as shell code, and its `run:` steps, run in bash as the runner would (inputs through the step's
`env:`, outputs through GITHUB_OUTPUT), install the tool and check profiles on the served emulator.

The install step runs for real: a fresh venv and a pip build of this checkout. Only its dependencies
come from the test's own environment (PYTHONPATH, no index), since tests reach nothing but loopback."""

from __future__ import annotations

import json
import os
import re
import site
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import SONNET, record, run_cli

ROOT = Path(__file__).resolve().parent.parent
ACTION_FILE = ROOT / "action.yml"
pytestmark = pytest.mark.skipif(not ACTION_FILE.exists(), reason="action.yml is not beside these tests")
ACTION: dict[str, Any] = yaml.safe_load(ACTION_FILE.read_text()) if ACTION_FILE.exists() else {}
STEPS: list[dict[str, Any]] = ACTION.get("runs", {}).get("steps", [])
README = (ROOT / "README.md").read_text() if (ROOT / "README.md").exists() else ""

# check's options that are not inputs, each with the reason; every other option is one.
NOT_INPUTS = {
    "--all-regions": "the input regions: all",
    "--profile": "credentials come from the job (aws-actions/configure-aws-credentials); AWS_PROFILE in env works",
    "--endpoint-url": "AWS_ENDPOINT_URL_BEDROCK in the job's env",
    "--output": "always JSON: the result output",
    "--query": "shape the result output with fromJSON() or jq",
    "--color": "the log is not a terminal",
    "--error-format": "always text: annotations are text workflow commands",
    "--max-attempts": "AWS_MAX_ATTEMPTS in the job's env",
    "--retry-mode": "AWS_RETRY_MODE in the job's env",
    "--connect-timeout": "the defaults; a job wants wait/timeout instead",
    "--read-timeout": "the defaults; a job wants wait/timeout instead",
    "--attempt-timeout": "the defaults; a job wants wait/timeout instead",
    "--debug": "on when the runner's debug logging is (RUNNER_DEBUG=1)",
    "--emulator": "BEDROCK_PROFILE_EMULATOR=1 in the job's env",
}
# Inputs that are not options of check.
NOT_OPTIONS = {"identifiers": "the arguments", "version": "which bedrock-profile to install"}
EXPRESSION = re.compile(
    r"^\$\{\{ (inputs\.[a-z-]+|steps\.[a-z]+\.outputs\.[a-z-]+|github\.action_repository) \}\}$"
)
# An output's value: step outputs, or-ed, maybe ending in a literal ('false' when nothing ran).
OUTPUT_EXPRESSION = re.compile(
    r"^\$\{\{ steps\.[a-z]+\.outputs\.[a-z-]+( \|\| (steps\.[a-z]+\.outputs\.[a-z-]+|'[a-z]+'))* \}\}$"
)


def check_options() -> dict[str, Any]:
    import typer

    from bedrock_profile_cli import app

    command = typer.main.get_command(app.build()).commands["check"]  # type: ignore[attr-defined]
    return {
        decl: param
        for param in command.params
        for decl in param.opts
        if decl.startswith("--") and param.param_type_name == "option"
    }


def test_the_action_is_a_composite_of_bash_steps() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert [step["shell"] for step in STEPS] == ["bash"] * len(STEPS)


def test_every_input_is_an_option_of_check_and_every_option_an_input_or_excused() -> None:
    options = check_options()
    inputs = set(ACTION["inputs"])
    for name in inputs - set(NOT_OPTIONS):
        assert f"--{name}" in options, f"input {name} is no option of check"
    for option in options:
        assert option.removeprefix("--") in inputs or option in NOT_INPUTS, f"{option}: no input, no reason"
    for option in NOT_INPUTS:
        assert option in options, f"{option} is excused but is no option of check"


def test_input_defaults_are_checks_defaults() -> None:
    options = check_options()
    for name, spec in ACTION["inputs"].items():
        if name in NOT_OPTIONS or "default" not in spec or spec["default"] == "":
            continue
        default, given = options[f"--{name}"].default, str(spec["default"])
        if isinstance(default, bool):
            assert given == str(default).lower(), name
        elif isinstance(default, (int, float)):
            assert float(given) == default, name
        else:
            assert given == default, name


def test_inputs_reach_scripts_only_through_env() -> None:
    """`${{ }}` inside `run:` would paste an input into the script as code: a model ID like
    `$(curl evil)` would run.  Every expression sits in `env:`, one whole value each."""
    used: set[str] = set()
    for step in STEPS:
        assert "${{" not in step["run"], step["name"]
        for name, value in step.get("env", {}).items():
            assert EXPRESSION.match(value), f"{name}: {value}"
            used.add(value)
    for name in ACTION["inputs"]:
        assert f"${{{{ inputs.{name} }}}}" in used, f"input {name} is never used"


def test_outputs_are_expressions_on_the_steps_outputs() -> None:
    for name, spec in ACTION["outputs"].items():
        assert OUTPUT_EXPRESSION.match(spec["value"]), name
        assert f"steps.check.outputs.{name}" in spec["value"], name


def action_outputs(steps: dict[str, dict[str, str]]) -> dict[str, str]:
    """The action's outputs as the runner evaluates them: `a || b` is the first non-empty one."""
    outputs = {}
    for name, spec in ACTION["outputs"].items():
        value = ""
        for term in spec["value"].removeprefix("${{ ").removesuffix(" }}").split(" || "):
            if term.startswith("'"):
                value = term.strip("'")
            else:
                _, step, _, output = term.split(".")
                value = steps.get(step, {}).get(output, "")
            if value:
                break
        outputs[name] = value
    return outputs


def test_readme_documents_every_input_and_output() -> None:
    section = README.split("### GitHub Action", 1)[1].split("\n### ", 1)[0]
    for name in [*ACTION["inputs"], *ACTION["outputs"]]:
        assert f"`{name}`" in section, name


# --- running the steps -----------------------------------------------------------------------------


def parse_github_output(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i)
            outputs[name] = "\n".join(lines[i:end])
            i = end + 1
        else:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


@dataclass
class StepRun:
    code: int
    out: str
    err: str
    outputs: dict[str, str]


def offline_pip(tmp: Path) -> dict[str, str]:
    """pip that reaches no index: dependencies come from this test environment's site-packages."""
    return {
        "PYTHONPATH": os.pathsep.join(site.getsitepackages()),
        "PIP_NO_INDEX": "1",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's inverted spelling: off
        # This environment's editable install would otherwise satisfy `bedrock-profile==X` as is.
        "PIP_IGNORE_INSTALLED": "1",
        "PIP_NO_DEPS": "1",
        "PIP_CACHE_DIR": str(tmp / "pip-cache"),
    }


def run_step(
    step_id: str,
    inputs: dict[str, str],
    steps: dict[str, dict[str, str]],
    env: dict[str, str],
    tmp: Path,
    github: dict[str, str] | None = None,
) -> StepRun:
    """One `run:` step in bash, as the runner runs it: its `env:` evaluated (defaults applied to
    inputs; ``github`` the github context), GITHUB_OUTPUT a fresh file read back afterwards."""
    step = next(s for s in STEPS if s["id"] == step_id)
    given = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    unknown = set(inputs) - set(given)
    assert not unknown, f"not inputs of the action: {unknown}"
    given.update(inputs)

    def evaluate(value: str) -> str:
        match = EXPRESSION.match(value)
        assert match, value
        path = match.group(1).split(".")
        if path[0] == "github":
            return (github or {}).get(path[1], "")
        return given[path[1]] if path[0] == "inputs" else steps[path[1]][path[3]]

    output_file = tmp / f"github-output-{step_id}-{len(list(tmp.iterdir()))}"
    output_file.write_text("")
    runner_temp = tmp / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    full_env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_OUTPUT": str(output_file),
        "RUNNER_TEMP": str(runner_temp),
        # `python3` is this test's interpreter (the one whose site-packages offline_pip lends).
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        **{name: evaluate(value) for name, value in step.get("env", {}).items()},
        **env,
    }
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
        env=full_env,
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    record(proc.stdout, proc.stderr)
    return StepRun(
        proc.returncode, proc.stdout, proc.stderr, parse_github_output(output_file.read_bytes().decode())
    )


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> dict[str, str]:
    """The install step, run once for the whole run (the xdist workers share it under a lock): the
    action's own checkout into a fresh venv."""
    import fcntl

    shared = (
        tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    )
    tmp = shared / "action-install"
    with open(shared / "action-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / "action-install.json"
        if done.exists():
            return dict(json.loads(done.read_text()))
        tmp.mkdir(exist_ok=True)
        result = run_step("install", {}, {}, offline_pip(tmp), tmp)
        assert result.code == 0, result.err
        assert result.out.startswith("bedrock-profile "), result.out
        python = result.outputs["python"]
        assert Path(python).is_file()
        assert str(tmp / "runner-temp") in python  # its own venv, not the job's Python
        done.write_text(json.dumps(result.outputs))
        return result.outputs


@pytest.fixture
def action(installed: dict[str, str], emulator: Any, tmp_path: Path) -> Callable[..., StepRun]:
    """The check step with these inputs, on the served emulator (AWS_ENDPOINT_URL_BEDROCK)."""

    def run(env: dict[str, str] | None = None, **inputs: str) -> StepRun:
        """The step's outcome, with the action's outputs (not the step's) in ``outputs``."""
        extra = {"PYTHONPATH": os.pathsep.join(site.getsitepackages()), **(env or {})}
        result = run_step(
            "check",
            {k.replace("_", "-"): v for k, v in inputs.items()},
            {"install": installed},
            extra,
            tmp_path,
        )
        result.outputs = action_outputs({"install": installed, "check": result.outputs})
        return result

    return run


def test_a_profile_that_meets_every_expectation_passes(action) -> None:
    result = action(
        identifiers=SONNET, model="anthropic.claude-sonnet-4-5-20250929-v1:0", in_region="us-west-2"
    )
    assert result.code == 0, result.err
    assert result.outputs["passed"] == "true"
    assert result.outputs["exit-code"] == "0"
    document = json.loads(result.outputs["result"])
    assert document["identifier"] == SONNET
    assert document["passed"] is True
    assert "::error" not in result.err


def test_the_result_output_is_what_check_prints(action) -> None:
    result = action(identifiers=SONNET, in_region="us-east-2")
    direct = run_cli("check", SONNET, "--in-region", "us-east-2", "-o", "json")
    assert json.loads(result.outputs["result"]) == json.loads(direct.out)


def test_an_unmet_expectation_fails_the_step_with_an_annotation(action) -> None:
    result = action(identifiers=SONNET, in_region="eu-west-1")
    assert result.code == 3
    assert result.outputs["passed"] == "false"
    assert result.outputs["exit-code"] == "3"
    assert json.loads(result.outputs["result"])["passed"] is False
    assert re.search(r"^::error title=[^:]*::.*eu-west-1", result.err, re.M), result.err


def test_a_missing_profile_keeps_its_exit_code(action) -> None:
    result = action(identifiers="us.example.no-such-model-v1:0")
    assert result.code == 4
    assert result.outputs["exit-code"] == "4"
    assert "::error" in result.err


def test_identifiers_split_on_spaces_commas_and_lines_in_order(action) -> None:
    other = "us.amazon.nova-pro-v1:0"
    result = action(identifiers=f"\n  {other},{SONNET}\n\n")
    assert result.code == 0, result.err
    assert [r["identifier"] for r in json.loads(result.outputs["result"])] == [other, SONNET]


def test_regions_ask_each_source_region(action) -> None:
    result = action(identifiers=SONNET, regions="us-east-1, us-west-2")
    assert result.code == 0, result.err
    document = json.loads(result.outputs["result"])
    assert document["regions"] == ["us-east-1", "us-west-2"]
    assert [r["region"] for r in document["results"]] == ["us-east-1", "us-west-2"]


def test_regions_all_is_every_region(action) -> None:
    from bedrock_profile_cli.regions import partition_bedrock_regions

    result = action(identifiers=SONNET, regions="All")  # any case, as wait's true
    document = json.loads(result.outputs["result"])
    assert document["regions"] == partition_bedrock_regions("aws")


def test_wait_times_out_as_check_does(action) -> None:
    result = action(identifiers="us.example.no-such-model-v1:0", wait="true", timeout="0.5", interval="0.1")
    assert result.code == 3
    assert json.loads(result.outputs["result"])["timedOut"] is True


def test_tags_and_policy_files_are_one_per_line(action, bedrock, tmp_path: Path) -> None:
    arn = bedrock.create_inference_profile(
        inferenceProfileName="action-tags",
        modelSource={
            "copyFrom": bedrock.get_inference_profile(inferenceProfileIdentifier=SONNET)[
                "inferenceProfileArn"
            ]
        },
        tags=[{"key": "team", "value": "ml ops"}, {"key": "cost-centre", "value": "a,b"}],
    )["inferenceProfileArn"]
    policy = tmp_path / "my policy.json"
    policy.write_text(run_cli("iam-policy", arn).out)
    result = action(identifiers=arn, tag="team=ml ops\n  cost-centre=a,b  \n", iam_policy=f"{policy}\n")
    assert result.code == 0, result.err
    expectations = {e["name"] for e in json.loads(result.outputs["result"])["expectations"]}
    assert {"tag", "iam-policy"} <= {name.split(" ")[0] for name in expectations}, expectations
    assert action(identifiers=arn, tag="team=ml").code == 3


def test_inputs_are_data_never_shell_code(action, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    hostile = [
        f"$(touch {marker})",
        f"`touch {marker}`",
        "*",
        "--output=table",
        f"a;touch {marker}",
        "~",
        "$HOME",
    ]
    for first in ("*", "--output=table"):  # a glob, an option: each the first identifier once
        words = [first, *(h for h in hostile if h != first)]
        result = action(identifiers="\n".join(words), tag="\n".join(words))
        assert result.code == 6, result.err  # a malformed identifier, said as such
        assert f"'{first}'" in result.err or first in result.err, result.err
        assert "::error title=bedrock-profile action::bedrock-profile check exited 6" in result.out
        assert result.outputs["exit-code"] == "6"
        as_models = action(identifiers=SONNET, model="\n".join(words))
        assert as_models.code == 2, as_models.err  # not a model ID: refused before any request
    assert not marker.exists()


@pytest.mark.parametrize(
    ("inputs", "says"),
    [
        ({"identifiers": SONNET, "wait": "yes"}, "input wait"),
        ({"identifiers": " \n, "}, "input identifiers"),
    ],
)
def test_bad_inputs_are_exit_2_with_an_annotation(action, inputs: dict[str, str], says: str) -> None:
    result = action(**inputs)
    assert result.code == 2
    assert re.search(rf"^::error title=bedrock-profile action::{says}", result.out, re.M), result.out
    assert result.outputs["exit-code"] == "2"
    assert result.outputs["passed"] == "false"


def test_checks_own_usage_errors_are_exit_2_and_an_annotation(action) -> None:
    result = action(identifiers=SONNET, timeout="soon")
    assert result.code == 2
    assert result.outputs["exit-code"] == "2"
    assert result.outputs["passed"] == "false"
    assert re.search(
        r"^::error title=bedrock-profile action::bedrock-profile check exited 2: .*timeout", result.out, re.M
    ), result.out


def test_every_output_is_set_and_the_result_is_one_line_and_a_file(action) -> None:
    result = action(identifiers=SONNET)
    assert set(result.outputs) == set(ACTION["outputs"])
    assert "\n" not in result.outputs["result"]
    saved = Path(result.outputs["result-file"])
    assert saved.parent == Path(result.outputs["result-file"]).parent
    assert json.loads(saved.read_text()) == json.loads(result.outputs["result"])


def test_values_with_windows_line_ends_split_as_lines(action) -> None:
    result = action(
        identifiers=f"{SONNET}\r\n",
        model="anthropic.claude-sonnet-4-5-20250929-v1:0\r\n",
        in_region="us-west-2\r\n",
        regions="us-east-1,\r\nus-west-2\r\n",
        wait="true\r\n",
        timeout="5",
    )
    assert result.code == 0, result.out + result.err
    assert json.loads(result.outputs["result"])["regions"] == ["us-east-1", "us-west-2"]


def test_empty_region_fields_are_dropped(action) -> None:
    result = action(identifiers=SONNET, regions=" us-east-1 ,, us-west-2,")
    assert result.code == 0, result.err
    assert json.loads(result.outputs["result"])["regions"] == ["us-east-1", "us-west-2"]


def test_an_input_cannot_add_workflow_commands(action) -> None:
    result = action(
        identifiers=SONNET, wait="x\n::add-mask::us\n::set-output name=passed::true\n::error::fake"
    )
    assert result.code == 2
    commands = [line for line in (result.out + result.err).splitlines() if line.startswith("::")]
    assert len(commands) == 1, commands
    assert commands[0].startswith("::error title=bedrock-profile action::input wait")
    assert result.outputs["passed"] == "false"
    assert result.outputs["exit-code"] == "2"


def test_timeout_without_wait_is_a_warning(action) -> None:
    result = action(identifiers=SONNET, timeout="600")
    assert result.code == 0, result.err
    assert "::warning title=bedrock-profile action::input timeout applies only with wait: true" in result.out
    assert "::warning" not in action(identifiers=SONNET).out


def test_runner_debug_logging_turns_on_debug(action) -> None:
    result = action(identifiers=SONNET, env={"RUNNER_DEBUG": "1"})
    assert result.code == 0, result.err
    assert "GetInferenceProfile" in result.err


def test_version_installs_that_ref_of_the_actions_own_repository(tmp_path: Path) -> None:
    """`version` is a ref of the repository the action came from (GITHUB_ACTION_REPOSITORY on
    GITHUB_SERVER_URL), never a package index: the name bedrock-profile is not ours there."""
    if not (ROOT / ".git").exists():
        pytest.skip("needs this checkout's git history (not in the sdist)")
    from bedrock_profile_cli import __version__

    server = tmp_path / "server"
    bare = server / "some-org" / "bedrock-profile"
    for argv in (
        ["git", "clone", "--quiet", "--bare", str(ROOT), str(bare)],
        ["git", "-C", str(bare), "tag", "v9.9.9", "HEAD"],
    ):
        subprocess.run(argv, check=True, capture_output=True)
    # The runner leaves GITHUB_ACTION_REPOSITORY empty in a composite's run (actions/runner#2473);
    # github.action_repository in the step's env is filled.
    env = {**offline_pip(tmp_path), "GITHUB_SERVER_URL": f"file://{server}", "GITHUB_ACTION_REPOSITORY": ""}
    github = {"action_repository": "some-org/bedrock-profile"}
    result = run_step("install", {"version": " v9.9.9\r\n"}, {}, env, tmp_path, github)
    assert result.code == 0, result.out + result.err
    assert result.out.startswith(f"bedrock-profile {__version__} "), result.out
    venv = tmp_path / "runner-temp" / "bedrock-profile-action"
    assert (
        (venv / ".installed").read_text().startswith(f"git+file://{server}/some-org/bedrock-profile@v9.9.9 ")
    )
    # The same requirement again in the job: the venv is reused, not made anew.
    made = (venv / "pyvenv.cfg").stat().st_mtime_ns
    again = run_step("install", {"version": "v9.9.9"}, {}, env, tmp_path, github)
    assert again.code == 0, again.err
    assert (venv / "pyvenv.cfg").stat().st_mtime_ns == made


@pytest.mark.parametrize(
    "version", ["1.0; touch x", "--index-url=http://evil", "v1..v2", "a b", "$(touch x)"]
)
def test_a_version_that_is_not_a_ref_is_refused(tmp_path: Path, version: str) -> None:
    result = run_step("install", {"version": version}, {}, offline_pip(tmp_path), tmp_path)
    assert result.code == 2
    assert "::error title=bedrock-profile action::input version" in result.out
    assert result.outputs == {"exit-code": "2"}
    assert action_outputs({"install": result.outputs}) == {
        "result": "",
        "result-file": "",
        "passed": "false",
        "exit-code": "2",
    }
    assert not (tmp_path / "x").exists()


def test_a_version_from_a_local_action_is_refused(tmp_path: Path) -> None:
    env = {**offline_pip(tmp_path), "GITHUB_ACTION_REPOSITORY": ""}
    result = run_step("install", {"version": "v1.0.0"}, {}, env, tmp_path)
    assert result.code == 2
    assert "leave version empty" in result.out


def test_readme_workflow_snippet_runs(action) -> None:
    """README's `uses:` snippet: its inputs exist, and with them the action passes."""
    section = README.split("### GitHub Action", 1)[1].split("\n### ", 1)[0]
    snippet = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert snippet
    steps = yaml.safe_load(snippet.group(1))
    uses = [
        step
        for step in (steps if isinstance(steps, list) else steps["steps"])
        if "uses" in step and "bedrock-profile@" in step["uses"]
    ]
    assert uses
    for step in uses:
        inputs = {
            name: str(value).lower() if isinstance(value, bool) else str(value)
            for name, value in step["with"].items()
        }
        assert set(inputs) <= set(ACTION["inputs"])
        result = action(**{name.replace("-", "_"): value for name, value in inputs.items()})
        assert result.code == 0, (inputs, result.err)


# --- action/check.py, function by function -----------------------------------------------------------


@pytest.fixture(scope="module")
def step_script() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("action_check", ROOT / "action" / "check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_words_and_lines(step_script) -> None:
    assert step_script.words(" a,b\r\n\tc ,, d\n") == ["a", "b", "c", "d"]
    assert step_script.lines("  team=ml ops \r\n\n  x=a,b\r\n") == ["team=ml ops", "x=a,b"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [("true", True), ("TRUE", True), (" True\r\n", True), ("", False), ("false", False)],
)
def test_flags(step_script, given: str, expected: bool) -> None:
    assert step_script.flag("wait", given) is expected


@pytest.mark.parametrize("given", ["yes", "1", "on", "true false"])
def test_flags_that_are_not_true_or_false_are_refused(step_script, given: str) -> None:
    with pytest.raises(step_script.InputError):
        step_script.flag("wait", given)


def test_outputs_round_trip_as_the_runner_reads_them(step_script, tmp_path: Path) -> None:
    path = tmp_path / "out"
    values = {"one": "a=b<<c", "several": "x\ny\r\nz", "empty": "", "delimiter-like": "EOF\nEOF"}
    step_script.write_outputs(str(path), values)
    assert parse_github_output(path.read_bytes().decode()) == values


def test_a_result_over_the_output_limit_is_only_in_the_file(
    step_script, tmp_path: Path, monkeypatch, capsys
) -> None:
    big = {"results": ["x" * 100] * 100}
    fake = tmp_path / "fake-bedrock-profile"
    fake.write_text(f"#!/bin/sh\necho '{json.dumps(big)}'\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(step_script, "RESULT_LIMIT", 1000)
    output = tmp_path / "github-output"
    env = {
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(tmp_path),
        "BEDROCK_PROFILE_ACTION_IDENTIFIERS": SONNET,
    }
    assert step_script.main(env, [str(fake)]) == 3
    outputs = parse_github_output(output.read_bytes().decode())
    assert outputs["result"] == ""
    assert json.loads(Path(outputs["result-file"]).read_text()) == big
    assert outputs["passed"] == "false"
    assert "the result is too large for an output" in capsys.readouterr().out


def test_escaping_keeps_a_message_on_one_line(step_script) -> None:
    line = step_script.annotation("error", "a%b\r\n::error::x")
    assert line == "::error title=bedrock-profile action::a%25b%0D%0A::error::x"


def test_a_lone_surrogate_from_the_service_is_written_as_json_escapes(step_script) -> None:
    text = '{"description": "x\\ud800y", "name": "caf\u00e9"}'
    compacted = step_script.compact(text)
    assert compacted.isascii()
    assert json.loads(compacted) == json.loads(text)


def test_a_tool_killed_by_a_signal_is_128_plus_n(step_script, tmp_path: Path) -> None:
    output = tmp_path / "github-output"
    env = {
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(tmp_path),
        "BEDROCK_PROFILE_ACTION_IDENTIFIERS": SONNET,
    }
    assert step_script.main(env, ["sh", "-c", "kill -KILL $$", "sh"]) == 137
    assert parse_github_output(output.read_bytes().decode())["exit-code"] == "137"


def test_a_failure_of_the_step_itself_is_one_line_and_outputs(step_script, tmp_path: Path, capsys) -> None:
    output = tmp_path / "github-output"
    env = {
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(tmp_path),
        "BEDROCK_PROFILE_ACTION_IDENTIFIERS": SONNET,
    }
    assert step_script.main(env, [str(tmp_path / "no-such-program")]) == 1
    said = capsys.readouterr().out
    assert said.startswith("::error title=bedrock-profile action::the action's check step failed: ")
    assert "Traceback" not in said
    assert parse_github_output(output.read_bytes().decode()) == {"passed": "false", "exit-code": "1"}


def test_stdin_as_a_policy_file_is_refused(action) -> None:
    result = action(identifiers=SONNET, iam_policy="-")
    assert result.code == 2
    assert "input iam-policy" in result.out


def test_odd_runner_and_action_paths_install_and_run(tmp_path: Path, emulator) -> None:
    """pip's console-script launcher breaks on a venv path with a blank and `$` or a backtick, and a
    path holding `;` reads to pip as a marker: the action runs `python -m` and installs `.`.  The
    action sits in the workspace (uses: ./), so its venv is not kept for reuse."""
    odd = tmp_path / 'sp $HOME `true` semi;colon quote\'d "x"'
    odd.mkdir()
    action_path = odd / "action"
    action_path.symlink_to(ROOT)
    env = {
        **offline_pip(odd),
        "RUNNER_TEMP": str(odd),
        "GITHUB_ACTION_PATH": str(action_path),
        "GITHUB_WORKSPACE": str(odd),
    }
    installed = run_step("install", {}, {}, env, odd)
    assert installed.code == 0, installed.out + installed.err
    assert not (odd / "bedrock-profile-action" / ".installed").exists()  # a later checkout may change it
    checked = run_step(
        "check",
        {"identifiers": SONNET},
        {"install": installed.outputs},
        {**env, "PYTHONPATH": os.pathsep.join(site.getsitepackages())},
        odd,
    )
    assert checked.code == 0, checked.out + checked.err
    assert json.loads(checked.outputs["result"])["passed"] is True


def test_the_emulator_asked_by_the_jobs_env_is_installed_and_answers(tmp_path: Path) -> None:
    env = {**offline_pip(tmp_path), "BEDROCK_PROFILE_EMULATOR": "True "}
    installed = run_step("install", {}, {}, env, tmp_path)
    assert installed.code == 0, installed.out + installed.err
    assert (
        (tmp_path / "runner-temp" / "bedrock-profile-action" / ".installed")
        .read_text()
        .startswith(".[emulator] ")
    )
    checked = run_step(
        "check",
        {"identifiers": SONNET},
        {"install": installed.outputs},
        {**env, "PYTHONPATH": os.pathsep.join(site.getsitepackages()), "AWS_ENDPOINT_URL_BEDROCK": ""},
        tmp_path,
    )
    assert checked.code == 0, checked.out + checked.err
