"""Run the emulator: served over HTTP (``bedrock-profile emulator``), or in process for one command
(``--emulator``).  Both answer through the same :class:`~.service.EmulatorService`."""

from __future__ import annotations

import io
import ipaddress
import os
import socket
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bedrock_profile_cli.emulator.service import FAULTS, EmulatorService, FaultRegistry
from bedrock_profile_cli.settings import EMULATOR_DEFAULT_PAGE_SIZE as DEFAULT_PAGE_SIZE

DEFAULT_HOST = "127.0.0.1"


class BadHost(ValueError):
    """A listen address that is neither an IP address nor ``localhost``."""


def listen_family(host: str) -> socket.AddressFamily:
    """The address family to listen on ``host`` with; no name is looked up (no DNS at start-up)."""
    if host == "localhost":
        return socket.AF_INET
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise BadHost(f"{host!r} is not an IP address (or localhost)") from None
    return socket.AF_INET6 if address.version == 6 else socket.AF_INET


class _Handler(BaseHTTPRequestHandler):
    """One HTTP/1.1 request (keep-alive) answered by the service; logs only when verbose."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK hold each answer after the first on a kept-alive connection ~40 ms.
    disable_nagle_algorithm = True
    server: _Server

    def _answer(self) -> None:
        length = self.headers.get("Content-Length")
        body = self.rfile.read(int(length)) if length and length.isdigit() else b""
        host = self.headers.get("Host") or f"{self.server.host}:{self.server.port}"
        reply = self.server.service.handle(
            self.command, f"http://{host}{self.path}", dict(self.headers), body
        )
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                self.send_header(name, value)
        if not any(name.lower() == "x-amzn-requestid" for name in reply.headers):
            self.send_header("x-amzn-RequestId", os.urandom(16).hex())
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _answer

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")
            sys.stderr.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    service: EmulatorService
    verbose: bool
    host: str
    port: int

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up before its answer (Ctrl-C, a timeout) is no news; anything else is
        one line (a traceback with --verbose), not socketserver's banner."""
        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError)) and not self.verbose:
            return
        if self.verbose:
            traceback.print_exc(file=sys.stderr)
        else:
            sys.stderr.write(f"emulator: {client_address[0]}: {type(error).__name__}: {error}\n")
        sys.stderr.flush()


class EmulatorServer:
    """The emulator on ``host:port`` (port 0: a free one), answering from its own threads.

    Binding happens in ``start()`` in the caller's thread: a port in use or an address that is not
    this machine's raises OSError at once; a host that is not an IP address raises :class:`BadHost`.
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = 0,
        *,
        latency: float = 0.0,
        page_size: int = DEFAULT_PAGE_SIZE,
        verbose: bool = False,
        faults: FaultRegistry = FAULTS,
    ) -> None:
        self.family = listen_family(host)
        self.latency = latency
        self.verbose = verbose
        self.service = EmulatorService(page_size=page_size, faults=faults, on_error=self._log_error)
        self._apply_latency()
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> EmulatorServer:
        server_class = type("_BoundServer", (_Server,), {"address_family": self.family})
        server = server_class((self.host, self.port), _Handler)
        server.service, server.verbose = self.service, self.verbose
        server.host, server.port = self.host, self.port = self.host, server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if self.family == socket.AF_INET6 else self.host
        return f"http://{host}:{self.port}"

    def reset(self) -> None:
        """Forget every created profile, tag and fault (system profiles are seeded again on use)."""
        self.service.reset()
        self.service.faults.clear()
        self._apply_latency()
        bedrock = sys.modules.get("moto.bedrock.models")
        if bedrock is not None:  # moto answered something: forget its state too
            bedrock.bedrock_backends.reset()

    def _apply_latency(self) -> None:
        """Every answer comes after ``latency`` seconds."""
        self.service.faults.latency = self.latency

    def _log_error(self, exc: BaseException) -> None:
        if self.verbose:
            traceback.print_exception(exc, file=sys.stderr)
        else:
            sys.stderr.write(f"emulator error (answered 500): {type(exc).__name__}: {exc}\n")
        sys.stderr.flush()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Body(io.BytesIO):
    """A response body as botocore reads one from urllib3 (``stream()``)."""

    def stream(self, amt: int = 64 * 1024, decode_content: bool = True) -> Iterator[bytes]:
        while True:
            chunk = self.read(amt)
            if not chunk:
                return
            yield chunk


def _answer_in_process(service: EmulatorService, request: Any) -> Any:
    """What botocore's endpoint would have received from the network: the emulator's answer."""
    from botocore.awsrequest import AWSResponse

    body = request.body
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode("utf-8")
    reply = service.handle(request.method, request.url, dict(request.headers), body)
    headers = dict(reply.headers)
    if not any(name.lower() == "x-amzn-requestid" for name in headers):
        headers["x-amzn-RequestId"] = os.urandom(16).hex()
    headers["Content-Length"] = str(len(reply.body))
    return AWSResponse(request.url, reply.status, headers, _Body(reply.body))


_send_lock = threading.Lock()


@contextmanager
def in_process(*, page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[EmulatorService]:
    """Answer every AWS request botocore sends inside the block from the emulator, in this process:
    every client's endpoint hands its requests to the emulator instead of the network (nothing is
    sent or looked up; moto is imported only for an operation the emulator does not model itself).

    The user's named profile does not apply to the emulator: it is set aside for the block."""
    from botocore.endpoint import Endpoint

    service = EmulatorService(page_size=page_size, faults=FaultRegistry())
    set_aside = {
        name: os.environ.pop(name) for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE") if name in os.environ
    }
    with _send_lock:
        original = Endpoint.__dict__["_send"]
        Endpoint._send = lambda endpoint, request: _answer_in_process(service, request)
    try:
        yield service
    finally:
        with _send_lock:
            Endpoint._send = original
        os.environ.update(set_aside)
