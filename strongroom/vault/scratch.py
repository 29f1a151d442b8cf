"""Scratch files the vault makes in the data folder, and sweeping what a kill left.

A backup first copies the database (``VACUUM INTO``, still encrypted) to a hidden
``.backup-<hex>.db`` in the data folder (private, same disk, never plaintext).
Before #20 a killed backup left that full copy there until the next backup, which
might never come: a whole copy of the vault, documents deleted since included. Now
each copy is locked while its backup runs, and every open of the vault (a start)
sweeps the copies whose lock is free: their writer is gone. A backup running in
another process (the window while the command line starts) keeps its lock, and its
copy is left alone.

``flock`` locks belong to the open file and go when the process dies, however it
dies. Windows has no ``flock``; there a live copy cannot be deleted while it is
open, and the sweep leaves whatever it cannot delete.
"""

from __future__ import annotations

import logging
import os
import secrets
from contextlib import suppress
from pathlib import Path

log = logging.getLogger("strongroom.vault")

COPY_PREFIX = ".backup-"


class Busy(Exception):  # noqa: N818 - a state
    """Another process holds the lock."""


def lock(fd: int, *, wait: bool = True) -> None:
    """An exclusive ``flock`` on ``fd`` (none where there is no ``fcntl``); ``Busy``
    when ``wait`` is False and another open file holds it."""
    try:
        import fcntl
    except ImportError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        raise Busy from None


def new_copy(data_dir: Path) -> tuple[Path, int]:
    """A new, empty, private copy file in ``data_dir`` and its descriptor, locked
    (``VACUUM INTO`` accepts an empty file). Close the descriptor after removing
    the file."""
    path = data_dir / f"{COPY_PREFIX}{secrets.token_hex(6)}.db"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        lock(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    return path, fd


def sweep_copies(data_dir: Path) -> int:
    """Remove the backup copies whose backup is no longer running; how many."""
    removed = 0
    for stale in Path(data_dir).glob(f"{COPY_PREFIX}*.db"):
        try:
            fd = os.open(stale, os.O_RDONLY)
        except OSError:
            continue  # gone meanwhile, or not ours to read
        try:
            lock(fd, wait=False)
        except Busy:
            os.close(fd)
            continue  # a backup in another process is using it
        if os.name != "posix":
            os.close(fd)  # Windows deletes no open file
        with suppress(OSError):
            stale.unlink()
            stale.with_name(stale.name + "-journal").unlink(missing_ok=True)
            removed += 1
        if os.name == "posix":
            os.close(fd)  # after the unlink: no other sweeper takes it meanwhile
    if removed:
        log.info("removed %d backup copies a stopped backup left", removed)
    return removed
