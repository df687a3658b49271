"""What several commands share: identifiers parsed all at once, and the emulator switched on."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.errors import BedrockProfileError, ExitCode

if TYPE_CHECKING:
    from bedrock_profile_cli.aws.operations import Bedrock, ProfileLookup
    from bedrock_profile_cli.aws.regional import RegionalResult
    from bedrock_profile_cli.iam import Policy
    from bedrock_profile_cli.identifiers import Identifier

# The extra is moto's core; each way of installing adds it its own way.
EMULATOR_INSTALL_HINT = (
    "add the 'emulator' extra: pip install 'bedrock-profile[emulator]'; from a checkout, "
    "pip install -e '.[emulator]'; with pipx, pipx inject bedrock-profile 'moto>=5.1,<6'; with uv, "
    "uv tool install --reinstall 'SOURCE[emulator]', SOURCE being the path or URL you installed from "
    "(naming bedrock-profile alone would make uv look for it on an index, where it is not)"
)


def parse_all(
    run: RunContext, identifiers: Sequence[str], parser: Callable[[str], Identifier] | None = None
) -> list[Identifier]:
    """Validate every identifier (with ``parser``; default: an inference profile's rule); when any
    is malformed, report each (in argument order) and send nothing: the run exits with the first
    one's code."""
    from bedrock_profile_cli.identifiers import parse

    parse_one = parser or parse
    parsed, invalid = [], []
    for raw in identifiers:
        try:
            parsed.append(parse_one(raw))
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


def read_policies(run: RunContext, files: Sequence[str]) -> tuple[Policy, ...]:
    """The IAM policy documents of ``--iam-policy FILE`` (``-``: standard input, once), each read
    and checked now; an unreadable file, or one that is not a policy, is exit 2 naming it."""
    from bedrock_profile_cli.iam import parse_policy

    policies = []
    if list(files).count("-") > 1:
        raise BedrockProfileError(ExitCode.USAGE, "--iam-policy - (standard input) given twice")
    for name in files:
        text, shown = read_input(run, name, MAX_POLICY_BYTES, "--iam-policy ")
        policies.append(parse_policy(text, shown))
    return tuple(policies)


def read_input(run: RunContext, name: str, limit: int, label: str = "") -> tuple[str, str]:
    """The text of the file ``name`` (``-``: standard input), read up to ``limit`` characters, and
    the name to show for it; exit 2 naming it (after ``label``) when it cannot be read, is not
    UTF-8, or is longer than ``limit``."""
    if name == "-":
        if run.stdin is None:
            raise BedrockProfileError(ExitCode.USAGE, f"{label}-: no standard input to read")
        try:
            text, shown = run.stdin.read(limit + 1), "<stdin>"
        except (OSError, UnicodeDecodeError) as exc:
            raise BedrockProfileError(ExitCode.USAGE, f"{label}<stdin>: cannot read it: {exc}") from None
    else:
        shown = name
        try:
            with open(name, encoding="utf-8") as stream:
                text = stream.read(limit + 1)
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise BedrockProfileError(ExitCode.USAGE, f"{label}{name}: cannot read it: {reason}") from None
    if len(text) > limit:
        raise BedrockProfileError(ExitCode.USAGE, f"{label}{shown}: larger than {limit} characters")
    return text, shown


# Far above IAM's own limits (6,144 characters for a managed policy): a runaway file is refused.
MAX_POLICY_BYTES = 1024 * 1024


def lookups_in_regions(
    run: RunContext, bedrock: Bedrock, parsed: Sequence[Identifier], regions: list[str]
) -> tuple[list[ProfileLookup], list[BedrockProfileError], RegionalResult[bool]]:
    """GetInferenceProfile of every identifier in every region (concurrently): the lookups that
    found a profile (identifier order, then region order), the failures to report (an identifier
    found in no region that answered is exit 4), and the regions' outcome (skipped regions said on
    stderr here: those where every lookup was refused)."""
    from bedrock_profile_cli.aws.operations import ProfileLookup
    from bedrock_profile_cli.aws.regional import outcome_of, say_problems

    lookups = [ProfileLookup(identifier=ident, region=region) for ident in parsed for region in regions]
    bedrock.fetch(lookups)
    # A region answered if some lookup there found a profile or was told it is not there; one
    # where every lookup was refused is skipped, one where every lookup failed otherwise failed.
    outcome = outcome_of(
        regions,
        {region: [lk.error for lk in lookups if lk.region == region] for region in regions},
        lambda error: error.exit_code != ExitCode.NOT_FOUND,
    )
    say_problems(run.warn, run.error, outcome)
    found: list[ProfileLookup] = []
    failures: list[BedrockProfileError] = []
    by_raw = {ident.raw: ident for ident in parsed}
    for ident in parsed:
        mine = [lk for lk in lookups if lk.identifier is ident and lk.region in outcome.answers]
        found += [lk for lk in mine if lk.profile is not None]
        for lk in mine:
            if lk.error is not None and lk.error.exit_code != ExitCode.NOT_FOUND:
                lk.error.identifier = f"{ident.raw} in {lk.region}"
                failures.append(lk.error)
        hits = sum(1 for lk in mine if lk.profile is not None)
        if not mine:
            continue
        if hits:
            if hits < len(mine):
                run.note(f"{ident.raw}: found in {hits} of the {len(mine)} regions that answered")
        elif all(lk.error is not None and lk.error.exit_code == ExitCode.NOT_FOUND for lk in mine):
            failures.append(
                BedrockProfileError(
                    ExitCode.NOT_FOUND,
                    f"not found in any of the {len(mine)} regions that answered",
                    aws_code="ResourceNotFoundException",
                    identifier=ident.raw,
                    hint="an application profile exists in one region and account only; "
                    f"`bedrock-profile resolve {ident.profile_id} --all-regions` finds what routes a model",
                )
            )
    nowhere = [f for f in failures if f.aws_code == "ResourceNotFoundException" and f.identifier in by_raw]
    answered = [r for r in regions if r in outcome.answers]
    if nowhere and answered:  # a model ID, or a profile of other regions: say so (extra calls)
        from bedrock_profile_cli.aws.resolving import improve_not_found_hints

        improve_not_found_hints(bedrock, [(by_raw[str(f.identifier)], answered[0], f) for f in nowhere])
    return found, failures, outcome


@contextmanager
def progress(run: RunContext, label: str) -> Iterator[Callable[[int], None]]:
    """A spinner with a count on stderr while answers arrive, only when stderr is a terminal and
    carries lines for people (not with --debug, nor with --error-format json: every line JSON)."""
    if not run.stderr_is_terminal() or run.debug or run.error_format == "json":
        yield lambda count: None
        return
    from rich.console import Console

    console = Console(file=run.stderr, highlight=False, markup=False)
    with console.status(label) as status:
        yield lambda count: status.update(f"{label}: {count} so far")
