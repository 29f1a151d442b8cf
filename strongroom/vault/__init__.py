"""The encrypted vault: documents, their text and fields, in one SQLCipher file.

``db`` holds the ``Vault``; ``keys`` the key envelope (wrapping, Argon2id);
``keychain`` the OS keychain allowlist and probe.
"""

from .db import Vault
from .records import DocumentRow, StoredDocument

__all__ = ["DocumentRow", "StoredDocument", "Vault"]
