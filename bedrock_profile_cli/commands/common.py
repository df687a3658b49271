"""What several commands share: identifiers parsed all at once, and the emulator switched on."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class RegionChoice:
    """``--regions`` / ``--all-regions`` as given: several source regions, or (neither) one."""

    names: tuple[str, ...] = ()
    every: bool = False

    @property
    def many(self) -> bool:
        return self.every or bool(self.names)

    def regions(self, default_region: str | None) -> list[str]:
        """The regions to ask: those named, or every Bedrock region of ``default_region``'s partition."""
        if not self.every:
            return list(self.names)
        from bedrock_profile_cli.regions import partition_bedrock_regions, partition_of

        found = partition_bedrock_regions(partition_of(default_region))
        if not found:
            raise BedrockProfileError(
                ExitCode.CREDENTIALS_OR_CONFIG,
                "botocore's endpoint data lists no Bedrock region for this partition",
                hint="name the regions with --regions",
            )
        return found


def region_choice(run: RunContext, regions: Sequence[str], all_regions: bool) -> RegionChoice:
    """``--regions`` (comma-separated, repeatable, each a region botocore knows) or ``--all-regions``;
    either one excludes the other and ``--region`` (exit 2)."""
    from bedrock_profile_cli.regions import check_region

    names: list[str] = []
    for value in regions:
        parts = [part.strip() for part in value.split(",")]
        if not all(parts):
            raise BedrockProfileError(
                ExitCode.USAGE,
                f"--regions {value!r} has an empty region name",
                hint="e.g. --regions us-east-1,eu-west-1",
            )
        names += [check_region(part, "--regions") for part in parts]
    given = [flag for flag, on in (("--regions", bool(names)), ("--all-regions", all_regions)) if on]
    if run.options is not None and run.options.region and given:
        given.insert(0, "--region")
    if len(given) > 1:
        raise BedrockProfileError(
            ExitCode.USAGE,
            f"{' and '.join(given)} cannot be used together",
            hint="--region asks one region, --regions several, --all-regions every one",
        )
    return RegionChoice(tuple(dict.fromkeys(names)), all_regions)


def multi_region_document(
    regions: Sequence[str], results: list[object], skipped: list[dict[str, object]]
) -> dict[str, object]:
    """What ``--regions``/``--all-regions`` print: the regions asked, the results (each naming its
    source ``region``), and the regions that gave no answer with the reason."""
    return {"regions": list(regions), "results": results, "skipped": skipped}
