"""The installed console script in a subprocess, over real HTTP on 127.0.0.1: every exit code."""

import json
import signal
import socket
import subprocess
import sys
import time

import pytest

from bedrock_profile_cli.emulator.service import inject_fault
from bedrock_profile_cli.errors import EXIT_CODE_MEANINGS, ExitCode
from tests.conftest import SONNET, run_cli, wait_for
from tests.fakeserver import Reply, ScriptedServer


def expect(result, code: ExitCode, *fragments: str) -> None:
    assert result.code == code, (result.code, result.err)
    if code != ExitCode.OK:
        lines = result.err.strip().splitlines()
        assert len(lines) == 1, result.err
        assert lines[0].startswith("bedrock-profile: ")
        assert "Traceback" not in result.err
        for fragment in fragments:
            assert fragment in lines[0]


def test_success_prints_json_to_stdout_only(emulator) -> None:
    result = run_cli("get", SONNET)
    expect(result, ExitCode.OK)
    assert json.loads(result.out)["inferenceProfileId"] == SONNET
    assert result.err == ""


def test_usage_error(emulator) -> None:
    result = run_cli("get", SONNET, "-o", "xml")
    assert result.code == ExitCode.USAGE
    assert "Traceback" not in result.err


def test_not_found_404(emulator) -> None:
    expect(
        run_cli("get", "us.nothing-here-v1:0"),
        ExitCode.NOT_FOUND,
        "ResourceNotFoundException",
        "request ID",
        "region us-east-1",
    )


@pytest.mark.parametrize(
    ("status", "code", "exit_code"),
    [
        (403, "AccessDeniedException", ExitCode.ACCESS_DENIED),
        (400, "ValidationException", ExitCode.VALIDATION),
        (403, "UnrecognizedClientException", ExitCode.CREDENTIALS_OR_CONFIG),
        (400, "ExpiredTokenException", ExitCode.CREDENTIALS_OR_CONFIG),
        (403, "InvalidSignatureException", ExitCode.CREDENTIALS_OR_CONFIG),
        (400, "SomeFutureException", ExitCode.SERVICE),
    ],
)
def test_service_errors_map_to_their_codes(emulator, status, code, exit_code) -> None:
    inject_fault(operation="GetInferenceProfile", status=status, code=code, message="injected", times=None)
    expect(run_cli("get", SONNET), exit_code, code, "injected")


@pytest.mark.parametrize(
    ("status", "code", "exit_code"),
    [
        (500, "InternalServerException", ExitCode.INTERNAL_SERVER),
        (429, "ThrottlingException", ExitCode.THROTTLED),
    ],
)
def test_retried_errors_say_how_many_attempts(emulator, faults, status, code, exit_code) -> None:
    inject_fault(operation="GetInferenceProfile", status=status, code=code, message="busy", times=None)
    expect(run_cli("get", SONNET), exit_code, code, "after 2 attempts")
    assert faults.calls["GetInferenceProfile"] == 2  # AWS_MAX_ATTEMPTS=2 in the test environment


def test_throttling_that_clears_within_the_retries_succeeds(emulator, faults) -> None:
    inject_fault(operation="GetInferenceProfile", status=429, code="ThrottlingException", times=1)
    expect(run_cli("get", SONNET), ExitCode.OK)
    assert faults.calls["GetInferenceProfile"] == 2


def test_local_validation_sends_nothing(emulator, faults) -> None:
    expect(
        run_cli("get", "arn:aws:bedrock:us-east-1:42:inference-profile/x"),
        ExitCode.VALIDATION,
        "account '42' must be 12 digits",
    )
    assert faults.calls.get("GetInferenceProfile", 0) == 0


