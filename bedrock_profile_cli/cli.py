"""The entry point and the error boundary: ``main()`` makes the run's context, runs the app, and is
the one place where every exception becomes one line on stderr and an exit code.

Loaded by the console script, its first lines make Ctrl-C the one-line exit 130 (not a traceback
from the middle of an import); it imports little else at load time."""

from __future__ import annotations

import os
import signal
import sys


def _interrupted_while_loading(signum: int, frame: object) -> None:
    _interrupted_before_context(sys.argv[1:], os.environ)
    os._exit(INTERRUPTED)


# From here on a Ctrl-C is one line and 130, even in the middle of the imports below or of run()'s
# own (run() hands SIGINT back to Python's KeyboardInterrupt once it can catch it).  Only for the
# console script: not when imported by anything else (tests), and not when SIGINT is ignored.
if os.path.basename(sys.argv[0] if sys.argv else "") == "bedrock-profile" and (
    signal.getsignal(signal.SIGINT) is signal.default_int_handler
):
    signal.signal(signal.SIGINT, _interrupted_while_loading)

import contextlib  # noqa: E402
from collections.abc import Mapping, Sequence  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from bedrock_profile_cli.context import RunContext

BUG_HINT = "this is a bug; rerun with --debug for a traceback and report it"
# errors.ExitCode.INTERRUPTED, which the Ctrl-C handler needs before anything is imported.
INTERRUPTED = 130
# Write errors that mean the output went nowhere (disk full, I/O error, file too large, quota).
_OUTPUT_ERRNOS = frozenset({5, 27, 28, 122})


def main(argv: Sequence[str] | None = None, run: RunContext | None = None) -> int:
    """Run the CLI and return the exit code; every exception ends here.  Tests pass their own
    ``run`` (streams and environment); the console script uses the process's."""
    from bedrock_profile_cli.context import RunContext

    if run is None:
        run = RunContext.from_process(argv)
    elif argv is not None:
        run.argv = list(argv)
    try:
        return _main(list(run.argv), run)
    finally:
        from bedrock_profile_cli import startup

        startup.resume_collector()
        if run.debug:
            from bedrock_profile_cli import debuglog

            debuglog.disable()


def _main(argv: list[str], run: RunContext) -> int:
    from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

    try:
        return _run_app(argv, run)
    except KeyboardInterrupt:
        return _interrupted(run)
    except BedrockProfileError as exc:
        if exc.exit_code == ExitCode.INTERRUPTED:
            return _interrupted(run)
        if exc.exit_code == ExitCode.BROKEN_PIPE:
            return _stdout_closed(run)
        if run.debug:
            _show_traceback(run, exc)
        if not exc.reported:
            run.error(exc)
        return int(exc.exit_code)
    except BrokenPipeError:  # written by click itself (--help | head)
        return _stdout_closed(run)
    except Exception as exc:
        if _is_usage_error(exc):  # click's UsageError & co.
            return _usage_error(run, exc)
        if isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRNOS:  # click's own writes
            run.error(BedrockProfileError(ExitCode.OUTPUT, f"cannot write output: {exc.strerror}"))
            return int(ExitCode.OUTPUT)
        if run.debug:
            _show_traceback(run, exc)
        run.error(
            BedrockProfileError(
                ExitCode.INTERNAL, f"internal error: {type(exc).__name__}: {exc}", hint=BUG_HINT
            )
        )
        return int(ExitCode.INTERNAL)


def _run_app(argv: list[str], run: RunContext) -> int:
    import typer

    from bedrock_profile_cli.app import app
    from bedrock_profile_cli.commands import COMMANDS
    from bedrock_profile_cli.options import hoist_common_options
    from bedrock_profile_cli.settings import COMPLETE_VAR, PROG

    common = {m.NAME for m in COMMANDS if getattr(m.command, "takes_common_options", False)}
    argv = hoist_common_options(argv, common)
    command = typer.main.get_command(app)
    if COMPLETE_VAR in run.env:  # a TAB: answer in Typer's protocol, which our scripts read
        from typer._completion_classes import completion_init

        completion_init()
    result = command.main(args=argv, prog_name=PROG, standalone_mode=False, obj=run)
    if result == INTERRUPTED:
        # typer turns a Ctrl-C while it parses the arguments into a silent 130 (our commands raise
        # instead): said like any other interruption.
        raise KeyboardInterrupt
    return int(result) if isinstance(result, int) else 0


