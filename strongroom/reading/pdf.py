"""PDF: the text layer page by page through pdfium; pages without one are scans,
rendered and read by OCR (``ocr``), so a mixed PDF keeps its text layer where it
has one.

The first ``limits.MAX_PICTURED_PAGES`` pages also get a picture for the window
(rendered here, in the reader's child, so the window never runs pdfium on the
person's file) and, on text-layer pages, every word's box from pdfium's character
boxes, mapped to the picture as it is rendered (crop box and page rotation) -- the
same ``Document.boxes`` an OCR'd page has.

pdfium is not thread-safe, so every use of it holds ``_PDFIUM_LOCK``; every
pdfium object is closed before the lock is released. The document is opened
from bytes in memory, so no copy of it is ever written anywhere.
"""

from __future__ import annotations

import ctypes
import re
import threading
from dataclasses import replace
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import PasswordRequired, ReadError
from . import limits, messages, ocr

#: Attachment names the e-invoice standards give the invoice XML (in lower case).
EINVOICE_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "zugferd_invoice.xml",
                  "xrechnung.xml", "order-x.xml")
#: One lock for all pdfium use in the process (readers may run on any thread).
_PDFIUM_LOCK = threading.Lock()
#: Between pages in ``Document.text``: a blank line reads naturally for people
#: and for the model; ``Document.page_starts`` says exactly where pages begin.
PAGE_SEPARATOR = "\n\n"
_NEWLINES = re.compile(r"\r\n?")
# pdfium marks some characters (hyphenation, missing glyphs) with controls.
_JUNK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_WORD = re.compile(r"\S+")
_GREYS = [v // 17 * 17 for v in range(256)]  # 16 levels of grey


def read(data: bytes, password: str | None = None) -> tuple[ocr.Joined, bytes | None]:
    """The text of the PDF in ``data`` with where each page starts, the pictures of
    its first pages and their words' boxes, and the e-invoice XML it carries
    (ZUGFeRD / Factur-X / XRechnung), if any.

    ``password`` opens a password-protected PDF (ignored by one that has none);
    without it, or with a wrong one, ``PasswordRequired`` says which.
    """
    with _PDFIUM_LOCK:
        pdf = _open(data, password)
        try:
            pages = _pages_text(pdf)
            scans = [i for i, page in enumerate(pages) if _is_scan(page.text)]
            if len(scans) > limits.MAX_OCR_PAGES:
                raise ReadError(messages.PDF_TOO_MANY_SCANS)
            images = {i: _render(pdf, i) for i in scans}
            pages = [replace(page, preview=_picture(pdf, i))
                     if i < limits.MAX_PICTURED_PAGES and i not in images else page
                     for i, page in enumerate(pages)]
            xml = _einvoice(pdf)
        finally:
            pdf.close()
    read_pages = [_better(page, images.pop(i)) if i in images else page
                  for i, page in enumerate(pages)]  # OCR outside pdfium's lock
    joined = ocr.join_pages(read_pages)
    if not joined.text.strip():
        raise ReadError(messages.PDF_NO_TEXT)
    limits.check_text_size(len(joined.text))
    return joined, xml


def _printed(text: str) -> int:
    """Characters on a page that are not white space."""
    return len("".join(text.split()))


def _is_scan(page_text: str) -> bool:
    return _printed(page_text) < limits.SCAN_MIN_CHARS


def _better(layer: ocr.Page, pixels: np.ndarray) -> ocr.Page:
    """A page with (almost) no text layer: what OCR reads on it, unless the text
    layer holds more (a short page that is not a scan)."""
    read = ocr.read_page(pixels)
    if _printed(read.text) > _printed(layer.text):
        return read
    return replace(layer, preview=read.preview)


def _picture(pdf: pdfium.PdfDocument, index: int) -> bytes:
    """A picture of text-layer page ``index`` for the window: its long side
    ``ocr.PREVIEW_SIDE``, in 16 greys as a PNG (about 30 KB a page, where a JPEG of
    dense print is 250 KB; the field's box is drawn in colour on top of it)."""
    import io

    width, height = pdf.get_page_size(index)  # points, checked in _pages_text
    picture = _rendered(pdf, index, ocr.PREVIEW_SIDE / max(width, height), grey=True)
    out = io.BytesIO()
    picture.convert("L").point(_GREYS).save(out, format="PNG")
    return out.getvalue()


def _render(pdf: pdfium.PdfDocument, index: int) -> np.ndarray:
    """Page ``index`` as RGB pixels at ``limits.OCR_DPI``, within the OCR's size."""
    from .image import page_pixels

    width, height = pdf.get_page_size(index)  # points, checked in _pages_text
    scale = min(limits.OCR_DPI / 72, limits.OCR_MAX_SIDE / max(width, height))
    return page_pixels(_rendered(pdf, index, scale, grey=False))


def _rendered(pdf: pdfium.PdfDocument, index: int, scale: float, *, grey: bool) -> Any:
    """Page ``index`` rendered at ``scale`` as a PIL image of its own (``to_pil`` may
    share the bitmap's memory, so it is copied before the bitmap is closed)."""
    try:
        page = pdf[index]
        try:
            bitmap = page.render(scale=scale, grayscale=grey)
            try:
                return bitmap.to_pil().copy()
            finally:
                bitmap.close()
        finally:
            page.close()
    except pdfium.PdfiumError:
        raise ReadError(messages.PDF_DAMAGED) from None


def _einvoice(pdf: pdfium.PdfDocument) -> bytes | None:
    """The first attachment named as the e-invoice standards name their XML, when it
    is no larger than ``limits.MAX_EINVOICE_BYTES``; anything unreadable is ignored
    (the page text is the document either way)."""
    try:
        for index in range(min(pdf.count_attachments(), limits.MAX_PDF_ATTACHMENTS)):
            attachment = pdf.get_attachment(index)
            if attachment.get_name().lower() not in EINVOICE_NAMES:
                continue
            size = ctypes.c_ulong()
            if not pdfium_c.FPDFAttachment_GetFile(attachment.raw, None, 0,
                                                   ctypes.byref(size)):
                continue
            if size.value <= limits.MAX_EINVOICE_BYTES:
                return bytes(attachment.get_data())
    except pdfium.PdfiumError:
        pass
    return None


def _open(data: bytes, password: str | None) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data, password=password or None)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise PasswordRequired(messages.PDF_WRONG_PASSWORD if password
                                   else messages.PDF_LOCKED) from None
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise ReadError(messages.PDF_ENCRYPTION) from None
        raise ReadError(messages.PDF_DAMAGED) from None


