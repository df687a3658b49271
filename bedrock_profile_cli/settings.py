"""The program's name, its environment variables, the choices its options accept, and defaults.

Defined once here: README, ``--help`` and the tests read from (or are checked against) this module.
Nothing here imports anything heavy: it is read on every run, ``--help`` and TAB included.
"""

from __future__ import annotations

from collections.abc import Mapping

PROG = "bedrock-profile"

OUTPUT_ENV = "BEDROCK_PROFILE_OUTPUT"
EMULATOR_ENV = "BEDROCK_PROFILE_EMULATOR"
EMULATOR_PAGE_SIZE_ENV = "BEDROCK_PROFILE_EMULATOR_PAGE_SIZE"
# The emulator's ListInferenceProfiles pages: at most this many profiles, whatever maxResults asks
# (short pages, as the service may send them), so every consumer follows nextToken for real.
EMULATOR_DEFAULT_PAGE_SIZE = 10
ERROR_FORMAT_ENV = "BEDROCK_PROFILE_ERROR_FORMAT"
# Set by the completion scripts when they ask the program for candidates (click's protocol).
COMPLETE_VAR = "_BEDROCK_PROFILE_COMPLETE"

# Choices, each in its canonical spelling: every option accepts any case and gets this one.
ERROR_FORMATS = ("text", "json")
RETRY_MODES = ("standard", "adaptive", "legacy")
COLOR_MODES = ("auto", "always", "never")
# botocore's Bedrock model: InferenceProfileType and InferenceProfileStatus (a test compares).
PROFILE_TYPES = ("SYSTEM_DEFINED", "APPLICATION")
PROFILE_STATUSES = ("ACTIVE",)
# What `diff` compares of a profile, in the order it reports them (`--ignore` takes these).
DIFF_FIELDS = ("status", "name", "models", "destinations", "tags")

DEFAULT_CONNECT_TIMEOUT = 5.0  # seconds; botocore's 60 s is far too long for an interactive lookup
DEFAULT_READ_TIMEOUT = 15.0
# The whole response of one attempt (headers and body) must arrive within this: a read timeout
# bounds each read from the socket, not a body dripped a byte at a time.
DEFAULT_ATTEMPT_TIMEOUT = 30.0

# name -> what it does (shown in README; the test suite checks that README carries this table).
ENVIRONMENT: dict[str, str] = {
    OUTPUT_ENV: "default for `--output` (`table`, `wide`, `json`, `yaml` or `text`) when the flag is not "
    "given",
    ERROR_FORMAT_ENV: "default for `--error-format` (`text` or `json`)",
    "GITHUB_ACTIONS": "`true`: `check` also prints failures as `::error` workflow commands (annotations), "
    "unless `--error-format json`",
    EMULATOR_ENV: "`1`/`true`/`yes`/`on` acts as `--emulator` (`0`/`false`/`no`/`off` or empty: not): "
    "answer from the built-in emulator, no AWS account",
    EMULATOR_PAGE_SIZE_ENV: "profiles per ListInferenceProfiles page the emulator sends at most, whatever "
    f"`maxResults` asks (default {EMULATOR_DEFAULT_PAGE_SIZE}; 1-1000), for `--emulator` and as the "
    "default of `bedrock-profile emulator --page-size`",
    "NO_COLOR": "non-empty: no colour (with `--color auto`)",
    "CLICOLOR_FORCE": "non-empty and not `0`: colour even when not a terminal (with `--color auto`)",
    "FORCE_COLOR": "same as `CLICOLOR_FORCE`",
    "TERM": "`dumb` turns colour off (with `--color auto`)",
    "COLUMNS": "table width when stdout is not a terminal (default 80)",
    "XDG_CACHE_HOME": "where the cache lives on Linux (default `~/.cache`): `bedrock-profile/profiles/` "
    "(IDs that `list` saw, for TAB) and `bedrock-profile/botocore-data/` (parsed botocore models)",
    "AWS_PROFILE": "named profile when `--profile` is not given (read by botocore)",
    "AWS_REGION": "region when `--region` is not given and the identifier is not an ARN with a region",
    "AWS_DEFAULT_REGION": "as `AWS_REGION`, lower precedence",
    "AWS_ENDPOINT_URL_BEDROCK": "Bedrock endpoint when `--endpoint-url` is not given (read by botocore)",
    "AWS_ENDPOINT_URL": "endpoint for every AWS service, lower precedence (read by botocore)",
    "AWS_CONFIG_FILE": "AWS config file (read by botocore)",
    "AWS_SHARED_CREDENTIALS_FILE": "AWS credentials file (read by botocore)",
    "AWS_ACCESS_KEY_ID": "credentials, as every AWS tool reads them "
    "(also `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`)",
    "AWS_ROLE_ARN": "with `AWS_WEB_IDENTITY_TOKEN_FILE`: web identity credentials, as in GitHub Actions OIDC "
    "and EKS (read by botocore; see [Credentials](#credentials) for every provider)",
    "AWS_MAX_ATTEMPTS": "total attempts per request, retries included (read by botocore)",
    "AWS_RETRY_MODE": "`legacy`, `standard` or `adaptive` (read by botocore)",
}

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


def env_flag(env: Mapping[str, str], name: str) -> bool:
    """An on/off environment variable; a value that is neither is a usage error, not silently off."""
    value = env.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

    raise BedrockProfileError(
        ExitCode.USAGE,
        f"{name}={env.get(name)!r} is not an on/off value",
        hint=f"use one of {', '.join(sorted(_TRUE))} or {', '.join(sorted(_FALSE - {''}))}",
    )


def env_choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str | None:
    """An environment variable that stands for an option's choice, matched as the option matches."""
    value = env.get(name, "").strip()
    if not value:
        return None
    for choice in choices:
        if choice.lower() == value.lower():
            return choice
    from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

    raise BedrockProfileError(
        ExitCode.USAGE, f"{name}={value!r} is not one of {', '.join(choices)}", hint=f"unset {name} or fix it"
    )


def env_page_size(env: Mapping[str, str]) -> int:
    """The emulator's page size from the environment (default when unset or empty)."""
    value = env.get(EMULATOR_PAGE_SIZE_ENV, "").strip()
    if not value:
        return EMULATOR_DEFAULT_PAGE_SIZE
    if value.isdigit() and 1 <= int(value) <= 1000:
        return int(value)
    from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

    raise BedrockProfileError(
        ExitCode.USAGE,
        f"{EMULATOR_PAGE_SIZE_ENV}={value!r} is not a whole number from 1 to 1000",
        hint=f"unset {EMULATOR_PAGE_SIZE_ENV} or fix it",
    )


def environment_table_markdown() -> str:
    """The environment table as README carries it."""
    rows = ["| variable | effect |", "|---|---|"]
    rows += [f"| `{name}` | {effect} |" for name, effect in ENVIRONMENT.items()]
    return "\n".join(rows)
