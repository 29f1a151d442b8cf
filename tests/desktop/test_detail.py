"""The detail pane: fields next to the text they were found in."""

from __future__ import annotations

import pytest

from strongroom.desktop.detail import DetailPane, qt_offset
from strongroom.understanding.result import FieldValue
from strongroom.vault.records import StoredDocument

pytestmark = pytest.mark.gui


def stored(text: str, fields: dict[str, FieldValue],
           page_starts: tuple[int, ...] = (0,)) -> StoredDocument:
    return StoredDocument(id=1, name="note.txt", kind="text", doc_type="clinical_note",
                          summary="A note.", summary_source="model", text=text,
                          page_starts=page_starts, fields=fields,
                          added_at="2024-05-01T10:00:00+00:00", size=len(text), sha256="0")


def span_field(text: str, value: str) -> FieldValue:
    start = text.index(value)
    return FieldValue(value, value, (start, start + len(value)))


@pytest.mark.parametrize("text", [
    "Patient 😀 seen on 2024-04-01 for follow-up.",
    "Line one\r\nLine two\r\nSeen on 2024-04-01 again.",
    "Café Ünïcode — 2024-04-01 ✓",
])
def test_highlight_marks_exactly_the_span(qtbot, text: str) -> None:
    pane = DetailPane()
    qtbot.add_widget(pane)
    pane.show_document(stored(text, {"date": span_field(text, "2024-04-01")}))
    pane.select_field("date")
    (mark,) = pane.text_view.extraSelections()
    assert mark.cursor.selectedText() == "2024-04-01"
    assert pane.text_view.textCursor().position() == qt_offset(text, text.index("2024-04-01"))


def test_pages_and_inferred_values_are_explained(qtbot) -> None:
    text = "Page one.\fPage two:\ntotal 9.99\n"
    fields = {"total": span_field(text, "9.99"),
              "currency": FieldValue("EUR", "EUR", None, inferred=True)}
    pane = DetailPane()
    qtbot.add_widget(pane)
    pane.show_document(stored(text, fields, page_starts=(0, 10)))
    assert pane.meta.text() == "Clinical note · Text file · 2 pages · added 2024-05-01"
    pane.select_field("total")
    assert pane.hint.text() == "Found on page 2, line 2 (highlighted below)."
    pane.select_field("currency")
    assert pane.text_view.extraSelections() == []
    assert pane.hint.text() == "Inferred: not quoted from the text, so nothing to highlight."
    assert pane.fields_table.item(1, 1).toolTip() == "Inferred, not quoted from the text"
