"""Reviewing fields in the window (issue 12), on a real SQLCipher vault with real Qt
events: the list filters to what needs review, a field shows its status and why,
the person confirms one, or selects the right text and uses it; the understander is
handed the labels to learn from."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from strongroom.desktop.detail import qt_offset
from strongroom.desktop.models import NAME, STATUS
from strongroom.reading.base import Document
from strongroom.understanding.personal import Label
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault import Vault
from tests.helpers.desktop import understand_now

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

# An emoji before the values: Qt counts it as two positions, Python as one.
TEXT = ("🦷 Harbour Dental Care\nInvoice No: INV-77\nInvoice date: 05/03/2024\n"
        "Total due: 480.00\n")


class Learning:
    """The window's understander, with ``learn`` recording what it was handed."""

    def __init__(self) -> None:
        self.learned: list[list[Label]] = []

    def __call__(self, doc: Document, *, cancel: threading.Event, progress: object
                 ) -> Extraction:
        return understand_now(doc, cancel=cancel, progress=progress)  # type: ignore[arg-type]

    def learn(self, labels: list[Label]) -> None:
        self.learned.append(list(labels))


def span(value: str, **kw: object) -> FieldValue:
    at = TEXT.index(value)
    return FieldValue(value, kw.pop("normalized", value), (at, at + len(value)),
                      **kw)  # type: ignore[arg-type]


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    vault = Vault.create(tmp_path / "vault", passphrase="review window test")
    fields = {
        "vendor": span("Invoice No: INV-77", score=0.31, status="needs_review",
                       note="Low confidence (31%) in this choice."),
        "invoice_number": span("INV-77", score=0.88, status="grounded"),
        "total": span("480.00", status="verified", note="Subtotal and tax add up to it."),
    }
    vault.add_document(Document("dental.txt", "text", TEXT, TEXT.encode(), (0,)),
                       Extraction("invoice", "An invoice.", fields=fields))
    calm = {"total": span("480.00", status="grounded")}
    vault.add_document(Document("calm.txt", "text", TEXT + " ", (TEXT + " ").encode(), (0,)),
                       Extraction("invoice", "An invoice.", fields=calm))
    return vault  # closed by the window


def rows(window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    m = window.model
    return {m.index(r, NAME).data(): m.index(r, STATUS).data() for r in range(m.rowCount())}


def check_column(window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    t = window.detail.fields_table
    return {t.item(r, 0).text(): t.item(r, 3).text() for r in range(t.rowCount())}


def test_review_a_field_in_the_window(qtbot, make_window, vault) -> None:  # type: ignore[no-untyped-def]
    understander = Learning()
    window = make_window(understand=understander, vault=vault)
    assert understander.learned == [[]]  # handed the (no) labels when the vault opened
    assert rows(window) == {"dental.txt": "Needs review", "calm.txt": "Saved"}

    qtbot.mouseClick(window.review_filter, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: list(rows(window)) == ["dental.txt"])
    window.table.selectRow(0)
    qtbot.wait_until(lambda: window.detail.document is not None)
    doc_id = window.detail.document.id
    assert check_column(window) == {"Vendor": "⚠ Needs review · 31%",
                                    "Invoice number": "In the text · 88%",
                                    "Total": "✓ Verified"}
    window.detail.select_field("vendor")
    assert "Low confidence (31%)" in window.detail.hint.text()
    assert window.detail.confirm_button.isEnabled()
    assert not window.detail.use_selection_button.isEnabled()  # no text selected yet

    # Select the right value in the document text, as a person drags over it.
    view = window.detail.text_view
    start = TEXT.index("Harbour")
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt_offset(TEXT, start))
    cursor.setPosition(qt_offset(TEXT, start + len("Harbour Dental Care")),
                       QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert window.detail.use_selection_button.isEnabled()
    qtbot.mouseClick(window.detail.use_selection_button, Qt.MouseButton.LeftButton)

    # Nothing left to review in it: it leaves the filtered list (the review queue).
    qtbot.wait_until(lambda: rows(window) == {})
    stored = vault.get(doc_id)
    assert stored.fields["vendor"].value == "Harbour Dental Care"
    assert stored.fields["vendor"].span == (start, start + len("Harbour Dental Care"))
    assert stored.fields["vendor"].status == "verified"
    assert [lb.value for lb in understander.learned[-1]] == ["Harbour Dental Care"]

    # Confirm another field with the button.
    qtbot.mouseClick(window.review_filter, Qt.MouseButton.LeftButton)  # show all again
    qtbot.wait_until(lambda: len(rows(window)) == 2)
    window.table.selectRow([*rows(window)].index("dental.txt"))
    qtbot.wait_until(lambda: window.detail.document is not None)
    window.detail.select_field("invoice_number")
    qtbot.mouseClick(window.detail.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: check_column(window).get("Invoice number") == "✓ Verified")
    assert not window.detail.confirm_button.isEnabled()  # already verified
    assert sorted(lb.field for lb in understander.learned[-1]) == ["invoice_number", "vendor"]
    assert "Invoice number verified" in window.statusBar().currentMessage()
