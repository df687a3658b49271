"""Isolation for every test: no real AWS config, credentials or endpoints, a fixed terminal width,
and a served emulator on 127.0.0.1 for the wire tests."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bedrock_profile_cli.cli import main
from bedrock_profile_cli.context import CommonOptions, RunContext
from bedrock_profile_cli.emulator.server import EmulatorServer
from bedrock_profile_cli.emulator.service import FAULTS

# Fake credentials: the secret values below must never appear in any output (see test_secrets).
FAKE_ACCESS_KEY = "AKIAFAKEKEY000000042"
FAKE_SECRET_KEY = "fakeSecretKey/DoNotPrint+0123456789abcdefXYZ"
FAKE_SESSION_TOKEN = "FakeSessionTokenDoNotPrint0123456789abcdefghijklmnop"
# The password tests put in endpoint URLs (http://user:PASSWORD@host).
FAKE_URL_PASSWORD = "UrlPasswordDoNotPrint0123"
SECRETS = (FAKE_SECRET_KEY, FAKE_SESSION_TOKEN, FAKE_URL_PASSWORD)

BIN_DIR = Path(sys.executable).parent
CLI = str(BIN_DIR / "bedrock-profile")
SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"  # in the live catalog (us-east-1)
# The AWS CLI the parity tests and README's examples compare with: never a dependency of ours (it
# would shadow the developer's own `aws`), but one of its own venv: this variable, else CI's
# private venv, else the one on PATH.
AWS_CLI_ENV = "BEDROCK_PROFILE_TEST_AWS_CLI"
ROOT = Path(__file__).resolve().parent.parent


def aws_cli() -> str:
    """The AWS CLI to compare with; under CI=true its absence fails the test, else skips it."""
    import shutil

    for candidate in (os.environ.get(AWS_CLI_ENV), str(ROOT / ".ci" / ".venv-awscli" / "bin" / "aws")):
        if candidate and Path(candidate).is_file():
            return candidate
    found = shutil.which("aws")
    if found:
        return found
    message = f"no AWS CLI: set {AWS_CLI_ENV}, or python -m venv .ci/.venv-awscli && .ci/.venv-awscli/bin/pip install awscli"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


_SEEN_OUTPUT: list[str] = []


@pytest.fixture(autouse=True)
def no_secret_leaks() -> Iterator[None]:
    """Every output of every CLI run a test makes is checked for the fake secrets."""
    start = len(_SEEN_OUTPUT)
    yield
    for text in _SEEN_OUTPUT[start:]:
        for secret in SECRETS:
            assert secret not in text, f"a secret leaked into the output: {text[:300]!r}"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in list(os.environ):
        if name.startswith(("AWS_", "BEDROCK_PROFILE_")) or name in {
            "NO_COLOR",
            "FORCE_COLOR",
            "CLICOLOR_FORCE",
            "COLUMNS",
            "LINES",
        }:
            monkeypatch.delenv(name, raising=False)
    config = tmp_path / "aws-config"
    config.write_text("[default]\n")
    credentials = tmp_path / "aws-credentials"
    credentials.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask 169.254.169.254
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", FAKE_ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET_KEY)
    monkeypatch.setenv("AWS_SESSION_TOKEN", FAKE_SESSION_TOKEN)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    # Keep retries short: 2 attempts in standard mode.
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # list's completion cache
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    with EmulatorServer("127.0.0.1", 0) as server:
        yield server


@pytest.fixture
def emulator(emulator_server: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> EmulatorServer:
    """The served emulator, reset, with AWS_ENDPOINT_URL_BEDROCK pointing at it."""
    emulator_server.reset()
    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK", emulator_server.url)
    return emulator_server


@pytest.fixture
def bedrock(emulator: EmulatorServer) -> Any:
    """A boto3 Bedrock client on the served emulator (for arranging state over real HTTP)."""
    import boto3

    return boto3.client("bedrock", region_name="us-east-1", endpoint_url=emulator.url)


@pytest.fixture
def faults(emulator: EmulatorServer) -> Any:
    return FAULTS


@dataclass
class Result:
    code: int
    out: str
    err: str
    # In process: only what the tool wrote to its own stderr stream (``err`` also holds what the
    # process's sys.stderr got meanwhile: click's usage text, or a warning from another thread).
    tool_err: str = ""


def record(*texts: str) -> None:
    _SEEN_OUTPUT.extend(texts)


class Stream(io.StringIO):
    """An in-memory stream that says it is UTF-8, as a terminal's or pipe's would."""

    encoding = "utf-8"


@pytest.fixture
def invoke(capsys: pytest.CaptureFixture[str]) -> Any:
    """Run the CLI in process through main(), the real error boundary, with a RunContext of its
    own streams and environment (click's --help text, written by click itself, comes via capsys)."""

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        out, err = Stream(), Stream()
        context = RunContext(stdout=out, stderr=err, env={**os.environ, **(env or {})})
        code = main(list(args), context)
        captured = capsys.readouterr()
        result = Result(code, captured.out + out.getvalue(), captured.err + err.getvalue(), err.getvalue())
        record(result.out, result.err)
        return result

    return run


def render_output(
    document: object, kind: str, fmt: str, *, color: bool = False, columns: int = 80, now: Any = None
) -> str:
    """What the output layer writes for ``document`` of record kind ``kind`` in format ``fmt``."""
    from bedrock_profile_cli.output import emit

    out = Stream()
    context = RunContext(
        stdout=out,
        stderr=Stream(),
        env={"COLUMNS": str(columns)},
        options=CommonOptions(output=fmt, color="always" if color else "never"),
    )
    emit(context, document, kind, now=now)
    return out.getvalue()


def default_signals() -> None:
    """In a child, before exec: Ctrl-C handled as a terminal would, even when pytest itself was
    started with SIGINT ignored (a background job of a script, as some CI runners start it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_process(argv: list[str], env: dict[str, str] | None = None, timeout: float = 60, **kw: Any) -> Result:
    """Run ``argv`` to completion (killed on timeout), its outputs recorded for the leak check."""
    proc = subprocess.run(
        argv,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        preexec_fn=default_signals,
        **kw,
    )
    record(proc.stdout, proc.stderr)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60, **kw: Any) -> Result:
    """Run the installed console script in a subprocess."""
    return run_process([CLI, *args], env, timeout, **kw)


def run_shell(command: str, env: dict[str, str] | None = None, timeout: float = 60, **kw: Any) -> Result:
    """Run ``command`` in bash with pipefail, this Python's console script first on PATH (the venv
    need not be activated: CI runs the suite of a second Python without activating its venv)."""
    path = f"{BIN_DIR}{os.pathsep}{(env or {}).get('PATH', os.environ.get('PATH', ''))}"
    return run_process(
        ["bash", "-o", "pipefail", "-c", command], {**(env or {}), "PATH": path}, timeout, **kw
    )


class Spawned:
    """A background process the test drives; ``finish`` collects its outcome (recorded for the
    secret-leak check)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc

    def finish(self, timeout: float = 15) -> Result:
        for name in ("stdout", "stderr"):
            stream = getattr(self.proc, name)
            if stream is not None and stream.closed:  # the test closed it on purpose
                setattr(self.proc, name, None)
        out, err = self.proc.communicate(timeout=timeout)
        record(out or "", err or "")
        return Result(self.proc.returncode, out or "", err or "")

    def interrupt(self) -> Result:
        self.proc.send_signal(signal.SIGINT)
        return self.finish()


@pytest.fixture
def spawn() -> Iterator[Callable[..., Spawned]]:
    """Start the console script (``spawn("get", ID)``) or any command (``spawn(cmd=[...])``) in the
    background.  Every process started is killed at teardown, on every path, so none outlives its
    test."""
    started: list[subprocess.Popen[str]] = []

    def start(
        *args: str, cmd: list[str] | None = None, env: dict[str, str] | None = None, **kw: Any
    ) -> Spawned:
        options: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, **kw}
        proc = subprocess.Popen(
            cmd or [CLI, *args],
            env={**os.environ, **(env or {})},
            preexec_fn=default_signals,
            **options,
        )
        started.append(proc)
        return Spawned(proc)

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired, ValueError, OSError):
            proc.communicate(timeout=10)


def wait_for(condition: Callable[[], object], timeout: float = 15, what: str = "condition") -> None:
    """Poll ``condition`` until it is true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)
