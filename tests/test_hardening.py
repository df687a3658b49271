"""Hardening: retries, timeouts, pipes, signals, hostile input and hostile responses, over real HTTP."""

import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from bedrock_profile_cli.emulator.service import inject_fault
from bedrock_profile_cli.errors import ExitCode
from tests.conftest import CLI, SONNET, record, run_cli, run_shell, wait_for
from tests.fakeserver import QuietHTTPServer, Reply, ScriptedServer

PROFILE_JSON = {
    "inferenceProfileName": "n",
    "createdAt": "2024-08-23T19:00:00Z",
    "inferenceProfileArn": f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/{SONNET}",
    "models": [
        {"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"}
    ],
    "inferenceProfileId": SONNET,
    "status": "ACTIVE",
    "type": "SYSTEM_DEFINED",
}
COMMANDS = {
    "get": ["get", SONNET],
    "list": ["list"],
    "check": ["check", SONNET],
}


def json_reply(doc, status=200) -> Reply:
    return Reply(status, json.dumps(doc).encode())


# --- retries ----------------------------------------------------------------------------------------


def test_throttled_n_times_then_200_succeeds_within_the_attempts(emulator, faults) -> None:
    inject_fault(operation="GetInferenceProfile", status=429, code="ThrottlingException", times=3)
    result = run_cli("get", SONNET, "--max-attempts", "4")
    assert result.code == 0, result.err
    assert faults.calls["GetInferenceProfile"] == 4


@pytest.mark.parametrize("mode", ["standard", "adaptive"])
def test_max_attempts_and_retry_mode_flags(emulator, faults, mode) -> None:
    inject_fault(operation="GetInferenceProfile", status=500, code="InternalServerException", times=None)
    result = run_cli("get", SONNET, "--max-attempts", "3", "--retry-mode", mode)
    assert result.code == ExitCode.INTERNAL_SERVER
    assert "after 3 attempts" in result.err
    assert faults.calls["GetInferenceProfile"] == 3


def test_retry_settings_come_from_the_aws_config_file(emulator, faults, isolated_env, monkeypatch) -> None:
    monkeypatch.delenv("AWS_MAX_ATTEMPTS")
    monkeypatch.delenv("AWS_RETRY_MODE")
    (isolated_env / "aws-config").write_text("[default]\nmax_attempts = 1\nretry_mode = standard\n")
    inject_fault(operation="GetInferenceProfile", status=429, code="ThrottlingException", times=None)
    result = run_cli("get", SONNET)
    assert result.code == ExitCode.THROTTLED
    assert faults.calls["GetInferenceProfile"] == 1


def test_default_is_standard_mode_with_three_attempts(emulator, faults, monkeypatch) -> None:
    monkeypatch.delenv("AWS_MAX_ATTEMPTS")
    monkeypatch.delenv("AWS_RETRY_MODE")
    inject_fault(operation="GetInferenceProfile", status=429, code="ThrottlingException", times=None)
    result = run_cli("get", SONNET)
    assert result.code == ExitCode.THROTTLED
    assert "after 3 attempts" in result.err
    assert faults.calls["GetInferenceProfile"] == 3


# --- timeouts and dropped connections -------------------------------------------------------------


def test_a_silent_endpoint_ends_in_exit_10_within_the_bound() -> None:
    with ScriptedServer([], default=Reply(delay=30, body=json.dumps(PROFILE_JSON).encode())) as server:
        started = time.monotonic()
        result = run_cli(
            "get", SONNET, "--endpoint-url", server.url, "--read-timeout", "1", "--max-attempts", "2"
        )
        elapsed = time.monotonic() - started
    assert result.code == ExitCode.NETWORK, result.err
    assert "Read timeout" in result.err
    assert elapsed < 15  # 2 attempts x 1 s + backoff + start-up, generously


