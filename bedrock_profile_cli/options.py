"""How commands get their options: the common options every AWS-facing command accepts (defined
once), the one mechanism for choice options, and the decorators that hand a command its
:class:`~bedrock_profile_cli.context.RunContext`.

Every choice option is case-insensitive (the value arrives in its canonical spelling), is checked
before any request, is completed by the shell, and lists its choices in ``--help``.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from typing import Any, Optional, TypeVar, cast

import typer

from bedrock_profile_cli.context import CommonOptions, RunContext
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.output.formats import FORMATS
from bedrock_profile_cli.settings import (
    COLOR_MODES,
    DEFAULT_ATTEMPT_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    EMULATOR_ENV,
    ERROR_FORMAT_ENV,
    ERROR_FORMATS,
    OUTPUT_ENV,
    RETRY_MODES,
    env_choice,
    env_flag,
)

R = TypeVar("R")


def choice(default: Optional[str] | list[str], *names: str, choices: tuple[str, ...], help: str) -> Any:
    """A choice option: any case accepted, canonical spelling delivered, completed, listed in help.
    A default of ``[]`` (with a ``list[str]`` parameter) makes it repeatable, each value checked.

    (``Any``, as ``typer.Option`` itself: Typer's idiom puts the option where the default goes.)"""

    def one(value: str) -> str:
        for known in choices:
            if known.lower() == value.lower():
                return known
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}")

    def canonical(value: Optional[str] | list[str] | tuple[str, ...]) -> Optional[str] | list[str]:
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            return [one(item) for item in value]
        return one(value)

    def complete(incomplete: str) -> list[str]:
        return [c for c in choices if c.lower().startswith(incomplete.lower())]

    return typer.Option(
        default,
        *names,
        metavar="[" + "|".join(choices) + "]",
        callback=canonical,
        autocompletion=complete,
        help=help,
        show_default=bool(default),
    )


def seconds(default: float, *names: str, low: float, high: float, help: str) -> Any:
    """A duration option: a finite number of seconds in [low, high], refused (exit 2) otherwise,
    ``nan`` and ``inf`` included (a plain float option lets them through its min/max check)."""

    def checked(value: float) -> float:
        if not math.isfinite(value) or not low <= value <= high:
            raise typer.BadParameter(f"{value!r} is not a number of seconds from {low:g} to {high:g}")
        return value

    return typer.Option(default, *names, metavar="SECONDS", callback=checked, help=help)


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


def _complete_regions(incomplete: str) -> list[str]:
    """A region name after the last comma of ``--regions us-east-1,eu-``."""
    head, comma, last = incomplete.rpartition(",")
    return [head + comma + region for region in _complete_region(last)]


REGIONS = typer.Option(
    [],
    "--regions",
    metavar="R1,R2",
    autocompletion=_complete_regions,
    help="Ask each of these source regions (comma-separated; repeatable) instead of one.",
    show_default=False,
)
ALL_REGIONS = typer.Option(
    False,
    "--all-regions",
    help="Ask every region where botocore's endpoint data lists Bedrock, in the partition of the "
    "configured region (33 commercial regions today).",
)

IDENTIFIERS = typer.Argument(
    ...,
    metavar="ID_OR_ARN",
    help="Inference profile IDs or ARNs.",
    show_default=False,
    autocompletion=complete_identifier,
)

# (parameter name, annotation, option); gathered into CommonOptions by with_common_options.
COMMON_PARAMETERS: tuple[tuple[str, object, object], ...] = (
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
        Optional[str],
        choice(
            None,
            "--output",
            "-o",
            choices=FORMATS,
            help=f"Output format [default: {OUTPUT_ENV}, else table on a terminal and json otherwise].",
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
        str,
        choice(
            "auto",
            "--color",
            choices=COLOR_MODES,
            help="Colour: auto honours NO_COLOR, CLICOLOR_FORCE/FORCE_COLOR, TERM=dumb "
            "and whether the stream is a terminal.",
        ),
    ),
    (
        "error_format",
        Optional[str],
        choice(
            None,
            "--error-format",
            choices=ERROR_FORMATS,
            help=f"Errors on stderr as text lines or one JSON object per line [default: {ERROR_FORMAT_ENV}, "
            "else text].",
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
        Optional[str],
        choice(
            None,
            "--retry-mode",
            choices=RETRY_MODES,
            help="botocore retry mode (default: AWS_RETRY_MODE / config, else standard).",
        ),
    ),
    (
        "connect_timeout",
        float,
        seconds(DEFAULT_CONNECT_TIMEOUT, "--connect-timeout", low=0.1, high=600, help="Connect timeout."),
    ),
    (
        "read_timeout",
        float,
        seconds(
            DEFAULT_READ_TIMEOUT,
            "--read-timeout",
            low=0.1,
            high=3600,
            help="Longest wait for the next bytes of a response.",
        ),
    ),
    (
        "attempt_timeout",
        float,
        seconds(
            DEFAULT_ATTEMPT_TIMEOUT,
            "--attempt-timeout",
            low=0.1,
            high=3600,
            help="Longest wait for a whole response (headers and body) in one attempt.",
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
            help="Answer from the built-in emulator, in process: no AWS account needed "
            f"(needs the 'emulator' extra; env {EMULATOR_ENV}=1).",
        ),
    ),
)
_COMMON_NAMES = tuple(name for name, _, _ in COMMON_PARAMETERS)
_CONTEXT_PARAMETER = "typer_context"


def _run_of(ctx: typer.Context) -> RunContext:
    run = ctx.find_root().obj
    if not isinstance(run, RunContext):  # the app is always started by cli.main(), which sets it
        raise TypeError("the command was started without a RunContext")
    return run


def _with_parameters(
    func: Callable[..., R],
    extra: list[tuple[str, object, object]],
    body: Callable[[RunContext, dict[str, object]], R],
) -> Callable[..., R]:
    """``func``'s signature minus its ``run`` parameter, plus the click context and ``extra``."""
    signature = inspect.signature(func)
    kept = [p for p in signature.parameters.values() if p.name != "run"]
    parameters = [
        inspect.Parameter(
            _CONTEXT_PARAMETER, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
        ),
        *kept,
        *(
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=info, annotation=annotation)
            for name, annotation, info in extra
        ),
    ]

    @functools.wraps(func)
    def wrapper(**kwargs: object) -> R:
        ctx = cast(typer.Context, kwargs.pop(_CONTEXT_PARAMETER))
        return body(_run_of(ctx), kwargs)

    annotations = {k: v for k, v in func.__annotations__.items() if k != "run"}
    annotations[_CONTEXT_PARAMETER] = typer.Context
    annotations.update({name: annotation for name, annotation, _ in extra})
    wrapper.__annotations__ = annotations
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return wrapper


