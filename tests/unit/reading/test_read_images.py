"""Photos and scans read by the real OCR: words, spaces, lines, and each word's box on
the page; image-only and mixed PDFs; and every way an image is refused."""

from __future__ import annotations

import io
import time

import pytest

from strongroom.errors import ReadError
from strongroom.reading import limits, messages, read_bytes
from strongroom.reading.sandbox import Sandbox
from tests.helpers.scans import draw, encode, image_pdf, photo, png_bomb

RECEIPT = ["GREENLEAF GROCERS LTD", "12 Mill Lane, Leeds LS1 4AB", "Date: 14/03/2024 10:42",
           "Sourdough loaf          3.20", "TOTAL                   5.05",
           "店名：福满多超市", "Thank you for shopping"]


def _word(doc, word: str):
    """The box of the OCR'd word that reads ``word``."""
    hits = [b for b in doc.boxes if doc.text[b[0]:b[1]] == word]
    assert hits, f"{word!r} has no box of its own"
    return hits[0]


def _overlap(a, b) -> float:
    """Intersection over union of two (x0, y0, x1, y1) boxes."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def test_a_clean_scan_is_read_line_by_line_with_spaces_and_boxes():
    image, drawn = draw(RECEIPT)
    doc = read_bytes("scan.png", encode(image, "PNG"))
    assert doc.kind == "image" and doc.page_starts == (0,)
    from PIL import Image

    (page, picture), = doc.previews  # the page's picture for the window, a JPEG
    shown = Image.open(io.BytesIO(picture))
    assert page == 1 and shown.format == "JPEG"
    assert abs(shown.width / shown.height - image.width / image.height) < 0.01
    lines = doc.text.split("\n")
    assert lines[0] == "GREENLEAF GROCERS LTD"
    assert lines[1] == "12 Mill Lane, Leeds LS1 4AB"
    assert lines[-1] == "Thank you for shopping"
    assert "福满多超市" in doc.text
    # a wide gap on a printed line is a column gap, as the field finders expect
    assert any(line.startswith("TOTAL   ") and line.endswith("5.05") for line in lines)
    # every word's box covers where it was drawn
    for word in ("GREENLEAF", "Mill", "Leeds", "TOTAL", "5.05", "shopping"):
        start, end, page, *box = _word(doc, word)
        assert page == 1
        assert _overlap(box, drawn[word]) > 0.5, word
    # boxes point into the text, in order, without overlapping
    spans = [(b[0], b[1]) for b in doc.boxes]
    assert spans == sorted(spans)
    assert all(a < z <= nxt for (a, z), (nxt, _) in zip(spans, spans[1:] + [(len(doc.text), 0)],
                                                        strict=True))


def test_a_phone_photo_turned_blurred_and_noisy_is_read_upright():
    image, _ = draw(RECEIPT)
    doc = read_bytes("photo.jpg", encode(photo(image, angle=4.0), "JPEG", quality=80))
    lines = doc.text.split("\n")
    assert "GREENLEAF GROCERS LTD" in lines
    assert "Thank you for shopping" in lines
    assert lines.index("GREENLEAF GROCERS LTD") < lines.index("Thank you for shopping")
    assert any("TOTAL" in line and line.endswith("5.05") for line in lines)
    total, amount = _word(doc, "TOTAL"), _word(doc, "5.05")
    assert total[3] < amount[3]  # left of its amount, on the page (x0)
    assert abs((total[4] + total[6]) / 2 - (amount[4] + amount[6]) / 2) < 0.05  # one line


def test_a_photo_taken_sideways_is_turned_by_its_exif_orientation():
    from PIL import Image

    image, _ = draw(RECEIPT[:3])
    sideways = image.transpose(Image.Transpose.ROTATE_90)  # as the sensor stored it
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90 degrees clockwise to show
    doc = read_bytes("IMG_0001.JPG", encode(sideways, "JPEG", quality=90, exif=exif))
    assert doc.text.split("\n")[0] == "GREENLEAF GROCERS LTD"


def test_webp_tiff_and_heic_are_read(tmp_path):
    image, _ = draw(RECEIPT[:2])
    heic = pytest.importorskip("pillow_heif")
    heic.register_heif_opener()
    for name, fmt in (("a.webp", "WEBP"), ("a.tiff", "TIFF"), ("a.heic", "HEIF")):
        doc = read_bytes(name, encode(image, fmt))
        assert doc.text.split("\n")[0] == "GREENLEAF GROCERS LTD", name


def test_a_scanned_pdf_and_a_mixed_one():
    image, drawn = draw(RECEIPT)
    scanned = read_bytes("scan.pdf", image_pdf([image]))
    assert scanned.kind == "pdf" and "GREENLEAF GROCERS LTD" in scanned.text
    assert {b[2] for b in scanned.boxes} == {1}

    letter = "Dear Dr Smith,\nthank you for seeing Mr Jones in clinic today."
    mixed = read_bytes("mixed.pdf", image_pdf([letter, image]))
    first, second = mixed.page_starts
    assert mixed.text[first:].startswith(letter)  # the text layer, as it is
    assert "GREENLEAF GROCERS LTD" in mixed.text[second:]
    ocr_boxes = [b for b in mixed.boxes if b[2] == 2]
    assert ocr_boxes and all(b[0] >= second for b in ocr_boxes)
    assert all(b[1] <= second for b in mixed.boxes if b[2] == 1)  # the text layer's words
    # both pages pictured: the text page as a grey PNG, the scan as the OCR's JPEG
    (one, text_page), (two, scan_page) = mixed.previews
    assert (one, two) == (1, 2)
    assert text_page.startswith(b"\x89PNG") and scan_page.startswith(b"\xff\xd8")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("bomb.png", png_bomb(40_000, 40_000), messages.IMAGE_TOO_LARGE),
    ("noise.png", bytes(range(256)) * 40, messages.IMAGE_DAMAGED),
    ("noise.jpg", bytes(range(255, -1, -1)) * 40, messages.IMAGE_DAMAGED),
    ("blank.png", None, messages.IMAGE_NO_TEXT),
])
def test_refusals(name, data, message):
    from PIL import Image

    if data is None:
        data = encode(Image.new("RGB", (400, 300), "white"), "PNG")
    started = time.process_time()
    with pytest.raises(ReadError) as err:
        read_bytes(name, data)
    assert str(err.value) == message
    if name == "bomb.png":  # refused from its header: not one row decoded
        assert time.process_time() - started < 5


def test_a_truncated_photo_is_refused_or_read_never_a_crash():
    image, _ = draw(RECEIPT)
    data = encode(image, "JPEG", quality=90)
    with pytest.raises(ReadError) as err:
        read_bytes("cut.jpg", data[: len(data) // 2])
    assert str(err.value) == messages.IMAGE_DAMAGED


def test_a_tiff_with_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_IMAGE_PAGES", 2)
    image, _ = draw(["one"])
    data = encode(image, "TIFF", save_all=True, append_images=[image, image])
    with pytest.raises(ReadError) as err:
        read_bytes("pages.tiff", data)
    assert str(err.value) == messages.IMAGE_TOO_MANY_PAGES


def test_a_photo_is_read_in_the_reader_child_as_in_process():
    image, _ = draw(RECEIPT)
    data = encode(photo(image), "JPEG", quality=85)
    here = read_bytes("p.jpg", data)
    with Sandbox(in_process=False) as sandbox:
        there = sandbox.read_bytes("p.jpg", data)
    assert (there.kind, there.text, there.page_starts) == (here.kind, here.text, here.page_starts)
    assert there.boxes == here.boxes
    assert there.previews == here.previews
