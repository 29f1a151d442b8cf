"""Writing a new file the person asked for (an export, a backup): all or nothing, private.

The bytes go to a temp file beside the destination (0600 from the start, so no
other user can open it even while it is being written), are fsynced, and only
then take the destination's name. Without ``force`` the name is taken with
``os.link``, which fails if anything is there: an existing file is never
overwritten, even if it appears while writing. A failure leaves no temp file;
a crash can, and the next write to the same destination removes it.
"""

from __future__ import annotations

import errno
import glob
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .errors import UserError


def exists_message(dest: Path) -> str:
    return f"{dest} already exists. Choose another name, or add --force to replace it."


def write_new_file(dest: Path, write: Callable[[BinaryIO], None], *, force: bool = False) -> None:
    """Create ``dest`` (0600) with what ``write`` writes to the file object it is given."""
    dest = Path(dest)
    if dest.is_dir():
        raise UserError(f"{dest} is a folder. Give a file name.")
    if not force and os.path.lexists(dest):
        raise UserError(exists_message(dest))
    folder = dest.parent
    if not folder.is_dir():
        raise UserError(f"The folder {folder} does not exist. Nothing was written.")
    for stale in folder.glob(f".{glob.escape(dest.name)}.{'?' * 12}.tmp"):  # a killed writer's
        stale.unlink(missing_ok=True)
    tmp = folder / f".{dest.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)
    except OSError as exc:
        raise UserError(f"Could not write in {folder} ({exc.strerror or exc}). "
                        "Nothing was written.") from None
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        if os.name == "posix":
            os.chmod(tmp, 0o600)
        if force:
            os.replace(tmp, dest)
        else:
            _link_new(tmp, dest)
            tmp.unlink(missing_ok=True)  # the second name; dest keeps the file
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, FileExistsError):
            raise UserError(exists_message(dest)) from None
        raise UserError(f"Could not write {dest} ({exc.strerror or type(exc).__name__}). "
                        "Check that the disk is not full; nothing was written.") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(folder)


def _link_new(tmp: Path, dest: Path) -> None:
    """Give ``tmp`` the name ``dest`` only if nothing has it (``FileExistsError`` else)."""
    try:
        os.link(tmp, dest)
    except OSError as exc:
        # Some file systems (FAT, a few network shares) have no hard links:
        # check and rename there, with a race window only on those.
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                             errno.EMLINK, errno.ENOSYS):
            raise
        if os.path.lexists(dest):
            raise FileExistsError(errno.EEXIST, "exists", str(dest)) from None
        os.rename(tmp, dest)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
