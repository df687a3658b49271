"""One module per command, each with ``NAME`` and ``command`` (parse and delegate); :data:`COMMANDS`
is the one list the app registers.  Command modules import only typer at load time: whatever a
command needs (botocore, rich, moto) is imported when it runs, so ``--help`` and TAB stay fast."""

from __future__ import annotations

from bedrock_profile_cli.commands import (
    check,
    completion,
    diff,
    emulator,
    get,
    iam_policy,
    list_profiles,
    resolve,
    snapshot,
)

COMMANDS = (get, list_profiles, check, resolve, iam_policy, snapshot, diff, emulator, completion)
