"""The vault: one SQLCipher database, opened only with a verified 256-bit key.

Rules this module keeps (each one guards people's documents):

- Never create over, re-create or "repair" existing data. A vault is created only
  when neither ``vault.db`` nor ``vault.keys.json`` exists; anything else is an
  error that touches nothing.
- The key is checked (GCM tag of the envelope) before the database is opened, so a
  wrong passphrase never reaches SQLite and cannot change a byte or leave a file.
- SQLCipher given no key silently makes a *plain* SQLite file, so ``connect``
  refuses anything but a 32-byte key before calling into SQLCipher at all, and
  proves the key by reading ``sqlite_master``.
- Journal mode: write-ahead log (WAL), since #20; vaults of earlier releases
  (DELETE) are switched when they are opened, after their checks. The evidence
  (tests/e2e/vault/test_vault_journal_mode.py: a real SQLCipher file, a SIGKILLed
  writer, the side file then lost): with the rollback journal, ``vault.db`` holds
  half a transaction whenever its hot journal is lost (a page-cache spill before
  COMMIT, or a kill inside COMMIT's writes; 9-11 of 12 random kills) and every
  check SQLite has passes; with WAL, ``vault.db`` is written only by checkpoints,
  so losing the log loses at most the transactions since the last checkpoint,
  never half of one (0 of 12). What WAL costs, and how it is met:
  the ``-wal`` holds page images encrypted like ``vault.db`` and the ``-shm`` only
  an index of them (tested: no canary in either), both get ``vault.db``'s 0600;
  they exist while the vault is open and after a crash, and closing removes them
  (a checkpoint first); SQLite replays a ``-wal`` with any key, so ``integrity``
  checks every page it would replay, as for the journal; "copy vault.db" while
  Strongroom runs may miss the last transactions (the backup command copies with
  ``VACUUM INTO``, which reads through the log); ``secure_delete`` zeroes freed
  space in the pages that reach ``vault.db`` and the log, and ``journal_size_limit``
  truncates the log after each checkpoint, so old page images do not linger in it;
  WAL needs shared memory, so a data folder on a network share is not supported
  (SQLite's documented limit; the rollback journal had no such limit). One
  connection serialised by a lock gains nothing from WAL's concurrent readers: the
  reason is crash safety alone.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from contextlib import suppress
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher

from ..errors import PassphraseRequired, VaultError
from ..paths import ensure_private_dir, make_private
from . import (
    crash,
    creating,
    integrity,
    keychain,
    keys,
    locks,
    recovery,
    scratch,
    sqlerrors,
)
from .connection import (
    DB_NAME,
    KEYS_NAME,
    NotAVault,
    connect,
    migrate,
    transaction,
    use_wal,
    user_version,
)
from .migrations import SCHEMA_VERSION
from .store import DocumentStore

__all__ = ["DB_NAME", "KEYS_NAME", "SCHEMA_VERSION", "NotAVault", "Vault", "connect",
           "migrate", "transaction"]

log = logging.getLogger("strongroom.vault")

PLAIN_SQLITE_HEADER = integrity.PLAIN_SQLITE_HEADER


_NOT_A_VAULT = integrity.NOT_A_VAULT
_WRONG_CURRENT = "The current passphrase is not correct. Nothing was changed."  # noqa: S105
_UNFINISHED = (
    "No vault was found in {folder}: creating one was interrupted before it held any "
    "document. Create the vault again (it starts fresh); nothing was lost."
)


class Vault(DocumentStore):
    """The document store (``store.DocumentStore``) with its key lifecycle: finding,
    creating and opening a vault, and the locks on its data key (passphrase,
    recovery code). Thread-safe: the store's lock, and one for the key file."""

    def __init__(self, path: Path, conn: Any, key_method: str,
                 data_key: bytes | None = None) -> None:
        super().__init__(path, conn)
        self.key_method = key_method  # "keychain" | "passphrase" | "recovery"
        #: Set only on the object ``create`` returns: shown once, never stored.
        self.recovery_code: str | None = None
        # Envelope rewrites, one at a time. Separate from ``_lock`` so that Argon2id
        # (a second or more, twice for a change) never holds the connection: the job
        # queue's worker and the window keep using the vault meanwhile (issue 13).
        self._key_lock = threading.Lock()
        # Kept while open (SQLCipher holds it too) so that a passphrase can be set after
        # opening with the keychain or the recovery code; wiped (best effort) on close.
        self._data_key = bytearray(data_key) if data_key is not None else None

    # -- finding, creating and opening ---------------------------------------
    @staticmethod
    def unlock_method(data_dir: Path) -> str | None:
        """``None`` if there is no vault yet, else how it unlocks."""
        if not _existing(Path(data_dir)):
            return None
        return keys.read_envelope(Path(data_dir) / KEYS_NAME).method

    @staticmethod
    def keychain_usable() -> tuple[bool, str]:
        backend, reason = keychain.usable()
        return backend is not None, reason

    @staticmethod
    def unlock_methods(data_dir: Path) -> tuple[str, ...]:
        """Every method that can open the vault (empty if there is no vault yet)."""
        if not _existing(Path(data_dir)):
            return ()
        return keys.read_envelope(Path(data_dir) / KEYS_NAME).methods

    @classmethod
    def open_or_create(cls, data_dir: Path, *, passphrase: str | None = None) -> Vault:
        if _existing(Path(data_dir)):
            return cls.open(data_dir, passphrase=passphrase)
        return cls.create(data_dir, passphrase=passphrase)

    @classmethod
    def create(cls, data_dir: Path, *, passphrase: str | None = None) -> Vault:
        """A new, empty vault: keychain when no passphrase is given and it is usable.

        Every new vault also gets a recovery code: ``vault.recovery_code`` on the
        returned object is the only place it ever exists (show it once, then
        ``take_recovery_code``). A kill at any moment leaves a whole vault or a
        recognised unfinished one (``creating``), which the next ``create`` clears:
        it never held a document.
        """
        data_dir = Path(data_dir)
        if _existing(data_dir):
            raise VaultError(
                f"A vault already exists in {data_dir}; open it instead. Nothing was changed."
            )
        backend = None
        if passphrase is None:
            backend, reason = keychain.usable()
            if backend is None:
                raise PassphraseRequired(reason)
        else:
            keys.check_passphrase(passphrase)
        ensure_private_dir(data_dir)
        left = creating.unfinished(data_dir)
        if left is not None:  # a fresh start (#20): it never held a document
            creating.discard(left)
        _refuse_stray_side_files(data_dir)

        vault_id, data_key = keys.new_vault_id(), keys.new_key()
        service = keychain.service_name()
        db_path, keys_path, conn = data_dir / DB_NAME, data_dir / KEYS_NAME, None
        marker: int | None = None
        made_keys = made_db = stored = False
        try:
            # The slow and the outside parts first (Argon2id twice, the keychain), so
            # the unfinished state below lasts milliseconds.
            if backend is not None:
                secret = keys.new_key()
                keychain.store_secret(backend, service, vault_id, secret)
                stored = True
                wrapped = keys.wrap(data_key, secret, vault_id=vault_id, method=keys.KEYCHAIN,
                                    params={"service": service,
                                            "backend": keychain.backend_name(backend)})
            else:
                kdf = keys.Argon2Params.fresh()
                kek = keys.derive_kek(passphrase, kdf)
                wrapped = keys.wrap(data_key, kek, vault_id=vault_id, method=keys.PASSPHRASE,
                                    params={"kdf": kdf.to_json()})
            code = recovery.generate()
            envelope = keys.Envelope(vault_id=vault_id, keys=(
                wrapped, locks.wrap_recovery(data_key, code, vault_id)))

            # The order that makes a kill harmless (#20): see ``creating``.
            try:
                marker = creating.begin(data_dir, vault_id)
            except FileExistsError:
                raise _AlreadyThere from None
            if keys_path.exists() or db_path.exists():  # another instance raced us
                raise _AlreadyThere
            keys.write_envelope(keys_path, envelope)
            made_keys = True
            _create_empty_file(db_path)
            made_db = True
            conn = connect(db_path, data_key)
            use_wal(conn, data_dir)
            migrate(conn)
            creating.finish(data_dir, marker)
            marker = None
        except BaseException as exc:
            # Undo only what this call made: the new, empty files and keychain entry.
            if conn is not None:
                conn.close()
            if made_db:
                _remove_new_db(db_path)
            if made_keys:
                keys_path.unlink(missing_ok=True)
            if marker is not None:
                creating.end(data_dir, marker)
            if stored and backend is not None:
                keychain.delete_secret(backend, service, vault_id)
            if isinstance(exc, _AlreadyThere):
                raise VaultError(
                    f"A vault appeared in {data_dir} while creating one; open it instead."
                ) from None
            if isinstance(exc, sqlcipher.Error | OSError):
                raise VaultError(
                    f"The vault could not be created in {data_dir} ({type(exc).__name__}). "
                    "Check that the disk is not full and the folder is writable."
                ) from None
            raise
        log.info("vault created (%s, with a recovery code)", wrapped.method)
        vault = cls(data_dir, conn, wrapped.method, data_key)
        vault.recovery_code = code
        return vault

    @classmethod
    def open(cls, data_dir: Path, *, passphrase: str | None = None,
             recovery_code: str | None = None) -> Vault:
        """Open an existing vault; a wrong key changes nothing and creates nothing.

        With ``recovery_code``, only the recovery key is tried (``passphrase`` is
        ignored); ``key_method`` is then "recovery".
        """
        data_dir = Path(data_dir)
        if not _existing(data_dir):
            if creating.unfinished(data_dir) is not None:
                raise VaultError(_UNFINISHED.format(folder=data_dir))
            raise VaultError(f"No vault was found in {data_dir}.")
        envelope = keys.read_envelope(data_dir / KEYS_NAME)
        db_path = data_dir / DB_NAME
        _check_writable(data_dir)
        integrity.check_files(db_path)  # before the slow key derivation
        data_key, method = locks.unlock_envelope(envelope, passphrase, recovery_code)
        # The CLI and the window did this at start and told the person; here for
        # every other caller (and a restore), once the key file proved the key; and
        # before connecting, because SQLite gives the log it creates (-wal, -shm,
        # #20) the mode vault.db has then.
        for loose in make_private(data_dir):
            log.warning("%s was %04o; %s", "the data folder" if loose.path == data_dir
                        else loose.path.name, loose.mode,
                        "made private" if loose.fixed else "it could not be made private")
        try:
            conn = connect(db_path, data_key, cipher_compatibility=envelope.cipher_compatibility)
        except NotAVault:
            raise integrity.explain(db_path, data_key) from None
        except sqlcipher.Error as exc:
            raise VaultError(
                f"The vault in {data_dir} could not be opened ({type(exc).__name__}). It may "
                "be in use by another Strongroom window, or the folder is not readable. "
                "Close other windows and check the folder's permissions; nothing was changed."
            ) from None
        try:
            integrity.check_pages(conn, db_path)  # every page, before anything is written
            version = user_version(conn)
            if version == 0:  # decrypts, but was never set up: not ours
                raise VaultError(_NOT_A_VAULT.format(name=DB_NAME, folder=data_dir))
            try:
                use_wal(conn, data_dir)
                migrate(conn)  # each step one transaction: a failed one leaves the last
            except sqlcipher.Error as exc:
                raise sqlerrors.vault_error("bring the vault up to this version of "
                                            "Strongroom", exc, data_dir) from None
        except BaseException:
            conn.close()
            raise
        # What a killed backup left (#20): swept at every start, not only by the
        # next backup. Copies of a backup still running elsewhere are locked.
        scratch.sweep_copies(data_dir)
        return cls(data_dir, conn, method, data_key)

    # -- locks on the data key ---------------------------------------------------
    def take_recovery_code(self) -> str | None:
        """The new vault's recovery code, once; the object forgets it."""
        code, self.recovery_code = self.recovery_code, None
        return code

    def change_passphrase(self, new: str, *, current: str | None = None) -> None:
        """Set the passphrase (change it, add one to a keychain vault, or reset it
        after opening with the recovery code). Rewrites only ``vault.keys.json``,
        atomically; the database is not touched.

        A vault opened *with its passphrase* needs it again as ``current`` (someone
        at an unlocked, unattended computer must not silently change it); the
        keychain and the recovery code were proven when the vault was opened.
        """
        new = keys.check_passphrase(new)
        with self._key_lock:
            crash.point("rewrap-begin")
            envelope, data_key = self._proven_key(current)
            kdf = keys.Argon2Params.fresh()
            wrapped = keys.wrap(data_key, keys.derive_kek(new, kdf), vault_id=envelope.vault_id,
                                method=keys.PASSPHRASE, params={"kdf": kdf.to_json()})
            crash.point("rewrap-wrapped")
            self._rewrite(envelope.with_key(wrapped))
            crash.point("rewrap-written")
        log.info("passphrase set (vault opened with %s)", self.key_method)

    def new_recovery_code(self, *, current: str | None = None) -> str:
        """Make a recovery code (for a vault that has none, or to replace one that
        was lost or seen); the old code stops working. Returned once, never stored."""
        with self._key_lock:
            envelope, data_key = self._proven_key(current)
            code = recovery.generate()
            self._rewrite(envelope.with_key(locks.wrap_recovery(data_key, code, envelope.vault_id)))
        log.info("recovery code replaced")
        return code

    def key_methods(self) -> tuple[str, ...]:
        """What opens this vault according to its key file right now."""
        return keys.read_envelope(self.path / KEYS_NAME).methods

    def _proven_key(self, current: str | None) -> tuple[keys.Envelope, bytes]:
        """The envelope and the data key, after the check ``change_passphrase`` names.
        Called with ``_key_lock`` held; the connection lock only while copying the key."""
        with self._lock:
            if self._conn is None or self._data_key is None:
                raise VaultError("The vault is closed. Open it again to continue.")
            data_key = bytes(self._data_key)
        envelope = keys.read_envelope(self.path / KEYS_NAME)
        if self.key_method == keys.PASSPHRASE:
            if current is None:
                raise PassphraseRequired("Enter the current passphrase first.")
            wrapped = envelope.wrapped_for(keys.PASSPHRASE)
            if wrapped is None:  # the key file changed under the open vault
                raise VaultError("The vault's key file changed while it was open. Close "
                                 "and reopen the vault; nothing was changed.")
            kdf = keys.Argon2Params.from_json(wrapped.params["kdf"])
            proven = keys.unwrap(wrapped, keys.derive_kek(current, kdf),
                                 vault_id=envelope.vault_id, wrong=_WRONG_CURRENT)
            if proven != data_key:
                raise VaultError("The vault's key file changed while it was open. Close "
                                 "and reopen the vault; nothing was changed.")
        return envelope, data_key

    def _rewrite(self, envelope: keys.Envelope) -> None:
        try:
            keys.write_envelope(self.path / KEYS_NAME, envelope)
        except OSError as exc:
            raise VaultError(
                f"The vault's key file could not be written ({exc.strerror or type(exc).__name__})"
                ". Check that the disk is not full; the old key file is still in place."
            ) from None

    def _forget(self) -> None:
        if self._data_key is not None:  # best effort: Python may hold other copies
            self._data_key[:] = bytes(len(self._data_key))
            self._data_key = None

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else "open"
        return f"<Vault {state} ({self.key_method})>"