def test_connect_timeout_bounds_a_connect_that_never_completes() -> None:
    # A loopback listener that never accepts, its backlog filled: further SYNs are dropped, so the
    # connect itself hangs until --connect-timeout.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    try:
        started = time.monotonic()
        result = run_cli(
            "get",
            SONNET,
            "--endpoint-url",
            f"http://127.0.0.1:{port}",
            "--connect-timeout",
            "0.5",
            "--read-timeout",
            "0.5",
            "--max-attempts",
            "1",
        )
        elapsed = time.monotonic() - started
    finally:
        for sock in (*fillers, listener):
            sock.close()
    assert result.code == ExitCode.NETWORK, result.err
    assert "timeout" in result.err.lower()
    assert elapsed < 10


def test_connection_dropped_mid_response_is_exit_10() -> None:
    class Half(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b'{"inferenceProfileName": "x"')
            self.wfile.flush()
            self.connection.shutdown(2)

        def log_message(self, *a) -> None:
            pass

    httpd = QuietHTTPServer(("127.0.0.1", 0), Half)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        result = run_cli("get", SONNET, "--endpoint-url", f"http://127.0.0.1:{httpd.server_address[1]}")
    finally:
        httpd.shutdown()
    assert result.code == ExitCode.NETWORK, result.err
    assert "Traceback" not in result.err
    assert result.err.count("\n") == 1


# --- bad responses ------------------------------------------------------------------------------------


