"""The detail pane: fields next to the text they were found in."""

from __future__ import annotations

import dataclasses

import pytest

from strongroom.desktop.detail import DetailPane, links_html, message_title, qt_offset
from strongroom.understanding.result import FieldValue
from strongroom.vault.records import StoredDocument

pytestmark = pytest.mark.gui


def stored(text: str, fields: dict[str, FieldValue], page_starts: tuple[int, ...] = (0,),
           type_confidence: float | None = None) -> StoredDocument:
    return StoredDocument(id=1, name="note.txt", kind="text", doc_type="clinical_note",
                          summary="A note.", summary_source="model", text=text,
                          page_starts=page_starts, fields=fields,
                          added_at="2024-05-01T10:00:00+00:00", size=len(text), sha256="0",
                          type_confidence=type_confidence)


def span_field(text: str, value: str) -> FieldValue:
    start = text.index(value)
    return FieldValue(value, value, (start, start + len(value)))


@pytest.mark.parametrize(("confidence", "meta"), [
    (None, "Clinical note · Text file · added 2024-05-01"),  # stored before it was measured
    (0.97, "Clinical note · Text file · added 2024-05-01"),
    (0.62, "Clinical note? (type uncertain: 62% sure) · Text file · added 2024-05-01"),
])
def test_an_uncertain_type_says_so(qtbot, confidence, meta) -> None:
    pane = DetailPane()
    qtbot.add_widget(pane)
    pane.show_document(stored("Seen today.", {}, type_confidence=confidence))
    assert pane.meta.text() == meta


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


def test_lab_tests_are_a_table_of_their_own(qtbot) -> None:
    from strongroom.understanding.labtests import lab_rows

    text = ("Westbrook Pathology\nPatient: A. Person\n"
            "Hemoglobin   11.4  g/dL   (13.5-17.5)  L\n"
            "Sodium   150  mmol/L   135-145\n")
    fields = {"laboratory": span_field(text, "Westbrook Pathology"), **lab_rows(text)}
    pane = DetailPane()
    qtbot.add_widget(pane)
    pane.resize(600, 700)
    pane.show()
    pane.show_document(stored(text, fields))
    # the fields table keeps plain fields; the tests are rows of their own table
    assert pane.fields_table.rowCount() == 1
    table = pane.list_table
    assert pane.list_title.text() == "Tests" and table.isVisible()
    headers = [table.horizontalHeaderItem(k).text() for k in range(table.columnCount())]
    assert headers == ["Test", "Result", "Unit", "Reference range", "Flag"]
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["Hemoglobin", "Sodium"]
    assert table.item(1, 4).text() == "high" and table.item(1, 4).font().italic()  # computed
    # out of range reads as a warning, never in the verified green (issue 24)
    for row in (0, 1):
        flag = table.item(row, 4)
        assert flag.font().bold() and flag.foreground().color().name() == "#a3281f"
    verified = {**fields, "tests.1.flag": dataclasses.replace(fields["tests.1.flag"],
                                                             status="verified")}
    pane.show_document(stored(text, verified))
    assert pane.list_table.item(0, 4).foreground().color().name() == "#a3281f"
    pane.show_document(stored(text, fields))
    # a cell is a field: it highlights its span, and review acts on it
    pane.select_field("tests.2.range")
    assert pane.selected_field() == "tests.2.range"
    assert pane.fields_table.selectedItems() == []
    (mark,) = pane.text_view.extraSelections()
    assert mark.cursor.selectedText() == "135-145"
    assert pane.confirm_button.isEnabled()
    pane.select_field("laboratory")
    assert pane.selected_field() == "laboratory" and table.selectedItems() == []
    # every row of both tables is visible without scrolling
    assert table.maximumHeight() >= table.rowCount() * table.verticalHeader().defaultSectionSize()
    # a document without a list hides the table
    pane.show_document(stored("Seen 2024-04-01.", {"date": span_field("Seen 2024-04-01.",
                                                                      "2024-04-01")}))
    assert not table.isVisible() and not pane.list_title.isVisible()


def test_a_hostile_file_name_is_shown_as_plain_escaped_text(qtbot) -> None:
    """A name is never HTML, and its controls and bidi overrides are spelled out (#22)."""
    from PySide6.QtCore import Qt

    pane = DetailPane()
    qtbot.addWidget(pane)
    name = "<b>bold</b>\x1b[2J\u202etxt.exe"
    pane.show_message(name, "Failed", "The file is empty.", failed=True)
    assert pane.message_name.textFormat() == Qt.TextFormat.PlainText
    assert pane.message_name.text() == r"<b>bold</b>\x1b[2J\u202etxt.exe"
    doc = stored("Total 1.00", {})
    pane.show_document(dataclasses.replace(doc, name=name))
    assert pane.title.textFormat() == Qt.TextFormat.PlainText
    assert pane.title.text() == r"<b>bold</b>\x1b[2J\u202etxt.exe"


