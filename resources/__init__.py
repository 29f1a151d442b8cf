"""Data, not code: document schemas, prompts and sample documents."""

from importlib.resources import files
from pathlib import Path


def path(*parts: str) -> Path:
    """Filesystem path of a bundled resource."""
    return Path(str(files(__name__).joinpath(*parts)))
