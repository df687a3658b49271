"""Run the emulator: served over HTTP on loopback, or in process for a one-off command."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from bedrock_profile_cli.emulator.moto_glue import install

DEFAULT_HOST = "127.0.0.1"


class EmulatorServer:
    """moto's threaded server with the inference-profile operations, on ``host:port``
    (port 0: a free one)."""

    def __init__(self, host: str = DEFAULT_HOST, port: int = 0, *, latency: float = 0.0) -> None:
        from moto.server import ThreadedMotoServer

        install()
        self.latency = latency
        self._apply_latency()
        self._server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
        self.host = host
        self.port = port

    def start(self) -> EmulatorServer:
        self._server.start()
        self.host, self.port = self._server.get_host_and_port()
        return self

    def stop(self) -> None:
        self._server.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def reset(self) -> None:
        """Forget every created profile and fault (system profiles are seeded again on next use)."""
        from moto.bedrock.models import bedrock_backends

        from bedrock_profile_cli.emulator.moto_glue import FAULTS

        bedrock_backends.reset()
        FAULTS.clear()
        self._apply_latency()

    def _apply_latency(self) -> None:
        """Every inference-profile operation answers after ``latency`` seconds."""
        from bedrock_profile_cli.emulator.moto_glue import FAULTS

        FAULTS.latency = self.latency

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def in_process() -> Iterator[None]:
    """Answer every Bedrock call made inside the block from the emulator, in this process.

    The user's named profile does not apply to the emulator: it is set aside for the block."""
    from unittest import mock

    from moto import mock_aws

    install()
    with mock.patch.dict(os.environ):
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            os.environ.pop(name, None)
        with mock_aws():
            yield
