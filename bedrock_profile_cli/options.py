"""The options every AWS-facing command accepts after its name, defined once, and the state of
the run that ``main()`` reads once they are parsed."""

import functools
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Optional, TypeVar

import typer

from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.settings import (
    COLOR_MODES,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    EMULATOR_ENV,
    ERROR_FORMAT_ENV,
    ERROR_FORMATS,
    OUTPUT_ENV,
    OUTPUT_FORMATS,
    RETRY_MODES,
)

OutputFormat = Enum("OutputFormat", {n.upper(): n for n in OUTPUT_FORMATS}, type=str)  # type: ignore[misc]
ColorMode = Enum("ColorMode", {n.upper(): n for n in COLOR_MODES}, type=str)  # type: ignore[misc]
RetryMode = Enum("RetryMode", {n.upper(): n for n in RETRY_MODES}, type=str)  # type: ignore[misc]
ErrorFormat = Enum("ErrorFormat", {n.upper(): n for n in ERROR_FORMATS}, type=str)  # type: ignore[misc]


def _value(choice: Any) -> Any:
    return choice.value if isinstance(choice, Enum) else choice


@dataclass
class CommonOptions:
    profile: Optional[str] = None
    region: Optional[str] = None
    endpoint_url: Optional[str] = None
    output: Optional[str] = None
    query: Optional[str] = None
    color: str = "auto"
    error_format: str = "text"
    debug: bool = False
    emulator: bool = False
    max_attempts: Optional[int] = None
    retry_mode: Optional[str] = None
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT

    def aws_settings(self) -> Any:
        from bedrock_profile_cli.aws import AwsSettings

        return AwsSettings(
            profile=None if self.emulator else self.profile,
            region=self.region,
            endpoint_url=None if self.emulator else self.endpoint_url,
            emulator=self.emulator,
            max_attempts=self.max_attempts,
            retry_mode=self.retry_mode,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
        )

    def output_format(self) -> str:
        from bedrock_profile_cli.terminal import default_output

        return (self.output or default_output(sys.stdout)).lower()

    def stdout_color(self) -> bool:
        from bedrock_profile_cli.terminal import use_color

        return use_color(self.color, sys.stdout)

    def apply_query(self, document: Any) -> Any:
        if self.query is None:
            return document
        return compile_query(self.query).search(document)


def compile_query(expression: str) -> Any:
    """A compiled JMESPath expression; an invalid one is a usage error with the parser's message."""
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        return jmespath.compile(expression)
    except JMESPathError as exc:
        message = " ".join(str(exc).split())
        raise BedrockProfileError(ExitCode.USAGE, f"invalid --query: {message}") from exc


@dataclass
class RunState:
    """What ``main()`` needs to know about the run once options are parsed."""

    common: Optional[CommonOptions] = None

    @property
    def debug(self) -> bool:
        return bool(self.common and self.common.debug)


RUN = RunState()


def _complete_profile(incomplete: str) -> list[str]:
    from bedrock_profile_cli.completion import complete_profile

    return complete_profile(incomplete)


def _complete_region(incomplete: str) -> list[str]:
    from bedrock_profile_cli.completion import complete_region

    return complete_region(incomplete)


def complete_identifier(ctx: typer.Context, args: list[str], incomplete: str) -> list[str]:
    """Identifiers that `list` has seen in the region named on the command line (or configured)."""
    from bedrock_profile_cli.completion import complete_identifier as complete

    return complete(ctx.params.get("region"), incomplete, ctx.params.get("identifiers") or [])


def complete_choices(*choices: str) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        return [c for c in choices if c.lower().startswith(incomplete.lower())]

    return complete


