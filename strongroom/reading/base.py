"""What every reader produces."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Document:
    """A document as read from disk. ``name`` and ``text`` are document content:
    they never go into logs, messages or anything outside the vault."""

    name: str  # file name, without folders
    kind: str  # "text" | "pdf" | "docx" | "xlsx" | "ofx" | "image" | "html" | "email"
    text: str
    data: bytes = field(repr=False)  # the original file bytes
    #: Offset in ``text`` where each page starts; ``[0]`` for unpaged formats.
    page_starts: tuple[int, ...] = (0,)
    #: The e-invoice XML a PDF carries (ZUGFeRD / Factur-X / XRechnung), unparsed.
    einvoice: bytes | None = field(default=None, repr=False)
    #: Words on a page picture, each ``(start, end, page, x0, y0, x1, y1)``: its
    #: offsets in ``text``, its 1-based page and its box there in 0..1 of the page's
    #: width and height. Read by OCR, or from a PDF's text layer (its first pages).
    boxes: tuple[tuple[int, int, int, float, float, float, float], ...] = field(
        default=(), repr=False)
    #: ``(page, picture)`` for each page read by OCR (a JPEG) and the first pages of
    #: a PDF's text layer (a grey PNG): made by the reader (in its child process),
    #: the window shows ``boxes`` on it.
    previews: tuple[tuple[int, bytes], ...] = field(default=(), repr=False)
    #: Files this one carries as documents of their own (an e-mail's attachments),
    #: as (file name, bytes); the queue reads and stores each, linked to this one.
    attachments: tuple[tuple[str, bytes], ...] = field(default=(), repr=False)
    #: Why the text read by OCR may be wrong (a page too blurred, dark or small to
    #: trust), each one of ``quality.WARNINGS``: generic words, no content.
    warnings: tuple[str, ...] = ()

    @cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the original bytes (duplicate check, vault key); computed once."""
        return hashlib.sha256(self.data).hexdigest()

    def page_of(self, offset: int) -> int:
        """1-based page number holding text offset ``offset``."""
        return max(1, bisect_right(self.page_starts, offset))
