"""PDF: text per page, page offsets, and every way a PDF is refused."""

from __future__ import annotations

import threading

import pytest

from strongroom.errors import PasswordRequired, ReadError
from strongroom.reading import limits, messages, pdf, read_bytes
from tests.helpers.documents import CANARY, make_pdf, make_scanned_pdf

PAGES = [f"Page one: statement {CANARY}", "Page two: balance 120.00\nsecond line",
         "Page three: total 7.25"]


def test_pages_are_joined_and_page_starts_point_at_each_page():
    doc = read_bytes("statement.pdf", make_pdf(PAGES))
    assert doc.kind == "pdf"
    assert doc.text == "\n\n".join(PAGES)
    assert len(doc.page_starts) == 3
    for number, (start, page) in enumerate(zip(doc.page_starts, PAGES, strict=True), 1):
        assert doc.text[start:start + len(page)] == page
        assert doc.page_of(start) == number
        assert doc.page_of(start + len(page) - 1) == number
        assert doc.page_of(doc.text.index(page.split()[-1])) == number


def test_blank_pages_keep_later_offsets_right():
    pages = ["first", "", "third"]
    doc = read_bytes("a.pdf", make_pdf(pages))
    assert doc.text == "first\n\n\n\nthird"
    assert doc.page_of(doc.text.index("third")) == 3
    assert doc.page_of(0) == 1


def test_a_pdf_named_txt_is_read_as_a_pdf():
    doc = read_bytes("really-a-pdf.txt", make_pdf(["hello"]))
    assert doc.kind == "pdf" and doc.text == "hello"


@pytest.mark.parametrize(("data", "message"), [
    (make_pdf([CANARY], user_password="secret"), messages.PDF_LOCKED),
    (make_pdf([CANARY * 20])[:300], messages.PDF_DAMAGED),
    (make_pdf([CANARY * 20])[:-300], messages.PDF_DAMAGED),
    (b"%PDF-1.7\n" + CANARY.encode() * 50, messages.PDF_DAMAGED),
    (CANARY.encode() * 10, messages.PDF_DAMAGED),  # named .pdf, is not one
    (make_scanned_pdf(), messages.PDF_NO_TEXT),
    (make_pdf([CANARY], page_size_pt=(20_000, 500)), messages.PDF_PAGE_SIZE),
])
def test_refusals(data, message):
    with pytest.raises(ReadError) as err:
        read_bytes("doc.pdf", data)
    assert str(err.value) == message
    assert not pdf._PDFIUM_LOCK.locked()


def test_exact_messages_for_password_and_no_text_layer():
    assert messages.PDF_LOCKED == (
        "The PDF is password-protected. In the window, add it and type its password when "
        "asked; on the command line, add --pdf-password. Or save a copy without the password.")
    assert messages.PDF_WRONG_PASSWORD == (
        "The password does not open this PDF. Check it and try again.")
    assert "text layer" in messages.PDF_NO_TEXT
    assert "reading its pages" in messages.PDF_NO_TEXT  # scans are read by OCR
    assert messages.PDF_DAMAGED.startswith("The file is damaged or not a PDF.")


def test_page_count_cap(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 2)
    with pytest.raises(ReadError) as err:
        read_bytes("a.pdf", make_pdf(PAGES))
    assert str(err.value) == messages.PDF_TOO_MANY_PAGES


def test_total_text_cap(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 40)
    with pytest.raises(ReadError) as err:
        read_bytes("a.pdf", make_pdf(PAGES))
    assert str(err.value) == messages.TOO_MUCH_TEXT


def test_threads_share_pdfium_safely():
    data = make_pdf(PAGES)
    results: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                results.append(read_bytes("a.pdf", data).text)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == ["\n\n".join(PAGES)] * 20


def test_a_password_protected_pdf_opens_with_its_password():
    data = make_pdf(PAGES, user_password="s3cret é")
    with pytest.raises(PasswordRequired) as err:
        read_bytes("locked.pdf", data)
    assert str(err.value) == messages.PDF_LOCKED
    doc = read_bytes("locked.pdf", data, password="s3cret é")
    assert doc.text == "\n\n".join(PAGES) and len(doc.page_starts) == 3


def test_a_wrong_password_says_so_and_never_shows_the_password():
    data = make_pdf([CANARY], user_password="right")
    with pytest.raises(PasswordRequired) as err:
        read_bytes("locked.pdf", data, password="wrong-guess")
    assert str(err.value) == messages.PDF_WRONG_PASSWORD
    assert "wrong-guess" not in repr(err.value) and err.value.__cause__ is None
    assert not pdf._PDFIUM_LOCK.locked()


