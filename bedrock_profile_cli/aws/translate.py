"""botocore's exceptions, translated into :class:`BedrockProfileError`: exit code and a hint that
knows which operation failed (the permission it names is that operation's)."""

from __future__ import annotations

from collections.abc import Mapping

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode, exit_code_for_aws_error

GET_PROFILE = "GetInferenceProfile"
LIST_PROFILES = "ListInferenceProfiles"
GET_MODEL = "GetFoundationModel"
LIST_TAGS = "ListTagsForResource"


def _hint_for_credentials(profile: str | None) -> str:
    where = f"profile {profile!r}" if profile else "the default credential chain"
    return (
        f"no usable credentials from {where}; run `aws configure` or `aws sso login`, set "
        "AWS_PROFILE/--profile, or try the built-in emulator with --emulator"
    )


# What botocore's credential_process provider may say without quoting the command's stderr (which
# may hold a secret): its own checks of the JSON, and credentials.CredentialProcess's messages.
_SAFE_PROCESS_MESSAGES = ("Unsupported version", "Missing required key", "credential_process ")


def _provider_error(exc: BaseException, profile: str | None) -> BedrockProfileError | None:
    """A credential provider's failure with a hint naming the fix, or None for other errors."""
    from botocore import exceptions as bx

    name = profile or "default"
    details = getattr(exc, "kwargs", None) or {}
    provider = details.get("provider")
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, bx.SSOError) or (isinstance(exc, bx.TokenRetrievalError) and provider == "sso"):
        return BedrockProfileError(
            ExitCode.CREDENTIALS_OR_CONFIG,
            first_line,
            hint=f"the SSO login has expired or was never made: run `aws sso login --profile {name}`",
        )
    if isinstance(exc, bx.CredentialRetrievalError) and provider == "custom-process":
        message = str(details.get("error_msg") or "").strip()
        if not message.startswith(_SAFE_PROCESS_MESSAGES):  # the command's stderr: not shown
            message = "credential_process failed (its error output is not shown: it may hold secrets)"
        return BedrockProfileError(
            ExitCode.CREDENTIALS_OR_CONFIG,
            message.splitlines()[0],
            hint=f"run the credential_process of profile {name!r} yourself: it must exit 0 and print "
            'JSON credentials ({"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...})',
        )
    if isinstance(exc, getattr(bx, "LoginError", ())):  # `aws login` sessions: botocore >= 1.42
        return BedrockProfileError(
            ExitCode.CREDENTIALS_OR_CONFIG, first_line, hint=f"run `aws login --profile {name}`"
        )
    if isinstance(exc, bx.MissingDependencyException):
        return BedrockProfileError(
            ExitCode.CREDENTIALS_OR_CONFIG,
            first_line,
            hint="install it where bedrock-profile runs: pip install 'botocore[crt]'",
        )
    return None


def credentials_error(exc: Exception, profile: str | None) -> BedrockProfileError:
    """Any failure while resolving credentials is a credentials error (exit 9): botocore's own, and
    what its providers let through, e.g. RuntimeError for credentials still expired after a refresh."""
    try:
        return translate(exc, profile=profile)
    except Exception:  # translate re-raises what it does not know
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        hint = _hint_for_credentials(profile)
        if "expired" in first_line:
            hint = (
                f"the credentials of {f'profile {profile!r}' if profile else 'the default profile'} "
                "were already expired when issued: renew them at their source, and check the clock"
            )
        return BedrockProfileError(
            ExitCode.CREDENTIALS_OR_CONFIG, f"could not get credentials: {first_line}", hint=hint
        )


def _network_failures() -> tuple[type[BaseException], ...]:
    import http.client

    import urllib3.exceptions

    return (urllib3.exceptions.HTTPError, http.client.HTTPException, ConnectionError, TimeoutError)


def _unknown_region(region: str | None) -> str | None:
    """A hint when ``region`` is no region botocore's endpoint data knows (a typo such as us-east-1a)."""
    if not region:
        return None
    from bedrock_profile_cli.regions import unknown

    is_unknown, closest = unknown(region)
    if not is_unknown:
        return None
    guess = f"; did you mean {closest}?" if closest else ""
    return f"{region!r} is not a region botocore knows: check --region or AWS_REGION{guess}"


def _service_hint(
    exit_code: ExitCode, operation: str | None, region: str | None, code: str = ""
) -> str | None:
    unknown = _unknown_region(region)
    if unknown is not None and exit_code == ExitCode.CREDENTIALS_OR_CONFIG:
        return unknown  # what AWS answers a request signed for a name that is no region
    if code.isdigit():  # no error code, only an HTTP status: no Bedrock answer (a redirect, a proxy)
        return (
            f"the endpoint answered HTTP {code} without a Bedrock error; is --endpoint-url (or "
            "AWS_ENDPOINT_URL_BEDROCK) right?"
        )
    if code == "UnrecognizedClientException":  # also what an opt-in region not enabled answers
        return (
            f"the credentials were rejected, or {region or 'the region'} is an opt-in region that is not "
            "enabled for this account: enable it (Account settings, AWS Regions) or choose another "
            "--region; otherwise refresh the credentials (aws sso login, new session token)"
        )
    if exit_code == ExitCode.NOT_FOUND and operation == GET_PROFILE:
        return (
            f"looked up in region {region}; an application profile exists in one region and account "
            f"only: check --region/--profile, or run `bedrock-profile list -r {region}`"
        )
    if exit_code == ExitCode.ACCESS_DENIED:
        action = f"bedrock:{operation}" if operation else "the Bedrock permission for this call"
        return f"the caller needs {action}; check --profile and the policies of its role"
    return {
        ExitCode.THROTTLED: "the request rate is over the account's quota; wait and retry, or raise "
        "AWS_MAX_ATTEMPTS",
        ExitCode.INTERNAL_SERVER: "the service failed; retry later",
        ExitCode.CREDENTIALS_OR_CONFIG: "the credentials were rejected or have expired; refresh them "
        "(aws sso login, new session token) or check --profile",
    }.get(exit_code)


