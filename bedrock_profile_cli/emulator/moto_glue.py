"""The rest of Bedrock from moto: requests the emulator does not answer itself go to moto's Bedrock
backend (custom models, customization jobs, logging configuration, tags of those resources).

moto implements none of the inference-profile or foundation-model operations (checked by
:func:`moto_conflicts`, which a test runs); :mod:`.service` answers those before anything reaches
moto, so moto (and its imports, ~0.4 s) is loaded only when such a request arrives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bedrock_profile_cli.emulator.service import Reply, error_reply

if TYPE_CHECKING:
    from bedrock_profile_cli.emulator.service import Request

# The operations the emulator answers itself, as moto's BedrockResponse would name its methods.
OWN_OPERATIONS = (
    "get_inference_profile",
    "list_inference_profiles",
    "create_inference_profile",
    "delete_inference_profile",
    "get_foundation_model",
    "list_foundation_models",
)


def moto_conflicts() -> list[str]:
    """The operations moto has grown since this emulator was written: they never reach moto (the
    emulator answers them first), so a newer moto cannot change what the emulator says."""
    from moto.bedrock.responses import BedrockResponse

    return [name for name in OWN_OPERATIONS if hasattr(BedrockResponse, name)]


def _moto_request(request: Request) -> Any:
    try:
        from moto.core.request import Request as MotoRequest  # moto >= 5.2
    except ImportError:  # earlier releases take botocore's prepared request as it is
        from botocore.awsrequest import AWSPreparedRequest

        return AWSPreparedRequest(request.method, request.url, request.headers, request.body, False)
    return MotoRequest.from_primitives(request.method, request.url, request.headers, request.body)


def dispatch(request: Request) -> Reply:
    """moto's answer to ``request``, as a :class:`Reply` (moto's errors as JSON error answers)."""
    try:
        from moto.bedrock.responses import BedrockResponse
    except ImportError as exc:
        return error_reply("UnknownOperationException", 400, f"This operation needs moto ({exc}).")
    try:
        status, headers, body = BedrockResponse.dispatch(_moto_request(request), request.url, request.headers)
    except Exception as exc:  # moto's own failure: an answer botocore can parse, not an HTML page
        code = getattr(exc, "error_type", None) or getattr(exc, "code", None)
        if isinstance(code, str) and getattr(exc, "message", None):
            status = getattr(exc, "status_code", 400)
            return error_reply(code, int(status), str(exc.message))  # type: ignore[attr-defined]
        raise  # a bug: the service answers it as InternalServerException
    reply_headers = {str(k): str(v) for k, v in (headers or {}).items() if str(k).lower() != "status"}
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body or b"")
    return Reply(int(status), reply_headers, raw)
