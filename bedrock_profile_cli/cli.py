"""The command line: Typer commands that parse and delegate, and ``main()``, the one place where
errors become one line on stderr and an exit code."""

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Optional

import typer

from bedrock_profile_cli import __version__
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode, exit_code_table_text
from bedrock_profile_cli.options import (
    RUN,
    CommonOptions,
    common_options,
    complete_choices,
    complete_identifier,
    guarded,
)
from bedrock_profile_cli.report import PROG, error_format, note, report, warn

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

IDENTIFIERS = typer.Argument(
    ...,
    metavar="ID_OR_ARN",
    help="Inference profile IDs or ARNs.",
    show_default=False,
    autocompletion=complete_identifier,
)
PROFILE_TYPES = ("SYSTEM_DEFINED", "APPLICATION")


def _type_option(help_text: str) -> Any:
    """``--type SYSTEM_DEFINED|APPLICATION`` (validated by :func:`_choice`, completed from the choices)."""
    return typer.Option(
        None,
        "--type",
        metavar="|".join(PROFILE_TYPES),
        help=help_text,
        autocompletion=complete_choices(*PROFILE_TYPES),
    )


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


def _parse_all(identifiers: Sequence[str]) -> list[Any]:
    """Validate every identifier; when any is malformed, report each and send nothing."""
    from bedrock_profile_cli.identifiers import parse

    parsed, invalid = [], []
    for raw in identifiers:
        try:
            parsed.append(parse(raw))
        except BedrockProfileError as err:
            invalid.append(err)
    for problem in invalid:
        report(problem)
    if invalid:
        invalid[0].reported = True  # exit with the first one's code; every line is already out
        raise invalid[0]
    return parsed


def _choice(value: Optional[str], name: str, choices: Sequence[str]) -> Optional[str]:
    if value is None:
        return None
    upper = value.upper()
    if upper not in choices:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}", param_hint=name)
    return upper


def _emit(document: Any, common: CommonOptions, table: Any = None) -> None:
    from bedrock_profile_cli.render import render_document

    document = common.apply_query(document)
    render_document(
        document,
        common.output_format(),
        stream=sys.stdout,
        color=common.stdout_color(),
        table=None if common.query is not None else table,
    )


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
def get(identifiers: list[str] = IDENTIFIERS, *, common: CommonOptions) -> int:
    """Show inference profiles (GetInferenceProfile), as a table, JSON, YAML or text.

    Several identifiers are fetched concurrently and printed in argument order (a JSON array, a YAML
    list, or one table each); failures go to stderr and the exit code is the first failure's.
    """
    from bedrock_profile_cli import aws
    from bedrock_profile_cli.render import profile_tables

    parsed = _parse_all(identifiers)
    with _emulator_if(common):
        outcomes = aws.get_profiles(parsed, common.aws_settings(), warn=warn)
    profiles = [o.profile for o in outcomes if o.profile is not None]
    many = len(identifiers) > 1
    if profiles or (many and common.output_format() != "table"):
        _emit(profiles if many else profiles[0], common, profile_tables(profiles))
    failures = [o.error for o in outcomes if o.error is not None]
    for failure in failures:
        report(failure)
    return int(failures[0].exit_code) if failures else 0


@app.command("list")
@common_options
def list_(
    type_: Optional[str] = _type_option("Only this type (filtered by the service)."),
    model: Optional[str] = typer.Option(
        None, "--model", metavar="SUBSTRING", help="Only profiles with a model ID containing this."
    ),
    max_items: Optional[int] = typer.Option(None, "--max-items", min=1, help="Print at most N profiles."),
    page_size: Optional[int] = typer.Option(
        None, "--page-size", min=1, max=1000, help="Profiles per request (maxResults)."
    ),
    *,
    common: CommonOptions,
) -> int:
    """List inference profiles (ListInferenceProfiles), all pages.

    With no --type both kinds are listed: the service's unfiltered call returns only SYSTEM_DEFINED.
    """
    from bedrock_profile_cli import aws
    from bedrock_profile_cli.identifiers import parse_model_arn
    from bedrock_profile_cli.render import summary_table

    wanted_type = _choice(type_, "--type", PROFILE_TYPES)
    with (
        _emulator_if(common),
        _progress(f"listing inference profiles in {common.region or 'the default region'}") as tick,
    ):
        bedrock = aws.Bedrock(common.aws_settings(), pool_size=2)
        summaries = bedrock.list_profiles(wanted_type, page_size=page_size, on_page=tick)
    if model:
        summaries = [
            s
            for s in summaries
            if any(model in parse_model_arn(str(m.get("modelArn", "")))[1] for m in s.get("models") or [])
        ]
    if not model and max_items is None and not common.emulator:
        from bedrock_profile_cli.completion import remember

        remember(summaries, bedrock.default_region)  # what TAB offers for get/check
    if max_items is not None:
        summaries = summaries[:max_items]
    _emit(summaries, common, lambda console: console.print(summary_table(summaries)))
    return 0


@contextmanager
def _progress(label: str) -> Iterator[Any]:
    """A spinner with a count on stderr while pages arrive, only when stderr is a terminal."""
    from bedrock_profile_cli.terminal import is_terminal

    if not is_terminal(sys.stderr) or RUN.debug:
        yield lambda count: None
        return
    from rich.console import Console

    console = Console(stderr=True, highlight=False, markup=False)
    with console.status(label) as status:
        yield lambda count: status.update(f"{label}: {count} so far")


