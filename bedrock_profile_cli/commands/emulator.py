"""``bedrock-profile emulator``: serve the built-in Bedrock emulator on loopback until Ctrl-C."""

from __future__ import annotations

from typing import Optional

import typer

from bedrock_profile_cli.commands.common import emulator_server_module
from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.options import with_run
from bedrock_profile_cli.settings import EMULATOR_PAGE_SIZE_ENV, PROG, env_page_size

NAME = "emulator"


@with_run
def command(
    run: RunContext,
    host: str = typer.Option(
        "127.0.0.1", "--host", help="IP address to listen on (loopback by default; or localhost)."
    ),
    port: int = typer.Option(0, "--port", min=0, max=65535, help="Port to listen on; 0 picks a free one."),
    latency: float = typer.Option(
        0, "--latency", min=0, metavar="MS", help="Answer every request after this many milliseconds."
    ),
    page_size: Optional[int] = typer.Option(
        None,
        "--page-size",
        min=1,
        max=1000,
        help=f"Profiles per ListInferenceProfiles page at most (default: {EMULATOR_PAGE_SIZE_ENV}, else 10).",
    ),
    verbose: bool = typer.Option(False, "--verbose", help="Log every request on stderr."),
) -> int:
    """Serve the built-in Bedrock emulator until Ctrl-C (quiet unless --verbose).

    Prints the AWS_ENDPOINT_URL_BEDROCK=... line to use once listening; any credentials are accepted.
    """
    import signal
    import threading

    size = page_size or env_page_size(run.env)
    module = emulator_server_module()
    try:
        server = module.EmulatorServer(host, port, latency=latency / 1000, page_size=size, verbose=verbose)
        server.start()
    except module.BadHost as exc:
        raise BedrockProfileError(ExitCode.USAGE, f"--host: {exc}", hint="e.g. --host 127.0.0.1") from exc
    except OSError as exc:
        raise BedrockProfileError(
            ExitCode.NETWORK, f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from exc
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    run.stdout.write(f"AWS_ENDPOINT_URL_BEDROCK={server.url}\n")
    run.stdout.flush()
    # Our own words, no secret in them: written as they are (the redactor would take the example
    # key for one).
    run.stderr.write(
        f"{PROG}: emulator listening on {server.url} (any credentials work, e.g. "
        "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing); Ctrl-C stops it\n"
    )
    run.stderr.flush()
    try:
        while not stopped.wait(0.5):
            pass
    finally:
        server.stop()
    return 0
