"""The command line: Typer commands that parse and delegate, and ``main()``, the one place where
errors become one line on stderr and an exit code."""

import functools
import inspect
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import Any, Optional, TypeVar

import typer

from bedrock_profile_cli import __version__
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode, exit_code_table_text
from bedrock_profile_cli.settings import COLOR_MODES, EMULATOR_ENV, OUTPUT_ENV, OUTPUT_FORMATS
from bedrock_profile_cli.textsafe import printable

PROG = "bedrock-profile"

HELP = f"""Inspect Amazon Bedrock inference profiles.

\b
Exit codes:
{exit_code_table_text()}
"""

app = typer.Typer(
    name=PROG,
    help=HELP,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


OutputFormat = Enum("OutputFormat", {name.upper(): name for name in OUTPUT_FORMATS}, type=str)  # type: ignore[misc]
ColorMode = Enum("ColorMode", {name.upper(): name for name in COLOR_MODES}, type=str)  # type: ignore[misc]


def _value(choice: Any) -> Any:
    return choice.value if isinstance(choice, Enum) else choice


@dataclass
class CommonOptions:
    """The options every AWS-facing command accepts after its name."""

    profile: Optional[str] = None
    region: Optional[str] = None
    endpoint_url: Optional[str] = None
    output: Optional[str] = None
    color: str = "auto"
    debug: bool = False
    emulator: bool = False

    def aws_settings(self) -> Any:
        from bedrock_profile_cli.aws import AwsSettings

        return AwsSettings(
            profile=None if self.emulator else self.profile,
            region=self.region,
            endpoint_url=None if self.emulator else self.endpoint_url,
            emulator=self.emulator,
        )

    def output_format(self) -> str:
        from bedrock_profile_cli.terminal import default_output

        return (self.output or default_output(sys.stdout)).lower()

    def stdout_color(self) -> bool:
        from bedrock_profile_cli.terminal import use_color

        return use_color(self.color, sys.stdout)


@dataclass
class RunState:
    """What ``main()`` needs to know about the run once options are parsed."""

    common: Optional[CommonOptions] = None

    @property
    def debug(self) -> bool:
        return bool(self.common and self.common.debug)


RUN = RunState()

_COMMON_PARAMETERS = (
    (
        "profile",
        Optional[str],
        typer.Option(
            None,
            "--profile",
            "-p",
            metavar="NAME",
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


def common_options(func: F) -> F:
    """Give a command the common options, defined once here, gathered into ``common``."""
    signature = inspect.signature(func)
    names = [name for name, _, _ in _COMMON_PARAMETERS]
    parameters = [p for p in signature.parameters.values() if p.name != "common"]
    parameters += [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=info, annotation=annotation)
        for name, annotation, info in _COMMON_PARAMETERS
    ]

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        common = CommonOptions(**{name: _value(kwargs.pop(name)) for name in names})
        RUN.common = common
        if common.debug:
            from bedrock_profile_cli import debuglog
            from bedrock_profile_cli.aws import SECRETS

            debuglog.enable(sys.stderr, lambda: SECRETS.values)
        try:
            return func(common=common, **kwargs)
        except KeyboardInterrupt:
            raise BedrockProfileError(ExitCode.INTERRUPTED, "interrupted") from None

    annotations = {k: v for k, v in func.__annotations__.items() if k != "common"}
    annotations.update({name: annotation for name, annotation, _ in _COMMON_PARAMETERS})
    wrapper.__annotations__ = annotations
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


# --- reporting -----------------------------------------------------------------------------------


def _stderr_color() -> bool:
    from bedrock_profile_cli.terminal import use_color

    return use_color(RUN.common.color if RUN.common else "auto", sys.stderr)


def _say(kind: str, text: str, ansi: str) -> None:
    label = f"\x1b[{ansi}m{kind}\x1b[0m" if _stderr_color() else kind
    sys.stderr.write(f"{PROG}: {label}: {text}\n")
    sys.stderr.flush()


def report(error: BedrockProfileError) -> None:
    """One line on stderr: what failed, the AWS error code, request ID, and a hint."""
    _say("error", error.line(), "1;31")


def warn(text: str) -> None:
    _say("warning", printable(text), "1;33")


def _emulator_server_module() -> Any:
    """The emulator's server module, or exit 9 with the install hint when moto is missing."""
    try:
        import moto  # noqa: F401  (the emulator extra)

        from bedrock_profile_cli.emulator import server
    except ImportError as exc:
        raise BedrockProfileError(
            ExitCode.CREDENTIALS,
            f"the emulator is not installed ({exc})",
            hint="pip install 'bedrock-profile[emulator]'",
        ) from exc
    return server


@contextmanager
def _emulator_if(common: CommonOptions) -> Iterator[None]:
    if not common.emulator:
        yield
        return
    server = _emulator_server_module()
    if common.profile or common.endpoint_url:
        warn("--profile and --endpoint-url are ignored with --emulator")
    with server.in_process():
        yield


# --- commands --------------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Inspect Amazon Bedrock inference profiles."""


@app.command()
@common_options
def get(
    identifiers: list[str] = typer.Argument(
        ..., metavar="ID_OR_ARN", help="Inference profile IDs or ARNs.", show_default=False
    ),
    *,
    common: CommonOptions,
) -> int:
    """Show inference profiles (GetInferenceProfile), as a table, JSON or YAML.

    Several identifiers are fetched concurrently and printed in argument order (a JSON array, a YAML
    list, or one table each); failures go to stderr and the exit code is the first failure's.
    """
    from bedrock_profile_cli import aws
    from bedrock_profile_cli.identifiers import parse
    from bedrock_profile_cli.render import render_profiles

    parsed, invalid = [], []
    for raw in identifiers:
        try:
            parsed.append(parse(raw))
        except BedrockProfileError as err:
            invalid.append(err)
    if invalid:  # nothing is sent when any identifier is malformed
        for problem in invalid:
            report(problem)
        return int(invalid[0].exit_code)

    fmt = common.output_format()
    with _emulator_if(common):
        outcomes = aws.get_profiles(parsed, common.aws_settings(), warn=warn)
    profiles = [o.profile for o in outcomes if o.profile is not None]
    many = len(identifiers) > 1
    if profiles or (many and fmt != "table"):
        render_profiles(profiles, fmt, many=many, stream=sys.stdout, color=common.stdout_color())
    failures = [o.error for o in outcomes if o.error is not None]
    for failure in failures:
        report(failure)
    return int(failures[0].exit_code) if failures else 0


@app.command()
def emulator(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(0, "--port", min=0, max=65535, help="Port to listen on; 0 picks a free one."),
) -> int:
    """Serve the built-in Bedrock emulator (moto with inference profiles) until Ctrl-C.

    Prints the AWS_ENDPOINT_URL_BEDROCK=... line to use; any credentials are accepted.
    """
    import signal
    import threading

    module = _emulator_server_module()
    try:
        server = module.EmulatorServer(host, port).start()
    except OSError as exc:
        raise BedrockProfileError(
            ExitCode.NETWORK, f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from exc
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    sys.stdout.write(f"AWS_ENDPOINT_URL_BEDROCK={server.url}\n")
    sys.stdout.flush()
    sys.stderr.write(
        f"{PROG}: emulator listening on {server.url} (any credentials work, e.g. "
        "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing); Ctrl-C stops it\n"
    )
    sys.stderr.flush()
    try:
        while not stopped.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


# --- the error boundary ------------------------------------------------------------------------------


def _show_traceback(exc: BaseException) -> None:
    from bedrock_profile_cli.aws import SECRETS
    from bedrock_profile_cli.debuglog import redact

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    sys.stderr.write(redact(text, SECRETS.values))


def main(argv: Optional[list[str]] = None) -> int:
    """Run the CLI and return the exit code; every exception ends here."""
    RUN.common = None
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name=PROG, standalone_mode=False)
        # typer turns a Ctrl-C outside a command into exit 130 with no message.
        return int(result) if isinstance(result, int) else 0
    except KeyboardInterrupt:
        return _interrupted()
    except BedrockProfileError as exc:
        if exc.exit_code == ExitCode.INTERRUPTED:
            return _interrupted()
        if RUN.debug:
            _show_traceback(exc)
        report(exc)
        return int(exc.exit_code)
    except Exception as exc:
        if _is_usage_error(exc):  # click's UsageError & co. (typer may vendor click)
            exc.show()  # type: ignore[attr-defined]
            return int(getattr(exc, "exit_code", ExitCode.USAGE))
        if RUN.debug:
            _show_traceback(exc)
        report(
            BedrockProfileError(
                ExitCode.INTERNAL,
                f"internal error: {type(exc).__name__}: {exc}",
                hint="this is a bug; rerun with --debug for a traceback and report it",
            )
        )
        return int(ExitCode.INTERNAL)


def _is_usage_error(exc: BaseException) -> bool:
    return any(cls.__name__ == "ClickException" for cls in type(exc).__mro__) and hasattr(exc, "show")


def _interrupted() -> int:
    sys.stderr.write(f"{PROG}: interrupted\n")
    return int(ExitCode.INTERRUPTED)


def run() -> None:
    """Console-script entry point."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    if code == ExitCode.INTERRUPTED:
        # Worker threads may still be waiting on the network: do not wait for them.
        os._exit(code)
    sys.exit(code)
