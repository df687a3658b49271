"""Response bounding: every attempt has a deadline for the whole response, the body is read in chunks
and refused when it is larger than any Bedrock answer, and an answer that is not Bedrock's (a web
page, a body that is not UTF-8 JSON) is named as such instead of being handed to botocore's parser.

Failures while reading are raised as the botocore exceptions botocore's retry handler retries
(connection closed, read timeout), exactly as if botocore had read the body itself."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

# A profile is about 1 KiB and a full page of 1,000 summaries about 1 MiB: anything far larger is
# not a Bedrock answer, and is refused before it is all in memory.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
JSON_CONTENT_TYPES = ("application/json", "application/x-amz-json-1.0", "application/x-amz-json-1.1")
CHUNK_BYTES = 64 * 1024
# Statuses botocore retries: their bodies are left to botocore whatever they hold.
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
ENDPOINT_HINT = (
    "is --endpoint-url (or AWS_ENDPOINT_URL_BEDROCK) right? rerun with --debug to see the response"
)

TimeLeft = Callable[[], "float | None"]


def bound_responses(
    client: Any,
    *,
    attempt_timeout: float,
    read_timeout: float,
    time_left: TimeLeft = lambda: None,
    limit: int = MAX_RESPONSE_BYTES,
) -> None:
    """Make ``client`` (a botocore client) read each response as described above.  ``time_left``
    gives the seconds the caller still has (``check --wait``), or None: an attempt never outlives it."""
    http_session = client._endpoint.http_session
    send = http_session.send

    def bounded_send(request: Any) -> Any:
        budget = attempt_timeout
        left = time_left()
        if left is not None:
            budget = min(budget, left)
        if budget <= 0:
            raise _as_botocore_error(request.url, TimeoutError("no time left for another attempt"))
        deadline = time.monotonic() + budget
        context = getattr(request, "context", None)
        if isinstance(context, dict):  # botocore >= 1.40: a per-request read timeout
            context["read_timeout"] = min(read_timeout, budget)
        streaming = request.stream_output
        request.stream_output = True  # botocore leaves the body unread; it is read here
        response = send(request)
        if streaming:
            return response
        content_type = str(response.headers.get("content-type", "")).split(";")[0].strip().lower()
        status = int(response.status_code)
        if content_type and content_type not in JSON_CONTENT_TYPES and status not in RETRIED_STATUSES:
            response.raw.close()
            raise BedrockProfileError(
                ExitCode.SERVICE,
                f"the endpoint did not answer as Bedrock: HTTP {status} with content type {content_type}",
                hint=ENDPOINT_HINT,
            )
        body = _read_body(request.url, response, deadline, budget, limit)
        if 200 <= status < 300:
            _check_json_object(body, status, content_type)
        response._content = body
        return response

    http_session.send = bounded_send


def _read_body(url: str, response: Any, deadline: float, budget: float, limit: int) -> bytes:
    """The whole body, or a botocore error: a watchdog cuts the connection at the deadline, so a body
    dripped a byte at a time ends as a read timeout instead of never."""
    cut = threading.Event()

    def cut_connection() -> None:
        cut.set()
        sock = getattr(getattr(response.raw, "connection", None), "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), cut_connection)
    watchdog.daemon = True
    watchdog.start()
    chunks, total = [], 0
    try:
        for chunk in response.raw.stream(CHUNK_BYTES, decode_content=False):
            total += len(chunk)
            if total > limit:
                response.raw.close()
                raise BedrockProfileError(
                    ExitCode.SERVICE,
                    f"unexpected response: more than {limit // (1024 * 1024)} MiB",
                    hint=ENDPOINT_HINT,
                )
            chunks.append(chunk)
    except BedrockProfileError:
        raise
    except Exception as exc:  # urllib3's ProtocolError, ReadTimeoutError, ... mid-body
        if cut.is_set():
            raise _as_botocore_error(url, TimeoutError(_too_slow(budget))) from exc
        raise _as_botocore_error(url, exc) from exc
    finally:
        watchdog.cancel()
    if cut.is_set():
        raise _as_botocore_error(url, TimeoutError(_too_slow(budget)))
    declared = response.headers.get("content-length")
    if declared is not None and str(declared).isdigit() and int(declared) != total:
        # The connection closed before the body was whole: a network failure, retried as one.
        raise _as_botocore_error(url, ConnectionError(f"connection closed after {total} of {declared} bytes"))
    return b"".join(chunks)


def _too_slow(budget: float) -> str:
    return f"the whole response did not arrive within {budget:g} s (--attempt-timeout)"


def _check_json_object(body: bytes, status: int, content_type: str) -> None:
    """A success is a JSON object in UTF-8 (an empty body is left to botocore); anything else is not a
    Bedrock answer.  Nesting too deep for the parser counts as not JSON."""
    if not body.strip():
        return
    problem = None
    try:
        document = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        problem = "is not UTF-8 (compressed or binary?)"
    except (ValueError, RecursionError):
        problem = "is not JSON"
    else:
        if not isinstance(document, dict):
            kind = "null" if document is None else type(document).__name__
            problem = f"is a JSON {kind}, not an object"
    if problem is not None:
        raise BedrockProfileError(
            ExitCode.SERVICE,
            f"the response could not be parsed: its body {problem} "
            f"(HTTP {status}, content type {content_type or 'none'})",
            hint=ENDPOINT_HINT,
        )


def _as_botocore_error(url: str, exc: Exception) -> Exception:
    """A failure while reading the body, as the botocore exception botocore's retry handler retries
    (it would have raised it itself had it read the body)."""
    from botocore import exceptions as bx

    error: Exception
    if isinstance(exc, TimeoutError) or type(exc).__name__ in {"ReadTimeoutError", "TimeoutError"}:
        error = bx.ReadTimeoutError(endpoint_url=url, error=exc)
    else:
        error = bx.ConnectionClosedError(endpoint_url=url, error=exc)
    return error
