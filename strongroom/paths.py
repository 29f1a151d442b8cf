"""Where Strongroom keeps things: one private data directory per user."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Strongroom"
ENV_DATA_DIR = "STRONGROOM_DATA_DIR"


def default_data_dir() -> Path:
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (0700 on POSIX) and tighten it if it already exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path
