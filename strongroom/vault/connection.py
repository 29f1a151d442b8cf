"""The vault's SQLCipher connection: opened only with a proven key, in WAL mode.

``connect`` (exactly 32 bytes of key or nothing; the journal and log checked before
SQLite reads them), ``use_wal`` and ``checkpoint`` (the journal mode, and why: ``db``),
``migrate`` (one transaction per migration) and ``transaction``. Split from ``db``
(#20) so that the key lifecycle (``db.Vault``) and the document store
(``store.DocumentStore``) share it without sharing one class.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher

from ..errors import VaultError
from . import crash, integrity, keys
from .migrations import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger("strongroom.vault")

DB_NAME = "vault.db"
KEYS_NAME = "vault.keys.json"


class NotAVault(VaultError):  # noqa: N818 - internal; always re-raised with the path
    """The file did not decrypt with a key that the envelope proved correct."""


def connect(path: Path, key: bytes, *, cipher_compatibility: int = 4) -> Any:
    """Open an existing database file with raw key ``key`` and prove the key works.

    The key check comes first and is not an ``assert`` (asserts vanish under
    ``python -O``): a missing, empty or short key must never reach SQLCipher,
    which would otherwise quietly read or write an unencrypted database.
    ``mode=rw`` means SQLite never creates the file; ``create`` makes it first.
    """
    if not isinstance(key, bytes) or len(key) != keys.KEY_BYTES:
        raise ValueError("the vault key must be exactly 32 bytes")
    if cipher_compatibility != 4:
        raise ValueError("unsupported SQLCipher compatibility")
    if not integrity.journal_matches(path, key):  # SQLite would play it back with any key
        raise NotAVault("the key opens neither the database nor its journal")
    uri = f"{path.resolve().as_uri()}?mode=rw"
    conn = sqlcipher.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    try:
        # SQLCipher would print its own decrypt failures on stderr; the VaultError
        # raised below says what happened in words people can act on.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute(f"PRAGMA cipher_compatibility = {cipher_compatibility}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        conn.close()
        if isinstance(exc, sqlcipher.OperationalError):  # busy, I/O...: not a verdict
            raise
        raise NotAVault("the database did not decrypt") from None
    except BaseException:
        conn.close()
        raise
    # Connection settings only: none of these writes to the file.
    conn.execute("PRAGMA secure_delete = ON")  # deleted content is zeroed, not left in free pages
    conn.execute("PRAGMA temp_store = MEMORY")  # no temp files for sorts and indices
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def use_wal(conn: Any, data_dir: Path) -> None:
    """Switch an open vault to write-ahead logging (see the module docstring; #20).
    A no-op for a vault already in WAL mode; the first open of an older vault
    rewrites two header bytes (the format's read/write versions)."""
    try:
        mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
    except sqlcipher.OperationalError:
        # A vault still in the rollback journal, written right now by another process
        # (an earlier release): switching needs it alone. This session goes on in
        # the old mode; a later open switches.
        log.info("vault: journal mode not switched yet (the database is busy)")
        return
    if mode != "wal":
        raise VaultError(
            f"The vault in {data_dir} could not use its write-ahead log (the file system may "
            "not support shared memory, as network shares often do not). Move the data "
            "folder to a local disk; nothing was changed."
        )
    conn.execute("PRAGMA journal_size_limit = 0")  # the log truncated after checkpoints


def checkpoint(conn: Any) -> None:
    """Merge the write-ahead log into ``vault.db`` and empty it (#20). After a
    delete: the log's older page images still hold what was deleted (encrypted),
    and ``secure_delete`` only zeroes the pages that reach ``vault.db``."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def user_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Any) -> None:
    """Bring the schema to ``SCHEMA_VERSION``, one transaction per migration."""
    version = user_version(conn)
    if version > SCHEMA_VERSION:
        raise VaultError(
            "This vault was made by a newer version of Strongroom. "
            "Update Strongroom to open it; nothing was changed."
        )
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with transaction(conn):
            MIGRATIONS[number - 1](conn)
            crash.point("migration-version")
            conn.execute(f"PRAGMA user_version = {number}")
        crash.point("migration-committed")


@contextmanager
def transaction(conn: Any) -> Iterator[None]:
    """All or nothing: ``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error.

    IMMEDIATE takes the write lock up front, so a transaction never fails half way
    because another connection started writing.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        crash.point("transaction-commit")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite may already have rolled back (I/O error, full disk)
            conn.execute("ROLLBACK")
        raise