# -- helpers -------------------------------------------------------------------
def _existing(data_dir: Path) -> bool:
    """True if a vault exists; ``VaultError`` if only half of one does. An
    unfinished creation (``creating``) is no vault yet: False."""
    if creating.unfinished(data_dir) is not None:
        return False
    has_db, has_keys = (data_dir / DB_NAME).exists(), (data_dir / KEYS_NAME).exists()
    if has_db and not has_keys:
        raise VaultError(
            f"The vault's key file ({KEYS_NAME}) is missing from {data_dir}, so {DB_NAME} "
            "cannot be opened. Restore the key file from a backup; nothing was changed."
        )
    if has_keys and not has_db:
        raise VaultError(
            f"The vault's database ({DB_NAME}) is missing from {data_dir}. Restore it from "
            "a backup; nothing was changed."
        )
    return has_db


class _AlreadyThere(Exception):  # noqa: N818
    """Another process created part of a vault while this one was creating it."""


def _create_empty_file(path: Path) -> None:
    """Create ``path`` empty and private; fail if anything is already there."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise _AlreadyThere from None
    os.close(fd)
    _make_private(path)


def _check_writable(data_dir: Path) -> None:
    """Refuse a read-only data folder or ``vault.db`` in words, before Argon2id.

    Opening writes (migrations, the journal beside the database), and before #20
    the start-up permission check silently made them writable again. Someone who
    made them read-only meant something by it (an archive, a copy to keep as it
    is), so it is not undone: the person is told what to do. The owner's write bit
    is read, not ``os.access``: root may write anything, but the mode still says
    what was meant.
    """
    for path, what in ((data_dir, f"The data folder {data_dir}"),
                       (data_dir / DB_NAME, f"{DB_NAME} in {data_dir}")):
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            return  # integrity.check_files says what is wrong with it
        if not (mode & stat.S_IWUSR and os.access(path, os.W_OK)):
            raise VaultError(
                f"{what} is read-only (mode {mode:04o}), and Strongroom writes to the vault "
                "when it opens it. If it was made read-only on purpose, open a copy of the "
                "vault elsewhere; otherwise make it writable again (for example: chmod u+w "
                f"\"{path}\") and try again. Nothing was changed."
            )


def _refuse_stray_side_files(data_dir: Path) -> None:
    """A journal or log with no vault beside it is not ours to use or delete (#20):
    SQLite would play it back into the new database, and undoing the failed
    creation used to delete it. So creation refuses, and says what to do."""
    for suffix in ("-journal", *integrity.SIDE_FILES):
        side = data_dir / (DB_NAME + suffix)
        if side.exists() or side.is_symlink():
            raise VaultError(
                f"{side.name} is in {data_dir} without a vault beside it (it may come from "
                "an incomplete copy of a vault). Strongroom did not create a new vault over "
                f"it. Move {side.name} out of the folder (keep it: with its vault.db and "
                f"{KEYS_NAME} it may be needed), then start again; nothing was changed."
            )


def _remove_new_db(path: Path) -> None:
    """Remove a database this process just created (empty: nothing to lose; its
    journal too, which can only be this creation's: ``_refuse_stray_side_files``)."""
    for p in [path] + [path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm")]:
        with suppress(OSError):
            p.unlink()


def _make_private(path: Path) -> None:
    if os.name == "posix":
        os.chmod(path, 0o600)