@app.command()
@common_options
def check(
    identifiers: list[str] = IDENTIFIERS,
    status: str = typer.Option("ACTIVE", "--status", metavar="STATUS", help="Expected status."),
    type_: Optional[str] = _type_option("Expected type."),
    model: list[str] = typer.Option(
        [], "--model", metavar="MODEL", help="Routes to this model (ID or ARN); repeatable."
    ),
    in_region: list[str] = typer.Option(
        [], "--in-region", metavar="REGION", help="Some model is served in this region; repeatable."
    ),
    wait: bool = typer.Option(
        False, "--wait", help="Poll until the expectations hold (not found = not yet)."
    ),
    timeout: float = typer.Option(
        300, "--timeout", min=0, metavar="SECONDS", help="Give up waiting after this."
    ),
    interval: float = typer.Option(
        5, "--interval", min=0.1, metavar="SECONDS", help="Time between polls (jittered)."
    ),
    *,
    common: CommonOptions,
) -> int:
    """Assert that inference profiles meet expectations: exit 0 if all do, 3 if any does not.

    Lookup errors keep their own exit codes (a missing profile is 4), except that with --wait a
    profile that is not found yet is waited for, and a timeout is 3.
    """
    from bedrock_profile_cli import aws
    from bedrock_profile_cli import check as checks

    expect = checks.Expectations(
        status=status,
        type=_choice(type_, "--type", PROFILE_TYPES),
        models=tuple(model),
        in_regions=tuple(in_region),
    )
    parsed = _parse_all(identifiers)
    with _emulator_if(common):
        bedrock = aws.Bedrock(common.aws_settings(), pool_size=len(parsed))
        outcomes = bedrock.plan(parsed, warn)

        def lookup(indexes: Sequence[int]) -> list[checks.CheckResult]:
            chosen = [outcomes[i] for i in indexes]
            bedrock.fetch(chosen)
            return [checks.from_lookup(o.identifier.raw, o.profile, o.error, expect) for o in chosen]

        if wait:
            note(f"waiting up to {timeout:g}s for {len(parsed)} inference profile(s)")
            results = checks.wait_until(lookup, len(outcomes), timeout=timeout, interval=interval)
        else:
            results = lookup(range(len(outcomes)))
    _say_results(results)
    # The human result is on stderr; stdout carries the machine result when one is asked for.
    if common.query is not None or (common.output or "table").lower() != "table":
        docs = [r.to_doc() for r in results]
        _emit(docs if len(docs) > 1 else docs[0], common)
    failed = [r for r in results if not r.passed]
    return int(failed[0].exit_code) if failed else 0


def _say_results(results: Sequence[Any]) -> None:
    from bedrock_profile_cli import check as checks

    encoding = (getattr(sys.stderr, "encoding", None) or "").lower().replace("-", "")
    tick, cross = ("✓", "✗") if encoding.startswith("utf") else ("ok", "FAIL")
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for result in results:
        if result.passed:
            met = ", ".join(f"{e.name} {e.expected}" for e in result.expectations)
            note(f"{tick} {result.identifier}: {met}")
            continue
        if result.error is not None and not result.timed_out:
            report(result.error)
        else:
            note(f"{cross} {result.identifier}: " + "; ".join(result.failures()))
        if annotate:
            sys.stderr.write(checks.github_annotation(result) + "\n")


@app.command()
@guarded
def emulator(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(0, "--port", min=0, max=65535, help="Port to listen on; 0 picks a free one."),
    latency: float = typer.Option(
        0, "--latency", min=0, metavar="MS", help="Answer every request after this many milliseconds."
    ),
) -> int:
    """Serve the built-in Bedrock emulator (moto with inference profiles) until Ctrl-C.

    Prints the AWS_ENDPOINT_URL_BEDROCK=... line to use; any credentials are accepted.
    """
    import signal
    import threading

    module = _emulator_server_module()
    try:
        server = module.EmulatorServer(host, port, latency=latency / 1000).start()
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
    import traceback

    from bedrock_profile_cli.aws import SECRETS
    from bedrock_profile_cli.debuglog import redact

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    sys.stderr.write(redact(text, SECRETS.values))


def main(argv: Optional[list[str]] = None) -> int:
    """Run the CLI and return the exit code; every exception ends here."""
    try:
        return _main(argv)
    finally:
        if RUN.debug:
            from bedrock_profile_cli import debuglog

            debuglog.disable()
        RUN.common = None


def _main(argv: Optional[list[str]]) -> int:
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
        if exc.exit_code == ExitCode.BROKEN_PIPE:
            return _stdout_closed()
        if RUN.debug:
            _show_traceback(exc)
        if not exc.reported:
            report(exc, argv)
        return int(exc.exit_code)
    except Exception as exc:
        if _is_usage_error(exc):  # click's UsageError & co. (typer may vendor click)
            code = int(getattr(exc, "exit_code", ExitCode.USAGE))
            if error_format(argv) == "json":
                message = exc.format_message()  # type: ignore[attr-defined]
                report(BedrockProfileError(ExitCode(code), message), argv)
            else:
                exc.show()  # type: ignore[attr-defined]
            return code
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


def _stdout_closed() -> int:
    """The reader went away (``| head``): say nothing, and keep Python from complaining about the
    unflushed stdout at exit by pointing it at /dev/null."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (in-process tests)
        pass
    return int(ExitCode.BROKEN_PIPE)


def _interrupted() -> int:
    sys.stderr.write(f"{PROG}: interrupted\n")
    return int(ExitCode.INTERRUPTED)


def run() -> None:
    """Console-script entry point."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = _stdout_closed()
    if code == ExitCode.INTERRUPTED:
        # Worker threads may still be waiting on the network: do not wait for them.
        os._exit(code)
    sys.exit(code)
