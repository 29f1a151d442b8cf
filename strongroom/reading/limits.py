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
#: PDF pages that get a picture (and word boxes) for the window: the first 50. A
#: text page's picture is about 100-200 KB in the vault; a field further on is
#: shown in the text alone.
MAX_PICTURED_PAGES = 50

#: DOCX and XLSX (zips): refused before their parser sees them if any limit is passed.
#: Declared sizes are checked first; then every member is inflated in chunks
#: against the same caps (``zipcap.check_zip``), since a directory may lie: zipfile
#: stops at the declared size, but its one-shot ``read()`` inflates up to 2 GiB
#: before it cuts.
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_MEMBER_BYTES = 50 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 100 * 1024 * 1024
#: Uncompressed/compressed ratio allowed for members bigger than
#: ``ZIP_RATIO_FLOOR_BYTES``; real Word and Excel XML stay well under it.
MAX_ZIP_RATIO = 100
ZIP_RATIO_FLOOR_BYTES = 1024 * 1024

#: Spreadsheets (.xlsx): rows and cells read across all sheets, counted as they
#: stream (a 10,000-row bank export has about 60,000 cells).
MAX_SHEET_ROWS = 200_000
MAX_SHEET_CELLS = 2_000_000
#: OFX/QFX bank exports: transactions read (counted in the raw file before parsing).
MAX_OFX_TRANSACTIONS = 100_000


def check_text_size(n_chars: int) -> None:
    """Refuse a document whose text is longer than ``MAX_TEXT_CHARS``."""
    if n_chars > MAX_TEXT_CHARS:
        raise ReadError(messages.TOO_MUCH_TEXT)

#: HTML: elements rendered at all (199,000 took 5.2 s to read here; real e-mails
#: and pages have a few thousand). libxml2 itself stops nesting at 256 levels.
MAX_HTML_ELEMENTS = 200_000

#: E-mail: messages inside messages (forwarded as attachments) read, MIME parts
#: walked, and attachments handed on as documents of their own, in number and in
#: decoded bytes together.
MAX_EMAIL_DEPTH = 10
MAX_EMAIL_PARTS = 1000
MAX_EMAIL_ATTACHMENTS = 100
MAX_EMAIL_ATTACHMENT_BYTES = MAX_FILE_BYTES
#: E-mail headers: a shown header (From, To, Cc, Date, Subject) is cut to this many
#: characters before it is parsed; a message whose Content-Type, -Disposition or
#: -Transfer-Encoding headers are longer, one or all together, is refused. The
#: standard library's header parser took 15 s on a To: of 20,000 addresses and is
#: quadratic in a Content-Type's parameters (700: 0.5 s) (#22); real MIME headers
#: are a few hundred characters (a long file name in RFC 2231 form, about 1,000).
MAX_EMAIL_HEADER_CHARS = 2000
MAX_EMAIL_MIME_HEADER_CHARS = 1500
MAX_EMAIL_MIME_HEADERS_TOTAL = 150_000
#: Parameters in one MIME header (a long file name in RFC 2231 pieces has ~15).
MAX_EMAIL_MIME_PARAMETERS = 50
