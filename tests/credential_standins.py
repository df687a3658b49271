"""Loopback stand-ins for what botocore's credential providers call, and for Bedrock itself.

One threaded HTTP server on 127.0.0.1 answers, by method and path:

- STS (query protocol, form-encoded POST to ``/``): ``AssumeRole`` and ``AssumeRoleWithWebIdentity``
  (``AWS_ENDPOINT_URL_STS``);
- the SSO portal: ``GET /federation/credentials`` (GetRoleCredentials, ``AWS_ENDPOINT_URL_SSO``);
- SSO OIDC: ``POST /token`` (CreateToken with a refresh token, ``AWS_ENDPOINT_URL_SSO_OIDC``);
- a container credentials endpoint: ``GET /container/...`` (``AWS_CONTAINER_CREDENTIALS_FULL_URI``);
- IMDSv2: ``PUT /latest/api/token``, then ``GET /latest/meta-data/iam/security-credentials/[ROLE]``
  (``AWS_EC2_METADATA_SERVICE_ENDPOINT``);
- Bedrock: ``GET /inference-profiles/ID`` (``AWS_ENDPOINT_URL_BEDROCK``), a canned profile.

Every provider hands out its own credentials (:func:`access_key_for` names them), and every request
is recorded with the access key id of its SigV4 ``Authorization`` header, so a test can assert that
the Bedrock call was signed with exactly what the provider returned.  Bounded: loopback only, small
request bodies, a socket timeout per connection; :class:`StandIn` is a context manager that always
shuts the server down.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit
from xml.sax.saxutils import escape

from tests.fakeserver import QuietHTTPServer

MAX_BODY = 64 * 1024
ACCOUNT = "123456789012"
IMDS_ROLE = "ec2-instance-role"
_CREDENTIAL_RE = re.compile(r"Credential=([^/,\s]+)/")


def access_key_for(kind: str, name: str = "") -> str:
    """The access key id the stand-in issues for ``kind`` ("sts", "web", "sso", "container", "imds")
    and ``name`` (the role), 20 characters like a real one."""
    tag = re.sub(r"[^A-Z0-9]", "", f"{kind}{name}".upper())
    return ("ASIA" + tag + "0" * 16)[:20]


@dataclass(frozen=True)
class Issued:
    access_key: str
    secret_key: str
    token: str


@dataclass
class Seen:
    """One request as the stand-in received it."""

    service: str  # sts, sso, sso-oidc, container, imds, bedrock, unknown
    method: str
    path: str
    headers: dict[str, str]
    params: dict[str, str]  # the query string and a form-encoded body
    body: Any = None  # a JSON body, parsed
    access_key: str | None = None  # Credential=... of a SigV4 Authorization header

    @property
    def action(self) -> str | None:
        return self.params.get("Action")


@dataclass
class StandInState:
    """What the stand-in accepts; tests set these before running the CLI."""

    sso_access_tokens: set[str] = field(default_factory=set)  # accepted x-amz-sso_bearer_token values
    sso_refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh token -> new access token
    container_token: str | None = None  # required Authorization header, if set
    imds_tokens: set[str] = field(default_factory=set)  # handed out by PUT /latest/api/token
    # Other secrets a test hands the CLI (static keys in files, SSO and web identity tokens).
    extra_secrets: list[str] = field(default_factory=list)


def _expiration(hours: float = 1) -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=hours)


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class StandIn:
    """The loopback server; ``with StandIn() as s: ...`` (or start()/stop())."""

    def __init__(self) -> None:
        self.state = StandInState()
        self.requests: list[Seen] = []
        self.issued: dict[str, Issued] = {}
        self._lock = threading.Lock()
        self._httpd = QuietHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="standin", daemon=True
        )

    # --- lifecycle ---------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> StandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # --- what tests look at ------------------------------------------------------------------------

    def credentials(self, kind: str, name: str = "") -> Issued:
        """The credentials issued (or to be issued) for ``kind``/``name``: the same every time."""
        key = access_key_for(kind, name)
        with self._lock:
            if key not in self.issued:
                self.issued[key] = Issued(
                    access_key=key,
                    secret_key=f"standin-secret-{key}-{secrets.token_hex(8)}",
                    token=f"standin-token-{key}-{secrets.token_hex(16)}",
                )
            return self.issued[key]

    def secret_values(self) -> list[str]:
        """Every secret the stand-in handed out: none may appear in the CLI's output."""
        with self._lock:
            values = [v for issued in self.issued.values() for v in (issued.secret_key, issued.token)]
        state = self.state
        values += [*state.sso_access_tokens, *state.sso_refresh_tokens, *state.extra_secrets]
        if state.container_token:
            values.append(state.container_token)
        return values

    def seen(self, service: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.service == service]

    def bedrock_signer(self) -> tuple[str | None, str | None]:
        """(access key id, session token) of the last Bedrock request."""
        calls = self.seen("bedrock")
        assert calls, "Bedrock was never called"
        last = calls[-1]
        return last.access_key, last.headers.get("x-amz-security-token")

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)


