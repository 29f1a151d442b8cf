"""``OpenVault``: what the window, the command line and the job queue use of an open
vault, as one typed interface (#20).

``db.Vault`` satisfies it (checked by mypy below); so must a test's stand-in (the
window's tests' ``FakeVault``: ``tests/unit/vault/test_vault_protocol.py`` shows how to
check one). Finding, creating and opening a vault are not here: they are
``db.Vault``'s class methods and ``unlock``'s policy, called before there is an
open vault to pass around.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..reading.base import Document
from ..understanding.personal import Label
from ..understanding.result import Extraction
from .records import DocumentRow, StoredDocument


@runtime_checkable
class OpenVault(Protocol):
    """An open vault: its documents, and the locks on its key."""

    path: Path  # the data folder
    key_method: str  # what opened it: "keychain" | "passphrase" | "recovery"

    # -- documents (``store.DocumentStore``)
    def find_by_sha256(self, sha256: str) -> int | None: ...

    def add_document(self, doc: Document, extraction: Extraction, *,
                     parent_id: int | None = None) -> int: ...

    def list_documents(self) -> list[DocumentRow]: ...

    def search(self, query: str, *, doc_type: str | None = None, date_from: str | None = None,
               date_to: str | None = None, needs_review: bool = False, limit: int = 200
               ) -> list[DocumentRow]: ...

    def get(self, doc_id: int) -> StoredDocument: ...

    def confirm_field(self, doc_id: int, name: str) -> None: ...

    def correct_field(self, doc_id: int, name: str, start: int, end: int) -> str: ...

    def labels(self) -> list[Label]: ...

    def original_bytes(self, doc_id: int) -> bytes: ...

    def page_pictures(self, doc_id: int) -> dict[int, bytes]: ...

    def word_boxes(self, doc_id: int) -> tuple[tuple[int, int, int, float, float, float, float],
                                               ...]: ...

    def delete(self, doc_id: int) -> None: ...

    def compact(self) -> tuple[int, int]: ...

    def close(self) -> None: ...

    # -- the locks on its key (``db.Vault``)
    def key_methods(self) -> tuple[str, ...]: ...

    def take_recovery_code(self) -> str | None: ...

    def change_passphrase(self, new: str, *, current: str | None = None) -> None: ...

    def new_recovery_code(self, *, current: str | None = None) -> str: ...


if TYPE_CHECKING:
    from .db import Vault

    def _vault_is_an_open_vault(vault: Vault) -> OpenVault:
        return vault  # mypy checks every signature above against db.Vault's
