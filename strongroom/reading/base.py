"""What every reader produces."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """A document as read from disk. ``name`` and ``text`` are document content:
    they never go into logs, messages or anything outside the vault."""

    name: str  # file name, without folders
    kind: str  # "text" | "pdf" | "docx"
    text: str
    data: bytes = field(repr=False)  # the original file bytes
    #: Offset in ``text`` where each page starts; ``[0]`` for unpaged formats.
    page_starts: tuple[int, ...] = (0,)

    def page_of(self, offset: int) -> int:
        """1-based page number holding text offset ``offset``."""
        return max(1, bisect_right(self.page_starts, offset))