def test_a_photo_shows_its_page_with_the_selected_field_outlined(qtbot) -> None:
    """The real OCR reads a drawn receipt; selecting the total outlines its words on
    the reader's picture of the page, where they were drawn; a field with no box
    outlines nothing, and clearing drops the picture."""
    from strongroom.reading import read_bytes
    from tests.helpers.scans import draw, encode

    image, drawn = draw(["GREENLEAF GROCERS LTD", "Sourdough loaf          3.20",
                         "TOTAL                   5.05"])
    doc = read_bytes("IMG_7.png", encode(image, "PNG"))
    fields = {"total": span_field(doc.text, "5.05"),
              "currency": FieldValue("GBP", "GBP", None, inferred=True)}
    record = dataclasses.replace(stored(doc.text, fields), kind="image", name="IMG_7.png")
    pane = DetailPane()
    qtbot.add_widget(pane)
    pane.resize(1000, 800)
    pane.show()
    pane.show_document(record, pictures=dict(doc.previews), boxes=doc.boxes)
    assert pane.page_view.isVisible() and pane.page_view.page == 1
    assert not pane.page_view.canvas.image.isNull()
    assert "Photo or scan" in pane.meta.text()
    pane.select_field("total")
    (mark,) = pane.page_view.marks
    x0, y0, x1, y1 = drawn["5.05"]
    assert abs((mark[0] + mark[2]) / 2 - (x0 + x1) / 2) < 0.03
    assert abs((mark[1] + mark[3]) / 2 - (y0 + y1) / 2) < 0.03
    pane.select_field("currency")
    assert pane.page_view.marks == []
    pane.show_document(stored("typed note", {}))  # a typed document: no page beside it
    assert not pane.page_view.isVisible() and pane.page_view.canvas.image.isNull()
    pane.show_document(record, pictures=dict(doc.previews), boxes=doc.boxes)
    pane.clear()
    assert pane.page_view.canvas.image.isNull() and not pane.page_view.has_pages


def test_a_text_pdf_shows_its_page_with_the_field_where_it_is_printed(qtbot) -> None:
    """A PDF's text layer gets a picture and word boxes too: the total is outlined on
    page 2 where the PDF prints it."""
    from fpdf import FPDF

    from strongroom.reading import read_bytes

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=14)
    pdf.add_page()
    pdf.text(72, 100, "Invoice 2024-17 from Northwind Medical Supplies Ltd")
    pdf.add_page()
    pdf.text(72, 100, "Services rendered in March, see the first page")
    pdf.text(72, 700, "Total due")
    pdf.text(400, 700, "1,234.50")
    doc = read_bytes("invoice.pdf", bytes(pdf.output()))
    fields = {"total": span_field(doc.text, "1,234.50")}
    record = dataclasses.replace(stored(doc.text, fields, doc.page_starts), kind="pdf",
                                 name="invoice.pdf")
    pane = DetailPane()
    qtbot.add_widget(pane)
    pane.resize(1000, 800)
    pane.show()
    pane.show_document(record, pictures=dict(doc.previews), boxes=doc.boxes)
    assert pane.page_view.isVisible() and pane.page_view.page == 1
    assert not pane.page_view.canvas.image.isNull()  # the grey PNG decodes
    pane.select_field("total")
    assert pane.page_view.page == 2
    (mark,) = pane.page_view.marks
    width, height = 595.28, 841.89
    assert abs(mark[0] - 400 / width) < 0.01 and mark[2] > mark[0]
    assert mark[1] < 700 / height < mark[3] + 0.005  # the baseline at the box's foot



def test_a_photo_too_blurred_to_trust_says_so_beside_its_page(qtbot) -> None:
    """The reader's warning (issue 22) is a visible line over the text and the page,
    gone for a document without one and when the pane is cleared."""
    import numpy as np
    from PIL import ImageFilter

    from strongroom.reading import messages, ocr
    from tests.helpers.scans import draw

    image, _ = draw(["GREENLEAF GROCERS LTD", "TOTAL                   5.05"])
    picture = ocr.preview(np.asarray(image.filter(ImageFilter.GaussianBlur(3))))
    text = "GREENLEAF GROCERS LTD\nTOTAL   5.05"
    record = dataclasses.replace(stored(text, {"total": span_field(text, "5.05")}),
                                 kind="image", warnings=(messages.PHOTO_BLURRED,))
    pane = DetailPane()
    qtbot.add_widget(pane)
    pane.resize(1000, 800)
    pane.show()
    pane.show_document(record, pictures={1: picture})
    assert pane.photo_warning.isVisible() and pane.page_view.isVisible()
    assert pane.photo_warning.text() == f"⚠ {messages.PHOTO_BLURRED}"
    # near the picture: between the text's title and the text and page
    assert (pane.text_title.geometry().bottom() <= pane.photo_warning.geometry().top()
            <= pane.text_and_page.geometry().top())
    pane.show_document(stored("typed note", {}))
    assert not pane.photo_warning.isVisible()
    pane.show_document(record, pictures={1: picture})
    pane.clear()
    assert pane.photo_warning.text() == "" and not pane.photo_warning.isVisible()


def test_an_emails_title_is_its_subject_and_links_escape_every_name() -> None:
    mail = dataclasses.replace(
        stored("From: Clinic <c@example.org>\nSubject: Your <i>results</i>\n\nSubject: not me\n",
               {}), kind="email", name="m.eml")
    assert message_title(mail) == "Your <i>results</i>"
    assert message_title(dataclasses.replace(mail, text="From: x\n\nbody")) == "m.eml"
    assert message_title(dataclasses.replace(mail, kind="text")) == "m.eml"
    assert links_html((3, "Your <i>results</i>"), ((4, "a&b.pdf"), (5, "bill\x1b.pdf"))) == (
        'Attached to the e-mail “<a href="doc:3">Your &lt;i&gt;results&lt;/i&gt;</a>”<br>'
        '2 attachments: <a href="doc:4">a&amp;b.pdf</a> · <a href="doc:5">bill\\x1b.pdf</a>')
    assert links_html(None, ()) == ""
    assert links_html(None, ((4, "a.pdf"),)) == '1 attachment: <a href="doc:4">a.pdf</a>'
