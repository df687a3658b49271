"""``bedrock-profile emulator``: serve the built-in Bedrock emulator on loopback until Ctrl-C."""

from __future__ import annotations

import typer

from bedrock_profile_cli.commands.common import emulator_server_module
from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode
from bedrock_profile_cli.options import with_run
from bedrock_profile_cli.settings import PROG

NAME = "emulator"


@with_run
def command(
    run: RunContext,
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

    module = emulator_server_module()
    try:
        server = module.EmulatorServer(host, port, latency=latency / 1000).start()
    except OSError as exc:
        raise BedrockProfileError(
            ExitCode.NETWORK, f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from exc
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    run.stdout.write(f"AWS_ENDPOINT_URL_BEDROCK={server.url}\n")
    run.stdout.flush()
    run.note(
        f"{PROG}: emulator listening on {server.url} (any credentials work, e.g. "
        "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing); Ctrl-C stops it"
    )
    try:
        while not stopped.wait(0.5):
            pass
    finally:
        server.stop()
    return 0
