"""Every credential provider in botocore's chain, through the installed console script, against the
loopback stand-ins of tests/credential_standins.py: the Bedrock call must be signed with exactly the
credentials the provider returned.  Then the ways credentials fail: exit 9, one line, a hint.

Not covered: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (botocore fixes its host to 169.254.170.2 and its
container fetcher ignores proxies, so it cannot be pointed at loopback), and the `login_session`
provider's success path (it needs awscrt, botocore[crt], which is not installed: its absence is tested).
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bedrock_profile_cli.errors import ExitCode
from tests import conftest
from tests.conftest import CLI, FAKE_ACCESS_KEY, FAKE_SESSION_TOKEN, SONNET, Result, record, run_cli
from tests.credential_standins import ACCOUNT, IMDS_ROLE, Issued, StandIn

START_URL = "https://corp.awsapps.com/start"
# Also with --debug: requests and responses are logged, and the leak check in the standin fixture
# covers every secret the provider handled (STS answers in XML, SSO in JSON, bearer tokens).
WITH_DEBUG = pytest.mark.parametrize("debug", [[], ["--debug"]], ids=["plain", "debug"])
STATIC_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


# --- fixtures and helpers --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache directory for the module: the parsed botocore models (Bedrock, STS, SSO, SSO OIDC)
    are read back warm after the first test, which keeps each run short and exercises
    modelcache's loader for the credential providers' services too."""
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch, model_cache: Path) -> Iterator[StandIn]:
    """The stand-ins, with every endpoint a provider uses pointed at them; after the test, no secret
    the stand-in handed out may appear in anything the CLI printed."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(model_cache))
    start = len(conftest._SEEN_OUTPUT)
    with StandIn() as server:
        for service in ("BEDROCK", "STS", "SSO", "SSO_OIDC"):
            monkeypatch.setenv(f"AWS_ENDPOINT_URL_{service}", server.url)
        yield server
        for text in conftest._SEEN_OUTPUT[start:]:
            for secret in server.secret_values():
                assert secret not in text, f"a stand-in secret leaked into the output: {text[:300]!r}"


@pytest.fixture
def aws_config(isolated_env: Path) -> Any:
    """Write the AWS config file (and optionally the credentials file)."""

    def write(config: str, credentials: str = "") -> None:
        (isolated_env / "aws-config").write_text(config)
        (isolated_env / "aws-credentials").write_text(credentials)

    return write


def no_static_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop conftest's fake AWS_ACCESS_KEY_ID & co., which would otherwise win over the provider."""
    for name in STATIC_ENV:
        monkeypatch.delenv(name, raising=False)


def static_keys(standin: StandIn, name: str) -> Issued:
    """Long-term keys for a file: registered with the stand-in so the leak check covers them."""
    return standin.credentials("static", name)


def keys_ini(creds: Issued, token: bool = False) -> str:
    text = f"aws_access_key_id = {creds.access_key}\naws_secret_access_key = {creds.secret_key}\n"
    return text + (f"aws_session_token = {creds.token}\n" if token else "")


def get_ok(standin: StandIn, *args: str, **kw: Any) -> Result:
    result = run_cli("get", SONNET, *args, **kw)
    assert result.code == 0, result.err
    assert json.loads(result.out)["inferenceProfileId"] == SONNET
    return result


def signed_with(standin: StandIn, creds: Issued, token: bool = True) -> None:
    """The Bedrock request carried ``creds``: their key id in the signature, their session token."""
    assert standin.bedrock_signer() == (creds.access_key, creds.token if token else None)


def expect_failure(result: Result, *fragments: str) -> str:
    """Exit 9 with exactly one line on stderr, holding every fragment; returns the line."""
    assert result.code == ExitCode.CREDENTIALS_OR_CONFIG, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    line = lines[0]
    assert line.startswith("bedrock-profile: error: ") and "Traceback" not in result.err
    assert "; hint: " in line, line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    assert result.out == ""
    return line


def python_script(path: Path, body: str) -> str:
    """A tiny python script at ``path``; returns the command line that runs it (credential_process)."""
    path.write_text(body)
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(path))}"


