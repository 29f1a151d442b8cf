"""The window tests' ``FakeVault`` stands in for an open vault: it satisfies
``OpenVault`` (names and parameters, by the vault tests' ``protocol_gaps``) and its search
filters like one."""

from __future__ import annotations

import pytest

from strongroom.reading.base import Document
from strongroom.vault.protocol import OpenVault
from tests.helpers.desktop import RECEIPT, FakeVault, extract
from tests.unit.vault.test_vault_protocol import protocol_gaps


def test_the_fake_vault_is_an_open_vault() -> None:
    assert protocol_gaps(FakeVault) == []
    assert isinstance(FakeVault(), OpenVault)


def add(vault: FakeVault, name: str, text: str) -> int:
    doc = Document(name=name, kind="text", text=text, data=text.encode())
    return vault.add_document(doc, extract(text))


def test_search_filters_the_rows_in_memory() -> None:
    vault = FakeVault()
    receipt = add(vault, "receipt.txt", RECEIPT)
    note = add(vault, "note.txt", "Call the plumber on Monday.")
    assert [r.id for r in vault.search("")] == [note, receipt]
    assert [r.id for r in vault.search("IBUPROFEN high")] == [receipt]
    assert [r.id for r in vault.search("plumber")] == [note]
    assert [r.id for r in vault.search("pharmacy receipt")] == [note, receipt]  # summaries
    assert vault.search("ibuprofen plumber") == []
    assert vault.search("plumber", date_from="2024-01-01") == []  # the note has no date
    assert [r.id for r in vault.search("", date_to="2024-03-05")] == [receipt]
    assert [r.id for r in vault.search("", limit=1)] == [note]
    assert vault.original_bytes(note) == b"Call the plumber on Monday."
    with pytest.raises(NotImplementedError, match="real Vault"):
        vault.change_passphrase("a new one")