def _pages_text(pdf: pdfium.PdfDocument) -> list[ocr.Page]:
    """Each page's text, with its words' boxes on the first pages (the ones that get
    a picture); all limits are checked before any page is parsed."""
    n_pages = len(pdf)
    if n_pages > limits.MAX_PDF_PAGES:
        raise ReadError(messages.PDF_TOO_MANY_PAGES)
    side = limits.MAX_PDF_PAGE_SIDE_PT
    for index in range(n_pages):
        try:
            width, height = pdf.get_page_size(index)
        except pdfium.PdfiumError:
            raise ReadError(messages.PDF_DAMAGED) from None
        if not (0 < width <= side and 0 < height <= side):  # also refuses NaN
            raise ReadError(messages.PDF_PAGE_SIZE)
    pages: list[ocr.Page] = []
    total = 0
    for index in range(n_pages):
        page = _page_text(pdf, index, total, boxes=index < limits.MAX_PICTURED_PAGES)
        total += len(page.text)
        pages.append(page)
    return pages


def _page_text(pdf: pdfium.PdfDocument, index: int, used: int, *, boxes: bool) -> ocr.Page:
    """The text of page ``index``, with its words' boxes if ``boxes``; ``ReadError``
    if the total passes the text cap.

    ``used`` is the text already read from earlier pages; the cap is checked on
    pdfium's character count, before the text itself is copied out.
    """
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        raise ReadError(messages.PDF_DAMAGED) from None
    try:
        textpage = page.get_textpage()
        try:
            n_chars = textpage.count_chars()
            limits.check_text_size(used + n_chars)
            raw = textpage.get_text_range() if n_chars > 0 else ""
            text, at = _clean(raw)
            limits.check_text_size(used + len(text))
            words = _word_boxes(page, textpage, text, at) if boxes and text else ()
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        raise ReadError(messages.PDF_DAMAGED) from None
    finally:
        page.close()
    return ocr.Page(text, words)


def _clean(raw: str) -> tuple[str, np.ndarray]:
    """pdfium's page text with line ends made ``\\n``, its control marks dropped and
    the ends stripped; and, for each character kept, its index in pdfium's text
    (which counts UTF-16 units)."""
    text = _JUNK.sub("", _NEWLINES.sub("\n", raw))
    points = np.frombuffer(raw.encode("utf-32-le"), dtype=np.uint32)
    units = np.concatenate(([0], np.cumsum(1 + (points > 0xFFFF))))[:-1]
    nxt = np.append(points[1:], 0)
    junk = (((points <= 0x08) | ((points >= 0x0B) & (points <= 0x1F)) | (points == 0x7F)
             | (points == 0xFFFE) | (points == 0xFFFF))
            & (points != 0x0D))
    junk |= (points == 0x0D) & (nxt == 0x0A)  # "\r\n" keeps the "\n"
    at = units[~junk]
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    return stripped, at[lead:lead + len(stripped)] if len(at) == len(text) else at[:0]


def _word_boxes(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, text: str,
                at: np.ndarray) -> tuple[ocr.WordBox, ...]:
    """Each word of ``text`` with its box on the page as rendered, in 0..1 of the
    picture's width and height; words pdfium cannot place are left out."""
    if len(at) != len(text):
        return ()
    raw_tp, raw_page = textpage.raw, page.raw
    width, height = page.get_size()
    size = 100_000  # device units of the mapping: plenty of precision
    wide, tall = (size, round(size * height / width)) if width >= height else \
        (round(size * width / height), size)
    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    dx, dy = ctypes.c_int(), ctypes.c_int()

    def char_box(text_index: int) -> tuple[float, float, float, float] | None:
        char = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw_tp, text_index)
        if char < 0 or not pdfium_c.FPDFText_GetCharBox(
                raw_tp, char, left, right, bottom, top):
            return None
        return left.value, bottom.value, right.value, top.value

    def device(x: float, y: float) -> tuple[float, float]:
        pdfium_c.FPDF_PageToDevice(raw_page, 0, 0, wide, tall, 0, x, y, dx, dy)
        return dx.value / wide, dy.value / tall

    words: list[ocr.WordBox] = []
    for match in _WORD.finditer(text):
        a, z = match.span()
        ends = [b for b in (char_box(int(at[a])), char_box(int(at[z - 1]))) if b]
        if not ends:
            continue
        l0, b0 = min(e[0] for e in ends), min(e[1] for e in ends)
        r0, t0 = max(e[2] for e in ends), max(e[3] for e in ends)
        (x0, y0), (x1, y1) = device(l0, b0), device(r0, t0)
        words.append((a, z, _unit(min(x0, x1)), _unit(min(y0, y1)),
                      _unit(max(x0, x1)), _unit(max(y0, y1))))
    return tuple(words)


def _unit(v: float) -> float:
    return min(1.0, max(0.0, v))