# --- the answers ---------------------------------------------------------------------------------------


def _sts_xml(action: str, issued: Issued, role_arn: str, extra: str = "") -> bytes:
    role = role_arn.rsplit("/", 1)[-1]
    return (
        f'<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<{action}Result>{extra}"
        f"<AssumedRoleUser><Arn>arn:aws:sts::{ACCOUNT}:assumed-role/{escape(role)}/standin</Arn>"
        f"<AssumedRoleId>AROASTANDIN:standin</AssumedRoleId></AssumedRoleUser>"
        f"<Credentials><AccessKeyId>{issued.access_key}</AccessKeyId>"
        f"<SecretAccessKey>{escape(issued.secret_key)}</SecretAccessKey>"
        f"<SessionToken>{escape(issued.token)}</SessionToken>"
        f"<Expiration>{_iso(_expiration())}</Expiration></Credentials>"
        f"</{action}Result><ResponseMetadata><RequestId>standin-sts</RequestId></ResponseMetadata>"
        f"</{action}Response>"
    ).encode()


def _sts_error(code: str, message: str) -> bytes:
    return (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<Error><Type>Sender</Type><Code>{code}</Code><Message>{escape(message)}</Message></Error>"
        "<RequestId>standin-sts</RequestId></ErrorResponse>"
    ).encode()


def _profile_document(identifier: str) -> dict[str, Any]:
    return {
        "inferenceProfileName": "standin profile",
        "inferenceProfileArn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/{identifier}",
        "inferenceProfileId": identifier,
        "models": [{"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2"}],
        "status": "ACTIVE",
        "type": "SYSTEM_DEFINED",
        "createdAt": "2024-08-23T18:36:02Z",
        "updatedAt": "2024-08-23T18:36:02Z",
    }