def _is_usage_error(exc: BaseException) -> bool:
    """click's UsageError and kin (typer vendors its own click, so the class is matched by name)."""
    return any(cls.__name__ == "ClickException" for cls in type(exc).__mro__) and hasattr(exc, "show")


def _usage_error(run: RunContext, exc: Exception) -> int:
    from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

    code = int(getattr(exc, "exit_code", ExitCode.USAGE))
    if run.error_format == "json":
        message = str(getattr(exc, "format_message", lambda: str(exc))())
        run.error(BedrockProfileError(ExitCode(code), message))
    else:
        getattr(exc, "show")(file=run.stderr)  # noqa: B009
    return code


def _show_traceback(run: RunContext, exc: BaseException) -> None:
    """The traceback under --debug, redacted; never with local variables (they hold credentials)."""
    import traceback

    from bedrock_profile_cli.redaction import redact

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    run.stderr.write(redact(text, run.secrets))


def _stdout_closed(run: RunContext) -> int:
    """The reader went away (``| head``): say nothing, and keep Python from complaining about the
    unflushed stdout at exit by pointing it at /dev/null."""
    from bedrock_profile_cli.errors import ExitCode

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, run.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (in-process tests)
        pass
    return int(ExitCode.BROKEN_PIPE)


def _interrupted(run: RunContext) -> int:
    from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

    if run.error_format == "json":
        run.error(BedrockProfileError(ExitCode.INTERRUPTED, "interrupted"))
    else:
        from bedrock_profile_cli.settings import PROG

        run.stderr.write(f"{PROG}: interrupted\n")
        run.stderr.flush()
    return int(ExitCode.INTERRUPTED)


def _prog() -> str:
    """settings.PROG, spelled out: the early path below imports nothing (test_contracts compares)."""
    return "bedrock-profile"


def _interrupted_before_context(argv: Sequence[str], env: Mapping[str, str]) -> None:
    """The interrupted line when Ctrl-C came before the run's context existed (nothing imported)."""
    as_json = env.get("BEDROCK_PROFILE_ERROR_FORMAT", "").lower() == "json"
    for i, arg in enumerate(argv):
        if arg == "--error-format" and i + 1 < len(argv):
            as_json = argv[i + 1].lower() == "json"
        elif arg.startswith("--error-format="):
            as_json = arg.split("=", 1)[1].lower() == "json"
    if as_json:
        import json

        fields = ("awsCode", "requestId", "identifier", "attempts", "hint")
        doc = {"level": "error", "exitCode": INTERRUPTED, "exitName": "INTERRUPTED", "message": "interrupted"}
        line = json.dumps({**doc, **dict.fromkeys(fields)})
    else:
        line = f"{_prog()}: interrupted"
    with contextlib.suppress(OSError):
        os.write(2, (line + "\n").encode())


def run() -> None:
    """Console-script entry point.  Ctrl-C anywhere in here (an import, the command, the final
    flush) is exit 130 with one line; the process ends with os._exit once the streams are flushed,
    so neither a worker thread still waiting on the network nor a late Ctrl-C can hold it up."""
    context = None
    try:
        if signal.getsignal(signal.SIGINT) is _interrupted_while_loading:
            signal.signal(signal.SIGINT, signal.default_int_handler)  # caught below from here on
        from bedrock_profile_cli import startup

        startup.pause_collector()
        from bedrock_profile_cli.context import RunContext

        context = RunContext.from_process()
        if sys.stdout is None:  # closed before we started (`>&-`): click's own help text too is 141
            sys.stdout = context.stdout
        code = main(run=context)
        from bedrock_profile_cli.errors import ExitCode

        try:
            if sys.stdout is not None and code not in (ExitCode.OUTPUT, ExitCode.BROKEN_PIPE):
                sys.stdout.flush()
        except BrokenPipeError:
            code = _stdout_closed(context)
        except OSError as exc:
            from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

            context.error(BedrockProfileError(ExitCode.OUTPUT, f"cannot write output: {exc.strerror}"))
            code = int(ExitCode.OUTPUT)
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.flush()
    except KeyboardInterrupt:
        if context is not None:
            code = _interrupted(context)
        else:
            _interrupted_before_context(sys.argv[1:], os.environ)
            code = INTERRUPTED
    os._exit(code)
