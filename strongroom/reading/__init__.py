"""Reading documents into text, a module per format; see ``base.Document``.

``read_path`` reads a file's bytes once and hands them to ``read_bytes``, which
picks the reader. The file's content decides the format when it has a clear
signature (a PDF named ``.txt`` is read as a PDF; a zip as a Word document or
an Excel workbook by its members); otherwise the extension does. Every bad
input raises ``ReadError`` with a message from ``messages``: generic words
only, never names or document text.
"""

from __future__ import annotations

from pathlib import Path, PurePath

from ..errors import ReadError
from . import docx, html, image, limits, mail, messages, ofx, pdf, text, xlsx, zipcap
from .base import Document
from .files import expand_paths, file_name, load
from .sniff import IMAGE, OLE2, PDF, ZIP, sniff

__all__ = ["SUPPORTED_SUFFIXES", "Document", "ReadError", "expand_paths", "read_bytes",
           "read_path"]

#: Extension → format. CSV/TSV exports (bank statements) are read as plain text.
_FORMATS = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".csv": "text", ".tsv": "text",
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".eml": "email",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".jfif": "image",
    ".tif": "image", ".tiff": "image", ".webp": "image", ".heic": "image",
    ".heif": "image",
    ".xlsx": "xlsx",
    ".ofx": "ofx", ".qfx": "ofx",
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_FORMATS)


def read_path(path: Path) -> Document:
    """Read the document at ``path``; ``ReadError`` says what is wrong if it can't be."""
    path = Path(path)
    return read_bytes(file_name(path), load(path))


def read_bytes(name: str, data: bytes, *, password: str | None = None) -> Document:
    """Read a document from its file ``name`` (for the extension) and its bytes.

    ``password`` opens a password-protected PDF; other formats ignore it.
    """
    name = PurePath(name).name
    if not data:
        raise ReadError(messages.EMPTY)
    if len(data) > limits.MAX_FILE_BYTES:
        raise ReadError(messages.TOO_LARGE)
    kind = _kind(PurePath(name).suffix.lower(), data)
    if kind == "pdf":
        pages, einvoice = pdf.read(data, password)
        return Document(name, "pdf", pages.text, data, pages.page_starts, einvoice,
                        pages.boxes, pages.previews, warnings=pages.warnings)
    if kind == "image":
        pages = image.read(data)
        return Document(name, "image", pages.text, data, pages.page_starts,
                        boxes=pages.boxes, previews=pages.previews, warnings=pages.warnings)
    if kind == "docx":
        return Document(name, "docx", docx.read(data), data)
    if kind == "html":
        return Document(name, "html", html.read(data), data)
    if kind == "email":
        body, attachments = mail.read(data)
        return Document(name, "email", body, data, attachments=attachments)
    if kind == "xlsx":
        return Document(name, "xlsx", xlsx.read(data), data)
    if kind == "ofx":
        return Document(name, "ofx", ofx.read(data), data)
    return Document(name, "text", text.read(data), data)


def _kind(suffix: str, data: bytes) -> str:
    """The reader for a file: by signature when there is one, else by extension.

    An unknown extension is refused whatever the content; a missing one is
    accepted only for content with a clear signature.
    """
    if suffix and suffix not in _FORMATS:
        raise ReadError(messages.UNSUPPORTED)
    signature = sniff(data)
    if signature == PDF:
        return "pdf"
    if signature == IMAGE:
        return "image"
    if signature == ZIP:
        # a zip is Word or Excel by its members; one whose directory cannot be read
        # goes to the reader its name says (which calls it damaged)
        office = zipcap.office_kind(data)
        if office is None and _FORMATS.get(suffix) in ("docx", "xlsx"):
            return _FORMATS[suffix]
        if office in (zipcap.DOCX, zipcap.XLSX):
            return office
        raise ReadError(messages.OTHER_ZIP)
    if signature == OLE2 and _FORMATS.get(suffix) in ("docx", "xlsx"):
        return _FORMATS[suffix]
    if not suffix:
        raise ReadError(messages.UNSUPPORTED)
    return _FORMATS[suffix]
