"""A damaged vault is refused in words, and nothing is changed (issue 13).

What SQLite does on its own (SQLCipher 4.19 on SQLite 3.53, measured by
``tests/e2e/vault/test_vault_corrupted.py``), and why these checks exist:

- ``vault.db-journal``: any journal whose first byte is not zero is "hot" and is
  played back at the first read, *whatever the key*, then deleted. A garbage
  journal is deleted; another vault's journal writes that vault's pages into this
  one (the vault is lost); with a wrong key the playback happens anyway (bytes
  change, then the key fails). So the journal is checked first, by reading only.
- ``vault.db-wal``: if one exists, SQLite opens the database in WAL mode whatever
  its header says, and deletes a garbage ``-wal`` (and ``-shm``) on close. Since
  #20 the vault is in WAL mode (see ``db``): a ``-wal`` is ours after a crash, so
  its structure is checked like the journal's and every page SQLite would replay
  from it must be this vault's (``wal``); a ``-shm`` must look like SQLite's index.
  The rollback journal's checks stay for vaults of earlier releases.
- A damaged page (page 1 aside) is found only when a query reads it, maybe months
  later; ``cipher_integrity_check`` reads every page and checks its HMAC.
- A crash in the middle of a commit, then its journal deleted: every page still has
  a valid HMAC (each is written whole), so only SQLite's b-tree check
  (``quick_check``) sees that the pages do not fit together.

SQLCipher 4's file, as used here (raw 256-bit key, ``cipher_compatibility = 4``):
4096-byte pages; each ends with 80 reserved bytes, a 16-byte IV then an HMAC-SHA512
over the encrypted page, its IV and its page number (little-endian); page 1 begins
with the 16-byte salt instead of "SQLite format 3"; the HMAC key is
PBKDF2-HMAC-SHA512(key, salt XOR 0x3a, 2 iterations, 32 bytes). The journal's header
is plaintext (SQLite's own format); the page copies in it are encrypted with a fresh
IV and carry an HMAC valid for their page number under the database's key, which is
what ``journal_matches`` checks before SQLite may play a journal back.

The checks, in the order ``Vault.open`` runs them: ``check_files`` (no key, before
Argon2id), ``journal_matches`` (in ``connect``, before SQLite), ``explain`` (when the
database does not decrypt with a key the envelope proved), ``check_pages`` (after
connecting, before anything is written).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from sqlcipher3 import dbapi2 as sqlcipher

from ..errors import VaultError
from . import wal

log = logging.getLogger("strongroom.vault")

PAGE = 4096
SALT = 16
RESERVE = 80  # IV (16) + HMAC-SHA512 (64)
MAC = 64
PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
_JOURNAL_HEADER = struct.Struct(">8sIIIII")  # magic, records, checksum seed, pages, sector, page
_RECORD = struct.Struct(f">I{PAGE}sI")  # page number, the page's old bytes, checksum
_ALL_RECORDS = 0xFFFFFFFF  # "as many as the file holds" (SQLite's nRec for unsynced journals)
SIDE_FILES = ("-wal", "-shm")  # the write-ahead log and its index (WAL mode, #20)

NOT_A_VAULT = (
    "{name} in {folder} is not a Strongroom vault or is damaged, so it cannot be opened. "
    "Restore it from a backup; nothing was changed."
)
_RESTORE = " Restore it from a backup; nothing was changed."
_EMPTY = "{name} in {folder} is empty (0 bytes), so it holds no vault." + _RESTORE
_PLAIN = ("{name} in {folder} is an unencrypted SQLite database, not a Strongroom vault, so "
          "it was not opened." + _RESTORE)
_TRUNCATED = ("{name} in {folder} is cut short ({detail}), as by an interrupted copy or a full "
              "disk, so the vault cannot be opened." + _RESTORE)
_PAGES = ("{name} in {folder} is damaged: {pages} {fail}, so the vault cannot be opened "
          "safely." + _RESTORE)
_INCONSISTENT = ("{name} in {folder} is damaged: its pages are intact but do not fit together, "
                 "as after a crash whose journal ({name}-journal) was deleted." + _RESTORE)
_SIDE_FILE = ("{side} is beside the vault in {folder}, but it is not a file Strongroom's "
              "database wrote (it comes from another program or an incomplete copy). SQLite "
              "would act on it and could delete it or damage the vault, so the vault was not "
              "opened. Move {side} out of the folder (keep it), then open the vault again; "
              "nothing was changed.")
_LOG = ("{side} beside the vault in {folder} {problem}. SQLite would write it into the "
        "vault, which could damage it, so the vault was not opened. Move {side} out of the "
        "folder (keep it), then open the vault again; if it then reports damage, restore it "
        "from a backup. Nothing was changed.")
_JOURNAL = ("{side} beside the vault in {folder} {problem}. SQLite would use it to undo an "
            "unfinished write and then delete it, which could damage the vault, so the vault "
            "was not opened. Move {side} out of the folder (keep it), then open the vault "
            "again; if it then reports damage, restore it from a backup. Nothing was changed.")


class Damaged(VaultError):
    """``vault.db``, or a file SQLite would act on beside it, is damaged."""


# -- 1. before any key: sizes, headers, files beside the vault ------------------------
def check_files(db_path: Path) -> None:
    """What can be refused by reading a few bytes, before the slow Argon2id step."""
    try:
        with open(db_path, "rb") as f:
            head = f.read(len(PLAIN_SQLITE_HEADER))
    except OSError as exc:
        raise VaultError(
            f"The vault could not be read ({exc.strerror or type(exc).__name__}). "
            "Check the permissions of the data folder; nothing was changed."
        ) from None
    if not head:
        raise Damaged(_message(_EMPTY, db_path))
    if head == PLAIN_SQLITE_HEADER:
        raise Damaged(_message(_PLAIN, db_path))
    shm = db_path.with_name(db_path.name + "-shm")
    if shm.is_symlink():
        raise Damaged(_message(_SIDE_FILE, db_path, side=shm.name))
    if shm.exists():
        try:
            wal.check_index(shm)
        except (wal.NotOurs, OSError):
            raise Damaged(_message(_SIDE_FILE, db_path, side=shm.name)) from None
    # The logs' structure; their pages need the key (``journal_matches``, in ``connect``).
    with _journal(db_path) as pages, _wal(db_path) as frames:
        for _ in pages:
            pass
        for _ in frames:
            pass


# -- 2. before SQLite reads: the journal it would play back ---------------------------
def journal_matches(db_path: Path, key: bytes) -> bool:
    """Whether SQLite may play back ``db_path``'s journal with ``key``: True when
    there is none to play back or every page copy in it is this vault's under
    ``key``; False when ``key`` fits neither the journal nor the database (a wrong
    key, which SQLite would not notice before playing the journal back); ``Damaged``
    for a journal of another vault, or a damaged one.
    """
    for suffix, template, opened in (("-journal", _JOURNAL, _journal), ("-wal", _LOG, _wal)):
        matched, wrong, mac_key = 0, [], b""
        with opened(db_path) as pages:
            for pgno, image in pages:
                mac_key = mac_key or _mac_key(key, _salt(db_path))
                if _page_mac_ok(mac_key, image, pgno):
                    matched += 1
                else:
                    wrong.append(pgno)
        if not wrong:
            continue
        if not matched and not _first_page_fits(db_path, mac_key):
            return False  # the key is wrong (or the database is not this log's either)
        problem = (f"is damaged (its copy of page {wrong[0]} does not match the vault)"
                   if matched else
                   "belongs to another vault (none of the pages in it match this vault)")
        raise Damaged(_message(template, db_path, side=db_path.name + suffix, problem=problem))
    return True


@contextmanager
def _wal(db_path: Path) -> Iterator[Iterator[tuple[int, bytes]]]:
    """The page images in ``db_path``'s ``-wal`` that SQLite would replay (none
    without one); ``Damaged`` when it is not a log SQLite wrote for this database."""
    log_path = db_path.with_name(db_path.name + "-wal")
    if log_path.is_symlink():
        raise Damaged(_message(_SIDE_FILE, db_path, side=log_path.name))
    with _side_file(log_path) as f:
        yield iter(()) if f is None else _checked_frames(f, os.fstat(f.fileno()).st_size,
                                                         db_path)


def _checked_frames(f: BinaryIO, size: int, db_path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        yield from wal.frames(f, size)
    except wal.NotOurs:
        raise Damaged(_message(_SIDE_FILE, db_path, side=db_path.name + "-wal")) from None


@contextmanager
def _journal(db_path: Path) -> Iterator[Iterator[tuple[int, bytes]]]:
    """The page copies in ``db_path``'s journal that SQLite would play back (none
    without a journal); ``Damaged`` when reading them finds it is not a good one."""
    journal = db_path.with_name(db_path.name + "-journal")
    with _side_file(journal) as f:
        yield iter(()) if f is None else _journal_pages(f, os.fstat(f.fileno()).st_size,
                                                        db_path)


@contextmanager
def _side_file(path: Path) -> Iterator[BinaryIO | None]:
    """A journal or log beside the vault, open for reading; None when there is none."""
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        yield None
        return
    except OSError as exc:
        raise VaultError(f"{path.name} beside the vault in {path.parent} could not be "
                         f"read ({exc.strerror or type(exc).__name__}). Check the folder's "
                         "permissions; nothing was changed.") from None
    with f:
        yield f


def _journal_pages(f: BinaryIO, size: int, db_path: Path) -> Iterator[tuple[int, bytes]]:
    """The page copies SQLite would write back, read as SQLite's ``pager_playback``
    reads them; nothing for a journal SQLite would not play back (empty, or its header
    not yet written: the first byte is zero). What SQLite would stop at quietly
    (a bad checksum, a short record) is damage here: Strongroom's journals are synced
    before the database is written, so within the counted records there is none.
    """
    def damaged(problem: str) -> Damaged:
        return Damaged(_message(_JOURNAL, db_path, side=db_path.name + "-journal",
                                problem=problem))

    first = f.read(_JOURNAL_HEADER.size)
    if not first:
        return
    if first == bytes(len(first)) and wal.all_zero(f):
        # Nothing in it: SQLite leaves a journal whose first byte is zero alone, and a
        # crash or a file system's zero-filled blocks after a power cut can leave one
        # all zero. Before #20 its header (page size 0) was refused and blocked opening.
        return
    if len(first) < _JOURNAL_HEADER.size:
        raise damaged("is cut short")
    magic, _, _, _, sector, page = _JOURNAL_HEADER.unpack(first)
    if magic == bytes(8) and first[8:12] == bytes(4):
        # SQLite's header before the journal is synced: not hot, SQLite leaves it alone.
        if page != PAGE or not _valid_sector(sector):
            raise damaged("is not a journal Strongroom's database wrote")
        return
    if magic != JOURNAL_MAGIC or page != PAGE or not _valid_sector(sector):
        raise damaged("is not a journal Strongroom's database wrote")
    offset, record = 0, _RECORD.size
    while offset + sector <= size:
        f.seek(offset)
        magic, count, seed, _, _, _ = _JOURNAL_HEADER.unpack(f.read(_JOURNAL_HEADER.size))
        if magic != JOURNAL_MAGIC:  # the next segment is not synced yet: playback ends
            return
        offset += sector
        if count == _ALL_RECORDS:
            count = (size - offset) // record
        f.seek(offset)
        for _ in range(count):
            data = f.read(record)
            if len(data) < record:
                raise damaged("is cut short")
            pgno, image, checksum = _RECORD.unpack(data)
            if pgno == 0 or _journal_checksum(seed, image) != checksum:
                raise damaged("is damaged")
            yield pgno, image
            offset += record
        offset = -(-offset // sector) * sector


def _valid_sector(sector: int) -> bool:
    return 32 <= sector <= 65536 and sector & (sector - 1) == 0


def _journal_checksum(seed: int, image: bytes) -> int:
    """SQLite's ``pager_cksum``: the seed plus every 200th byte from the end."""
    return (seed + sum(image[i] for i in range(PAGE - 200, 0, -200))) & 0xFFFFFFFF


