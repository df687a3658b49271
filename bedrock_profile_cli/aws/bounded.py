"""Response bounding: each response body is read in chunks and refused when it is larger than any
Bedrock answer, or when a success is not JSON, instead of botocore's read-it-all."""

from __future__ import annotations

from typing import Any

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

# A profile is about 1 KiB and a full page of 1,000 summaries about 1 MiB: anything far larger is
# not a Bedrock answer, and is refused before it is all in memory.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
JSON_CONTENT_TYPES = ("application/json", "application/x-amz-json-1.0", "application/x-amz-json-1.1")
CHUNK_BYTES = 64 * 1024


def bound_responses(client: Any, limit: int = MAX_RESPONSE_BYTES) -> None:
    """Make ``client`` (a botocore client) read each response body in bounded chunks."""
    http_session = client._endpoint.http_session
    send = http_session.send

    def bounded_send(request: Any) -> Any:
        streaming = request.stream_output
        request.stream_output = True  # botocore leaves the body unread; it is read here
        response = send(request)
        if streaming:
            return response
        content_type = str(response.headers.get("content-type", "")).split(";")[0].strip().lower()
        if 200 <= response.status_code < 300 and content_type and content_type not in JSON_CONTENT_TYPES:
            response.raw.close()
            raise BedrockProfileError(
                ExitCode.SERVICE,
                f"unexpected response: HTTP {response.status_code} with content type "
                f"{content_type}, not JSON",
                hint="is --endpoint-url a Bedrock endpoint (not a proxy or a web page)?",
            )
        chunks, total = [], 0
        try:
            for chunk in response.raw.stream(CHUNK_BYTES, decode_content=False):
                total += len(chunk)
                if total > limit:
                    response.raw.close()
                    raise BedrockProfileError(
                        ExitCode.SERVICE,
                        f"unexpected response: more than {limit // (1024 * 1024)} MiB",
                        hint="is --endpoint-url a Bedrock endpoint?",
                    )
                chunks.append(chunk)
        except BedrockProfileError:
            raise
        except Exception as exc:  # urllib3's ProtocolError, ReadTimeoutError, ... mid-body
            raise _as_botocore_error(request.url, exc) from exc
        declared = response.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) != total:
            # The connection closed before the body was whole: a network failure, retried as one.
            raise _as_botocore_error(
                request.url, ConnectionError(f"connection closed after {total} of {declared} bytes")
            )
        response._content = b"".join(chunks)
        return response

    http_session.send = bounded_send


def _as_botocore_error(url: str, exc: Exception) -> Exception:
    """A failure while reading the body, as the botocore exception botocore's retry handler retries
    (it would have raised it itself had it read the body)."""
    from botocore import exceptions as bx

    error: Exception
    if type(exc).__name__ in {"ReadTimeoutError", "TimeoutError"}:
        error = bx.ReadTimeoutError(endpoint_url=url, error=exc)
    else:
        error = bx.ConnectionClosedError(endpoint_url=url, error=exc)
    return error
