"""PDF: the text layer page by page through pdfium; pages without one are scans,
rendered and read by OCR (``ocr``), so a mixed PDF keeps its text layer where it
has one.

pdfium is not thread-safe, so every use of it holds ``_PDFIUM_LOCK``; every
pdfium object is closed before the lock is released. The document is opened
from bytes in memory, so no copy of it is ever written anywhere.
"""

from __future__ import annotations

import ctypes
import re
import threading

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


def read(data: bytes, password: str | None = None) -> tuple[ocr.Joined, bytes | None]:
    """The text of the PDF in ``data`` with where each page starts and the boxes and
    pictures of its scanned pages (read by OCR), and the e-invoice XML it carries
    (ZUGFeRD / Factur-X / XRechnung), if any.

    ``password`` opens a password-protected PDF (ignored by one that has none);
    without it, or with a wrong one, ``PasswordRequired`` says which.
    """
    with _PDFIUM_LOCK:
        pdf = _open(data, password)
        try:
            pages = _pages_text(pdf)
            scans = [i for i, page in enumerate(pages) if _is_scan(page)]
            if len(scans) > limits.MAX_OCR_PAGES:
                raise ReadError(messages.PDF_TOO_MANY_SCANS)
            images = {i: _render(pdf, i) for i in scans}
            xml = _einvoice(pdf)
        finally:
            pdf.close()
    read_pages = [_better(page, images.pop(i)) if i in images else ocr.Page(page)
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


def _better(page_text: str, pixels: np.ndarray) -> ocr.Page:
    """A page with (almost) no text layer: what OCR reads on it, unless the text
    layer holds more (a short page that is not a scan)."""
    read = ocr.read_page(pixels)
    return read if _printed(read.text) > _printed(page_text) else ocr.Page(page_text)


def _render(pdf: pdfium.PdfDocument, index: int) -> np.ndarray:
    """Page ``index`` as RGB pixels at ``limits.OCR_DPI``, within the OCR's size."""
    from .image import page_pixels

    width, height = pdf.get_page_size(index)  # points, checked in _pages_text
    scale = min(limits.OCR_DPI / 72, limits.OCR_MAX_SIDE / max(width, height))
    try:
        page = pdf[index]
        try:
            bitmap = page.render(scale=scale, grayscale=False)
            try:
                return page_pixels(bitmap.to_pil())
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


def _pages_text(pdf: pdfium.PdfDocument) -> list[str]:
    """Each page's text; all limits are checked before any page is parsed."""
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
    pages: list[str] = []
    total = 0
    for index in range(n_pages):
        text = _page_text(pdf, index, total)
        total += len(text)
        pages.append(text)
    return pages


def _page_text(pdf: pdfium.PdfDocument, index: int, used: int) -> str:
    """The text of page ``index``; ``ReadError`` if the total passes the text cap.

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
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        raise ReadError(messages.PDF_DAMAGED) from None
    finally:
        page.close()
    text = _JUNK.sub("", _NEWLINES.sub("\n", raw)).strip()
    limits.check_text_size(used + len(text))
    return text
