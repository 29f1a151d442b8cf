"""What a SQLite error during vault work means, in words a person can act on.

A full disk is the one failure people can fix themselves, so it gets its own
message. SQLite reports it as ``SQLITE_FULL`` only when the file system says
ENOSPC or a write comes up short; a write refused outright at a file size limit
(EFBIG, ``ulimit -f``) or a quota (EDQUOT) arrives as a plain ``SQLITE_IOERR``,
like a failing disk, and the errno is not passed up to Python. So an I/O error
is called a full disk only when the folder shows it: little free space, or
``vault.db`` near the file size limit. Either way the transaction was rolled back
(at once, or from the journal at the next open): what was committed before is
still there, which the kill tests check (tests/e2e/vault/test_vault_crash.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import DiskFull, VaultError

SQLITE_IOERR = 10
SQLITE_FULL = 13
#: A write that fails with less room than this left was refused for lack of room:
#: one document may hold a 50 MB original and its text (reading/limits.py).
ROOM_NEEDED = 256 * 1024 * 1024


def vault_error(action: str, exc: BaseException, folder: Path) -> VaultError:
    """The ``VaultError`` for ``exc``, raised while trying to ``action`` in the
    vault in ``folder``. SQLite's own text ("database or disk is full", "disk I/O
    error") is left out: only the error's class is named, and only when the cause
    is not a full disk."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == SQLITE_FULL or (primary == SQLITE_IOERR and out_of_room(folder)):
        return DiskFull(
            f"The disk is full (or a size limit was reached), so Strongroom could not "
            f"{action}. Nothing already in the vault was lost; free some space and try again."
        )
    return VaultError(
        f"Could not {action} ({type(exc).__name__}). Check that the disk is not "
        "full; the vault was left as it was before."
    )


def out_of_room(folder: Path) -> bool:
    """Little free space on ``folder``'s file system, or its largest file within
    ``ROOM_NEEDED`` of this process's file size limit."""
    try:
        st = os.statvfs(folder)
        if st.f_bavail * st.f_frsize < ROOM_NEEDED:
            return True
        largest = max((p.stat().st_size for p in Path(folder).iterdir() if p.is_file()),
                      default=0)
    except OSError:
        return False
    try:
        import resource
    except ImportError:  # Windows: no file size limits
        return False
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return soft != resource.RLIM_INFINITY and largest + ROOM_NEEDED > soft
