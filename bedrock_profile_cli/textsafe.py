"""Make text from outside (AWS responses, user arguments) safe to show on a terminal.

Service-provided text is data: it must never move the cursor, clear the screen, reorder what is
shown (bidi overrides), hide itself (zero-width and tag characters) or be taken as rich markup.
Markup is handled where rich is used (text is passed as ``rich.text.Text``, never as markup
strings); this module handles the characters.
"""

from __future__ import annotations

import unicodedata

# Every character of these Unicode categories is shown as an escape:
# Cc control (C0, DEL, C1: ESC, CSI, BEL, tab, newline), Cf format (bidi controls, zero-width
# characters, soft hyphen, word joiner, tag characters), Zl/Zp line and paragraph separators (which
# ``str.splitlines`` splits on), Co private use (no agreed glyph) and Cs lone surrogates.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})

# Characters that reorder or hide text although they are not control characters.  All of them are
# Cf in current Unicode; they are listed so that an older ``unicodedata`` still escapes them.
_INVISIBLE_FORMATTING = frozenset(
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
    "\ufeff\ufff9\ufffa\ufffb"
)
# The whole tags block, its unassigned code points included (a newer terminal may know them).
_TAGS = range(0xE0000, 0xE0080)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def is_unsafe(ch: str) -> bool:
    """True for a character that a terminal would act on, that splits a line, or that hides or
    reorders text."""
    return unicodedata.category(ch) in UNSAFE_CATEGORIES or ch in _INVISIBLE_FORMATTING or ord(ch) in _TAGS


def printable(text: str) -> str:
    """``text`` with every unsafe character (see :func:`is_unsafe`) shown as a visible escape, as
    Python writes it: ``\\x1b``, ``\\u202e``, ``\\U000e0041``.

    Newlines, tabs and U+2028/U+2029 are escaped too, so the result always stays on one line.  Text
    with no unsafe character comes back unchanged."""
    if text.isprintable() and not any(ch in _INVISIBLE_FORMATTING for ch in text):
        return text  # the common case, fast: isprintable() is False for every unsafe category
    return "".join(_escape(ch) if is_unsafe(ch) else ch for ch in text)
