"""What several commands share: identifiers parsed all at once, and the emulator switched on."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING

from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

if TYPE_CHECKING:
    from bedrock_profile_cli.identifiers import Identifier

EMULATOR_INSTALL_HINT = "pip install 'bedrock-profile[emulator]'"


def parse_all(run: RunContext, identifiers: Sequence[str]) -> list[Identifier]:
    """Validate every identifier; when any is malformed, report each (in argument order) and send
    nothing: the run exits with the first one's code."""
    from bedrock_profile_cli.identifiers import parse

    parsed, invalid = [], []
    for raw in identifiers:
        try:
            parsed.append(parse(raw))
        except BedrockProfileError as err:
            invalid.append(err)
    for problem in invalid:
        run.error(problem)
    if invalid:
        invalid[0].reported = True
        raise invalid[0]
    return parsed


def emulator_server_module() -> ModuleType:
    """The emulator's server module, or exit 9 with the install hint when the extra (moto) is
    missing.  moto is only looked for here, not imported: the emulator loads it when a request needs
    it, and ``--emulator`` lookups never do."""
    from importlib.util import find_spec

    try:
        if find_spec("moto") is None:
            raise ImportError("No module named 'moto'")
        from bedrock_profile_cli.emulator import server
    except (ImportError, ValueError) as exc:
        raise BedrockProfileError(
            ExitCode.CREDENTIALS_OR_CONFIG,
            f"the emulator is not installed ({exc})",
            hint=EMULATOR_INSTALL_HINT,
        ) from exc
    return server


@contextmanager
def emulator_if_asked(run: RunContext) -> Iterator[None]:
    """Answer every Bedrock call inside the block from the in-process emulator, with --emulator."""
    if run.options is None or not run.options.emulator:
        yield
        return
    from bedrock_profile_cli.settings import env_page_size

    page_size = env_page_size(run.env)
    server = emulator_server_module()
    if run.options.profile or run.options.endpoint_url:
        run.warn("--profile and --endpoint-url are ignored with --emulator")
    with server.in_process(page_size=page_size):
        yield
