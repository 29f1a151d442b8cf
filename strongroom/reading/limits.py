"""Hard limits on what a reader takes in: parsers are not safe by default.

Every reader works from bytes in memory, on documents the person picked but did
not necessarily write: a hostile or broken file must fail fast with a clear
message, not eat the machine. Measured here: a 751 KB DOCX zip bomb cost
python-docx 16 s and 818 MB, and pdfium used 4.6 GB on one oversized page.
"""

from __future__ import annotations

from ..errors import ReadError
from . import messages

#: Largest file read at all, before any parsing.
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Most text any document may produce (the model reads a fraction of it anyway).
MAX_TEXT_CHARS = 10_000_000

#: PDF: pages read, and the largest page side in points (1/72 in). 14,400 pt
#: (200 in) is the largest page the PDF specification allows; larger pages are
#: refused before pdfium parses them.
MAX_PDF_PAGES = 1000
MAX_PDF_PAGE_SIDE_PT = 14_400.0
#: Embedded files looked at for an e-invoice, and the largest e-invoice XML read
#: (real ones are tens of kilobytes).
MAX_PDF_ATTACHMENTS = 20
MAX_EINVOICE_BYTES = 5 * 1024 * 1024

#: Images: pixels a page may have (a 48-megapixel phone photo passes; Pillow's
#: decompression-bomb check refuses more before decoding), pages of a TIFF, and the
#: long side a page is scaled down to before OCR.
MAX_IMAGE_PIXELS = 60_000_000
MAX_IMAGE_PAGES = 50
OCR_MAX_SIDE = 3000
#: PDF pages with fewer printed characters than this in their text layer are
#: scans (at most a stamped page number): they are rendered at ``OCR_DPI`` and read
#: by OCR, up to ``MAX_OCR_PAGES`` pages a document.
SCAN_MIN_CHARS = 20
OCR_DPI = 200
MAX_OCR_PAGES = 50

#: DOCX (a zip): refused before python-docx sees it if any limit is passed.
#: Declared sizes are checked first; then every member is inflated in chunks
#: against the same caps (``docx.check_zip``), since a directory may lie: zipfile
#: stops at the declared size, but its one-shot ``read()`` inflates up to 2 GiB
#: before it cuts.
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_MEMBER_BYTES = 50 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 100 * 1024 * 1024
#: Uncompressed/compressed ratio allowed for members bigger than
#: ``ZIP_RATIO_FLOOR_BYTES``; real Word XML stays well under it.
MAX_ZIP_RATIO = 100
ZIP_RATIO_FLOOR_BYTES = 1024 * 1024


def check_text_size(n_chars: int) -> None:
    """Refuse a document whose text is longer than ``MAX_TEXT_CHARS``."""
    if n_chars > MAX_TEXT_CHARS:
        raise ReadError(messages.TOO_MUCH_TEXT)
