"""Plain text and Markdown: find the encoding, refuse binary data.

People's notes and exports come in whatever encoding their machine used:
byte-order marks decide first, then strict UTF-8, then charset-normalizer's
guess (cp1252, Shift-JIS, GBK...). Binary data with a text name is refused
instead of being decoded into garbage that would then reach the model and the
vault.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from ..errors import ReadError
from . import limits, messages
from .sniff import BINARY, IMAGE, sniff

# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Control characters no text file has in numbers (tab, newlines, form feed,
#: vertical tab and escape are allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffe\uffff]")
_MAX_CONTROL_SHARE = 0.01
_NEWLINES = re.compile(r"\r\n?")


def read(data: bytes) -> str:
    """Decode ``data`` to text with ``\\n`` newlines; ``ReadError`` if it is not text."""
    text = _NEWLINES.sub("\n", decode(data))
    if not text.strip():
        raise ReadError(messages.NO_TEXT)
    limits.check_text_size(len(text))
    return text


def decode(data: bytes) -> str:
    """Decode ``data`` by BOM, UTF-8, or a detected encoding; refuse binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data[len(bom):], encoding))
    if sniff(data) in (BINARY, IMAGE):
        raise ReadError(messages.NOT_TEXT)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _checked(_strict(data, utf16))
    if b"\x00" in data:
        raise ReadError(messages.NOT_TEXT)
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ReadError(messages.NOT_TEXT)
    return _checked(_strict(data, best.encoding))


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise ReadError(messages.NOT_TEXT) from None


def _checked(text: str) -> str:
    """Refuse text that decoded but is mostly control characters (binary data)."""
    control = sum(1 for _ in _CONTROL.finditer(text))
    if control and control > _MAX_CONTROL_SHARE * len(text):
        raise ReadError(messages.NOT_TEXT)
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM, told by NUL high bytes of mostly-Latin text."""
    sample = data[:4096]
    if len(data) % 2 or len(sample) < 4:
        return None
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None
