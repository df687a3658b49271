"""The Typer application: the root options and every command, registered in one place."""

from __future__ import annotations

import typer

from bedrock_profile_cli import __version__
from bedrock_profile_cli.commands import COMMANDS
from bedrock_profile_cli.errors import exit_code_table_text
from bedrock_profile_cli.settings import PROG

HELP = f"""Inspect Amazon Bedrock inference profiles.

\b
Exit codes:
{exit_code_table_text()}
"""


def _version(ctx: typer.Context, value: bool) -> None:
    if value:
        from bedrock_profile_cli.context import RunContext

        run = ctx.find_root().obj
        stream = run.stdout if isinstance(run, RunContext) else None
        typer.echo(version_line(), file=stream)
        raise typer.Exit()


def version_line() -> str:
    """``bedrock-profile X.Y.Z botocore/A.B.C Python/3.x.y Linux/6.1.0``, as ``aws --version`` names
    its SDK and platform (what a bug report needs); botocore's version is read from its source
    file, never imported (``--version`` stays fast)."""
    import platform

    return (
        f"{PROG} {__version__} botocore/{_botocore_version()} Python/{platform.python_version()} "
        f"{platform.system()}/{platform.release()}"
    )


def _botocore_version() -> str:
    """botocore's version from its installed package metadata (the ``Version:`` of the dist-info
    beside it), else its source's ``__version__``: nothing of botocore is imported, and no
    importlib.metadata scan of every distribution (~35 ms)."""
    import re
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("botocore")
    origin = spec.origin if spec else None
    if not origin:
        return "unknown"
    site_dir = Path(origin).parent.parent
    for metadata in sorted(site_dir.glob("botocore-*.dist-info/METADATA")):
        try:
            with open(metadata, encoding="utf-8") as file:
                for line in file:
                    if line.startswith("Version:"):
                        return line.partition(":")[2].strip()
                    if not line.strip():
                        break  # the headers end at the first blank line
        except OSError:
            continue
    try:
        with open(origin, encoding="utf-8") as source:
            found = re.search(r"^__version__ = ['\"]([^'\"]+)['\"]", source.read(), re.M)
    except OSError:
        found = None
    return found.group(1) if found else "unknown"


def _root(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Inspect Amazon Bedrock inference profiles."""


def build() -> typer.Typer:
    app = typer.Typer(
        name=PROG,
        help=HELP,
        no_args_is_help=True,
        # Typer's --install-completion/--show-completion install scripts that eval what the program
        # prints; `bedrock-profile completion SHELL` prints ours, which read it as data.
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    app.callback()(_root)
    for module in COMMANDS:
        app.command(module.NAME)(module.command)
    return app


app = build()