# -- 3. the database did not decrypt with a proven key: say why -----------------------
def explain(db_path: Path, key: bytes) -> VaultError:
    """Why ``db_path`` did not open with ``key``, which its envelope proved right:
    none of its pages is this vault's, it is cut short, or which pages are damaged.
    Reads the file page by page; runs only after a failed open."""
    size = db_path.stat().st_size
    with open(db_path, "rb") as f:
        head = f.read(PAGE)
        mac_key = _mac_key(key, head[:SALT])
        bad, good = [], 0
        page, pgno = head, 1
        while len(page) == PAGE:
            if _page_mac_ok(mac_key, page, pgno):
                good += 1
            else:
                bad.append(pgno)
            page, pgno = f.read(PAGE), pgno + 1
    if not good and not (size < PAGE and _starts_like_page_one(head, key)):
        return VaultError(_message(NOT_A_VAULT, db_path))
    if size % PAGE:
        return Damaged(_message(_TRUNCATED, db_path, detail=_odd_size(size)))
    if bad and bad[0] == 1:
        return Damaged(_message(_PAGES, db_path, **_pages_words(bad)))
    expected = _header_page_count(head, key)
    if expected is not None and expected > size // PAGE:
        return Damaged(_message(_TRUNCATED, db_path,
                                detail=f"it holds {size // PAGE} of its {expected} pages"))
    if bad:
        return Damaged(_message(_PAGES, db_path, **_pages_words(bad)))
    return VaultError(_message(NOT_A_VAULT, db_path))