def _handler_for(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 5  # per connection: a stuck client cannot hold a thread for long
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        # --- plumbing ------------------------------------------------------------------------------

        def _reply(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, document: Any, **headers: str) -> None:
            self._reply(status, json.dumps(document).encode(), "application/json", **headers)

        def _read(self) -> Seen:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise ValueError("request body too large")
            raw = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            params = dict(parse_qsl(parts.query))
            body: Any = None
            content_type = self.headers.get("Content-Type", "")
            if raw and "x-www-form-urlencoded" in content_type:
                params.update(parse_qsl(raw.decode()))
            elif raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw.decode(errors="replace")
            match = _CREDENTIAL_RE.search(self.headers.get("Authorization", ""))
            return Seen(
                service="unknown",
                method=self.command,
                path=parts.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                params=params,
                body=body,
                access_key=match.group(1) if match else None,
            )

        def _dispatch(self) -> None:
            try:
                seen = self._read()
            except ValueError:
                self._json(413, {"message": "too large"})
                return
            path = seen.path
            if path.startswith("/inference-profiles/"):
                seen.service = "bedrock"
            elif path == "/federation/credentials":
                seen.service = "sso"
            elif path == "/token":
                seen.service = "sso-oidc"
            elif path.startswith("/container/"):
                seen.service = "container"
            elif path.startswith("/latest/"):
                seen.service = "imds"
            elif "Action" in seen.params:
                seen.service = "sts"
            standin._record(seen)
            getattr(self, "_" + seen.service.replace("-", "_"))(seen)

        do_GET = do_POST = do_PUT = _dispatch

        # --- services ------------------------------------------------------------------------------

        def _unknown(self, seen: Seen) -> None:
            self._json(404, {"message": f"the stand-in does not serve {seen.method} {seen.path}"})

        def _bedrock(self, seen: Seen) -> None:
            identifier = unquote(seen.path.split("/", 2)[2])
            self._json(200, _profile_document(identifier), x_amzn_RequestId="standin-bedrock")

        def _sts(self, seen: Seen) -> None:
            action, role_arn = seen.params.get("Action", ""), seen.params.get("RoleArn", "")
            role = role_arn.rsplit("/", 1)[-1]
            if action == "AssumeRole" and seen.access_key:
                issued = standin.credentials("sts", role)
                self._reply(200, _sts_xml(action, issued, role_arn), "text/xml")
            elif action == "AssumeRoleWithWebIdentity" and seen.params.get("WebIdentityToken"):
                issued = standin.credentials("web", role)
                extra = "<SubjectFromWebIdentityToken>standin</SubjectFromWebIdentityToken>"
                self._reply(200, _sts_xml(action, issued, role_arn, extra), "text/xml")
            else:
                self._reply(400, _sts_error("InvalidAction", f"not served: {action}"), "text/xml")

        def _sso(self, seen: Seen) -> None:
            token = seen.headers.get("x-amz-sso_bearer_token")
            if token not in standin.state.sso_access_tokens:
                self._json(
                    401,
                    {"message": "Session token not found or invalid"},
                    x_amzn_ErrorType="UnauthorizedException",
                )
                return
            issued = standin.credentials("sso", seen.params.get("role_name", ""))
            expiration_ms = int(_expiration().timestamp() * 1000)
            self._json(
                200,
                {
                    "roleCredentials": {
                        "accessKeyId": issued.access_key,
                        "secretAccessKey": issued.secret_key,
                        "sessionToken": issued.token,
                        "expiration": expiration_ms,
                    }
                },
            )

        def _sso_oidc(self, seen: Seen) -> None:
            body = seen.body if isinstance(seen.body, dict) else {}
            new_token = standin.state.sso_refresh_tokens.get(str(body.get("refreshToken")))
            if body.get("grantType") != "refresh_token" or new_token is None:
                self._json(400, {"error": "invalid_grant"}, x_amzn_ErrorType="InvalidGrantException")
                return
            standin.state.sso_access_tokens.add(new_token)
            self._json(200, {"accessToken": new_token, "tokenType": "Bearer", "expiresIn": 3600})

        def _container(self, seen: Seen) -> None:
            wanted = standin.state.container_token
            if wanted is not None and seen.headers.get("authorization") != wanted:
                self._json(403, {"message": "bad or missing Authorization"})
                return
            issued = standin.credentials("container")
            self._json(
                200,
                {
                    "AccessKeyId": issued.access_key,
                    "SecretAccessKey": issued.secret_key,
                    "Token": issued.token,
                    "Expiration": _iso(_expiration()),
                    "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/container-role",
                },
            )

        def _imds(self, seen: Seen) -> None:
            prefix = "/latest/meta-data/iam/security-credentials/"
            if seen.method == "PUT" and seen.path == "/latest/api/token":
                if not seen.headers.get("x-aws-ec2-metadata-token-ttl-seconds"):
                    self._reply(400, b"missing ttl", "text/plain")
                    return
                token = secrets.token_hex(16)
                standin.state.imds_tokens.add(token)
                self._reply(200, token.encode(), "text/plain")
                return
            if seen.headers.get("x-aws-ec2-metadata-token") not in standin.state.imds_tokens:
                self._reply(401, b"", "text/plain")  # IMDSv2 only: no token, no answer
                return
            if seen.method == "GET" and seen.path == prefix:
                self._reply(200, IMDS_ROLE.encode(), "text/plain")
            elif seen.method == "GET" and seen.path == prefix + IMDS_ROLE:
                issued = standin.credentials("imds", IMDS_ROLE)
                document = {
                    "Code": "Success",
                    "LastUpdated": _iso(_expiration(0)),
                    "Type": "AWS-HMAC",
                    "AccessKeyId": issued.access_key,
                    "SecretAccessKey": issued.secret_key,
                    "Token": issued.token,
                    "Expiration": _iso(_expiration()),
                }
                self._reply(200, json.dumps(document).encode(), "text/plain")
            else:
                self._reply(404, b"", "text/plain")

    return Handler
