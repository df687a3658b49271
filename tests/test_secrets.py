"""No secret in any output: an endpoint that echoes the request's headers in its error, a password in
the endpoint URL; in text and JSON error formats, with and without --debug.  (The autouse
no_secret_leaks fixture checks every output of every run here for the fake secrets as well.)"""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler

import pytest

from bedrock_profile_cli.errors import ExitCode
from tests.conftest import FAKE_SECRET_KEY, FAKE_SESSION_TOKEN, FAKE_URL_PASSWORD, SONNET, run_cli
from tests.fakeserver import QuietHTTPServer


class EchoHeaders(BaseHTTPRequestHandler):
    """Answers 400 with every request header quoted in the error message, as some proxies do."""

    def do_GET(self) -> None:
        headers = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
        body = json.dumps({"__type": "ValidationException", "message": f"bad request: {headers}"}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Amzn-ErrorType", "ValidationException")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def echo_url():
    httpd = QuietHTTPServer(("127.0.0.1", 0), EchoHeaders)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def no_secret(text: str) -> None:
    for secret in (FAKE_SECRET_KEY, FAKE_SESSION_TOKEN, FAKE_URL_PASSWORD):
        assert secret not in text


@pytest.mark.parametrize("error_format", ["text", "json"])
@pytest.mark.parametrize("debug", [False, True])
def test_an_error_that_echoes_the_request_headers_is_redacted(echo_url, error_format, debug) -> None:
    args = ["get", SONNET, "--endpoint-url", echo_url, "--error-format", error_format]
    result = run_cli(*args, *(["--debug"] if debug else []))
    assert result.code == ExitCode.VALIDATION, result.err
    no_secret(result.err)
    last = result.err.strip().splitlines()[-1]
    message = json.loads(last)["message"] if error_format == "json" else last
    assert "bad request" in message
    assert "<redacted>" in message  # the token header was there, and was replaced


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("error_format", ["text", "json"])
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("where", ["flag", "env"])
def test_a_password_in_the_endpoint_url_never_prints(error_format, debug, where) -> None:
    url = f"http://someone:{FAKE_URL_PASSWORD}@127.0.0.1:{closed_port()}"
    args = ["get", SONNET, "--error-format", error_format, "--max-attempts", "1"]
    env = {}
    if where == "flag":
        args += ["--endpoint-url", url]
    else:
        env["AWS_ENDPOINT_URL_BEDROCK"] = url
    result = run_cli(*args, *(["--debug"] if debug else []), env=env)
    assert result.code == ExitCode.NETWORK, result.err
    no_secret(result.err)
    no_secret(result.out)
    assert "127.0.0.1" in result.err  # the endpoint is still named, without its password


def test_redaction_keeps_the_rest_of_a_url() -> None:
    from bedrock_profile_cli.redaction import redact, url_password

    text = redact("could not reach http://me:hunter22@proxy.local:3128/x and https://a:b@c/")
    assert text == "could not reach http://me:<redacted>@proxy.local:3128/x and https://a:<redacted>@c/"
    assert url_password("http://me:hunter22@proxy.local:3128/x") == "hunter22"
    assert url_password("http://proxy.local:3128/x") is None
    assert url_password("http://[::1") is None
