"""The check step of the GitHub Action (action.yml): the inputs, from the environment, become the
arguments of ``bedrock-profile check``; its stderr goes to the log as it comes; its JSON and exit
code become the step's outputs.

Standard library only, run by the Python of the venv the install step made, so it behaves the same
on every runner (no bash 3.2 on macOS, CRLF from Windows-edited values) and whatever version of
the tool was installed.  No input is ever read as shell code: the tool is run with an argument list,
as ``python -m bedrock_profile_cli`` (pip's console-script launcher breaks on some venv paths).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

PREFIX = "BEDROCK_PROFILE_ACTION_"
TITLE = "bedrock-profile action"
# GitHub keeps at most 1 MB of a job's outputs: a larger result is only in the file.
RESULT_LIMIT = 512 * 1024
# The action's own defaults (action.yml): a timeout or interval other than these without `wait`
# is a mistake worth a warning, since check ignores both then.
WAIT_DEFAULTS = {"TIMEOUT": "300", "INTERVAL": "5"}


class InputError(Exception):
    """An input the action cannot use: exit 2, as a usage error of the tool is."""


def escape_data(text: str) -> str:
    """Text as the data of a workflow command: one line, its % and line breaks escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str) -> str:
    return f"::{level} title={escape_property(TITLE)}::{escape_data(message)}"


def words(value: str) -> list[str]:
    """An input's words: separated by blanks (CR included), commas or new lines."""
    return [word for word in re.split(r"[\s,]+", value) if word]


def lines(value: str) -> list[str]:
    """An input's lines, trimmed, empty ones dropped (a tag value or a path may hold blanks)."""
    return [line.strip() for line in value.splitlines() if line.strip()]


def flag(name: str, value: str) -> bool:
    text = value.strip().lower()
    if text in ("true", "false", ""):
        return text == "true"
    raise InputError(f"input {name}: expected true or false")


def arguments(env: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """The arguments of ``bedrock-profile``, and warnings for the log."""

    def given(name: str) -> str:
        return env.get(PREFIX + name, "")

    args = ["check", "--output", "json", "--error-format", "text"]
    warnings: list[str] = []
    for name, option in (("STATUS", "--status"), ("TYPE", "--type"), ("REGION", "--region")):
        if given(name).strip():
            args += [option, given(name).strip()]
    for word in words(given("MODEL")):
        args += ["--model", word]
    for word in words(given("IN_REGION")):
        args += ["--in-region", word]
    for line in lines(given("TAG")):
        args += ["--tag", line]
    for line in lines(given("IAM_POLICY")):
        if line == "-":
            raise InputError("input iam-policy: '-' (standard input) means nothing to a step: give a file")
        args += ["--iam-policy", line]
    regions = words(given("REGIONS"))
    if [r.lower() for r in regions] == ["all"]:
        args.append("--all-regions")
    elif regions:
        args += ["--regions", ",".join(regions)]
    wait = flag("wait", given("WAIT"))
    for name, default in WAIT_DEFAULTS.items():
        value = given(name).strip()
        if value:
            args += [f"--{name.lower()}", value]
        if value not in ("", default) and not wait:
            warnings.append(f"input {name.lower()} applies only with wait: true")
    if wait:
        args.append("--wait")
    # The runner's debug logging (re-run with debug logging) turns on the tool's (secrets redacted).
    if env.get("RUNNER_DEBUG") == "1":
        args.append("--debug")
    identifiers = words(given("IDENTIFIERS"))
    if not identifiers:
        raise InputError("input identifiers: give at least one inference profile ID or ARN")
    return [*args, "--", *identifiers], warnings


def compact(text: str) -> str:
    """The JSON check printed, on one line (a fraction of the bytes of the indented form)."""
    try:
        # ASCII: a lone surrogate from the service (valid JSON, \\ud800) cannot be written as UTF-8.
        return json.dumps(json.loads(text), separators=(",", ":"))
    except ValueError:
        return text.strip().encode("ascii", "backslashreplace").decode("ascii")


def write_outputs(path: str, outputs: Mapping[str, str]) -> None:
    """GITHUB_OUTPUT: ``name=value``, or a ``name<<DELIMITER`` block for a value of several lines."""
    with open(path, "a", encoding="utf-8", newline="\n") as file:
        for name, value in outputs.items():
            if "\n" in value or "\r" in value:
                delimiter = f"bedrock_profile_{secrets.token_hex(16)}"
                file.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
            else:
                file.write(f"{name}={value}\n")


def run_check(command: list[str], args: list[str], result_path: Path) -> tuple[int, str]:
    """Run the tool: stdout to ``result_path``, stderr to the log line by line as it comes.
    Returns the exit code (128 + N for signal N, as a shell says it), and the last line that says
    why when the tool wrote no annotation."""
    annotated = False
    last = ""
    with result_path.open("wb") as out:
        proc = subprocess.Popen([*command, *args], stdout=out, stderr=subprocess.PIPE)  # noqa: S603
        assert proc.stderr is not None
        for raw in proc.stderr:
            sys.stderr.buffer.write(raw)
            sys.stderr.buffer.flush()
            line = raw.decode("utf-8", "replace").strip()
            if line.startswith("::error"):
                annotated = True
            elif line and not line.startswith(("::", "debug:", "Usage:", "Try ")):
                last = line
        code = proc.wait()
    if code < 0:
        code = 128 - code
    return code, "" if annotated else last


def main(env: Mapping[str, str] = os.environ, command: list[str] | None = None) -> int:
    """The step: exit code of check, or 2 for an input the action cannot use; never a traceback."""
    try:
        return _step(env, command or [sys.executable, "-m", "bedrock_profile_cli"])
    except Exception as exc:  # a bug here, or the system (a command line over Windows' limit)
        print(annotation("error", f"the action's check step failed: {type(exc).__name__}: {exc}"), flush=True)
        with contextlib.suppress(Exception):
            write_outputs(env["GITHUB_OUTPUT"], {"passed": "false", "exit-code": "1"})
        return 1


def _step(env: Mapping[str, str], command: list[str]) -> int:
    output_path = env["GITHUB_OUTPUT"]
    folder = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir())
    try:
        args, warnings = arguments(env)
    except InputError as exc:
        print(annotation("error", str(exc)), flush=True)
        write_outputs(output_path, {"result": "", "result-file": "", "passed": "false", "exit-code": "2"})
        return 2
    for warning in warnings:
        print(annotation("warning", warning), flush=True)
    handle, name = tempfile.mkstemp(prefix="bedrock-profile-result-", suffix=".json", dir=folder)
    os.close(handle)
    result_path = Path(name)
    code, unsaid = run_check(command, args, result_path)
    if code != 0 and unsaid:
        print(annotation("error", f"bedrock-profile check exited {code}: {unsaid}"), flush=True)
    result = compact(result_path.read_bytes().decode("utf-8", "replace"))
    if len(result.encode()) > RESULT_LIMIT:
        print(annotation("warning", f"the result is too large for an output: read {result_path}"), flush=True)
        result = ""
    write_outputs(
        output_path,
        {
            "result": result,
            "result-file": str(result_path),
            "passed": "true" if code == 0 else "false",
            "exit-code": str(code),
        },
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
