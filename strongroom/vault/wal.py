"""Reading ``vault.db-wal`` and ``-shm`` as SQLite would, before SQLite may (#20).

Since #20 the vault runs in write-ahead-log mode (why: ``db``'s docstring). SQLite
replays a ``-wal`` it finds beside a database whatever the key, like a hot
rollback journal: another vault's log would be written into this one at the next
checkpoint, and a log SQLite cannot use is thrown away when the database closes.
So, reading only, ``integrity`` refuses a ``-wal`` that is not a log of this
database's format, and checks every page image SQLite would replay against the key
(``integrity.journal_matches``), exactly as it does for the rollback journal.

The format (sqlite.org/fileformat2.html#walformat): a 32-byte header (magic,
version 3007000, page size, checkpoint sequence, two salts, a checksum of the first
24 bytes), then frames: a 24-byte header (page number, database size after a
commit or 0, the two salts, a running checksum) and the page. SQLite replays the
frames from the start while their salts match the header's and the running
checksum holds, up to the last commit frame. In SQLCipher the page image is
encrypted exactly as in ``vault.db`` (its own IV and HMAC).

``-shm`` is SQLite's index of the log, rebuilt from the ``-wal`` by the first
process that opens the database; it holds no page content. One that does not even
start like SQLite's index (version 3007000 in both header copies) is not ours.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

PAGE = 4096
MAGIC = (0x377F0682, 0x377F0683)  # checksums of little- or big-endian words
VERSION = 3007000
_HEADER = struct.Struct(">IIIIIIII")
_FRAME = struct.Struct(">IIIIII")


class NotOurs(Exception):  # noqa: N818 - a verdict; integrity turns it into words
    """Not a log (or index) SQLite would write for this database."""


def frames(f: BinaryIO, size: int) -> Iterator[tuple[int, bytes]]:
    """The (page number, page image) pairs SQLite would replay from the open ``-wal``
    ``f`` of ``size`` bytes; ``NotOurs`` when its header is not a log's. An empty
    or all-zero file is an empty log (SQLite makes it empty; a power cut can zero
    it)."""
    head = f.read(_HEADER.size)
    if not head or (head == bytes(len(head)) and all_zero(f)):
        return
    if len(head) < _HEADER.size:
        raise NotOurs("cut short")
    magic, version, page, _seq, salt1, salt2, ck1, ck2 = _HEADER.unpack(head)
    if magic not in MAGIC or version != VERSION or page != PAGE:
        raise NotOurs("header")
    big = magic & 1
    if checksum(head[:24], 0, 0, big) != (ck1, ck2):
        raise NotOurs("header checksum")
    s1, s2 = ck1, ck2
    pending: list[tuple[int, bytes]] = []
    offset = _HEADER.size
    while offset + _FRAME.size + PAGE <= size:
        f.seek(offset)
        data = f.read(_FRAME.size + PAGE)
        pgno, commit, fs1, fs2, fc1, fc2 = _FRAME.unpack(data[:_FRAME.size])
        if (fs1, fs2) != (salt1, salt2) or pgno == 0:
            return  # frames of an earlier generation of the log: not replayed
        s1, s2 = checksum(data[:8], s1, s2, big)
        s1, s2 = checksum(data[_FRAME.size:], s1, s2, big)
        if (s1, s2) != (fc1, fc2):
            return  # a torn last write: SQLite stops here too
        pending.append((pgno, data[_FRAME.size:]))
        if commit:  # only whole transactions are replayed
            yield from pending
            pending = []
        offset += _FRAME.size + PAGE


def check_index(path: Path) -> None:
    """``NotOurs`` unless the ``-shm`` at ``path`` is empty or starts like SQLite's
    index of a log (version 3007000 in both copies of its header)."""
    with open(path, "rb") as f:
        head = f.read(96)
    if not head or head == bytes(len(head)):
        return
    if len(head) < 96 or any(struct.unpack_from("=I", head, at)[0] != VERSION
                             for at in (0, 48)):
        raise NotOurs("index")


def checksum(data: bytes, s1: int, s2: int, big: int) -> tuple[int, int]:
    """SQLite's ``walChecksumBytes``: over 32-bit words, two at a time."""
    words = struct.unpack(f"{'>' if big else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s1 = (s1 + words[i] + s2) & 0xFFFFFFFF
        s2 = (s2 + words[i + 1] + s1) & 0xFFFFFFFF
    return s1, s2


def all_zero(f: BinaryIO) -> bool:
    """Whether the whole file is zero bytes (SQLite treats such a journal or log as none)."""
    f.seek(0)
    while chunk := f.read(1 << 16):
        if chunk.count(0) != len(chunk):
            return False
    return True