def _signals_as_errors(call: Callable[[], R]) -> R:
    """Ctrl-C and a closed stdout become our errors inside the command, before click sees them
    (it would print a blank line and abort, or exit 1 for a broken pipe)."""
    try:
        return call()
    except KeyboardInterrupt:
        raise BedrockProfileError(ExitCode.INTERRUPTED, "interrupted") from None
    except BrokenPipeError:
        raise BedrockProfileError(ExitCode.BROKEN_PIPE, "stdout closed") from None


def with_run(func: Callable[..., R]) -> Callable[..., R]:
    """For a command without the common options: it receives the run as ``run``."""
    return _with_parameters(func, [], lambda run, kwargs: _signals_as_errors(lambda: func(run, **kwargs)))


def with_common_options(func: Callable[..., R]) -> Callable[..., R]:
    """Give a command the common options, gathered into ``run.options``; it receives ``run``."""

    def body(run: RunContext, kwargs: dict[str, object]) -> R:
        values = {name: kwargs.pop(name) for name in _COMMON_NAMES}
        common = CommonOptions(**values)  # type: ignore[arg-type]
        # Environment defaults, matched as the flags are (any case; a bad value is exit 2).
        common.error_format = str(
            values["error_format"] or env_choice(run.env, ERROR_FORMAT_ENV, ERROR_FORMATS) or "text"
        )
        common.emulator = bool(values["emulator"]) or env_flag(run.env, EMULATOR_ENV)
        env_choice(run.env, OUTPUT_ENV, FORMATS)  # a bad default format fails before any request
        run.options = common
        from bedrock_profile_cli.redaction import url_password

        for url in (
            common.endpoint_url,
            run.env.get("AWS_ENDPOINT_URL_BEDROCK"),
            run.env.get("AWS_ENDPOINT_URL"),
        ):
            password = url_password(url)
            if password:
                run.secrets.add(password)
        if not common.emulator:
            from bedrock_profile_cli.aws.settings import check_endpoint_url

            for source, url in (
                ("--endpoint-url", common.endpoint_url),
                ("AWS_ENDPOINT_URL_BEDROCK", run.env.get("AWS_ENDPOINT_URL_BEDROCK")),
                ("AWS_ENDPOINT_URL", run.env.get("AWS_ENDPOINT_URL")),
            ):
                if url:
                    check_endpoint_url(url, source)
        if common.debug:
            from bedrock_profile_cli import debuglog

            debuglog.enable(run.stderr, lambda: run.secrets)
        if common.query is not None:
            from bedrock_profile_cli.output.query import compile_query

            compile_query(common.query)  # a bad expression fails before any request
        return _signals_as_errors(lambda: func(run, **kwargs))

    wrapper = _with_parameters(func, list(COMMON_PARAMETERS), body)
    wrapper.takes_common_options = True  # type: ignore[attr-defined]
    return wrapper


def _common_flags() -> dict[str, bool]:
    """Every spelling of a common option (and of ``--regions``/``--all-regions``, which every
    command with the common options takes too), and whether it takes a value."""
    flags: dict[str, bool] = {"--regions": True, "--all-regions": False}
    for _, _, info in COMMON_PARAMETERS:
        takes_value = getattr(info, "default", None) is not False  # False: an on/off flag
        for decl in getattr(info, "param_decls", ()) or ():
            flags[decl] = takes_value
    return flags


def hoist_common_options(argv: list[str], commands_with_common: set[str]) -> list[str]:
    """``--region us-east-1 get X`` as ``get --region us-east-1 X``: the common options may come
    before the command name, as AWS CLI and gh users type them.  They go right after the command
    name, so that one given after it as well wins.  Anything else is left for click to judge."""
    flags = _common_flags()
    hoisted: list[str] = []
    i = 0
    while i < len(argv):
        token = argv[i]
        name = token.split("=", 1)[0]
        if name in flags and token.startswith("--"):
            takes_value = flags[name]
            hoisted.append(token)
            if takes_value and "=" not in token and i + 1 < len(argv):
                hoisted.append(argv[i + 1])
                i += 1
            i += 1
        elif token[:2] in flags and len(token) >= 2 and not token.startswith("--"):
            hoisted.append(token)  # -r REGION, or -rREGION
            if flags[token[:2]] and len(token) == 2 and i + 1 < len(argv):
                hoisted.append(argv[i + 1])
                i += 1
            i += 1
        else:
            break
    if not hoisted or i >= len(argv) or argv[i] not in commands_with_common:
        return argv
    return [argv[i], *hoisted, *argv[i + 1 :]]
