"""Creating a vault so that a kill at any moment leaves a whole vault or none (#20).

Before #20, ``Vault.create`` wrote ``vault.db``, ran the migrations, and only then
wrote ``vault.keys.json``: a kill in that gap (0-29 ms, 9 of 111 probe kills) left a
folder where every later start said "the vault's key file is missing ... restore it
from a backup", a file that never existed; the person could never start.

The protocol, each step durable (fsync of the file and of the folder) before the next:

1. ``.vault-creating`` is written: the new vault's id, nothing secret.
2. ``vault.keys.json`` (atomic, ``keys.write_envelope``).
3. ``vault.db`` (created with O_EXCL, so never over another file), migrated.
4. ``.vault-creating`` is removed: the commit point. Only now does ``create``
   return the vault, so only now can a document be added to it.

So while the marker exists the vault holds no document by construction, and its
recovery code has not been shown yet. ``unfinished`` recognises that state and
``discard`` clears it (a "fresh start": ``Vault.create`` does it, and says so), and
only when what is there is what step 1-3 made: a key file naming another vault, or
a database without the key file step 2 writes first, is left alone and refused.
Why a marker rather than building in a folder beside the data folder and renaming it
into place: the data folder also holds the model (``models/``) and may be a folder
the person chose with other things in it, so it cannot be replaced as a whole, and
two files cannot be renamed into place in one step.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import VaultError
from . import crash, keychain, keys, scratch

log = logging.getLogger("strongroom.vault")

MARKER_NAME = ".vault-creating"
DB_NAME = "vault.db"
KEYS_NAME = "vault.keys.json"
#: What an unfinished creation may have left, removed by ``discard`` (only these
#: names, and the envelope writer's temp files: nothing else in the folder is ours).
_MADE = (DB_NAME, DB_NAME + "-journal", DB_NAME + "-wal", DB_NAME + "-shm", KEYS_NAME)
_VAULT_ID = re.compile(r"[0-9a-f]{32}")

_NOT_OURS = (
    "A vault was being created in {folder} when Strongroom was stopped, but {what}, so "
    "Strongroom did not clear it. Move the vault's files (vault.*, .vault-creating) out "
    "of the folder, keep them, and start again; nothing was changed."
)


@dataclass(frozen=True)
class Unfinished:
    """What an interrupted creation left in a data folder."""

    folder: Path
    vault_id: str | None  # None: killed while the marker itself was written


def begin(data_dir: Path, vault_id: str) -> int:
    """Step 1: the marker, durable before any vault file exists; ``FileExistsError``
    if there is one already. Returns its descriptor, locked for as long as this
    creation runs (the kernel drops the lock when the process dies, however it
    dies): ``discard`` never clears a creation that is still going on."""
    path = data_dir / MARKER_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        scratch.lock(fd)
        os.write(fd, json.dumps({"vault_id": vault_id}).encode("ascii"))
        os.fsync(fd)
        keys.fsync_dir(data_dir)
    except BaseException:
        end(data_dir, fd)
        raise
    crash.point("create-marked")
    return fd


def finish(data_dir: Path, fd: int) -> None:
    """Step 4, the commit point: the marker goes, the vault is whole."""
    keys.fsync_dir(data_dir)  # the database's and key file's names first
    crash.point("create-files-synced")
    end(data_dir, fd)
    keys.fsync_dir(data_dir)
    crash.point("create-finished")


def end(data_dir: Path, fd: int) -> None:
    """Remove the marker and let go of it (a finished or an undone creation). On
    POSIX the name goes while the lock is held, so no other process can take the
    marker for an abandoned one in between; Windows cannot delete an open file."""
    if os.name == "posix":
        try:
            (data_dir / MARKER_NAME).unlink(missing_ok=True)
        finally:
            os.close(fd)
    else:
        os.close(fd)
        (data_dir / MARKER_NAME).unlink(missing_ok=True)


def unfinished(data_dir: Path) -> Unfinished | None:
    """The interrupted creation in ``data_dir``, or None when there is none."""
    path = Path(data_dir) / MARKER_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise VaultError(f"{MARKER_NAME} in {data_dir} could not be read "
                         f"({exc.strerror or type(exc).__name__}). Check the folder's "
                         "permissions; nothing was changed.") from None
    try:
        vault_id = json.loads(raw.decode("ascii")).get("vault_id")
    except (UnicodeDecodeError, ValueError, AttributeError):
        vault_id = None  # cut short by the kill: still ours (made with O_EXCL, 0600)
    if not (isinstance(vault_id, str) and _VAULT_ID.fullmatch(vault_id)):
        vault_id = None
    return Unfinished(Path(data_dir), vault_id)


def discard(left: Unfinished) -> None:
    """Remove what the interrupted creation made, after checking it is only that:
    the key file (if written) names the marker's vault, and a database exists only
    beside it (step 3 comes after step 2). Anything else is refused untouched."""
    folder = left.folder
    try:
        fd = os.open(folder / MARKER_NAME, os.O_RDONLY)
    except FileNotFoundError:  # finished (or cleared) meanwhile
        return
    try:
        try:
            scratch.lock(fd, wait=False)
        except scratch.Busy:
            raise VaultError(f"A vault is being created in {folder} by another Strongroom "
                             "right now. Wait until it is ready and try again; nothing was "
                             "changed.") from None
        _discard(left)
    except BaseException:
        os.close(fd)
        raise
    end(folder, fd)  # last: until here, the folder is still recognised as unfinished
    keys.fsync_dir(folder)
    log.info("an unfinished vault creation was cleared (it held no document)")


def _discard(left: Unfinished) -> None:
    folder = left.folder
    has_keys, has_db = (folder / KEYS_NAME).exists(), (folder / DB_NAME).exists()
    if has_db and not has_keys:
        raise VaultError(_NOT_OURS.format(folder=folder, what=f"{DB_NAME} is there without "
                                          f"its key file"))
    envelope = None
    if has_keys:
        try:
            envelope = keys.read_envelope(folder / KEYS_NAME)
        except VaultError:
            envelope = None  # a half-written key file is never in place (atomic writer)
        if envelope is None or left.vault_id is None or envelope.vault_id != left.vault_id:
            raise VaultError(_NOT_OURS.format(folder=folder, what=f"{KEYS_NAME} belongs to "
                                              "another vault"))
    if envelope is not None:  # the new vault's keychain entry, if it has one
        by_keychain = envelope.wrapped_for(keys.KEYCHAIN)
        if by_keychain is not None:
            backend = keychain.find_backend(by_keychain.params["backend"])
            if backend is not None:
                keychain.delete_secret(backend, by_keychain.params["service"],
                                       envelope.vault_id)
    for name in _MADE:
        (folder / name).unlink(missing_ok=True)
    keys.remove_stale_temps(folder / KEYS_NAME)
    keys.fsync_dir(folder)
