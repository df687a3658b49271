"""The client factory: one Bedrock client per region, created once and shared across worker threads,
with the run's retry mode, attempts, timeouts and bounded responses."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from bedrock_profile_cli import startup
from bedrock_profile_cli.aws.bounded import bound_responses
from bedrock_profile_cli.aws.session import AwsSession
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

USER_AGENT = "bedrock-profile"


class BedrockClients:
    """Clients are created under a lock (a botocore session is not thread-safe); a client is."""

    def __init__(
        self, session: AwsSession, *, pool_size: int, time_left: Callable[[], float | None] = lambda: None
    ) -> None:
        from botocore.config import Config
        from botocore.exceptions import InvalidRetryConfigurationError

        settings = session.settings
        retries: dict[str, object] = {"mode": session.retry_mode()}
        max_attempts = session.max_attempts()
        if max_attempts is not None:
            retries["total_max_attempts"] = max_attempts
        self.session = session
        self._time_left = time_left
        try:
            self._config = Config(
                max_pool_connections=pool_size,
                user_agent_extra=USER_AGENT,
                ignore_configured_endpoint_urls=True if settings.emulator else None,
                connect_timeout=settings.connect_timeout,
                read_timeout=settings.read_timeout,
                retries=retries,
            )
        except InvalidRetryConfigurationError as exc:
            raise BedrockProfileError(
                ExitCode.CREDENTIALS_OR_CONFIG,
                str(exc),
                hint="set AWS_RETRY_MODE (or retry_mode in the profile) to standard, adaptive or legacy, "
                "or pass --retry-mode",
            ) from exc
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def client(self, region: str) -> Any:
        """The Bedrock client for ``region`` (a botocore client: its methods come from the model)."""
        with self._lock:
            if region not in self._clients:
                client = self.session.botocore.create_client(
                    "bedrock",
                    region_name=region,
                    endpoint_url=self.session.settings.endpoint_url or None,
                    config=self._config,
                )
                bound_responses(
                    client,
                    attempt_timeout=self.session.settings.attempt_timeout,
                    read_timeout=self.session.settings.read_timeout,
                    time_left=self._time_left,
                )
                self._clients[region] = client
                startup.resume_collector()  # start-up is over once a client exists
            return self._clients[region]
