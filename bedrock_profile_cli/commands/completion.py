"""``bedrock-profile completion SHELL``: print the shell's completion script.

The scripts read the program's answers as data (no ``eval``); they are the ones committed in
``completions/``, made by :func:`bedrock_profile_cli.completion.script`.
"""

from __future__ import annotations

import typer

from bedrock_profile_cli.context import RunContext
from bedrock_profile_cli.options import with_run

NAME = "completion"
SHELLS = ("bash", "zsh", "fish", "powershell")
_SCRIPT_NAMES = {"powershell": "pwsh"}


def _shell(value: str) -> str:
    lowered = value.lower()
    lowered = "powershell" if lowered == "pwsh" else lowered
    if lowered not in SHELLS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(SHELLS)}")
    return lowered


@with_run
def command(
    run: RunContext,
    shell: str = typer.Argument(
        ...,
        metavar="[" + "|".join(SHELLS) + "]",
        callback=_shell,
        autocompletion=lambda incomplete: [s for s in SHELLS if s.startswith(incomplete.lower())],
        help="The shell to print the script for (pwsh is powershell).",
        show_default=False,
    ),
) -> int:
    """Print the shell completion script (bash, zsh, fish or powershell) on stdout.

    \b
    bash:  bedrock-profile completion bash > ~/.local/share/bash-completion/completions/bedrock-profile
    zsh:   bedrock-profile completion zsh > ~/.zfunc/_bedrock-profile  (fpath+=(~/.zfunc) before compinit)
    fish:  bedrock-profile completion fish > ~/.config/fish/completions/bedrock-profile.fish
    powershell:  bedrock-profile completion powershell | Out-String | Invoke-Expression
    """
    from bedrock_profile_cli.completion import script

    run.stdout.write(script(_SCRIPT_NAMES.get(shell, shell)))
    run.stdout.flush()
    return 0
