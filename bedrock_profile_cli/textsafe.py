"""Make text from outside (AWS responses, user arguments) safe to show on a terminal.

Service-provided text is data: it must never move the cursor, clear the screen, reorder what is
shown (bidi overrides) or be taken as rich markup.  Markup is handled where rich is used (text is
passed as ``rich.text.Text``, never as markup strings); this module handles the characters.
"""

from __future__ import annotations

import unicodedata

# Characters that reorder or hide text although they are not control characters.
_INVISIBLE_FORMATTING = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def is_unsafe(ch: str) -> bool:
    """True for a character that a terminal would act on or that hides/reorders text."""
    return unicodedata.category(ch) == "Cc" or ch in _INVISIBLE_FORMATTING


def printable(text: str) -> str:
    """``text`` with every control or reordering character shown as a visible escape (``\\x1b``).

    Newlines and tabs are escaped too, so the result always stays on one line."""
    if text.isprintable() and not any(ch in _INVISIBLE_FORMATTING for ch in text):
        return text
    return "".join(_escape(ch) if is_unsafe(ch) else ch for ch in text)
