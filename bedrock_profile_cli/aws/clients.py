"""The client factory: one Bedrock client per region, created once and shared across worker threads,
with the run's retry mode, attempts, timeouts and bounded responses."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from bedrock_profile_cli import startup
from bedrock_profile_cli.aws.bounded import bound_responses
from bedrock_profile_cli.aws.session import AwsSession
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

USER_AGENT = "bedrock-profile"


@contextlib.contextmanager
def _sharing_service_models(
    shared: dict[tuple[int, int, str, str | None], tuple[Any, Any]],
) -> Iterator[None]:
    """While a client is created: botocore's ClientCreator reuses the ServiceModel and client class
    of the clients this factory created before (``shared``), instead of building both again for
    each region.  botocore's loader already shares the parsed JSON; the ServiceModel (with its
    lazily resolved shapes) and the ~100 generated methods were rebuilt per client (~25% of
    ``resolve --all-regions``).  Everything else (credentials, endpoint, config, event handlers)
    is made per client exactly as botocore makes it.  Held under the factory's lock: botocore's
    ``Session.create_client`` looks ``ClientCreator`` up in its module at each call.  Keyed by the
    loader and event emitter too, so a client of any other botocore session in the process (the
    in-process emulator's moto, a test's boto3) never shares ours."""
    import botocore.client

    original = botocore.client.ClientCreator

    class SharingClientCreator(original):  # type: ignore[misc, valid-type]
        def _load_service_model(self, service_name: str, api_version: str | None = None) -> Any:
            key = (id(self._loader), id(self._event_emitter), service_name, api_version)
            if key not in shared:
                shared[key] = (super()._load_service_model(service_name, api_version), None)
            return shared[key][0]

        def _create_client_class(self, service_name: str, service_model: Any) -> Any:
            key = next((k for k, (model, _) in shared.items() if model is service_model), None)
            if key is None:
                return super()._create_client_class(service_name, service_model)
            if shared[key][1] is None:
                shared[key] = (service_model, super()._create_client_class(service_name, service_model))
            return shared[key][1]

    botocore.client.ClientCreator = SharingClientCreator
    try:
        yield
    finally:
        botocore.client.ClientCreator = original


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
        self._shared: dict[tuple[int, int, str, str | None], tuple[Any, Any]] = {}

    def client(self, region: str) -> Any:
        """The Bedrock client for ``region`` (a botocore client: its methods come from the model)."""
        with self._lock:
            if region not in self._clients:
                with _sharing_service_models(self._shared):
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