def test_no_credentials(emulator, monkeypatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    expect(run_cli("get", SONNET), ExitCode.CREDENTIALS_OR_CONFIG, "Unable to locate credentials", "hint:")


def test_unknown_profile(emulator) -> None:
    expect(
        run_cli("get", SONNET, "--profile", "nope"), ExitCode.CREDENTIALS_OR_CONFIG, "nope", "list-profiles"
    )


def test_no_region(emulator, monkeypatch) -> None:
    monkeypatch.delenv("AWS_REGION")
    expect(run_cli("get", SONNET), ExitCode.CREDENTIALS_OR_CONFIG, "no AWS region", "--region")
    # ... but an ARN brings its own region
    arn = f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/{SONNET}"
    result = run_cli("get", arn)
    assert result.code == 0, result.err


def test_closed_port_is_a_network_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    expect(
        run_cli("get", SONNET, "--endpoint-url", f"http://127.0.0.1:{port}"),
        ExitCode.NETWORK,
        "Could not connect",
        "hint:",
    )


def test_dropped_connection_is_a_network_error() -> None:
    with ScriptedServer([], default=Reply(drop=True)) as server:
        expect(run_cli("get", SONNET, "--endpoint-url", server.url), ExitCode.NETWORK)


@pytest.mark.parametrize(
    ("reply", "says"),
    [
        (
            Reply(200, b"<html><body>Welcome to nginx</body></html>", {"Content-Type": "text/html"}),
            "content type text/html",
        ),
        (
            Reply(200, b'{"inferenceProfileName": "trunc', {"Content-Type": "application/json"}),
            "could not be parsed",
        ),
        (Reply(200, b"<html>no type</html>", {}), "could not be parsed"),
        (Reply(200, b'{"a": 1}', {"Content-Type": "application/json"}), "missing inferenceProfileName"),
    ],
    ids=["html", "truncated", "no-content-type", "wrong-shape"],
)
def test_unparseable_response_is_exit_11(reply, says) -> None:
    with ScriptedServer([], default=reply) as server:
        expect(run_cli("get", SONNET, "--endpoint-url", server.url), ExitCode.SERVICE, says)


def test_internal_error_is_exit_1_without_traceback(emulator) -> None:
    script = (
        "import bedrock_profile_cli.output as o\n"
        "def boom(*a, **k): raise RuntimeError('kaboom')\n"
        "o.emit = boom\n"
        "from bedrock_profile_cli.cli import run\n"
        f"import sys; sys.argv = ['bedrock-profile', 'get', {SONNET!r}]\n"
        "run()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    from tests.conftest import Result

    expect(Result(proc.returncode, proc.stdout, proc.stderr), ExitCode.INTERNAL, "internal error", "--debug")


def test_ctrl_c_during_a_request_is_130(emulator, faults, spawn) -> None:
    inject_fault(operation="GetInferenceProfile", status=200, delay=20, times=None)
    proc = spawn("get", SONNET)
    wait_for(lambda: faults.calls.get("GetInferenceProfile"), what="the request to arrive")
    started = time.monotonic()
    result = proc.interrupt()  # well inside the 20 s the emulator takes to answer
    assert time.monotonic() - started < 10
    assert result.code == ExitCode.INTERRUPTED, result.err
    assert result.err.strip() == "bedrock-profile: interrupted"


def test_debug_logs_the_request_with_secrets_redacted(emulator) -> None:
    result = run_cli("get", SONNET, "--debug")
    assert result.code == 0
    assert "Authorization" in result.err
    assert "<redacted>" in result.err
    assert "GetInferenceProfile" in result.err or "/inference-profiles/" in result.err
    assert "Response body" in result.err
    # no_secret_leaks checks stdout and stderr of this run for the fake secret key and token


def test_python_dash_m_runs_the_same_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bedrock_profile_cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("bedrock-profile ")


def test_served_emulator_command_end_to_end(spawn) -> None:
    server = spawn("emulator", "--port", "0")
    line = server.proc.stdout.readline().strip()
    assert line.startswith("AWS_ENDPOINT_URL_BEDROCK=http://127.0.0.1:")
    url = line.split("=", 1)[1]
    result = run_cli("get", SONNET, "-o", "json", env={"AWS_ENDPOINT_URL_BEDROCK": url})
    assert result.code == 0, result.err
    assert json.loads(result.out)["status"] == "ACTIVE"
    server.proc.send_signal(signal.SIGTERM)
    assert server.finish().code == 0


def test_every_documented_exit_code_is_asserted_by_some_test() -> None:
    """Independent of test order: every exit code in the table is the asserted outcome of a test
    (an ``expect(...)`` call or a comparison with ``ExitCode.NAME``) somewhere in the suite."""
    import ast
    from pathlib import Path

    asserted: set[str] = set()
    for path in Path(__file__).parent.glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Compare, ast.Call)):
                asserted.update(
                    sub.attr
                    for sub in ast.walk(node)
                    if isinstance(sub, ast.Attribute)
                    and isinstance(sub.value, ast.Name)
                    and sub.value.id == "ExitCode"
                )
    missing = {code.name for code in EXIT_CODE_MEANINGS} - {"OK"} - asserted
    assert missing == set()