def process_json(creds: Issued, expiration: str | None = None) -> str:
    document: dict[str, Any] = {
        "Version": 1,
        "AccessKeyId": creds.access_key,
        "SecretAccessKey": creds.secret_key,
        "SessionToken": creds.token,
    }
    if expiration:
        document["Expiration"] = expiration
    return json.dumps(document)


def iso_in(hours: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def sso_token_file(home: Path, key: str, document: dict[str, Any]) -> Path:
    """The cached SSO token where botocore looks: ~/.aws/sso/cache/<sha1 of session name or start
    URL>.json (botocore.utils.SSOTokenLoader._generate_cache_key)."""
    folder = home / ".aws" / "sso" / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (hashlib.sha1(key.encode()).hexdigest() + ".json")
    path.write_text(json.dumps(document))
    return path


SSO_SESSION_CONFIG = f"""[profile sso-dev]
sso_session = corp
sso_account_id = {ACCOUNT}
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = {START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access
"""

SSO_LEGACY_CONFIG = f"""[profile sso-dev]
sso_start_url = {START_URL}
sso_region = us-east-1
sso_account_id = {ACCOUNT}
sso_role_name = ReadOnly
"""


# --- every provider in the chain -------------------------------------------------------------------------


def test_environment_keys(standin: StandIn) -> None:
    get_ok(standin)
    assert standin.bedrock_signer() == (FAKE_ACCESS_KEY, FAKE_SESSION_TOKEN)


def test_shared_credentials_file(standin: StandIn, aws_config: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    no_static_env(monkeypatch)
    creds = static_keys(standin, "sharedfile")
    aws_config("[default]\n", "[default]\n" + keys_ini(creds, token=True))
    get_ok(standin)
    signed_with(standin, creds)


def test_config_file_keys(standin: StandIn, aws_config: Any) -> None:
    creds = static_keys(standin, "configfile")
    aws_config("[profile cfg]\n" + keys_ini(creds))
    get_ok(standin, "--profile", "cfg")  # --profile also sets the environment's keys aside
    signed_with(standin, creds, token=False)


@WITH_DEBUG
@pytest.mark.parametrize("expiring", [False, True], ids=["static", "with-expiration"])
def test_credential_process(
    standin: StandIn, aws_config: Any, tmp_path: Path, expiring: bool, debug: list[str]
) -> None:
    creds = standin.credentials("process")
    output = process_json(creds, iso_in(1) if expiring else None)
    command = python_script(tmp_path / "creds.py", f"print({output!r})\n")
    aws_config(f"[profile proc]\ncredential_process = {command}\n")
    get_ok(standin, "--profile", "proc", *debug)
    signed_with(standin, creds)


@WITH_DEBUG
def test_sso_with_sso_session(
    standin: StandIn, aws_config: Any, isolated_env: Path, debug: list[str]
) -> None:
    aws_config(SSO_SESSION_CONFIG)
    standin.state.sso_access_tokens.add("sso-access-token-session")
    sso_token_file(
        isolated_env / "home",
        "corp",
        {
            "startUrl": START_URL,
            "region": "us-east-1",
            "accessToken": "sso-access-token-session",
            "expiresAt": iso_in(8),
        },
    )
    get_ok(standin, "--profile", "sso-dev", *debug)
    (call,) = standin.seen("sso")
    assert call.params == {"role_name": "ReadOnly", "account_id": ACCOUNT}
    assert call.headers["x-amz-sso_bearer_token"] == "sso-access-token-session"
    signed_with(standin, standin.credentials("sso", "ReadOnly"))


@WITH_DEBUG
def test_sso_session_token_refreshed_through_sso_oidc(
    standin: StandIn, aws_config: Any, isolated_env: Path, debug: list[str]
) -> None:
    """A cached token within botocore's 15-minute window is refreshed with CreateToken (sso-oidc)."""
    aws_config(SSO_SESSION_CONFIG)
    standin.state.sso_refresh_tokens["sso-refresh-token"] = "sso-access-token-refreshed"
    path = sso_token_file(
        isolated_env / "home",
        "corp",
        {
            "startUrl": START_URL,
            "region": "us-east-1",
            "accessToken": "sso-access-token-stale",
            "expiresAt": iso_in(5 / 60),
            "refreshToken": "sso-refresh-token",
            "clientId": "standin-client",
            "clientSecret": "standin-client-secret",
            "registrationExpiresAt": iso_in(24 * 30),
        },
    )
    standin.state.extra_secrets += ["sso-access-token-stale", "standin-client-secret"]
    get_ok(standin, "--profile", "sso-dev", *debug)
    (refresh,) = standin.seen("sso-oidc")
    assert refresh.body["refreshToken"] == "sso-refresh-token"
    (call,) = standin.seen("sso")
    assert call.headers["x-amz-sso_bearer_token"] == "sso-access-token-refreshed"
    assert json.loads(path.read_text())["accessToken"] == "sso-access-token-refreshed"  # cached again
    signed_with(standin, standin.credentials("sso", "ReadOnly"))


def test_sso_legacy(standin: StandIn, aws_config: Any, isolated_env: Path) -> None:
    aws_config(SSO_LEGACY_CONFIG)
    standin.state.sso_access_tokens.add("sso-access-token-legacy")
    sso_token_file(
        isolated_env / "home",
        START_URL,
        {
            "startUrl": START_URL,
            "region": "us-east-1",
            "accessToken": "sso-access-token-legacy",
            "expiresAt": iso_in(8),
        },
    )
    get_ok(standin, "--profile", "sso-dev")
    (call,) = standin.seen("sso")
    assert call.headers["x-amz-sso_bearer_token"] == "sso-access-token-legacy"
    signed_with(standin, standin.credentials("sso", "ReadOnly"))


def role(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def test_assume_role_with_source_profile(standin: StandIn, aws_config: Any) -> None:
    base = static_keys(standin, "base")
    aws_config(
        f"[profile deploy]\nrole_arn = {role('deploy')}\nsource_profile = base\n",
        "[base]\n" + keys_ini(base),
    )
    get_ok(standin, "--profile", "deploy")
    (call,) = standin.seen("sts")
    assert (call.action, call.params["RoleArn"], call.access_key) == (
        "AssumeRole",
        role("deploy"),
        base.access_key,
    )
    signed_with(standin, standin.credentials("sts", "deploy"))


@pytest.mark.parametrize("region_from", ["AWS_REGION", "--region"])
def test_assume_role_takes_our_region(
    standin: StandIn, aws_config: Any, monkeypatch: pytest.MonkeyPatch, region_from: str
) -> None:
    """botocore reads AWS_DEFAULT_REGION, not AWS_REGION: STS must still get the tool's region."""
    base = static_keys(standin, "regionbase")
    aws_config(
        f"[profile deploy]\nrole_arn = {role('deploy')}\nsource_profile = base\n",
        "[base]\n" + keys_ini(base),
    )
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    args = ["--profile", "deploy"]
    if region_from == "--region":
        monkeypatch.delenv("AWS_REGION")
        args += ["--region", "eu-west-3"]
    get_ok(standin, *args)
    (call,) = standin.seen("sts")
    assert "/eu-west-3/sts/aws4_request" in call.headers["authorization"]
    signed_with(standin, standin.credentials("sts", "deploy"))


def test_assume_role_with_credential_source_environment(standin: StandIn, aws_config: Any) -> None:
    aws_config(f"[profile envrole]\nrole_arn = {role('envrole')}\ncredential_source = Environment\n")
    get_ok(standin, "--profile", "envrole")
    (call,) = standin.seen("sts")
    assert (call.action, call.access_key) == ("AssumeRole", FAKE_ACCESS_KEY)
    signed_with(standin, standin.credentials("sts", "envrole"))


@WITH_DEBUG
def test_chained_roles(standin: StandIn, aws_config: Any, debug: list[str]) -> None:
    """role -> role -> static keys: each AssumeRole is signed with the previous step's credentials."""
    base = static_keys(standin, "chainbase")
    aws_config(
        f"[profile first]\nrole_arn = {role('first')}\nsource_profile = base\n\n"
        f"[profile second]\nrole_arn = {role('second')}\nsource_profile = first\n\n"
        "[profile base]\n" + keys_ini(base)
    )
    get_ok(standin, "--profile", "second", *debug)
    first, second = standin.seen("sts")
    assert (first.params["RoleArn"], first.access_key) == (role("first"), base.access_key)
    first_creds = standin.credentials("sts", "first")
    assert (second.params["RoleArn"], second.access_key) == (role("second"), first_creds.access_key)
    assert second.headers["x-amz-security-token"] == first_creds.token
    signed_with(standin, standin.credentials("sts", "second"))


@WITH_DEBUG
def test_web_identity_from_config(
    standin: StandIn, aws_config: Any, tmp_path: Path, debug: list[str]
) -> None:
    token_file = tmp_path / "web-token"
    token_file.write_text("web-identity-token-from-config")
    standin.state.extra_secrets.append("web-identity-token-from-config")
    aws_config(f"[profile web]\nrole_arn = {role('webrole')}\nweb_identity_token_file = {token_file}\n")
    get_ok(standin, "--profile", "web", *debug)
    (call,) = standin.seen("sts")
    assert call.action == "AssumeRoleWithWebIdentity"
    assert (call.params["RoleArn"], call.params["WebIdentityToken"]) == (
        role("webrole"),
        "web-identity-token-from-config",
    )
    assert call.access_key is None  # unsigned
    signed_with(standin, standin.credentials("web", "webrole"))


def test_web_identity_from_environment(
    standin: StandIn, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_static_env(monkeypatch)
    token_file = tmp_path / "web-token"
    token_file.write_text("web-identity-token-from-env")
    standin.state.extra_secrets.append("web-identity-token-from-env")
    monkeypatch.setenv("AWS_ROLE_ARN", role("envweb"))
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token_file))
    get_ok(standin)
    (call,) = standin.seen("sts")
    assert (call.action, call.params["WebIdentityToken"]) == (
        "AssumeRoleWithWebIdentity",
        "web-identity-token-from-env",
    )
    signed_with(standin, standin.credentials("web", "envweb"))


@WITH_DEBUG
@pytest.mark.parametrize("auth", [None, "env", "file"])
def test_container_full_uri(
    standin: StandIn, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, auth: str | None, debug: list[str]
) -> None:
    no_static_env(monkeypatch)
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", f"{standin.url}/container/v1/credentials")
    if auth is not None:
        standin.state.container_token = "container-auth-token-0123456789"
    if auth == "env":
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token-0123456789")
    elif auth == "file":
        (tmp_path / "auth-token").write_text("container-auth-token-0123456789")
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(tmp_path / "auth-token"))
    get_ok(standin, *debug)
    (call,) = standin.seen("container")
    assert call.headers.get("authorization") == standin.state.container_token
    signed_with(standin, standin.credentials("container"))


@WITH_DEBUG
def test_imds_v2(standin: StandIn, monkeypatch: pytest.MonkeyPatch, debug: list[str]) -> None:
    no_static_env(monkeypatch)
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", standin.url)
    get_ok(standin, *debug)
    calls = [(c.method, c.path) for c in standin.seen("imds")]
    prefix = "/latest/meta-data/iam/security-credentials/"
    assert calls == [("PUT", "/latest/api/token"), ("GET", prefix), ("GET", prefix + IMDS_ROLE)]
    assert all(c.headers.get("x-aws-ec2-metadata-token") for c in standin.seen("imds")[1:])
    signed_with(standin, standin.credentials("imds", IMDS_ROLE))


def test_legacy_aws_credential_file(
    standin: StandIn, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """botocore's OriginalEC2Provider: AWS_CREDENTIAL_FILE in the old EC2 tools' format."""
    no_static_env(monkeypatch)
    creds = static_keys(standin, "ec2file")
    path = tmp_path / "ec2-credentials"
    path.write_text(f"AWSAccessKeyId={creds.access_key}\nAWSSecretKey={creds.secret_key}\n")
    monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(path))
    get_ok(standin)
    signed_with(standin, creds, token=False)


def test_boto2_config_file(standin: StandIn, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """botocore's BotoProvider: BOTO_CONFIG's [Credentials] section."""
    no_static_env(monkeypatch)
    creds = static_keys(standin, "botocfg")
    path = tmp_path / "boto.cfg"
    path.write_text("[Credentials]\n" + keys_ini(creds))
    monkeypatch.setenv("BOTO_CONFIG", str(path))
    get_ok(standin)
    signed_with(standin, creds, token=False)


# --- failures: exit 9, one line, a hint that names the fix ----------------------------------------------


@pytest.mark.parametrize(
    ("config", "token_key", "token"),
    [
        (SSO_SESSION_CONFIG, "corp", "expired"),
        (SSO_SESSION_CONFIG, "corp", None),
        (SSO_LEGACY_CONFIG, START_URL, "expired"),
        (SSO_LEGACY_CONFIG, START_URL, None),
    ],
    ids=["session-expired", "session-missing", "legacy-expired", "legacy-missing"],
)
def test_sso_token_expired_or_missing(
    standin: StandIn, aws_config: Any, isolated_env: Path, config: str, token_key: str, token: str | None
) -> None:
    aws_config(config)
    if token:
        standin.state.extra_secrets.append("sso-access-token-expired")
        sso_token_file(
            isolated_env / "home",
            token_key,
            {
                "startUrl": START_URL,
                "region": "us-east-1",
                "accessToken": "sso-access-token-expired",
                "expiresAt": iso_in(-1),
            },
        )
    expect_failure(run_cli("get", SONNET, "--profile", "sso-dev"), "aws sso login --profile sso-dev")
    assert standin.seen("sso") == [] and standin.seen("bedrock") == []


@pytest.mark.parametrize(
    "command",
    [["get", SONNET, "us.meta.llama3-2-1b-instruct-v1:0"], ["list"], ["check", SONNET]],
    ids=["get-two", "list", "check"],
)
def test_every_command_reports_a_provider_failure_once(
    standin: StandIn, aws_config: Any, command: list[str]
) -> None:
    aws_config(SSO_LEGACY_CONFIG)
    expect_failure(run_cli(*command, "--profile", "sso-dev"), "aws sso login --profile sso-dev")


def test_sso_hint_names_the_profile_from_aws_profile(
    standin: StandIn, aws_config: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_static_env(monkeypatch)
    aws_config(SSO_LEGACY_CONFIG)
    monkeypatch.setenv("AWS_PROFILE", "sso-dev")
    expect_failure(run_cli("get", SONNET), "aws sso login --profile sso-dev")


CP_SECRET = "cp-stderr-secret-DoNotEcho-7f3a9c"


@pytest.mark.parametrize(
    ("case", "fragments"),
    [
        ("exit-status", ("credential_process", "status 3")),
        ("not-json", ("credential_process", "not JSON")),
        ("expired", ("expired",)),
        ("missing-file", ("credential_process", "no-such-helper")),
    ],
)
def test_credential_process_failures(
    standin: StandIn, aws_config: Any, tmp_path: Path, case: str, fragments: tuple[str, ...]
) -> None:
    standin.state.extra_secrets.append(CP_SECRET)
    if case == "exit-status":
        body = f"import sys\nsys.stderr.write('cannot log in: token={CP_SECRET}\\n')\nsys.exit(3)\n"
    elif case == "not-json":
        body = f"print('AccessKeyId: nope {CP_SECRET}')\n"
    else:  # expired: botocore refreshes once, gets the same expired answer, and gives up
        body = f"print({process_json(standin.credentials('process'), iso_in(-1))!r})\n"
    command = python_script(tmp_path / "creds.py", body)
    if case == "missing-file":
        command = str(tmp_path / "no-such-helper")
    aws_config(f"[profile proc]\ncredential_process = {command}\n")
    line = expect_failure(run_cli("get", SONNET, "--profile", "proc"), *fragments)
    assert "proc" in line  # the hint names the profile to fix
    assert standin.seen("bedrock") == []


def test_credential_process_stderr_is_not_echoed(standin: StandIn, aws_config: Any, tmp_path: Path) -> None:
    """Whatever a failing credential_process wrote on stderr may hold a secret: never echoed."""
    body = f"import sys\nsys.stderr.write('{CP_SECRET}\\n')\nsys.exit(1)\n"
    command = python_script(tmp_path / "creds.py", body)
    aws_config(f"[profile proc]\ncredential_process = {command}\n")
    for extra in (["--error-format", "text"], ["--error-format", "json"], ["--debug"]):
        result = run_cli("get", SONNET, "--profile", "proc", *extra)
        assert result.code == ExitCode.CREDENTIALS_OR_CONFIG, result.err
        assert CP_SECRET not in result.err + result.out
        assert CP_SECRET[:12] not in result.err  # not even a prefix of it


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [("AWS_MAX_ATTEMPTS", "abc", "AWS_MAX_ATTEMPTS"), ("AWS_RETRY_MODE", "bogus", "AWS_RETRY_MODE")],
)
def test_bad_retry_settings(
    standin: StandIn, monkeypatch: pytest.MonkeyPatch, name: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(name, value)
    expect_failure(run_cli("get", SONNET), fragment, value)
    assert standin.seen("bedrock") == []


def test_bad_retry_settings_in_the_profile(
    standin: StandIn, aws_config: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_MAX_ATTEMPTS")
    aws_config("[profile p]\nmax_attempts = many\n" + keys_ini(static_keys(standin, "p")))
    expect_failure(run_cli("get", SONNET, "--profile", "p"), "max_attempts", "many")


@pytest.mark.parametrize("via", ["--profile", "AWS_PROFILE"])
def test_unknown_profile_lists_the_profiles_found(
    standin: StandIn, aws_config: Any, monkeypatch: pytest.MonkeyPatch, via: str
) -> None:
    aws_config("[default]\n[profile dev]\nregion = us-east-1\n", "[ci]\naws_access_key_id = x\n")
    if via == "AWS_PROFILE":
        monkeypatch.setenv("AWS_PROFILE", "prod")
        result = run_cli("get", SONNET)
    else:
        result = run_cli("get", SONNET, "--profile", "prod")
    line = expect_failure(result, "prod")
    hint = line.split("; hint: ", 1)[1]
    for name in ("ci", "default", "dev"):
        assert name in hint, hint


def test_mfa_serial_without_a_terminal(standin: StandIn, aws_config: Any) -> None:
    base = static_keys(standin, "mfabase")
    aws_config(
        f"[profile mfa]\nrole_arn = {role('mfa')}\nsource_profile = base\n"
        f"mfa_serial = arn:aws:iam::{ACCOUNT}:mfa/someone\n\n[profile base]\n" + keys_ini(base)
    )
    result = run_cli("get", SONNET, "--profile", "mfa", stdin=subprocess.DEVNULL, timeout=20)
    expect_failure(result, "MFA", "terminal")
    assert standin.seen("sts") == []


def test_login_session_without_awscrt(standin: StandIn, aws_config: Any) -> None:
    try:
        import awscrt  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("awscrt is installed: botocore would try the login flow itself")
    aws_config("[profile console]\nlogin_session = arn:aws:iam::123456789012:user/someone\n")
    expect_failure(run_cli("get", SONNET, "--profile", "console"), "botocore[crt]")


# --- Ctrl-C while a slow credential_process runs ----------------------------------------------------------


def _default_sigint() -> None:
    # pytest may run with SIGINT ignored (a CI runner, nohup); the CLI must get Python's default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def cli_process(*args: str) -> Iterator[subprocess.Popen[str]]:
    """The console script in a subprocess that is killed on every way out of the block."""
    proc = subprocess.Popen(
        [CLI, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
        preexec_fn=_default_sigint,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is not running (and not ours to reap once the CLI is gone)
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def test_ctrl_c_during_a_slow_credential_process(standin: StandIn, aws_config: Any, tmp_path: Path) -> None:
    pid_file = tmp_path / "helper.pid"
    body = (
        "import os, time\n"
        f"open({str(pid_file)!r} + '.tmp', 'w').write(str(os.getpid()))\n"
        f"os.replace({str(pid_file)!r} + '.tmp', {str(pid_file)!r})\n"
        "time.sleep(30)\n"
    )
    command = python_script(tmp_path / "slow.py", body)
    aws_config(f"[profile slow]\ncredential_process = {command}\n")
    helper = None
    try:
        with cli_process("get", SONNET, "--profile", "slow") as proc:
            deadline = time.monotonic() + 10
            while not pid_file.exists():
                assert proc.poll() is None, "the CLI exited before running the credential_process"
                assert time.monotonic() < deadline, "the credential_process never started"
                time.sleep(0.02)
            helper = int(pid_file.read_text())
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=10)
            record(out, err)
            assert proc.returncode == ExitCode.INTERRUPTED, err
            assert err.strip() == "bedrock-profile: interrupted"
        deadline = time.monotonic() + 3
        while _running(helper) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not _running(helper), "the credential_process was left running"
    finally:
        if helper is not None and _running(helper):
            os.kill(helper, signal.SIGKILL)
