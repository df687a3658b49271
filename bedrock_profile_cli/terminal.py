"""Decisions about the terminal: colour and the default output format, each stream on its own."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def use_color(mode: str, stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """Whether to colour ``stream``.

    ``always``/``never`` win.  With ``auto``: ``NO_COLOR`` (non-empty) turns colour off, then
    ``CLICOLOR_FORCE``/``FORCE_COLOR`` (non-empty, not ``0``) turn it on, then ``TERM=dumb`` turns it
    off, and otherwise colour follows whether the stream is a terminal.
    """
    if mode == "always":
        return True
    if mode == "never":
        return False
    env = os.environ if env is None else env
    if env.get("NO_COLOR"):
        return False
    for name in ("CLICOLOR_FORCE", "FORCE_COLOR"):
        value = env.get(name, "")
        if value and value.lower() not in {"0", "false", "no"}:
            return True
    if env.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def default_output(stream: TextIO) -> str:
    """``table`` for a person at a terminal, ``json`` for a pipe or a file."""
    return "table" if is_terminal(stream) else "json"
