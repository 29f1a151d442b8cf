"""The encrypted vault: documents, their text and fields, in one SQLCipher file.

``db`` holds the ``Vault``; ``keys`` the key envelope (wrapping, Argon2id);
``keychain`` the OS keychain allowlist and probe; ``unlock`` the one unlock policy.

``Vault`` and the records are loaded on first use (PEP 562), so that importing a
light module of this package (``unlock``'s variable names, for the command line's
help) does not load SQLCipher.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .db import Vault
    from .records import DocumentRow, StoredDocument

__all__ = ["DocumentRow", "StoredDocument", "Vault"]


def __getattr__(name: str) -> Any:
    if name == "Vault":
        from .db import Vault

        return Vault
    if name in ("DocumentRow", "StoredDocument"):
        from . import records

        return getattr(records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
