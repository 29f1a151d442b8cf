"""Fakes and fixtures for the window tests (tests/unit/desktop, tests/e2e/desktop).

``FakeVault`` has the real vault's API, in memory; ``understand_*`` stand in for
the model: instant, deterministic, and grounded (every value is a span of the text).
The fixtures ``docs`` and ``make_window`` are imported by those folders' conftests.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from strongroom.errors import Cancelled, VaultError
from strongroom.reading.base import Document
from strongroom.understanding.personal import Label
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault.records import DocumentRow, StoredDocument

RECEIPT = (
    "Corner Pharmacy\n"
    "12 High Street\n"
    "Date: 2024-03-05\n"
    "Ibuprofen 400mg x2      6.40\n"
    "Total                  12.50 EUR\n"
    "Thank you for your visit.\n"
)


class FakeVault:
    """In memory, satisfies ``strongroom.vault.protocol.OpenVault`` (checked in
    tests/unit/desktop/test_fake_vault.py); thread-safe.

    Search filters the rows in memory (every word, case-folded, in the name, the
    summary or the text). What no window test with a fake uses (reviewing a field,
    changing the key's locks) raises ``NotImplementedError``: use a real ``Vault``.
    """

    def __init__(self, key_method: str = "passphrase") -> None:
        self.key_method = key_method
        self.path = Path("fake-vault")  # never touched: the fake lives in memory
        self.closed = False
        self._lock = threading.Lock()
        self._docs: dict[int, StoredDocument] = {}
        self._originals: dict[int, bytes] = {}
        self._next = 1

    def unlock_methods(self, data_dir: Path) -> tuple[str, ...]:
        return (self.key_method,)

    def key_methods(self) -> tuple[str, ...]:
        return (self.key_method, "recovery")

    def find_by_sha256(self, sha256: str) -> int | None:
        with self._lock:
            return next((d.id for d in self._docs.values() if d.sha256 == sha256), None)

    def add_document(self, doc: Document, extraction: Extraction, *,
                     parent_id: int | None = None) -> int:
        with self._lock:
            doc_id, self._next = self._next, self._next + 1
            self._docs[doc_id] = StoredDocument(
                id=doc_id, name=doc.name, kind=doc.kind, doc_type=extraction.doc_type,
                summary=extraction.summary, summary_source=extraction.summary_source,
                text=doc.text, page_starts=doc.page_starts, fields=dict(extraction.fields),
                added_at=datetime.now(UTC).isoformat(timespec="seconds"),
                size=len(doc.data), sha256=hashlib.sha256(doc.data).hexdigest(),
                doc_date=extraction.doc_date,
                parent_id=parent_id if parent_id in self._docs else None,
                warnings=doc.warnings,
            )
            self._originals[doc_id] = doc.data
            return doc_id

    def list_documents(self) -> list[DocumentRow]:
        with self._lock:
            docs = sorted(self._docs.values(), key=lambda d: d.id, reverse=True)
        return [DocumentRow(id=d.id, name=d.name, kind=d.kind, doc_type=d.doc_type,
                            doc_date=d.doc_date, added_at=d.added_at, summary=d.summary,
                            parent_id=d.parent_id)
                for d in docs]

    def search(self, query: str, *, doc_type: str | None = None, date_from: str | None = None,
               date_to: str | None = None, needs_review: bool = False, limit: int = 200
               ) -> list[DocumentRow]:
        words = query.casefold().split()
        with self._lock:
            docs = dict(self._docs)
        keep = []
        for row in self.list_documents():
            doc = docs[row.id]
            haystack = f"{doc.name}\n{doc.summary}\n{doc.text}".casefold()
            if not all(w in haystack for w in words):
                continue
            if doc_type is not None and doc.doc_type != doc_type:
                continue
            if date_from is not None and (doc.doc_date is None or doc.doc_date < date_from):
                continue
            if date_to is not None and (doc.doc_date is None or doc.doc_date > date_to):
                continue
            if needs_review and not any(f.status == "needs_review"
                                        for f in doc.fields.values()):
                continue
            keep.append(row)
        return keep[:limit]

    def get(self, doc_id: int) -> StoredDocument:
        with self._lock:
            if doc_id not in self._docs:
                raise VaultError(f"No document with id {doc_id}.")
            attached = tuple((d.id, d.name) for d in self._docs.values()
                             if d.parent_id == doc_id)
            return replace(self._docs[doc_id], attachments=attached)

    def delete(self, doc_id: int) -> None:
        with self._lock:
            self._originals.pop(doc_id, None)
            if self._docs.pop(doc_id, None) is None:
                raise VaultError(f"No document with id {doc_id}.")
            for d in list(self._docs.values()):  # as the vault: attachments stay, unlinked
                if d.parent_id == doc_id:
                    self._docs[d.id] = replace(d, parent_id=None)

    def confirm_field(self, doc_id: int, name: str) -> None:
        raise NotImplementedError("FakeVault does not review fields: use a real Vault")

    def correct_field(self, doc_id: int, name: str, start: int, end: int) -> str:
        raise NotImplementedError("FakeVault does not review fields: use a real Vault")

    def labels(self) -> list[Label]:
        return []  # nothing is ever confirmed or corrected in a fake

    def original_bytes(self, doc_id: int) -> bytes:
        self.get(doc_id)  # the same error for an unknown id
        with self._lock:
            return self._originals[doc_id]

    def page_pictures(self, doc_id: int) -> dict[int, bytes]:
        return {}  # the fake keeps no OCR'd pages

    def word_boxes(self, doc_id: int) -> tuple[tuple[int, int, int, float, float, float, float],
                                               ...]:
        return ()

    def compact(self) -> tuple[int, int]:
        return (0, 0)  # nothing on disk: sizes before and after

    def take_recovery_code(self) -> str | None:
        return None  # a fake vault was never created here: no code to show

    def change_passphrase(self, new: str, *, current: str | None = None) -> None:
        raise NotImplementedError("FakeVault has no key locks: use a real Vault")

    def new_recovery_code(self, *, current: str | None = None) -> str:
        raise NotImplementedError("FakeVault has no key locks: use a real Vault")

    def close(self) -> None:
        self.closed = True


def _grounded(text: str, pattern: str, group: int = 1) -> FieldValue:
    match = re.search(pattern, text)
    if match is None:
        return FieldValue()
    return FieldValue(match.group(group), match.group(group), match.span(group))


def extract(text: str) -> Extraction:
    """What a good model would say about ``RECEIPT``-like text."""
    first = text.splitlines()[0] if text.strip() else ""
    fields = {
        "vendor": FieldValue(first, None, (0, len(first))) if first else FieldValue(),
        "date": _grounded(text, r"(\d{4}-\d{2}-\d{2})"),
        "total": _grounded(text, r"Total\s+(\d+\.\d{2})"),
        "currency": _grounded(text, r"\b(EUR|USD|GBP)\b"),
        "tax_id": FieldValue(),  # not in the text
    }
    return Extraction(doc_type="receipt", summary="A pharmacy receipt for 12.50 EUR.",
                      summary_source="model", fields=fields, doc_date=fields["date"].normalized)


def understand_now(doc: Document, *, cancel: threading.Event,
                   progress: Callable[[float], None]) -> Extraction:
    for step in range(1, 5):
        progress(step / 4)
    return extract(doc.text)


def understand_slowly(seconds: float) -> Callable[..., Extraction]:
    def understand(doc: Document, *, cancel: threading.Event,
                   progress: Callable[[float], None]) -> Extraction:
        time.sleep(seconds)  # the GIL-holding part of a real model is short; sleep frees it
        return understand_now(doc, cancel=cancel, progress=progress)
    return understand


def understand_until_cancelled(doc: Document, *, cancel: threading.Event,
                               progress: Callable[[float], None]) -> Extraction:
    progress(0.45)
    if not cancel.wait(10):
        raise AssertionError("never cancelled")
    raise Cancelled


def file_mime(paths: list[Path]) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drop(target: QWidget, mime: QMimeData) -> bool:
    """Drag ``mime`` over ``target`` and drop it, as the platform would; True if accepted."""
    pos = QPoint(target.width() // 2, target.height() // 2)
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    try:  # PySide6 6.12 takes a QPointF (the QPoint form is deprecated); before, a QPoint
        enter = QDragEnterEvent(QPointF(pos), *args)
    except TypeError:
        enter = QDragEnterEvent(pos, *args)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)
    return event.isAccepted()


# -- fixtures (imported by tests/unit/desktop/conftest.py and tests/e2e/desktop/conftest.py)
@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A folder with a receipt, a note and an empty file."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "receipt.txt").write_text(RECEIPT, encoding="utf-8")
    (folder / "note.txt").write_text("Dr. Lee\nBlood pressure 120/80 on 2024-04-01.\n",
                                     encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


@pytest.fixture
def make_window(qtbot):  # type: ignore[no-untyped-def]
    """``make_window(understand=..., vault=...)``: a shown window, shut down after the test.

    Closed here rather than left to pytest-qt, which only holds a weak reference:
    a window collected without closing would leave its worker thread behind.
    """
    from strongroom.desktop.window import MainWindow

    windows: list[MainWindow] = []

    def make(understand=understand_now, vault=None):  # type: ignore[no-untyped-def]
        window = MainWindow(vault if vault is not None else FakeVault(), understand)
        qtbot.add_widget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert window.processor._thread is None, "the worker thread outlived its window"


@pytest.fixture(autouse=True)
def desktop_env(monkeypatch: pytest.MonkeyPatch, cheap_argon2: None) -> None:
    """Window tests (unit and e2e import it into their conftest): no passphrase in the
    environment, cheap Argon2id; tests/conftest.py already keeps the keychain off."""
    monkeypatch.delenv("STRONGROOM_PASSPHRASE", raising=False)
