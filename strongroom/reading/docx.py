"""Word (.docx): paragraphs and table cells in document order.

A .docx is a zip, and zips can be bombs: ``zipcap.check_zip`` inflates it under
caps first, and python-docx reads the uncompressed copy, from memory.
Headers, footers, footnotes and text boxes are not read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.oxml.ns import qn
from lxml import etree

from ..errors import ReadError
from . import limits, messages, zipcap
from .sniff import OLE2, sniff

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_SDT, _SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
#: Between the cells of a table row (rows end with a newline like paragraphs).
CELL_SEPARATOR = "\t"


def read(data: bytes) -> str:
    """The text of the Word document in ``data``, a block per line."""
    if sniff(data) == OLE2:  # Word saves password-protected .docx files this way
        raise ReadError(messages.DOCX_LOCKED)
    stored = zipcap.check_zip(data, damaged=messages.DOCX_DAMAGED,
                              too_big=messages.DOCX_TOO_BIG)
    try:
        document = docx.Document(io.BytesIO(stored))
        text = "\n".join(_blocks(document.element.body))
    except Exception:  # any failure inside python-docx/lxml means a bad file
        raise ReadError(messages.DOCX_DAMAGED) from None
    if not text.strip():
        raise ReadError(messages.NO_TEXT)
    limits.check_text_size(len(text))
    return text


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
