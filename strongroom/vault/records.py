"""What the vault hands back. Names, text and summaries are document content:
they are kept out of ``repr`` so a stray log line cannot leak them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..understanding.result import FieldValue


@dataclass(frozen=True)
class DocumentRow:
    """One line of the document list (no text, no bytes)."""

    id: int
    name: str = field(repr=False)
    kind: str
    doc_type: str
    doc_date: str | None = field(repr=False)  # the document's own date (Extraction.doc_date)
    added_at: str  # ISO 8601, UTC
    summary: str = field(repr=False)
    needs_review: bool = False  # a field's status is "needs_review"
    parent_id: int | None = None  # the document it came in (an e-mail), if any


@dataclass(frozen=True)
class StoredDocument:
    """A document as stored; the original bytes come from ``Vault.original_bytes``."""

    id: int
    name: str = field(repr=False)
    kind: str
    doc_type: str
    summary: str = field(repr=False)
    summary_source: str
    text: str = field(repr=False)
    page_starts: tuple[int, ...]
    fields: dict[str, FieldValue] = field(repr=False)  # in schema order
    added_at: str  # ISO 8601, UTC
    size: int  # bytes of the original file
    sha256: str
    doc_date: str | None = None  # the document's own date (Extraction.doc_date)
    type_confidence: float | None = None  # Extraction.type_confidence; None: not measured
    parent_id: int | None = None  # the document it came in (an e-mail), if any
    #: The documents that came in it (an e-mail's attachments): (id, name), in order.
    attachments: tuple[tuple[int, str], ...] = field(default=(), repr=False)
    warnings: tuple[str, ...] = ()  # Document.warnings: the OCR'd text may be wrong