def _starts_like_page_one(head: bytes, key: bytes) -> bool:
    """Whether the start of a page cut short is page 1 of a vault under ``key``: its
    IV is gone with the page's end, but in CBC each block decrypts with the block
    before it, and bytes 72-91 of a database header are zero by the file format."""
    if len(head) < 96:
        return False
    dec = Cipher(algorithms.AES(key), modes.CBC(head[48:64])).decryptor()
    return (dec.update(head[64:96]) + dec.finalize())[8:28] == bytes(20)


def _header_page_count(page_one: bytes, key: bytes) -> int | None:
    """The page count in the (encrypted) database header, if SQLite trusts it
    (the "version-valid-for" number equals the change counter)."""
    iv = page_one[PAGE - RESERVE:PAGE - RESERVE + 16]
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    plain = dec.update(page_one[SALT:SALT + 80]) + dec.finalize()  # header bytes 16-95
    counter, count, valid_for = plain[8:12], plain[12:16], plain[76:80]
    return struct.unpack(">I", count)[0] if counter == valid_for else None


def _odd_size(size: int) -> str:
    if size < PAGE:
        return f"{size} bytes, less than its first page"
    return f"{size} bytes, not a whole number of {PAGE}-byte pages"


# -- 4. after connecting: every page, and how they fit together -----------------------
def check_pages(conn: Any, db_path: Path) -> None:
    """Every page's HMAC (``cipher_integrity_check``), then SQLite's b-tree check
    (``quick_check``); before anything is written. Costs a read of the whole file
    (figures in docs/MEASUREMENTS.md).

    Inside a read transaction: ``cipher_integrity_check`` reads the file without
    taking a lock, and the transaction's SHARED lock keeps another process (a
    second window, the command line) from writing pages while they are read.
    """
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes the lock
        _check_pages(conn, db_path)
    finally:
        conn.execute("ROLLBACK")  # a read transaction: nothing to write


