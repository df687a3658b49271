"""Environment variables the tool reads: defined once here; README and the tests check against it."""

from __future__ import annotations

OUTPUT_ENV = "BEDROCK_PROFILE_OUTPUT"
EMULATOR_ENV = "BEDROCK_PROFILE_EMULATOR"
ERROR_FORMAT_ENV = "BEDROCK_PROFILE_ERROR_FORMAT"

OUTPUT_FORMATS = ("table", "json", "yaml", "text")
ERROR_FORMATS = ("text", "json")
RETRY_MODES = ("standard", "adaptive", "legacy")
DEFAULT_CONNECT_TIMEOUT = 5.0  # seconds; botocore's 60 s is far too long for an interactive lookup
DEFAULT_READ_TIMEOUT = 15.0
COLOR_MODES = ("auto", "always", "never")

# name -> what it does (shown in README; the test suite checks that README names every one).
ENVIRONMENT: dict[str, str] = {
    OUTPUT_ENV: "default for `--output` (`table`, `json`, `yaml` or `text`) when the flag is not given",
    ERROR_FORMAT_ENV: "default for `--error-format` (`text` or `json`)",
    "GITHUB_ACTIONS": "`true`: `check` also prints failures as `::error` workflow commands (annotations)",
    EMULATOR_ENV: "`1`/`true` acts as `--emulator`: answer from the built-in emulator, no AWS account",
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
    "AWS_MAX_ATTEMPTS": "total attempts per request, retries included (read by botocore)",
    "AWS_RETRY_MODE": "`legacy`, `standard` or `adaptive` (read by botocore)",
}


def truthy(value: str | None) -> bool:
    """How the tool reads an on/off environment variable."""
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def environment_table_markdown() -> str:
    """The environment table as README carries it."""
    rows = ["| variable | effect |", "|---|---|"]
    rows += [f"| `{name}` | {effect} |" for name, effect in ENVIRONMENT.items()]
    return "\n".join(rows)
