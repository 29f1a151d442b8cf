"""From paths the person picked to file bytes in memory.

Each file is read once, whole, into memory: the readers never touch the disk
again, so a file changed mid-run cannot be half old and half new, and no
temporary copy of a document is ever made.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import ReadError
from . import limits, messages

_HIDDEN_ATTRIBUTE = 0x2  # Windows FILE_ATTRIBUTE_HIDDEN


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the files in each folder, without repeats.

    A folder is walked depth first, entries by name (case-insensitively), so a
    batch always runs in the same order. Hidden entries (dot names, Windows'
    hidden attribute) and Office lock files (``~$...``) in folders are skipped;
    symlinked folders are followed, but none twice, so link loops end. Anything
    that is not a folder passes through as given (even a path that does not
    exist, a pipe, a device or a link that loops): ``read_path`` then explains
    what is wrong with it, so nothing in a dropped folder is skipped unsaid.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    visited: set[tuple[int, int]] = set()
    for path in map(Path, paths):
        for item in _walk(path, visited) if _is_dir(path) else (path,):
            if item not in seen:
                seen.add(item)
                found.append(item)
    return found


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # e.g. inside a folder we may not enter: read_path reports it
        return False


def _walk(root: Path, visited: set[tuple[int, int]]) -> Iterator[Path]:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: (e.name.casefold(), e.name))
        except OSError:  # unreadable folder: read_path reports it
            yield folder
            continue
        key = (info.st_dev, info.st_ino)
        if info.st_ino and key in visited:
            continue
        visited.add(key)
        subfolders = []
        for entry in entries:
            if _hidden(entry):
                continue
            try:
                folder_entry = entry.is_dir()
            except OSError:  # a link that loops: read_path says so
                folder_entry = False
            if folder_entry:
                subfolders.append(Path(entry.path))
            else:  # files, and pipes, sockets, devices, broken links: read_path refuses them
                yield Path(entry.path)
        # Depth first: files of this folder, then each subfolder in name order.
        stack.extend(reversed(subfolders))


def _hidden(entry: os.DirEntry[str]) -> bool:
    if entry.name.startswith((".", "~$")):
        return True
    try:
        attributes = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & _HIDDEN_ATTRIBUTE)


def file_name(path: Path) -> str:
    """The name a document is stored and shown under: a name that is not UTF-8 keeps
    its bytes spelled out ("bad\\xff.txt"), since the vault stores text and no
    terminal prints the file system's surrogate escapes."""
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def load(path: Path) -> bytes:
    """The bytes of the regular file at ``path``, read once; ``ReadError`` otherwise."""
    _refuse_special(path)  # a pipe or a device is never opened (a tape would rewind)
    # O_NONBLOCK: a file swapped for a named pipe meanwhile must not hang the batch.
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ReadError(messages.NOT_FOUND) from None
    except IsADirectoryError:
        raise ReadError(messages.FOLDER) from None
    except PermissionError:
        raise ReadError(messages.NO_PERMISSION) from None
    except OSError:
        raise ReadError(messages.UNREADABLE) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ReadError(messages.FOLDER)
        if not stat.S_ISREG(mode):
            raise ReadError(messages.NOT_REGULAR)
        data = _read_fd(fd, limits.MAX_FILE_BYTES + 1)
    except OSError:
        raise ReadError(messages.UNREADABLE) from None
    finally:
        os.close(fd)
    if len(data) > limits.MAX_FILE_BYTES:
        raise ReadError(messages.TOO_LARGE)
    return data


def _refuse_special(path: Path) -> None:
    """``ReadError`` for anything at ``path`` that is not a regular file; errors
    other than a loop are left to ``os.open``, which words them."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadError(messages.LINK_LOOP) from None
        return
    if stat.S_ISDIR(mode):
        raise ReadError(messages.FOLDER)
    if not stat.S_ISREG(mode):
        raise ReadError(messages.NOT_REGULAR)


def _read_fd(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes from ``fd`` (which stays open)."""
    with open(fd, "rb", closefd=False) as file:
        return file.read(limit)
