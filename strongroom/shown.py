"""File names made safe to print: a name comes from whoever named the file.

A name may hold escape sequences (clear the screen, retitle the terminal), a
newline (a forged extra line of output), bidi overrides (a name that reads
backwards) or bytes that are not UTF-8 (surrogate escapes, which no terminal can
encode). ``shown`` spells each such character out and leaves the rest as is.
"""

from __future__ import annotations

import os

#: Characters that reorder or hide the text around them, or break a line.
_INVISIBLE = frozenset("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
                       "\u2066\u2067\u2068\u2069\ufeff")


def _escaped(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x20 or 0x7F <= code <= 0x9F:  # C0, DEL, C1: ESC, newline, CSI ...
        return f"\\x{code:02x}"
    if 0xD800 <= code <= 0xDFFF or ch in _INVISIBLE:
        return f"\\u{code:04x}"
    return ch


def shown(name: str | os.PathLike[str]) -> str:
    """``name`` with control characters, bidi overrides and undecodable bytes spelled
    out (``\\x1b``, ``\\u202e``, ``\\xff``); any other name comes back unchanged."""
    text = os.fspath(name)
    if text.isprintable() and text.isascii():
        return text
    return "".join(map(_escaped, text))