def test_a_huge_response_is_refused_without_a_memory_spike() -> None:
    size = 300 * 1024 * 1024

    class Huge(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b" " * (1024 * 1024)
            try:
                for _ in range(size // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:
                pass

        def log_message(self, *a) -> None:
            pass

    httpd = QuietHTTPServer(("127.0.0.1", 0), Huge)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                "import resource, subprocess, sys\n"
                "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
                "print(p.returncode)\nprint(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
                "sys.stderr.write(p.stderr)\n",
                CLI,
                "get",
                SONNET,
                "--endpoint-url",
                f"http://127.0.0.1:{httpd.server_address[1]}",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        httpd.shutdown()
    record(proc.stdout, proc.stderr)
    code, peak_kib = (int(x) for x in proc.stdout.split())
    assert code == ExitCode.SERVICE, proc.stderr
    assert "more than 16 MiB" in proc.stderr
    assert peak_kib < 200 * 1024, peak_kib  # far below the 300 MiB that was offered


# --- signals and pipes, for every command -----------------------------------------------------------


@pytest.mark.parametrize("command", ["get", "list", "check", "check-wait", "emulator"])
def test_sigint_exits_130_with_one_line(emulator, faults, spawn, command) -> None:
    if command == "emulator":
        proc = spawn("emulator")
        wait_for(proc.proc.stdout.readline, what="the emulator to listen")
    elif command == "check-wait":
        proc = spawn("check", "not-there-yet", "--wait", "--interval", "0.2")
        wait_for(lambda: faults.calls.get("GetInferenceProfile", 0) >= 2, what="two polls")
    else:
        inject_fault(operation="*", status=200, delay=20, times=None)
        proc = spawn(*COMMANDS[command])
        wait_for(lambda: sum(faults.calls.values()), what="the request to arrive")
    result = proc.interrupt()
    assert result.code == ExitCode.INTERRUPTED, result.err
    assert result.err.strip().splitlines()[-1] == "bedrock-profile: interrupted"
    assert "Traceback" not in result.err


@pytest.mark.parametrize("command", ["get", "list", "check"])
def test_closed_stdout_is_quiet(emulator, spawn, command) -> None:
    proc = spawn(*COMMANDS[command], "-o", "json")
    proc.proc.stdout.close()
    result = proc.finish(timeout=60)
    assert result.code == ExitCode.BROKEN_PIPE, result.err
    assert result.err.strip() in ("", f"✓ {SONNET}: status ACTIVE")
    assert "Broken pipe" not in result.err
    assert "Traceback" not in result.err


def pipeline(shell: str):
    """Run ``shell`` (with pipefail) in bash, then print the pipeline's status as the last line."""
    return run_shell(f"{shell}; echo status=$?")


def test_pipe_into_head_is_quiet(emulator) -> None:
    proc = pipeline(f"{CLI} list -o json --page-size 3 | head -1")
    lines = proc.out.splitlines()
    assert lines[0] == "["
    # 0 when all of it fitted in the pipe before head left, 141 otherwise: see the next test.
    assert lines[-1] in ("status=0", f"status={int(ExitCode.BROKEN_PIPE)}")
    assert proc.err == ""


@pytest.mark.parametrize("fmt", ["json", "table", "yaml", "text"])
def test_reader_gone_before_any_output_is_141_and_quiet(emulator, fmt) -> None:
    # `true` exits at once, long before the CLI has its answer: the first write meets a closed pipe.
    proc = pipeline(f"{CLI} list -o {fmt} | true")
    assert proc.out == f"status={int(ExitCode.BROKEN_PIPE)}\n"
    assert proc.err == ""


# --- hostile identifiers: nothing is sent ----------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "code"),
    [
        ("", ExitCode.USAGE),
        (" ", ExitCode.VALIDATION),
        ("\t", ExitCode.VALIDATION),
        ("x" * 2049, ExitCode.VALIDATION),
        ("../../etc/passwd", ExitCode.VALIDATION),
        ("us.x%2Fy", ExitCode.VALIDATION),
        ("us.x?y=1", ExitCode.VALIDATION),
        ("us.x#frag", ExitCode.VALIDATION),
        ("us.\u0430nthropic", ExitCode.VALIDATION),
        ("us.x\x1b[2J", ExitCode.VALIDATION),
        ("us.x\u202e", ExitCode.VALIDATION),
    ],
)
@pytest.mark.parametrize("command", ["get", "check"])
def test_hostile_identifiers_are_rejected_locally(
    invoke, emulator, faults, identifier, code, command
) -> None:
    # In process: what is checked is the local rule (the console script's own run is in test_wire).
    result = invoke(command, identifier)
    assert result.code == code, result.err
    assert faults.calls == {}
    assert "\x1b[2J" not in result.err
    assert "\u202e" not in result.err
    assert result.err.count("\n") == 1


# --- terminal safety of service-provided text, every command and format ----------------------------

HOSTILE = {
    **PROFILE_JSON,
    "inferenceProfileName": "[bold red]x[/] \x1b[2J\x07",
    "description": "\x1b]0;title\x07 \x9b31m \u202eevil [link=http://x]y[/link]",
    "status": "ACT\x1b[5mIVE",
    "type": "\x1b[31mSYSTEM",
}
BAD = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.mark.parametrize("fmt", ["table", "json", "yaml", "text"])
@pytest.mark.parametrize("command", ["get", "list", "check"])
def test_service_text_never_reaches_the_terminal_as_escapes(invoke, command, fmt) -> None:
    # In process, over real HTTP: the bytes written are what a terminal would receive.
    body = {"inferenceProfileSummaries": [HOSTILE]} if command == "list" else HOSTILE
    with ScriptedServer([], default=json_reply(body)) as server:
        result = invoke(*COMMANDS[command], "-o", fmt, "--endpoint-url", server.url, "--color", "never")
    assert result.code in (0, ExitCode.CHECK_FAILED), result.err
    for text in (result.out, result.err):
        assert not any(ch in text for ch in BAD), repr(text)
    if fmt == "json":
        parsed = json.loads(result.out)
        doc = parsed[0] if command == "list" else parsed["profile"] if command == "check" else parsed
        assert doc["description"] == HOSTILE["description"]


def test_markup_is_literal_in_colour_tables_too() -> None:
    with ScriptedServer([], default=json_reply(HOSTILE)) as server:
        result = run_cli("get", SONNET, "-o", "table", "--endpoint-url", server.url, "--color", "always")
    assert "[bold red]x[/]" in result.out
    assert "\x1b[2J" not in result.out
    assert "\x1b]0;" not in result.out


# --- secrets -------------------------------------------------------------------------------------------


def test_debug_tracebacks_and_errors_carry_no_secret(emulator) -> None:
    inject_fault(operation="GetInferenceProfile", status=403, code="UnrecognizedClientException", times=None)
    result = run_cli("get", SONNET, "--debug")
    assert result.code == ExitCode.CREDENTIALS_OR_CONFIG
    assert "Traceback" in result.err  # --debug shows it; no_secret_leaks checks it holds no secret
    assert "FakeSessionToken" not in result.err
    assert "fakeSecretKey" not in result.err


# --- resolve and many regions: the same rules ---------------------------------------------------------

EVIL_ID = "us.\x1b[31mevil\u202e.model-v1:0"
EVIL_MODEL = "anthropic.claude-sonnet-4-6"


class RoutedServer(ScriptedServer):
    """Answers by path: a list page holding one hostile summary that routes EVIL_MODEL, and that
    model's details for GetFoundationModel (profile-only)."""

    def __init__(self) -> None:
        summary = {
            **HOSTILE,
            "type": "SYSTEM_DEFINED",  # so that it is the one recommended
            "inferenceProfileId": EVIL_ID,
            "inferenceProfileArn": f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/{EVIL_ID}",
            "models": [{"modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{EVIL_MODEL}"}],
        }
        page = json_reply({"inferenceProfileSummaries": [summary]})
        details = json_reply(
            {"modelDetails": {"modelId": EVIL_MODEL, "inferenceTypesSupported": ["INFERENCE_PROFILE"]}}
        )
        super().__init__([], default=page)
        self.page, self.details = page, details
        original = self._httpd.RequestHandlerClass.do_GET  # type: ignore[attr-defined]
        server = self

        def do_get(handler: Any) -> None:
            server.default = server.details if handler.path.startswith("/foundation-models/") else server.page
            original(handler)

        self._httpd.RequestHandlerClass.do_GET = do_get  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", ["table", "wide", "json", "yaml", "text"])
def test_resolve_never_lets_service_text_reach_the_terminal(invoke, fmt) -> None:
    with RoutedServer() as server:
        result = invoke("resolve", EVIL_MODEL, "-r", "us-east-1", "-o", fmt, "--endpoint-url", server.url)
    assert result.code == 0, result.err
    for text in (result.out, result.err):
        assert not any(ch in text for ch in BAD), repr(text)
    if fmt == "json":
        assert json.loads(result.out)["recommended"] == EVIL_ID  # the data itself is kept exactly


@pytest.mark.parametrize("fmt", ["table", "json", "yaml"])
def test_iam_policy_never_lets_service_text_reach_the_terminal(invoke, fmt) -> None:
    evil = {
        **HOSTILE,
        "inferenceProfileArn": f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/{EVIL_ID}",
        "models": [{"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/\x1b[2Jx\u202e"}],
    }
    with ScriptedServer([], default=json_reply(evil)) as server:
        result = invoke("iam-policy", SONNET, "-r", "us-east-1", "-o", fmt, "--endpoint-url", server.url)
    for text in (result.out, result.err):
        assert not any(ch in text for ch in BAD), repr(text)
    assert result.code != ExitCode.INTERNAL, result.err


@pytest.mark.parametrize("fmt", ["table", "wide", "json"])
@pytest.mark.parametrize("command", ["get", "list", "check"])
def test_many_regions_never_let_service_text_reach_the_terminal(invoke, command, fmt) -> None:
    body = {"inferenceProfileSummaries": [HOSTILE]} if command == "list" else HOSTILE
    with ScriptedServer([], default=json_reply(body)) as server:
        result = invoke(
            *COMMANDS[command], "--regions", "us-east-1,eu-west-1", "-o", fmt, "--endpoint-url", server.url
        )
    assert result.code in (0, ExitCode.CHECK_FAILED), result.err
    for text in (result.out, result.err):
        assert not any(ch in text for ch in BAD), repr(text)
