"""The entry point and the error boundary: ``main()`` makes the run's context, runs the app, and is
the one place where every exception becomes one line on stderr and an exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.settings import COMPLETE_VAR, PROG

BUG_HINT = "this is a bug; rerun with --debug for a traceback and report it"


def main(argv: Sequence[str] | None = None, run: RunContext | None = None) -> int:
    """Run the CLI and return the exit code; every exception ends here.  Tests pass their own
    ``run`` (streams and environment); the console script uses the process's."""
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
    import typer

    from bedrock_profile_cli.app import app

    command = typer.main.get_command(app)
    if COMPLETE_VAR in run.env:  # a TAB: answer in Typer's protocol, which our scripts read
        from typer._completion_classes import completion_init

        completion_init()
    try:
        result = command.main(args=argv, prog_name=PROG, standalone_mode=False, obj=run)
        # typer turns a Ctrl-C outside a command into exit 130 with no message.
        return int(result) if isinstance(result, int) else 0
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
    except Exception as exc:
        if _is_usage_error(exc):  # click's UsageError & co.
            return _usage_error(run, exc)
        if run.debug:
            _show_traceback(run, exc)
        run.error(
            BedrockProfileError(
                ExitCode.INTERNAL, f"internal error: {type(exc).__name__}: {exc}", hint=BUG_HINT
            )
        )
        return int(ExitCode.INTERNAL)


def _is_usage_error(exc: BaseException) -> bool:
    """click's UsageError and kin (typer vendors its own click, so the class is matched by name)."""
    return any(cls.__name__ == "ClickException" for cls in type(exc).__mro__) and hasattr(exc, "show")


def _usage_error(run: RunContext, exc: Exception) -> int:
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

    from bedrock_profile_cli.debuglog import redact

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    run.stderr.write(redact(text, run.secrets))


def _stdout_closed(run: RunContext) -> int:
    """The reader went away (``| head``): say nothing, and keep Python from complaining about the
    unflushed stdout at exit by pointing it at /dev/null."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, run.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (in-process tests)
        pass
    return int(ExitCode.BROKEN_PIPE)


def _interrupted(run: RunContext) -> int:
    run.stderr.write(f"{PROG}: interrupted\n")
    return int(ExitCode.INTERRUPTED)


def run() -> None:
    """Console-script entry point."""
    from bedrock_profile_cli import startup

    startup.pause_collector()
    context = RunContext.from_process()
    code = main(run=context)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = _stdout_closed(context)
    if code == ExitCode.INTERRUPTED:
        # Worker threads may still be waiting on the network: do not wait for them.
        os._exit(code)
    sys.exit(code)
