"""``bedrock-profile list``: every page of ListInferenceProfiles, both types unless one is asked."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Optional

import typer

from bedrock_profile_cli.commands.common import emulator_if_asked
from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.options import choice, with_common_options
from bedrock_profile_cli.settings import PROFILE_TYPES

NAME = "list"


@with_common_options
def command(
    run: RunContext,
    type_: Optional[str] = choice(
        None, "--type", choices=PROFILE_TYPES, help="Only this type (filtered by the service)."
    ),
    model: Optional[str] = typer.Option(
        None, "--model", metavar="SUBSTRING", help="Only profiles with a model ID containing this."
    ),
    max_items: Optional[int] = typer.Option(None, "--max-items", min=1, help="Print at most N profiles."),
    page_size: Optional[int] = typer.Option(
        None, "--page-size", min=1, max=1000, help="Profiles per request (maxResults)."
    ),
) -> int:
    """List inference profiles (ListInferenceProfiles), all pages.

    With no --type both kinds are listed: the service's unfiltered call returns only SYSTEM_DEFINED.
    """
    from bedrock_profile_cli.aws.operations import Bedrock
    from bedrock_profile_cli.identifiers import model_arns, parse_model_arn
    from bedrock_profile_cli.output import emit

    assert run.options is not None

    def has_model(summary: Mapping[str, object]) -> bool:
        return any(model in parse_model_arn(arn)[1] for arn in model_arns(summary)) if model else True

    where = run.options.region or "the default region"
    with emulator_if_asked(run), _progress(run, f"listing inference profiles in {where}") as tick:
        bedrock = Bedrock(run.options.aws_settings(), run.secrets, pool_size=2)
        summaries = bedrock.list_profiles(
            type_, page_size=page_size, on_page=tick, keep=has_model if model else None, max_items=max_items
        )
    if not model and max_items is None and not run.options.emulator:
        from bedrock_profile_cli.completion import remember

        remember(summaries, bedrock.default_region)  # what TAB offers for get/check
    if not summaries:
        filters = [f"type {type_}" if type_ else "", f"model containing {model!r}" if model else ""]
        said = ", ".join(f for f in filters if f)
        run.note(f"no inference profile{' with ' + said if said else ''} in {bedrock.default_region}")
    emit(run, summaries, "profile-summaries")
    return 0


@contextmanager
def _progress(run: RunContext, label: str) -> Iterator[Callable[[int], None]]:
    """A spinner with a count on stderr while pages arrive, only when stderr is a terminal."""
    if not run.stderr_is_terminal() or run.debug:
        yield lambda count: None
        return
    from rich.console import Console

    console = Console(file=run.stderr, highlight=False, markup=False)
    with console.status(label) as status:
        yield lambda count: status.update(f"{label}: {count} so far")
