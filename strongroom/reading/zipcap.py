"""Zips under caps: what DOCX and XLSX files are, and what bombs are made of.

A 751 KB DOCX zip bomb cost python-docx 16 s and 818 MB. So a zip's directory
is inspected first, then every member is inflated in chunks under a running
byte budget (a directory may lie about sizes: zipfile's one-shot read inflated
2.17 GB from one that did), and the parser reads an uncompressed copy, from
memory (no temporary files), where nothing is left to inflate.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import ReadError
from . import limits

#: Bytes inflated per read while unpacking a member.
_CHUNK = 64 * 1024
DOCX, XLSX, OTHER = "docx", "xlsx", "other"


def office_kind(data: bytes) -> str | None:
    """``DOCX`` or ``XLSX`` by the zip's member names (its directory only, nothing
    inflated), ``OTHER`` for any other zip, None when its directory is unreadable."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except Exception:  # zipfile raises a zoo of errors on bad input
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return XLSX
    return OTHER


def check_zip(data: bytes, *, damaged: str, too_big: str) -> bytes:
    """The zip in ``data`` with every member inflated under a byte budget and
    stored uncompressed; refuses what is not a zip (``damaged``) or would unpack
    to too much (``too_big``), each a message from ``messages``.

    Declared sizes are checked first (a quick refusal), but not trusted: each
    member is inflated in chunks with a running count, so a directory that
    under-declares sizes cannot make anything inflate past the caps.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_declared(members, damaged, too_big)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
                budget = limits.MAX_ZIP_TOTAL_BYTES
                for member in members:
                    body = _inflate(archive, member, budget, too_big)
                    budget -= len(body)
                    copy.writestr(member.filename, body)
    except ReadError:
        raise
    except Exception:  # zipfile raises a zoo of errors on bad input
        raise ReadError(damaged) from None
    return out.getvalue()


def _check_declared(members: list[zipfile.ZipInfo], damaged: str, too_big: str) -> None:
    if len(members) > limits.MAX_ZIP_MEMBERS:
        raise ReadError(too_big)
    total = 0
    for member in members:
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # zipfile inflates bzip2/lzma without an output bound; Office never uses them
            raise ReadError(damaged)
        size = member.file_size
        total += size
        if size > limits.MAX_ZIP_MEMBER_BYTES or total > limits.MAX_ZIP_TOTAL_BYTES:
            raise ReadError(too_big)
        if (size > limits.ZIP_RATIO_FLOOR_BYTES
                and size > limits.MAX_ZIP_RATIO * max(member.compress_size, 1)):
            raise ReadError(too_big)


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int,
             too_big: str) -> bytes:
    """A member's bytes, read in chunks: at most one chunk past the member cap or
    the ``budget`` left for the archive is ever inflated."""
    cap = min(limits.MAX_ZIP_MEMBER_BYTES, budget)
    chunks, size = [], 0
    with archive.open(member) as stream:  # reads never return more than asked
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > cap:
                raise ReadError(too_big)
            chunks.append(chunk)
    return b"".join(chunks)