COMMON_PARAMETERS: tuple[tuple[str, Any, Any], ...] = (
    (
        "profile",
        Optional[str],
        typer.Option(
            None,
            "--profile",
            "-p",
            metavar="NAME",
            autocompletion=_complete_profile,
            help="AWS named profile (default: AWS_PROFILE, else default).",
            show_default=False,
        ),
    ),
    (
        "region",
        Optional[str],
        typer.Option(
            None,
            "--region",
            "-r",
            metavar="REGION",
            autocompletion=_complete_region,
            help="AWS region (default: the ARN's region, else AWS_REGION / the profile's).",
            show_default=False,
        ),
    ),
    (
        "endpoint_url",
        Optional[str],
        typer.Option(
            None,
            "--endpoint-url",
            metavar="URL",
            help="Bedrock endpoint URL (default: AWS_ENDPOINT_URL_BEDROCK / AWS_ENDPOINT_URL).",
            show_default=False,
        ),
    ),
    (
        "output",
        Optional[OutputFormat],
        typer.Option(
            None,
            "--output",
            "-o",
            envvar=OUTPUT_ENV,
            case_sensitive=False,
            help=f"Output format [default: table on a terminal, else json; env {OUTPUT_ENV}].",
            show_default=False,
            show_envvar=False,
        ),
    ),
    (
        "query",
        Optional[str],
        typer.Option(
            None,
            "--query",
            "-q",
            metavar="JMESPATH",
            help="JMESPath expression applied to what would be printed, as in the AWS CLI.",
            show_default=False,
        ),
    ),
    (
        "color",
        ColorMode,
        typer.Option(
            "auto",
            "--color",
            help="Colour: auto honours NO_COLOR, CLICOLOR_FORCE/FORCE_COLOR, TERM=dumb "
            "and whether the stream is a terminal.",
        ),
    ),
    (
        "error_format",
        ErrorFormat,
        typer.Option(
            "text",
            "--error-format",
            envvar=ERROR_FORMAT_ENV,
            case_sensitive=False,
            help=f"Errors on stderr as text lines or one JSON object per line (env {ERROR_FORMAT_ENV}).",
            show_envvar=False,
        ),
    ),
    (
        "max_attempts",
        Optional[int],
        typer.Option(
            None,
            "--max-attempts",
            min=1,
            metavar="N",
            help="Attempts per request, retries included (default: AWS_MAX_ATTEMPTS / config, else 3).",
            show_default=False,
        ),
    ),
    (
        "retry_mode",
        Optional[RetryMode],
        typer.Option(
            None,
            "--retry-mode",
            case_sensitive=False,
            help="botocore retry mode (default: AWS_RETRY_MODE / config, else standard).",
            show_default=False,
        ),
    ),
    (
        "connect_timeout",
        float,
        typer.Option(
            DEFAULT_CONNECT_TIMEOUT, "--connect-timeout", min=0.1, metavar="SECONDS", help="Connect timeout."
        ),
    ),
    (
        "read_timeout",
        float,
        typer.Option(
            DEFAULT_READ_TIMEOUT, "--read-timeout", min=0.1, metavar="SECONDS", help="Read timeout."
        ),
    ),
    (
        "debug",
        bool,
        typer.Option(
            False,
            "--debug",
            help="Log requests and responses to stderr (secrets redacted); tracebacks on errors.",
        ),
    ),
    (
        "emulator",
        bool,
        typer.Option(
            False,
            "--emulator",
            envvar=EMULATOR_ENV,
            help="Answer from the built-in emulator, in process: no AWS account needed "
            f"(needs the 'emulator' extra; env {EMULATOR_ENV}=1).",
            show_envvar=False,
        ),
    ),
)

F = TypeVar("F", bound=Callable[..., Any])


def guarded(func: F) -> F:
    """Turn Ctrl-C and a closed stdout into our errors inside the command, before typer sees them
    (it would exit 130 silently, or 1 for a broken pipe)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KeyboardInterrupt:
            raise BedrockProfileError(ExitCode.INTERRUPTED, "interrupted") from None
        except BrokenPipeError:
            raise BedrockProfileError(ExitCode.BROKEN_PIPE, "stdout closed") from None

    return wrapper  # type: ignore[return-value]


def common_options(func: F) -> F:
    """Give a command the common options, defined once here, gathered into ``common``."""
    signature = inspect.signature(func)
    names = [name for name, _, _ in COMMON_PARAMETERS]
    parameters = [p for p in signature.parameters.values() if p.name != "common"]
    parameters += [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=info, annotation=annotation)
        for name, annotation, info in COMMON_PARAMETERS
    ]

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        common = CommonOptions(**{name: _value(kwargs.pop(name)) for name in names})
        RUN.common = common
        if common.debug:
            from bedrock_profile_cli import debuglog
            from bedrock_profile_cli.aws import SECRETS

            debuglog.enable(sys.stderr, lambda: SECRETS.values)
        if common.query is not None:
            compile_query(common.query)  # a bad expression fails before any request
        return guarded(func)(common=common, **kwargs)

    annotations = {k: v for k, v in func.__annotations__.items() if k != "common"}
    annotations.update({name: annotation for name, annotation, _ in COMMON_PARAMETERS})
    wrapper.__annotations__ = annotations
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