def test_a_password_is_ignored_by_files_that_have_none():
    assert read_bytes("open.pdf", make_pdf(PAGES), password="unused").text.startswith("Page one")
    assert read_bytes("a.txt", b"plain words", password="unused").text == "plain words"


# -- page pictures and word boxes of the text layer ---------------------------------

def _placed_pdf(words: dict[str, tuple[float, float]], *, rotation: int = 0,
                crop: tuple[float, float, float, float] | None = None) -> bytes:
    """An A4 PDF with each word printed at (x, baseline y) in points from the top-left,
    the page turned by ``rotation`` and cut to ``crop`` (left, bottom, right, top)."""
    import io

    import pypdfium2 as pdfium
    from fpdf import FPDF

    doc = FPDF(unit="pt", format="A4")
    doc.set_font("Helvetica", size=20)
    doc.add_page()
    for word, (x, y) in words.items():
        doc.text(x, y, word)
    data = bytes(doc.output())
    if not rotation and crop is None:
        return data
    turned = pdfium.PdfDocument(data)
    page = turned[0]
    page.set_rotation(rotation)
    if crop is not None:
        page.set_cropbox(*crop)
    out = io.BytesIO()
    turned.save(out)
    page.close()
    turned.close()
    return out.getvalue()


def _ink(picture: bytes, box: tuple[float, float, float, float]) -> float:
    """The share of dark pixels of ``picture`` inside ``box`` (0..1 of its sides)."""
    import io

    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(io.BytesIO(picture)).convert("L"))
    height, width = grey.shape
    x0, y0, x1, y1 = box
    inside = grey[int(y0 * height):int(y1 * height) + 1, int(x0 * width):int(x1 * width) + 1]
    return float((inside < 128).mean()) if inside.size else 0.0


WORDS = {"Total": (72.0, 120.0), "1,234.50": (300.0, 120.0), "31.01.2024": (72.0, 600.0)}


@pytest.mark.parametrize(("rotation", "crop"), [
    (0, None), (90, None), (180, None), (270, None), (0, (40, 200, 500, 800)),
    (90, (40, 200, 500, 800)),
])
def test_text_layer_words_have_boxes_on_the_page_picture(rotation, crop):
    """Each word's box, from pdfium's character boxes, lands on its ink in the page's
    picture as rendered, whatever the page's rotation and crop box."""
    doc = read_bytes("invoice.pdf", _placed_pdf(WORDS, rotation=rotation, crop=crop))
    (page, picture), = doc.previews
    assert page == 1 and picture.startswith(b"\x89PNG")
    found = {doc.text[a:z]: (x0, y0, x1, y1) for a, z, _, x0, y0, x1, y1 in doc.boxes}
    assert set(found) == set(WORDS)
    for word, box in found.items():
        assert _ink(picture, box) > 0.15, word  # the word's ink is inside its box
        x0, y0, x1, y1 = box
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
    # where the words are relative to each other follows the page's turn
    total, amount = found["Total"], found["1,234.50"]
    if rotation == 0:
        assert total[2] < amount[0] and abs(total[1] - amount[1]) < 0.01  # same line
    if rotation == 90:
        assert total[3] < amount[1]  # the line now runs down the picture


def test_only_the_first_pages_are_pictured(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PICTURED_PAGES", 2)
    pages = [f"Page {n} of the statement, total {n}.00" for n in range(1, 5)]
    doc = read_bytes("long.pdf", make_pdf(pages))
    assert [n for n, _ in doc.previews] == [1, 2]
    assert {b[2] for b in doc.boxes} == {1, 2}
    assert doc.text.count("total") == 4  # the text of every page all the same


def test_word_offsets_skip_pdfiums_line_ends_and_marks():
    """The text is cleaned (CR LF to LF, control marks out, ends stripped); every box
    still names the word it was measured on."""
    doc = read_bytes("lines.pdf", make_pdf(["  first line\nsecond\tline\n\nthird  "]))
    words = [doc.text[a:z] for a, z, *_ in doc.boxes]
    assert words == doc.text.split()


def test_a_real_2000_page_pdf_is_refused_before_its_pages_are_read():
    """The issue's hostile set, literally: 2,000 pages, over ``MAX_PDF_PAGES``."""
    from fpdf import FPDF

    doc = FPDF(unit="pt", format="A4")
    doc.set_font("Helvetica", size=12)
    for n in range(2000):
        doc.add_page()
        doc.text(72, 72, f"Page {n}")
    with pytest.raises(ReadError) as err:
        read_bytes("long.pdf", bytes(doc.output()))
    assert str(err.value) == messages.PDF_TOO_MANY_PAGES
