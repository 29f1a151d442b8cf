"""Word (.docx): paragraphs and table cells in document order.

A .docx is a zip, and zips can be bombs: a 751 KB one cost python-docx 16 s and
818 MB. So the zip's directory is inspected first, then every member is
inflated in chunks under a running byte budget (a directory may lie about
sizes: zipfile's one-shot read inflated 2.17 GB from one that did), and
python-docx reads an uncompressed copy, from memory (no temporary files).
Headers, footers, footnotes and text boxes are not read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.oxml.ns import qn
from lxml import etree

from ..errors import ReadError
from . import limits, messages
from .sniff import OLE2, sniff

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_SDT, _SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
#: Between the cells of a table row (rows end with a newline like paragraphs).
CELL_SEPARATOR = "\t"
#: Bytes inflated per read while unpacking a member.
_CHUNK = 64 * 1024


def read(data: bytes) -> str:
    """The text of the Word document in ``data``, a block per line."""
    if sniff(data) == OLE2:  # Word saves password-protected .docx files this way
        raise ReadError(messages.DOCX_LOCKED)
    stored = check_zip(data)
    try:
        document = docx.Document(io.BytesIO(stored))
        text = "\n".join(_blocks(document.element.body))
    except Exception:  # any failure inside python-docx/lxml means a bad file
        raise ReadError(messages.DOCX_DAMAGED) from None
    if not text.strip():
        raise ReadError(messages.NO_TEXT)
    limits.check_text_size(len(text))
    return text


def check_zip(data: bytes) -> bytes:
    """The zip in ``data`` with every member inflated under a byte budget and
    stored uncompressed; refuses what is not a zip or would unpack to too much.

    Declared sizes are checked first (a quick refusal), but not trusted: each
    member is inflated in chunks with a running count, so a directory that
    under-declares sizes cannot make anything inflate past the caps. python-docx
    then reads the stored copy, where nothing is left to inflate.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_declared(members)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
                budget = limits.MAX_ZIP_TOTAL_BYTES
                for member in members:
                    body = _inflate(archive, member, budget)
                    budget -= len(body)
                    copy.writestr(member.filename, body)
    except ReadError:
        raise
    except Exception:  # zipfile raises a zoo of errors on bad input
        raise ReadError(messages.DOCX_DAMAGED) from None
    return out.getvalue()


def _check_declared(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > limits.MAX_ZIP_MEMBERS:
        raise ReadError(messages.DOCX_TOO_BIG)
    total = 0
    for member in members:
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # zipfile inflates bzip2/lzma without an output bound; Word never uses them
            raise ReadError(messages.DOCX_DAMAGED)
        size = member.file_size
        total += size
        if size > limits.MAX_ZIP_MEMBER_BYTES or total > limits.MAX_ZIP_TOTAL_BYTES:
            raise ReadError(messages.DOCX_TOO_BIG)
        if (size > limits.ZIP_RATIO_FLOOR_BYTES
                and size > limits.MAX_ZIP_RATIO * max(member.compress_size, 1)):
            raise ReadError(messages.DOCX_TOO_BIG)


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int) -> bytes:
    """A member's bytes, read in chunks: at most one chunk past the member cap or
    the ``budget`` left for the archive is ever inflated."""
    cap = min(limits.MAX_ZIP_MEMBER_BYTES, budget)
    chunks, size = [], 0
    with archive.open(member) as stream:  # reads never return more than asked
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > cap:
                raise ReadError(messages.DOCX_TOO_BIG)
            chunks.append(chunk)
    return b"".join(chunks)


def _blocks(container: etree._Element) -> Iterator[str]:
    """Lines of text for the paragraphs and tables directly in ``container``."""
    for child in container.iterchildren():
        if child.tag == _P:
            yield child.text or ""  # python-docx's CT_P.text: runs, tabs, breaks, links
        elif child.tag == _TBL:
            yield from _table(child)
        elif child.tag == _SDT:  # content control: its content is ordinary blocks
            yield from _blocks_in_sdt(child)


def _table(tbl: etree._Element) -> Iterator[str]:
    """A line per row, non-empty cells joined by ``CELL_SEPARATOR``.

    Working on the XML, a merged cell is one ``w:tc`` and so is read once.
    """
    for row in _children(tbl, _TR):
        cells = ("\n".join(_blocks(tc)).strip() for tc in _children(row, _TC))
        line = CELL_SEPARATOR.join(cell for cell in cells if cell)
        if line:
            yield line


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children of ``parent`` with ``tag``, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)


def _blocks_in_sdt(sdt: etree._Element) -> Iterator[str]:
    content = sdt.find(_SDT_CONTENT)
    if content is not None:
        yield from _blocks(content)
