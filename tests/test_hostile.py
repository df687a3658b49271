"""Every hostile class of issue 10 gets its documented outcome, never exit 1: served from a raw
loopback socket server (resets, stalls, drips, broken chunking, garbage bodies, endless pages), odd
arguments, closed and full streams.  Each test names the class it covers."""

from __future__ import annotations

import gzip
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import unquote

import pytest

from bedrock_profile_cli.errors import ExitCode
from tests.conftest import CLI, SONNET, record, run_cli, wait_for

NOVA = "us.amazon.nova-pro-v1:0"
FM = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"


def profile(identifier: str = SONNET, **changes: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "inferenceProfileName": "n",
        "createdAt": 1724439600,
        "updatedAt": 1724439600,
        "inferenceProfileArn": f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/{identifier}",
        "models": [{"modelArn": FM}],
        "inferenceProfileId": identifier,
        "status": "ACTIVE",
        "type": "SYSTEM_DEFINED",
    }
    doc.update(changes)
    return doc


def http(status: int, body: bytes, content_type: str = "application/json", extra: str = "") -> bytes:
    head = (
        f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    )
    return head.encode() + body


Behaviour = Callable[[socket.socket, str, int], None]  # (connection, request path, request number)


class RawServer:
    """A loopback HTTP/1.1 server that hands each request's socket to ``behaviour``; bounded: daemon
    threads, closed at the end of the test."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.paths: list[str] = []
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        try:
            while True:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                path = data.split(b" ", 2)[1].decode()
                with self._lock:
                    self.paths.append(path)
                    number = len(self.paths)
                self.behaviour(conn, path, number)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._listener.close()


@contextmanager
def serving(behaviour: Behaviour) -> Iterator[RawServer]:
    server = RawServer(behaviour)
    try:
        yield server
    finally:
        server.close()


def reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()


def answer(doc: object) -> Behaviour:
    def behave(conn: socket.socket, path: str, number: int) -> None:
        conn.sendall(http(200, json.dumps(doc).encode()))

    return behave


def by_identifier(bad: Behaviour) -> Behaviour:
    """NOVA answers well; every other identifier gets ``bad``."""

    def behave(conn: socket.socket, path: str, number: int) -> None:
        if NOVA in unquote(path):
            conn.sendall(http(200, json.dumps(profile(NOVA)).encode()))
        else:
            bad(conn, path, number)

    return behave


def get(url: str, *ids: str, extra: tuple[str, ...] = ()) -> object:
    return run_cli("get", *(ids or (SONNET,)), "--endpoint-url", url, "-o", "json", *extra)


def no_bug(result) -> None:
    assert result.code != ExitCode.INTERNAL, result.err
    assert "Traceback" not in result.err
    assert "this is a bug" not in result.err


# --- the network: resets, stalls, broken chunking: retried, then 10; the others still print ------


def reset_mid_body(conn: socket.socket, path: str, number: int) -> None:
    conn.sendall(http(200, b'{"inferenceProfileName": "n", "models": [')[:-10])
    reset(conn)


def broken_chunks(conn: socket.socket, path: str, number: int) -> None:
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n"
    )
    conn.close()


def stall_after_headers(conn: socket.socket, path: str, number: int) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{")
    time.sleep(10)


@pytest.mark.parametrize(
    "behaviour", [reset_mid_body, broken_chunks, stall_after_headers], ids=["reset", "chunked", "stall"]
)
def test_network_failures_mid_response_are_retried_then_10_and_others_print(behaviour) -> None:
    with serving(by_identifier(behaviour)) as server:
        result = get(server.url, SONNET, NOVA, extra=("--read-timeout", "0.5", "--max-attempts", "2"))
    no_bug(result)
    assert result.code == ExitCode.NETWORK, result.err
    assert [d["inferenceProfileId"] for d in json.loads(result.out)] == [NOVA]
    assert (
        sum(SONNET in unquote(p) for p in server.paths) == 2
    )  # retried, as botocore retries connection errors
    assert SONNET in result.err


def test_one_reset_then_success_is_success() -> None:
    def behave(conn: socket.socket, path: str, number: int) -> None:
        if number == 1:
            reset_mid_body(conn, path, number)
        else:
            conn.sendall(http(200, json.dumps(profile()).encode()))

    with serving(behave) as server:
        result = get(server.url)
    assert result.code == 0, result.err
    assert json.loads(result.out)["inferenceProfileId"] == SONNET


def test_a_body_dripped_a_byte_at_a_time_ends_within_the_attempt_deadline() -> None:
    def drip(conn: socket.socket, path: str, number: int) -> None:
        body = json.dumps(profile()).encode()
        conn.sendall(
            f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        )
        for byte in body:
            conn.sendall(bytes([byte]))
            time.sleep(0.05)

    with serving(drip) as server:
        started = time.monotonic()
        result = get(server.url, extra=("--attempt-timeout", "1", "--max-attempts", "2"))
        elapsed = time.monotonic() - started
    no_bug(result)
    assert result.code == ExitCode.NETWORK, result.err
    assert "--attempt-timeout" in result.err
    assert elapsed < 8  # 2 attempts of 1 s, backoff and start-up; the drip alone would take ~15 s


def test_check_wait_ends_near_its_timeout_against_a_hanging_endpoint() -> None:
    def hang(conn: socket.socket, path: str, number: int) -> None:
        time.sleep(20)

    with serving(hang) as server:
        started = time.monotonic()
        result = run_cli(
            "check", SONNET, "--wait", "--timeout", "2", "--interval", "0.5", "--endpoint-url", server.url
        )
        elapsed = time.monotonic() - started
    no_bug(result)
    assert result.code == ExitCode.CHECK_FAILED, result.err
    assert elapsed < 6, elapsed


# --- bodies that are not Bedrock's: 11 naming the identifier; the others still print -----------

NESTED = b"[" * 100_000 + b"]" * 100_000
BAD_BODIES = {
    "invalid-utf8": http(200, b'{"inferenceProfileName": "\xff\xfe"}'),
    "unrequested-gzip": http(
        200, gzip.compress(json.dumps(profile()).encode()), extra="Content-Encoding: gzip\r\n"
    ),
    "nested-100000": http(200, NESTED),
    "nan-timestamp": http(200, json.dumps(profile()).replace("1724439600", "NaN", 1).encode()),
    "negative-timestamp": http(200, json.dumps(profile(createdAt=-5)).encode()),
    "huge-timestamp": http(200, json.dumps(profile(createdAt=1e300)).encode()),
    "createdAt-yesterday": http(200, json.dumps(profile(createdAt="yesterday")).encode()),
    "models-string": http(200, json.dumps(profile(models="arn")).encode()),
    "models-int": http(200, json.dumps(profile(models=3)).encode()),
    "models-strings": http(200, json.dumps(profile(models=["a", "b"])).encode()),
    "name-int": http(200, json.dumps(profile(inferenceProfileName=7)).encode()),
    "array-body": http(200, b"[1, 2]"),
    "string-body": http(200, b'"profile"'),
    "empty-object": http(200, b"{}"),
}


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
def test_bodies_that_are_not_an_inference_profile_are_11_and_the_others_print(name) -> None:
    def bad(conn: socket.socket, path: str, number: int) -> None:
        conn.sendall(BAD_BODIES[name])

    with serving(by_identifier(bad)) as server:
        result = get(server.url, SONNET, NOVA)
    no_bug(result)
    assert result.code == ExitCode.SERVICE, result.err
    assert [d["inferenceProfileId"] for d in json.loads(result.out)] == [NOVA]
    (line,) = result.err.strip().splitlines()
    assert line.startswith(f"bedrock-profile: error: {SONNET}: ")


def page(summaries: list[object], token: str | None = None) -> bytes:
    doc: dict[str, object] = {"inferenceProfileSummaries": summaries}
    if token:
        doc["nextToken"] = token
    return http(200, json.dumps(doc).encode())


@pytest.mark.parametrize(
    "name",
    [
        "models-string",
        "models-int",
        "name-int",
        "negative-timestamp",
        "createdAt-yesterday",
        "not-a-list",
        "array-body",
        "invalid-utf8",
    ],
)
def test_list_pages_of_the_wrong_shape_are_11(name) -> None:
    bodies = {
        "models-string": page([profile(models="x")]),
        "models-int": page([profile(models=1)]),
        "name-int": page([profile(inferenceProfileName=1)]),
        "negative-timestamp": page([profile(createdAt=-1)]),
        "createdAt-yesterday": page([profile(createdAt="yesterday")]),
        "not-a-list": http(200, b'{"inferenceProfileSummaries": "all of them"}'),
        "array-body": http(200, b"[]"),
        "invalid-utf8": http(200, b'{"inferenceProfileSummaries": ["\xff"]}'),
    }

    def behave(conn: socket.socket, path: str, number: int) -> None:
        conn.sendall(bodies[name])

    with serving(behave) as server:
        result = run_cli("list", "--endpoint-url", server.url, "-o", "json")
    no_bug(result)
    assert result.code == ExitCode.SERVICE, result.err
    assert result.out == ""


# --- endless and repeated nextToken -------------------------------------------------------------


def test_an_endless_next_token_is_11_within_the_page_bound() -> None:
    def endless(conn: socket.socket, path: str, number: int) -> None:
        conn.sendall(page([], f"token-{number}"))

    with serving(endless) as server:
        started = time.monotonic()
        result = run_cli("list", "--type", "SYSTEM_DEFINED", "--endpoint-url", server.url, timeout=120)
        elapsed = time.monotonic() - started
    no_bug(result)
    assert result.code == ExitCode.SERVICE, result.err
    assert "after 1000 pages" in result.err
    assert len(server.paths) == 1001
    assert elapsed < 60


def test_a_repeated_next_token_is_11_not_a_configuration_error() -> None:
    with serving(lambda conn, path, number: conn.sendall(page([profile()], "same"))) as server:
        result = run_cli("list", "--type", "SYSTEM_DEFINED", "--endpoint-url", server.url)
    no_bug(result)
    assert result.code == ExitCode.SERVICE, result.err
    assert "same next token" in result.err.lower()


def test_max_items_stops_paging_as_soon_as_it_has_enough() -> None:
    def endless(conn: socket.socket, path: str, number: int) -> None:
        conn.sendall(page([profile(f"us.p{number}-v1:0")], f"token-{number}"))

    with serving(endless) as server:
        result = run_cli(
            "list", "--type", "SYSTEM_DEFINED", "--max-items", "1", "--endpoint-url", server.url, "-o", "json"
        )
    assert result.code == 0, result.err
    assert len(json.loads(result.out)) == 1
    assert len(server.paths) == 1


# --- a web server that is not Bedrock; long messages ---------------------------------------------


def test_an_html_error_page_says_the_endpoint_is_not_bedrock() -> None:
    page_html = b"<html><body>" + b"<p>Not Found</p>" * 2000 + b"</body></html>"
    with serving(lambda conn, path, number: conn.sendall(http(404, page_html, "text/html"))) as server:
        result = get(server.url)
    no_bug(result)
    assert result.code == ExitCode.SERVICE, result.err
    assert "did not answer as Bedrock: HTTP 404 with content type text/html" in result.err
    assert "--endpoint-url" in result.err
    assert "<p>" not in result.err


def test_a_100_kb_service_message_is_capped() -> None:
    message = "x" * 100_000
    body = json.dumps({"__type": "ValidationException", "message": message}).encode()
    with serving(
        lambda conn, path, number: conn.sendall(
            http(400, body, extra="X-Amzn-ErrorType: ValidationException\r\n")
        )
    ) as server:
        result = get(server.url)
    assert result.code == ExitCode.VALIDATION, result.err
    (line,) = result.err.strip().splitlines()
    assert len(line) < 1000
    assert "more characters" in line
    assert "--debug" in line


# --- arguments: refused before any request ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:99999",
        "http://127.0.0.1:-1",
        "http://127.0.0.1:abc",
        "http://[::1",
        "http://x\x1b[2J",
        "ftp://127.0.0.1:21",
        "http://",
        "127.0.0.1:5000",
    ],
)
def test_bad_endpoint_urls_are_9_before_any_request(url) -> None:
    result = run_cli("get", SONNET, "--endpoint-url", url)
    no_bug(result)
    assert result.code == ExitCode.CREDENTIALS_OR_CONFIG, result.err
    assert "is not a usable endpoint URL" in result.err
    assert "\x1b" not in result.err


@pytest.mark.parametrize(
    "expression",
    ["nosuch(@)", "length(a, b)", "abs(inferenceProfileName)", "sort(models)", "[" * 5000 + "]" * 5000],
)
def test_queries_that_fail_when_evaluated_are_usage_errors(invoke, emulator, expression) -> None:
    result = invoke("get", NOVA, "-q", expression)
    assert result.code == ExitCode.USAGE, result.err
    assert "invalid --query" in result.err


@pytest.mark.parametrize(
    "args",
    [
        ["check", NOVA, "--wait", "--timeout", "nan"],
        ["check", NOVA, "--wait", "--interval", "nan"],
        ["check", NOVA, "--wait", "--timeout", "inf"],
        ["get", NOVA, "--read-timeout", "nan"],
        ["get", NOVA, "--read-timeout", "inf"],
        ["get", NOVA, "--read-timeout", "1e308"],
        ["get", NOVA, "--connect-timeout", "nan"],
        ["get", NOVA, "--connect-timeout", "1e12"],
        ["get", NOVA, "--attempt-timeout", "-1"],
    ],
)
def test_non_finite_or_absurd_durations_are_usage_errors(invoke, emulator, faults, args) -> None:
    result = invoke(*args)
    assert result.code == ExitCode.USAGE, result.err
    assert faults.calls == {}


@pytest.mark.parametrize(
    ("typo", "meant"), [("us-west2", "us-west-2"), ("eu-wst-1", "eu-west-1"), ("mars-north-9", None)]
)
def test_in_region_typos_are_usage_errors_with_the_closest_region(
    invoke, emulator, faults, typo, meant
) -> None:
    result = invoke("check", "global.anthropic.claude-haiku-4-5-20251001-v1:0", "--in-region", typo)
    assert result.code == ExitCode.USAGE, result.err
    if meant:
        assert f"did you mean {meant}?" in result.err
    assert faults.calls == {}


def test_common_options_before_the_command_name_and_the_later_one_wins(invoke, emulator) -> None:
    result = invoke(
        "--region",
        "eu-west-1",
        "-o",
        "text",
        "get",
        NOVA,
        "--region",
        "us-east-1",
        "-q",
        "inferenceProfileArn",
    )
    assert result.code == 0, result.err
    assert result.out.startswith("arn:aws:bedrock:us-east-1:")


def test_an_opt_in_region_that_refuses_says_it_may_not_be_enabled(emulator) -> None:
    from bedrock_profile_cli.emulator.service import inject_fault

    inject_fault(
        operation="GetInferenceProfile",
        status=403,
        code="UnrecognizedClientException",
        message="The security token included in the request is invalid.",
        times=None,
    )
    result = run_cli("get", NOVA, "-r", "us-east-1")
    assert result.code == ExitCode.CREDENTIALS_OR_CONFIG
    assert "opt-in region that is not enabled" in result.err


@pytest.mark.parametrize(("fmt", "out"), [("json", "[]\n"), ("table", ""), ("wide", ""), ("text", "")])
def test_an_empty_list_says_so_on_stderr(invoke, emulator, fmt, out) -> None:
    result = invoke("list", "--type", "APPLICATION", "-o", fmt)
    assert result.code == 0, result.err
    assert result.out == out  # no header-only table
    assert "no inference profile with type APPLICATION in us-east-1" in result.err


# --- streams: closed, full; Ctrl-C early; --error-format json ------------------------------------


def shell(command: str) -> object:
    from tests.conftest import run_shell

    return run_shell(command)


@pytest.mark.parametrize(
    "args",
    [
        f"get {NOVA} -o json",
        f"get {NOVA} -o yaml",
        f"get {NOVA} -o text",
        f"get {NOVA} -o table",
        "--help",
        "get --help",
        "--version",
    ],
)
def test_stdout_closed_before_start_is_141_and_quiet(emulator, args) -> None:
    result = shell(f"{CLI} {args} >&-")
    assert result.code == ExitCode.BROKEN_PIPE, result.err
    assert result.err == ""


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_full_disk_is_one_line_and_its_own_exit_code(emulator, fmt) -> None:
    result = shell(f"{CLI} get {NOVA} -o {fmt} > /dev/full")
    assert result.code == ExitCode.OUTPUT, result.err
    assert result.err == "bedrock-profile: error: cannot write output: No space left on device\n"


@pytest.mark.parametrize("redirect", ["2>&-", "2>/dev/full"])
def test_a_closed_or_full_stderr_keeps_the_exit_code(emulator, redirect) -> None:
    result = shell(f"{CLI} get nothing-here {redirect}")
    assert result.code == ExitCode.NOT_FOUND


def test_sigint_in_the_first_instant_is_130_and_one_line(spawn) -> None:
    import signal

    outcomes = []
    for delay in (0.0, 0.03, 0.06, 0.09, 0.12, 0.15, 0.2):
        proc = spawn("get", NOVA, "--emulator")
        time.sleep(delay)
        proc.proc.send_signal(signal.SIGINT)
        outcomes.append((delay, proc.finish(timeout=30)))
    for delay, result in outcomes:
        if result.code == 0:  # finished before the signal arrived: nothing to see
            continue
        # Before cli.py's first lines install the handler (Python's start-up, the console script's
        # own imports, the package's __init__) is out of our hands: Python dies of the signal, with
        # or without a traceback; that traceback may only come from there, never from a frame of
        # any other module of ours.
        if "Traceback" in result.err or result.code == -signal.SIGINT:
            frames = re.findall(r'File "([^"]+)"', result.err)
            ours = [f for f in frames if "bedrock_profile_cli" in f]
            assert all(
                f.endswith(("bedrock_profile_cli/__init__.py", "bedrock_profile_cli/cli.py")) for f in ours
            ), result.err
            continue
        assert result.code == ExitCode.INTERRUPTED, (delay, result.err)
        assert result.err.strip().splitlines()[-1] == "bedrock-profile: interrupted", (delay, result.err)
        assert len(result.err.strip().splitlines()) == 1, (delay, result.err)


def test_interrupted_is_json_under_error_format_json(emulator, faults, spawn) -> None:
    from bedrock_profile_cli.emulator.service import inject_fault
    from tests.conftest import wait_for

    inject_fault(operation="GetInferenceProfile", status=200, delay=20, times=None)
    proc = spawn("get", NOVA, "--error-format", "json")
    wait_for(lambda: faults.calls.get("GetInferenceProfile"), what="the request")
    result = proc.interrupt()
    assert result.code == ExitCode.INTERRUPTED
    doc = json.loads(result.err.strip().splitlines()[-1])
    assert doc["exitName"] == "INTERRUPTED"
    assert doc["message"] == "interrupted"


# --- properties: no response shape and no argument value reaches exit 1 -------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=12,
)
MEMBERS = (
    "inferenceProfileName",
    "inferenceProfileArn",
    "models",
    "inferenceProfileId",
    "status",
    "type",
    "createdAt",
    "updatedAt",
    "description",
)
PROFILE_LIKE = st.fixed_dictionaries({}, optional={name: JSON for name in MEMBERS})
BODIES = st.one_of(
    PROFILE_LIKE.map(lambda d: json.dumps(d).encode()),
    st.builds(
        lambda d, extra: json.dumps({**profile(), **d, **extra}).encode(),
        PROFILE_LIKE,
        st.dictionaries(st.sampled_from(MEMBERS), JSON, max_size=2),
    ),
    JSON.map(lambda d: json.dumps(d).encode()),
    st.binary(max_size=80),
)


class Holder:
    body = b"{}"
    status = 200


@pytest.fixture(scope="module")
def shape_server():
    holder = Holder()

    def behave(conn: socket.socket, path: str, number: int) -> None:
        body = holder.body
        if "/inference-profiles?" in path:  # a list page: the same value as the summaries
            body = b'{"inferenceProfileSummaries": [' + body + b"]}"
        conn.sendall(http(holder.status, body))

    with serving(behave) as server:
        yield server, holder


@given(
    body=BODIES,
    status=st.sampled_from([200, 200, 200, 400, 403, 404, 500]),
    command=st.sampled_from(["get", "list", "check", "resolve", "list-regions", "iam-policy"]),
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_response_shape_is_an_internal_error(invoke, shape_server, body, status, command) -> None:
    server, holder = shape_server
    holder.body, holder.status = body, status
    args = {
        "get": ["get", SONNET],
        "list": ["list", "--type", "SYSTEM_DEFINED"],
        "check": ["check", SONNET],
        "resolve": ["resolve", "anthropic.claude-sonnet-4-6", "-r", "us-east-1"],
        "list-regions": ["list", "--regions", "us-east-1,eu-west-1"],
        "iam-policy": ["iam-policy", SONNET, "-r", "us-east-1"],
    }[command]
    result = invoke(*args, "--endpoint-url", server.url, "--max-attempts", "1", "-o", "json")
    assert result.code != ExitCode.INTERNAL, result.err
    assert "Traceback" not in result.err


VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["nan", "inf", "-inf", "-1", "0", "1e308", "1e-9", "99999999999", "", " ", "\x1b[2J", "0x10"]
    ),
)
OPTIONS = [
    "--connect-timeout",
    "--read-timeout",
    "--attempt-timeout",
    "--max-attempts",
    "--page-size",
    "--max-items",
    "-q",
    "-o",
    "--color",
    "--error-format",
    "--retry-mode",
    "--type",
    "-r",
    "--model",
]


@given(option=st.sampled_from(OPTIONS), value=VALUES, command=st.sampled_from(["get", "list", "check"]))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_argument_value_is_an_internal_error(invoke, emulator, option, value, command) -> None:
    args = {"get": ["get", NOVA], "list": ["list"], "check": ["check", NOVA]}[command]
    if option in ("--page-size", "--max-items") and command != "list":
        args = ["list"]
    result = invoke(
        *args,
        option,
        value,
        "--max-attempts" if option != "--max-attempts" else "-o",
        "1" if option != "--max-attempts" else "json",
    )
    assert result.code != ExitCode.INTERNAL, result.err
    assert "Traceback" not in result.err


@given(
    url=st.builds(
        lambda port, rest: f"http://127.0.0.1:{port}{rest}",
        st.one_of(st.integers(-5, 70000).map(str), st.text(max_size=6)),
        st.text(max_size=8),
    )
)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_loopback_endpoint_url_is_an_internal_error(invoke, url) -> None:
    result = invoke(
        "get",
        SONNET,
        "--endpoint-url",
        url,
        "--max-attempts",
        "1",
        "--connect-timeout",
        "0.5",
        "--read-timeout",
        "0.5",
    )
    assert result.code != ExitCode.INTERNAL, result.err


# --- memory: many large answers, one at a time --------------------------------------------------


def test_memory_grows_with_the_pool_not_with_the_number_of_identifiers() -> None:
    import subprocess
    import sys

    ids = [f"us.big{i}-v1:0" for i in range(64)]
    padding = "p" * (2 * 1024 * 1024)  # each answer 2 MiB

    def big(conn: socket.socket, path: str, number: int) -> None:
        ident = unquote(path).rsplit("/", 1)[1]
        conn.sendall(http(200, json.dumps(profile(ident, description=padding)).encode()))

    with serving(big) as server:
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                "import resource, subprocess, sys\n"
                "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
                "print(p.returncode)\nprint(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
                "sys.stderr.write(p.stderr)\n",
                CLI,
                "get",
                *ids,
                "--endpoint-url",
                server.url,
                "-o",
                "json",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    record(proc.stdout, proc.stderr)
    code, peak_kib = (int(x) for x in proc.stdout.split())
    assert code == 0, proc.stderr
    # 64 answers of 2 MiB, each held as bytes, text and parsed data, would need 400 MiB and more;
    # 16 in flight at a time need well under half of that.
    assert peak_kib < 250 * 1024, peak_kib


def test_a_next_token_that_is_not_a_string_is_11() -> None:
    with serving(
        lambda conn, path, number: conn.sendall(
            http(200, b'{"inferenceProfileSummaries": [], "nextToken": 5}')
        )
    ) as server:
        result = run_cli("list", "--type", "SYSTEM_DEFINED", "--endpoint-url", server.url)
    assert result.code == ExitCode.SERVICE, result.err
    assert "nextToken is a int, not a string" in result.err


@pytest.mark.parametrize("status", [302, 999])
def test_a_status_without_a_bedrock_error_says_the_endpoint_may_be_wrong(status) -> None:
    with serving(lambda conn, path, number: conn.sendall(http(status, b""))) as server:
        result = get(server.url)
    assert result.code == ExitCode.SERVICE, result.err
    assert f"answered HTTP {status} without a Bedrock error" in result.err


def test_the_emulators_listening_line_shows_its_example_credentials(spawn) -> None:
    server = spawn("emulator", "--port", "0")
    wait_for(server.proc.stdout.readline, what="the URL line")
    server.proc.terminate()
    result = server.finish()
    assert "AWS_SECRET_ACCESS_KEY=testing); Ctrl-C stops it" in result.err


def test_a_name_that_is_no_region_is_9_naming_the_closest_region(invoke) -> None:
    result = invoke("get", NOVA, "--emulator", "-r", "us-east-1a")
    assert result.code == ExitCode.CREDENTIALS_OR_CONFIG, result.err
    assert "'us-east-1a' is not a region botocore knows" in result.err
    assert "did you mean us-east-1?" in result.err
