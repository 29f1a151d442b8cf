"""Encrypted backup of the vault to one file, and restore from it (issue 13).

The file::

    b"STRONGROOM BACKUP\\n"           magic (18 bytes)
    header length                     4 bytes, big-endian
    header                            UTF-8 JSON: format, version, vault id, created,
                                      payload size and SHA-256, and the key envelope
    payload                           the SQLCipher database, as encrypted as vault.db

Why this shape:

- The payload is a ``VACUUM INTO`` copy (``Vault.copy_into``): a consistent
  snapshot, still encrypted with the vault's data key, free pages left out. No
  plaintext intermediate exists at any point, on either side.
- The envelope (``vault.keys.json``) travels in the header, so the backup opens
  with what opened the vault when it was made: its passphrase (or, once recovery
  codes exist, the recovery code). A vault that unlocks only with the OS keychain
  makes a backup that needs that keychain entry: fine on the same computer, and
  the CLI says so when backing up.
- SHA-256 of the payload catches accidental damage (a bad copy, a truncated
  download) before anything is asked or written. It is not what makes the backup
  trustworthy: the envelope's GCM tag proves the passphrase, and SQLCipher's
  per-page HMAC (keyed by the data key, bound to the page number) proves every
  page, checked by ``cipher_integrity_check``. A whole-file HMAC would need the
  data key at backup time, which an open ``Vault`` deliberately does not keep.

Restore checks everything on a staged copy first, in a 0700 folder beside the
data folder (same file system, so the final step is a rename): header, size,
SHA-256, envelope, unlock, the database decrypts, ``PRAGMA integrity_check`` and
``cipher_integrity_check``, schema version. Only then is the live vault touched,
and only with ``replace=True``. The old pair is kept as ``*.before-restore``
(hard links, no copy) while the new pair is renamed in; once the restored vault
has opened (and migrated) from its real place, the old pair is removed: it is a
full copy of the old vault, and keeping it would keep documents the person
deleted. If the restored vault does not open, the old pair is put back.

Crash window: between the two renames the data folder holds the new envelope and
the old database; opening then says the vault is damaged, and both the backup and
the ``*.before-restore`` pair are still there.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from ..errors import VaultError
from ..paths import ensure_private_dir
from ..safefile import exists_message, write_new_file
from . import crash, creating, keys, scratch
from .db import DB_NAME, KEYS_NAME, NotAVault, Vault, connect
from .locks import unlock_envelope
from .migrations import SCHEMA_VERSION

log = logging.getLogger("strongroom.vault")

MAGIC = b"STRONGROOM BACKUP\n"
FORMAT = "strongroom-backup"
VERSION = 1
BEFORE_RESTORE = ".before-restore"
_MAX_HEADER = 1 << 20
_CHUNK = 1 << 20


@dataclass(frozen=True)
class BackupInfo:
    vault_id: str
    created: str
    size: int  # payload bytes
    methods: tuple[str, ...]  # what can open it: "passphrase", "keychain"


# -- writing -------------------------------------------------------------------
def write_backup(vault: Vault, dest: Path, *, force: bool = False) -> BackupInfo:
    """Write ``vault`` to the single file ``dest`` (0600, atomic, never over an
    existing file unless ``force``)."""
    dest = Path(dest)
    if not force and os.path.lexists(dest):
        raise VaultError(exists_message(dest))
    scratch.sweep_copies(vault.path)
    # Private folder, encrypted; locked while this backup runs (see ``scratch``).
    copy, copy_fd = scratch.new_copy(vault.path)
    try:
        envelope = vault.copy_into(copy)
        crash.point("backup-copied")
        digest, size = _sha256_of(copy)
        info = BackupInfo(vault_id=envelope.vault_id,
                          created=datetime.now(UTC).isoformat(timespec="seconds"),
                          size=size, methods=tuple(k.method for k in envelope.keys))
        header = json.dumps({
            "format": FORMAT, "version": VERSION, "vault_id": info.vault_id,
            "created": info.created, "payload": {"size": size, "sha256": digest},
            "envelope": envelope.to_json(),
        }, sort_keys=True).encode("utf-8")

        def write(f: BinaryIO) -> None:
            f.write(MAGIC + struct.pack(">I", len(header)) + header)
            crash.point("backup-header-written")
            copied = hashlib.sha256()
            with open(copy, "rb") as src:
                while chunk := src.read(_CHUNK):
                    copied.update(chunk)
                    f.write(chunk)
                    crash.point("backup-chunk-written")
            if copied.hexdigest() != digest:  # the copy changed under us: don't ship it
                raise VaultError("The vault copy changed while the backup was written. "
                                 "Nothing was written; try again.")

        write_new_file(dest, write, force=force)
        crash.point("backup-written")
    finally:
        if os.name != "posix":
            os.close(copy_fd)  # Windows deletes no open file
        for p in (copy, copy.with_name(copy.name + "-journal")):
            p.unlink(missing_ok=True)
        if os.name == "posix":
            os.close(copy_fd)
    log.info("backup written (%d bytes)", size)
    return info


def _sha256_of(path: Path) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


# -- reading -------------------------------------------------------------------
def _not_backup(path: Path) -> VaultError:
    return VaultError(f"{path} is not a Strongroom backup. Nothing was changed.")


def _damaged(path: Path, what: str) -> VaultError:
    return VaultError(f"The backup {path} is damaged ({what}), so it cannot be restored. "
                      "Use another copy of the backup; nothing was changed.")


@dataclass(frozen=True)
class _Header:
    info: BackupInfo
    envelope: keys.Envelope
    sha256: str
    offset: int  # where the payload starts


def _read_header(path: Path, f: BinaryIO) -> _Header:
    if f.read(len(MAGIC)) != MAGIC:
        raise _not_backup(path)
    raw_len = f.read(4)
    if len(raw_len) != 4:
        raise _damaged(path, "it ends inside its header")
    (length,) = struct.unpack(">I", raw_len)
    if not 0 < length <= _MAX_HEADER:
        raise _damaged(path, "its header is unreadable")
    raw = f.read(length)
    if len(raw) != length:
        raise _damaged(path, "it ends inside its header")
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _damaged(path, "its header is unreadable") from None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise _damaged(path, "its header is unreadable")
    version = obj.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _damaged(path, "its header is unreadable")
    if version > VERSION:
        raise VaultError(f"The backup {path} was made by a newer version of Strongroom. "
                         "Update Strongroom to restore it; nothing was changed.")
    payload = obj.get("payload")
    size = payload.get("size") if isinstance(payload, dict) else None
    digest = payload.get("sha256") if isinstance(payload, dict) else None
    created = obj.get("created")
    if not (isinstance(size, int) and not isinstance(size, bool) and size > 0
            and isinstance(digest, str) and len(digest) == 64 and isinstance(created, str)):
        raise _damaged(path, "its header is unreadable")
    try:
        envelope = keys.Envelope.from_json(obj.get("envelope"))
    except VaultError:
        raise _damaged(path, "its key section is unreadable") from None
    if obj.get("vault_id") != envelope.vault_id:
        raise _damaged(path, "its key section belongs to another vault")
    info = BackupInfo(vault_id=envelope.vault_id, created=created, size=size,
                      methods=tuple(k.method for k in envelope.keys))
    return _Header(info=info, envelope=envelope, sha256=digest, offset=f.tell())


def inspect(path: Path) -> BackupInfo:
    """What a backup says about itself (header only; nothing is decrypted)."""
    path = Path(path)
    with _open_backup(path) as f:
        return _read_header(path, f).info


def _open_backup(path: Path) -> BinaryIO:
    try:
        return open(path, "rb")  # noqa: SIM115 - returned to a with statement
    except FileNotFoundError:
        raise VaultError(f"There is no file {path}. Nothing was changed.") from None
    except OSError as exc:
        raise VaultError(f"The backup {path} could not be read ({exc.strerror or exc}). "
                         "Nothing was changed.") from None


# -- restoring -----------------------------------------------------------------
def vault_exists(data_dir: Path) -> bool:
    """Any part of a vault in ``data_dir`` (even half of one) counts."""
    return any((Path(data_dir) / n).exists() for n in (DB_NAME, KEYS_NAME))


def restore(backup: Path, data_dir: Path, *, passphrase: str | None = None,
            replace: bool = False, recovery_code: str | None = None) -> BackupInfo:
    """Restore ``backup`` into ``data_dir``: every check on a staged copy first,
    then (only with ``replace`` if a vault is there) the swap described above."""
    with prepare_restore(backup, data_dir, passphrase=passphrase, replace=replace,
                         recovery_code=recovery_code) as staged:
        staged.commit()
    return staged.info


def prepare_restore(backup: Path, data_dir: Path, *, passphrase: str | None = None,
                    replace: bool = False, recovery_code: str | None = None) -> StagedRestore:
    """Every check, on a staged copy; the live vault is not touched (the window runs
    this while the vault is still open, and closes it only to ``commit``)."""
    backup, data_dir = Path(backup), Path(data_dir)
    check_can_replace(data_dir, replace, vault_open=True)
    with _open_backup(backup) as f:
        header = _read_header(backup, f)
        # The key first (a wrong passphrase is the commonest failure; nothing staged).
        data_key, _method = unlock_envelope(header.envelope, passphrase, recovery_code)
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".strongroom-restore-", dir=data_dir.parent))
        try:
            os.chmod(stage, 0o700)
            _stage_payload(backup, f, header, stage / DB_NAME)
            _check_database(backup, stage / DB_NAME, data_key)
            keys.write_envelope(stage / KEYS_NAME, header.envelope)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
    return StagedRestore(header.info, stage, data_dir, passphrase, replace, recovery_code)


@dataclass
class StagedRestore:
    """A checked backup waiting beside the data folder. Use as a context manager:
    leaving it removes the staged copy, committed or not."""

    info: BackupInfo
    stage: Path
    data_dir: Path
    passphrase: str | None = field(repr=False)
    replace: bool
    recovery_code: str | None = field(default=None, repr=False)

    def commit(self) -> None:
        """Put the staged vault in place (the live vault must be closed)."""
        check_can_replace(self.data_dir, self.replace)  # again: a vault may have appeared
        _swap_in(self.stage, self.data_dir, self.passphrase, self.recovery_code)
        log.info("backup restored")

    def discard(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)

    def __enter__(self) -> StagedRestore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def check_can_replace(data_dir: Path, replace: bool, *, vault_open: bool = False) -> None:
    """Refuse a restore into ``data_dir`` that could lose or damage something.
    ``vault_open``: the caller itself has the vault open (the window, before it
    closes it to commit): its write-ahead log is then expected, and checked again
    by ``StagedRestore.commit``."""
    left = creating.unfinished(data_dir) if Path(data_dir).is_dir() else None
    if left is not None:  # an interrupted first start: no document in it, cleared (#20)
        creating.discard(left)
    if hot_journal(data_dir / DB_NAME):
        raise VaultError(f"The vault in {data_dir} has an unfinished write ({DB_NAME}-journal). "
                         "Open it once with Strongroom so it completes, then restore. "
                         "Nothing was changed.")
    if not vault_open and unmerged_log(data_dir / DB_NAME):
        raise VaultError(f"The vault in {data_dir} has writes not yet merged into {DB_NAME} "
                         f"({DB_NAME}-wal): it is open in Strongroom, or Strongroom was "
                         "stopped. Close Strongroom, or open the vault once and close it, then "
                         "restore. Nothing was changed.")
    leftovers = [n + BEFORE_RESTORE for n in (DB_NAME, KEYS_NAME)
                 if (data_dir / (n + BEFORE_RESTORE)).exists()]
    if leftovers:  # possibly the only good copy: never removed or overwritten here
        raise VaultError(f"A previous restore in {data_dir} did not finish: "
                         f"{' and '.join(leftovers)} hold the vault as it was before it. "
                         "Move them to another folder, then restore again. Nothing was changed.")
    if vault_exists(data_dir) and not replace:
        raise VaultError(f"A vault already exists in {data_dir}. Restoring replaces it: "
                         "use --replace to do that. Nothing was changed.")


def hot_journal(db_path: Path) -> bool:
    """Whether ``db_path`` has a rollback journal SQLite would play back at the next
    read: one whose header was written (first byte not zero, as SQLite's
    ``hasHotJournal`` decides). A transaction killed before it wrote to the database
    leaves a *cold* journal (header still zero): SQLite ignores it, and opening
    the vault does not remove it (only the next write does), so it must not stop
    a restore. Found by the kill tests (tests/e2e/vault/test_vault_crash.py)."""
    try:
        with open(db_path.with_name(db_path.name + "-journal"), "rb") as f:
            return f.read(1) not in (b"", b"\x00")
    except FileNotFoundError:
        return False


def unmerged_log(db_path: Path) -> bool:
    """Whether ``db_path`` has a write-ahead log holding anything (#20): closing the
    vault merges it into the database and removes it, so one that is not empty
    means the vault is open, or was stopped; renaming another database under it
    would have SQLite replay this one's log into it."""
    try:
        return db_path.with_name(db_path.name + "-wal").stat().st_size > 0
    except FileNotFoundError:
        return False


def _stage_payload(backup: Path, f: BinaryIO, header: _Header, target: Path) -> None:
    h, size = hashlib.sha256(), 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := f.read(_CHUNK):
            size += len(chunk)
            if size > header.info.size:
                raise _damaged(backup, "it is longer than its header says")
            h.update(chunk)
            out.write(chunk)
        if size < header.info.size:
            raise _damaged(backup, f"it is incomplete: {size} of {header.info.size} bytes")
        if h.hexdigest() != header.sha256:
            raise _damaged(backup, "its contents do not match its checksum")
        out.flush()
        os.fsync(out.fileno())


def _check_database(backup: Path, db_path: Path, data_key: bytes) -> None:
    try:
        conn = connect(db_path, data_key)
    except NotAVault:
        raise _damaged(backup, "its database does not open with its key: it belongs to "
                               "another vault or was altered") from None
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version == 0:
            raise _damaged(backup, "its database is not a Strongroom vault")
        if version > SCHEMA_VERSION:
            raise VaultError(f"The backup {backup} holds a vault made by a newer version of "
                             "Strongroom. Update Strongroom to restore it; nothing was changed.")
        # Every page's HMAC first: a page altered on purpose or by the disk.
        bad_pages = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        if bad_pages:
            raise _damaged(backup, f"{len(bad_pages)} database page(s) fail their HMAC")
        ok = conn.execute("PRAGMA integrity_check").fetchall()
        if ok != [("ok",)]:
            raise _damaged(backup, "its database fails the integrity check")
    except VaultError:
        raise
    except Exception as exc:  # sqlcipher's DatabaseError family: a page does not decrypt
        raise _damaged(backup, f"its database cannot be read: {type(exc).__name__}") from None
    finally:
        conn.close()


def _swap_in(stage: Path, data_dir: Path, passphrase: str | None,
             recovery_code: str | None = None) -> None:
    ensure_private_dir(data_dir)
    names = (KEYS_NAME, DB_NAME)
    kept: list[str] = []
    for name in names:  # the old pair, under a second name (no copy: a hard link)
        live, old = data_dir / name, data_dir / (name + BEFORE_RESTORE)
        if live.exists():
            os.link(live, old)
            kept.append(name)
    keys.fsync_dir(data_dir)
    for name in names:  # envelope first, database second (see the crash window)
        os.replace(stage / name, data_dir / name)
    keys.fsync_dir(data_dir)
    try:
        # from its real place; migrates
        Vault.open(data_dir, passphrase=passphrase, recovery_code=recovery_code).close()
    except BaseException:
        _put_back(data_dir, kept)
        raise
    for name in kept:
        (data_dir / (name + BEFORE_RESTORE)).unlink(missing_ok=True)
    keys.fsync_dir(data_dir)


def _put_back(data_dir: Path, kept: list[str]) -> None:
    """The restored vault did not open: the old pair takes its names back."""
    for name in (DB_NAME, KEYS_NAME):
        if name in kept:
            os.replace(data_dir / (name + BEFORE_RESTORE), data_dir / name)
        else:
            (data_dir / name).unlink(missing_ok=True)
    keys.fsync_dir(data_dir)


def describe_methods(info: BackupInfo) -> str:
    """Words for what opens a backup (CLI and window)."""
    code = keys.RECOVERY in info.methods
    if keys.PASSPHRASE in info.methods:
        return ("It opens with the vault's passphrase at the time of the backup"
                + (" or with the vault's recovery code." if code else "."))
    if code:
        return ("It opens with this computer's keychain entry for the vault, or elsewhere "
                "with the vault's recovery code.")
    return ("It opens only with this computer's keychain entry for the vault: keep a "
            "recovery code for it to restore it elsewhere.")
