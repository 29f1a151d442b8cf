"""Where Strongroom keeps things: one private data directory per user.

``make_private`` runs when the CLI or the window starts (and again when a vault
opens): the folder must be 0700 and the vault's files 0600. When another tool,
a copy or an archive has loosened them, it tightens them and returns what it
found, so the CLI and the window can say so. It does not refuse to start:

- the files are encrypted; loose modes expose ciphertext (and the envelope to
  offline guessing), and refusing to open would not take back a copy already
  made, only keep the person from their documents;
- unlike an SSH key, which ssh refuses when others can read it, a vault cannot
  be thrown away and re-made, and the app can repair the modes itself;
- modes are only tightened: the owner's own bits are never added, so a folder or
  file someone made read-only stays so (the vault then refuses to open, in words);
- saying what was loose lets the person judge whether anyone could have copied
  the files (the message says what a copy still needs).
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from .errors import UserError

APP_NAME = "Strongroom"
ENV_DATA_DIR = "STRONGROOM_DATA_DIR"

#: The vault's files in the data folder: vault.db (and its -journal),
#: vault.keys.json, the ``*.before-restore`` pair a restore keeps, and the
#: envelope's hidden temp file. Nothing else is touched: ``--data-dir`` may name
#: a folder that holds other things.
VAULT_FILE_PREFIXES = ("vault.", ".vault.")
DIR_MODE, FILE_MODE = 0o700, 0o600


def default_data_dir() -> Path:
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (0700 on POSIX), or take other users' access away if it
    already exists; never adds the owner's (#20: a folder made read-only stays so)."""
    try:
        path.mkdir(parents=True, mode=DIR_MODE)
        made = True
    except FileExistsError:
        made = False
    if os.name == "posix":
        os.chmod(path, DIR_MODE if made else stat.S_IMODE(path.stat().st_mode) & DIR_MODE)
    return path


@dataclass(frozen=True)
class Loose:
    """The data folder or a vault file that others could read or change."""

    path: Path
    mode: int  # the permission bits as found
    fixed: bool  # private now


def make_private(data_dir: Path) -> list[Loose]:
    """Create the data folder 0700, or bring it and the vault's files back to
    0700 / 0600; returns what was open to other users (empty: all was private).

    Modes are compared, not access: root reads everything, but a 0644 vault file
    is just as open to other users whoever runs Strongroom.
    """
    data_dir = Path(data_dir)
    try:
        if not data_dir.exists():
            ensure_private_dir(data_dir)
            return []
        if os.name != "posix":
            return []
        targets = [(data_dir, DIR_MODE)] + [
            (Path(entry.path), FILE_MODE) for entry in sorted(os.scandir(data_dir),
                                                              key=lambda e: e.name)
            if entry.name.startswith(VAULT_FILE_PREFIXES)
            and entry.is_file(follow_symlinks=False)]
    except OSError as exc:
        raise UserError(f"The data folder {data_dir} could not be used "
                        f"({exc.strerror or type(exc).__name__}). Check that it is a folder you "
                        "can write to, or choose another with --data-dir.") from None
    found = []
    for path, want in targets:  # the folder may be a symlink to another disk: followed
        mode = _mode(path)
        # Bits are only taken away, never added (#20): a folder or vault.db made
        # read-only stays read-only, and opening the vault then says so in words.
        if mode is None or mode == mode & want:
            continue
        target = mode & want
        # Not ours to change (another user's), or a disk without POSIX modes: reported.
        with contextlib.suppress(OSError):
            os.chmod(path, target)
        if mode & 0o077:
            found.append(Loose(path, mode, fixed=_mode(path) == target))
    return found


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:  # a temp file that came and went
        return None


def loose_message(data_dir: Path, found: list[Loose]) -> str:
    """What ``make_private`` found, in words for the person (the CLI and the window)."""
    def named(items: list[Loose]) -> str:
        return ", ".join(f"{'the folder' if x.path == data_dir else x.path.name} was "
                         f"{x.mode:04o}" for x in items)

    fixed = [x for x in found if x.fixed]
    stuck = [x for x in found if not x.fixed]
    text = f"Strongroom's files in {data_dir} were open to other users of this computer: "
    text += named(found) + ". "
    if fixed:
        text += (f"{'They are' if not stuck else 'Some are'} private again (folder "
                 f"{DIR_MODE:04o}, files {FILE_MODE:04o}). ")
    if stuck:
        text += (f"These could not be made private: "
                 f"{', '.join('the folder' if x.path == data_dir else x.path.name for x in stuck)}"
                 "; check that they belong to you and that the disk keeps file permissions. ")
    return text + ("Their contents are encrypted: a copy taken meanwhile still needs your "
                   "passphrase, keychain entry or recovery code to open.")
