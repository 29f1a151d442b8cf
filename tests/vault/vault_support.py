"""Helpers shared by the vault tests (imported by name: tests/vault is on sys.path)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from strongroom.reading.base import Document
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault import keys

#: The production Argon2id parameters, saved before the autouse fixture lowers them.
REAL_ARGON2 = (keys.ARGON2_MEMORY_KIB, keys.ARGON2_TIME_COST, keys.ARGON2_PARALLELISM)

def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (names included: new files show up)."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_doc(name: str = "letter.txt", text: str = "Invoice 42 dated 2024-03-05. Total 12.50 EUR",
             data: bytes | None = None, kind: str = "text",
             page_starts: tuple[int, ...] = (0,)) -> Document:
    return Document(name=name, kind=kind, text=text,
                    data=text.encode() if data is None else data, page_starts=page_starts)


def make_extraction(text: str = "Invoice 42 dated 2024-03-05. Total 12.50 EUR") -> Extraction:
    start = text.find("2024-03-05")
    fields = {
        "vendor": FieldValue(),  # absent value
        "invoice_date": FieldValue("2024-03-05", "2024-03-05", (start, start + 10), score=0.9),
        "total": FieldValue("12.50", "12.50", (text.find("12.50"), text.find("12.50") + 5)),
        "currency": FieldValue("EUR", "EUR", None, inferred=True),
    }
    return Extraction(doc_type="invoice", summary="An invoice.", summary_source="model",
                      fields=fields, doc_date="2024-03-05")