def _check_pages(conn: Any, db_path: Path) -> None:
    size = db_path.stat().st_size
    if size % PAGE:  # the last page is cut short (SQLite rounds the count up)
        raise Damaged(_message(_TRUNCATED, db_path, detail=_odd_size(size)))
    rows = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    if rows:
        log.info("vault: cipher_integrity_check: %s", "; ".join(rows[:5]))
        pages = sorted({int(m.group(1)) for r in rows if (m := re.search(r"page (\d+)", r))})
        raise Damaged(_message(_PAGES, db_path, **_pages_words(pages or [0])))
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlcipher.DatabaseError as exc:  # a page too broken to walk
        rows = [type(exc).__name__]
    if rows != ["ok"]:
        log.info("vault: quick_check: %s", "; ".join(rows[:5]))
        raise Damaged(_message(_INCONSISTENT, db_path))


def _pages_words(pages: list[int]) -> dict[str, str]:
    if pages == [0]:
        return {"pages": "some pages", "fail": "fail their checksums"}
    shown = [str(p) for p in pages[:5]] + (["more"] if len(pages) > 5 else [])
    if len(shown) == 1:
        return {"pages": f"page {shown[0]}", "fail": "fails its checksum"}
    return {"pages": f"pages {', '.join(shown[:-1])} and {shown[-1]}",
            "fail": "fail their checksums"}


# -- SQLCipher's page format ------------------------------------------------------------
def _mac_key(key: bytes, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha512", key, bytes(b ^ 0x3A for b in salt), 2, 32)


def _page_mac_ok(mac_key: bytes, page: bytes, pgno: int) -> bool:
    start = SALT if pgno == 1 else 0
    mac = hmac.new(mac_key, page[start:PAGE - MAC] + struct.pack("<I", pgno), hashlib.sha512)
    return hmac.compare_digest(mac.digest(), page[PAGE - MAC:PAGE])


def _salt(db_path: Path) -> bytes:
    with open(db_path, "rb") as f:
        return f.read(SALT)


def _first_page_fits(db_path: Path, mac_key: bytes) -> bool:
    with open(db_path, "rb") as f:
        page = f.read(PAGE)
    return len(page) == PAGE and _page_mac_ok(mac_key, page, 1)


def _message(template: str, db_path: Path, **words: str) -> str:
    return template.format(name=db_path.name, folder=db_path.parent, **words)