def _from_client_error(
    exc: BaseException, operation: str | None, identifier: str | None, region: str | None
) -> BedrockProfileError:
    response = getattr(exc, "response", None)
    response = response if isinstance(response, Mapping) else {}
    error = response.get("Error")
    error = error if isinstance(error, Mapping) else {}
    meta = response.get("ResponseMetadata")
    meta = meta if isinstance(meta, Mapping) else {}
    code = str(error.get("Code") or "UnknownError")
    exit_code = exit_code_for_aws_error(code)
    retries = meta.get("RetryAttempts")
    request_id = meta.get("RequestId")
    return BedrockProfileError(
        exit_code,
        str(error.get("Message") or exc),
        aws_code=code,
        request_id=str(request_id) if request_id else None,
        identifier=identifier,
        attempts=retries + 1 if isinstance(retries, int) else None,
        hint=_service_hint(exit_code, operation, region, code),
        operation=operation,
    )


def translate(
    exc: BaseException,
    *,
    operation: str | None = None,
    identifier: str | None = None,
    region: str | None = None,
    profile: str | None = None,
) -> BedrockProfileError:
    """Turn anything botocore raises into our error type with its exit code and a hint."""
    if isinstance(exc, BedrockProfileError):
        return exc
    from botocore import exceptions as bx
    from botocore.parsers import ResponseParserError

    if isinstance(exc, bx.ClientError):
        return _from_client_error(exc, operation, identifier, region)
    provider_error = _provider_error(exc, profile)
    if provider_error is not None:
        provider_error.identifier = identifier
        return provider_error
    if isinstance(exc, ValueError) and "endpoint" in str(exc).lower():
        return BedrockProfileError(
            ExitCode.CREDENTIALS_OR_CONFIG,
            str(exc),
            identifier=identifier,
            hint="--endpoint-url (or AWS_ENDPOINT_URL_BEDROCK) must be a URL such as http://127.0.0.1:5000",
            operation=operation,
        )
    # botocore's own errors, most specific first: (classes, exit code, message prefix, hint)
    rules: tuple[tuple[tuple[type[BaseException], ...], ExitCode, str, str | None], ...] = (
        (
            (bx.ProfileNotFound,),
            ExitCode.CREDENTIALS_OR_CONFIG,
            "",
            "list profiles with `aws configure list-profiles`",
        ),
        (
            (bx.NoRegionError,),
            ExitCode.CREDENTIALS_OR_CONFIG,
            "no AWS region is configured: ",
            "pass --region, set AWS_REGION, or give an ARN that names its region",
        ),
        (
            (
                bx.NoCredentialsError,
                bx.PartialCredentialsError,
                bx.CredentialRetrievalError,
                bx.TokenRetrievalError,
                bx.SSOError,
                bx.RefreshWithMFAUnsupportedError,
            ),
            ExitCode.CREDENTIALS_OR_CONFIG,
            "",
            _hint_for_credentials(profile),
        ),
        (
            (bx.ConnectTimeoutError, bx.ReadTimeoutError),
            ExitCode.NETWORK,
            "",
            "the endpoint did not answer in time (--connect-timeout, --read-timeout, --attempt-timeout); "
            "check the network, proxy or --endpoint-url",
        ),
        (
            (bx.SSLError,),
            ExitCode.NETWORK,
            "",
            "TLS failed; check AWS_CA_BUNDLE, a proxy that intercepts TLS, or the endpoint URL",
        ),
        (
            (bx.ConnectionError, bx.HTTPClientError),  # refused, closed mid-response, proxy
            ExitCode.NETWORK,
            "",
            "the endpoint could not be reached; check the network, proxy, region or --endpoint-url",
        ),
        (
            (ResponseParserError,),
            ExitCode.SERVICE,
            "the response could not be parsed: ",
            "is --endpoint-url a Bedrock endpoint? rerun with --debug to see the response",
        ),
        (
            (bx.PaginationError,),  # the same nextToken twice
            ExitCode.SERVICE,
            "the response could not be paged: ",
            "is --endpoint-url a Bedrock endpoint? --max-items stops paging once it has enough",
        ),
        ((bx.ParamValidationError,), ExitCode.VALIDATION, "", None),
        ((bx.BotoCoreError,), ExitCode.CREDENTIALS_OR_CONFIG, "", None),
        (
            _network_failures(),  # what escapes botocore's wrapping of urllib3 and the socket
            ExitCode.NETWORK,
            "",
            "the connection failed; check the network, proxy or --endpoint-url",
        ),
    )
    for classes, exit_code, prefix, hint in rules:
        if isinstance(exc, classes):
            lines = str(exc).strip().splitlines() or [type(exc).__name__]
            # botocore's parameter errors put the reason on the lines after a bare heading.
            first_line = " ".join(line.strip() for line in lines) if lines[0].endswith(":") else lines[0]
            return BedrockProfileError(
                exit_code, prefix + first_line, identifier=identifier, hint=hint, operation=operation
            )
    raise exc
