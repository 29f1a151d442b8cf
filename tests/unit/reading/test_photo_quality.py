"""The warning for a page read by OCR that is too small, dark, washed out or blurred
to trust (issue 22): the measure on pages drawn here, and the warning on a Document.

The thresholds come from real photos (``python -m lab.photo_quality``); here the
drawn pages are plainly on one side of them or the other.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageFilter

from strongroom.reading import messages, ocr, quality, read_bytes
from tests.helpers.scans import draw, encode, photo

LINES = ["GREENLEAF GROCERS LTD", "12 Mill Lane, Leeds LS1 4AB", "Date: 14/03/2024 10:42",
         "Sourdough loaf          3.20", "TOTAL                   5.05",
         "Thank you for shopping"]
#: The OCR's text boxes stand a little taller than the letters drawn (30-pixel type).
BOX_HEIGHT = 35.0


def _measure(image: Image.Image, *, scale: float = 1.0,
             scores: tuple[float, ...] = (0.99,) * 6) -> quality.Quality:
    heights = [BOX_HEIGHT * scale] * 6
    return quality.measure(np.asarray(image), heights, scores)


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return draw(LINES)[0]


def test_a_clean_page_and_a_fair_photo_of_it_get_no_warning(page):
    assert quality.warning(_measure(page)) is None
    assert quality.warning(_measure(photo(page), scale=0.8)) is None


@pytest.mark.parametrize(("spoil", "scale", "expected"), [
    (lambda im: im.filter(ImageFilter.GaussianBlur(3)), 1.0, messages.PHOTO_BLURRED),
    (lambda im: ImageEnhance.Brightness(im).enhance(0.12), 1.0, messages.PHOTO_DARK),
    (lambda im: ImageEnhance.Contrast(im).enhance(0.08), 1.0, messages.PHOTO_FADED),
    (lambda im: im.resize((im.width // 4, im.height // 4)), 0.25, messages.PHOTO_SMALL),
], ids=["blurred", "dark", "washed-out", "tiny"])
def test_a_spoilt_page_gets_its_warning(page, spoil, scale, expected):
    assert quality.warning(_measure(spoil(page), scale=scale)) == expected


def test_text_the_recogniser_was_unsure_of_gets_a_warning(page):
    measured = _measure(page, scores=(0.6, 0.7, 0.75, 0.9, 0.95))
    assert measured.score == 0.75
    assert quality.warning(measured) == messages.PHOTO_UNCLEAR


def test_blur_is_judged_at_the_size_of_the_text(page):
    """The same blur on a page drawn twice as large, text and all, is half as bad:
    the recogniser scales each text line to one height first."""
    blurred = page.filter(ImageFilter.GaussianBlur(1.5))
    large = page.resize((page.width * 2, page.height * 2), Image.Resampling.LANCZOS)
    large_blurred = large.filter(ImageFilter.GaussianBlur(1.5))
    assert _measure(large_blurred, scale=2).sharpness > 1.5 * _measure(blurred).sharpness


@pytest.mark.parametrize("shape", [(1, 1, 3), (2, 7, 3), (5, 3), (40, 30, 4)])
def test_odd_and_empty_pages_are_measured_without_error(shape):
    measured = quality.measure(np.zeros(shape, dtype=np.uint8))
    assert measured.text_height == 0.0 and measured.score == 1.0
    assert quality.warning(measured) == messages.PHOTO_SMALL


def test_every_warning_is_one_of_the_messages_and_says_what_to_do():
    for warning in quality.WARNINGS:
        assert warning.endswith("check the fields against the picture.")


def test_a_documents_warnings_are_its_pages_each_once():
    pages = [ocr.Page("a", warning=messages.PHOTO_DARK), ocr.Page("b"),
             ocr.Page("c", warning=messages.PHOTO_DARK),
             ocr.Page("d", warning=messages.PHOTO_BLURRED)]
    assert ocr.join_pages(pages).warnings == (messages.PHOTO_DARK, messages.PHOTO_BLURRED)
    assert ocr.join_pages([ocr.Page("text layer")]).warnings == ()


def test_a_blurred_photo_is_read_with_a_warning_and_a_sharp_one_without(page):
    """The real OCR: both are read (the text is kept), one with a warning."""
    sharp = read_bytes("sharp.jpg", encode(photo(page), "JPEG", quality=90))
    blurred = read_bytes("blurred.png", encode(page.filter(ImageFilter.GaussianBlur(3)), "PNG"))
    assert "TOTAL" in sharp.text and "TOTAL" in blurred.text
    assert sharp.warnings == ()
    assert blurred.warnings == (messages.PHOTO_BLURRED,)
    assert read_bytes("text.txt", b"Total 5.05").warnings == ()


def test_a_blurred_scanned_pdf_page_is_warned_of_and_a_text_page_is_not(page):
    from tests.helpers.scans import image_pdf

    doc = read_bytes("scan.pdf", image_pdf(["Invoice 42 from the corner shop, total 10.00",
                                            page.filter(ImageFilter.GaussianBlur(3))]))
    assert doc.kind == "pdf" and len(doc.page_starts) == 2
    assert doc.warnings == (messages.PHOTO_BLURRED,)
