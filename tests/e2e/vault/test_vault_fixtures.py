"""Vaults from every release keep opening (STYLE.md §5; issue 13: migrations).

Each fixture under tests/fixtures/vaults/ was made by the release it is named after
and is never regenerated; a test copies it to a temp dir first (opening migrates).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from strongroom.vault import Vault
from strongroom.vault.db import DB_NAME
from strongroom.vault.migrations import SCHEMA_VERSION
from tests.helpers import paths

FIXTURES = paths.FIXTURES / "vaults"
V1_PASSPHRASE = "strongroom fixture v1"


@pytest.fixture
def v1_vault(tmp_path: Path) -> Path:
    folder = tmp_path / "v1"
    shutil.copytree(FIXTURES / "v1", folder, ignore=shutil.ignore_patterns("README.md"))
    return folder


def test_v1_vault_opens_and_migrates(v1_vault: Path) -> None:
    with Vault.open(v1_vault, passphrase=V1_PASSPHRASE) as vault:
        assert vault._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = vault.list_documents()
        assert sorted((r.name, r.doc_type, r.doc_date) for r in rows) == [
            ("dental-receipt.txt", "receipt", "2024-02-14"),
            ("electricity-invoice.txt", "invoice", "2023-09-17"),
        ]
        receipt = next(r for r in rows if r.doc_type == "receipt")
        stored = vault.get(receipt.id)
        assert stored.fields["total"].normalized == "480.00"
        assert "Root canal treatment" in stored.text
        # m002_search filled the index from the documents that were already there
        assert [r.name for r in vault.search("root canal")] == ["dental-receipt.txt"]
        assert [r.name for r in vault.search("northw")] == ["electricity-invoice.txt"]
        assert [r.name for r in vault.search("INV-2023-0917")] == ["electricity-invoice.txt"]
        assert [r.name for r in vault.search("480.00", doc_type="receipt",
                                             date_from="2024")] == ["dental-receipt.txt"]
        vault.delete(receipt.id)
        assert vault.search("root canal") == []
    with Vault.open(v1_vault, passphrase=V1_PASSPHRASE) as vault:  # opens again, already v2
        assert [r.name for r in vault.list_documents()] == ["electricity-invoice.txt"]
    assert (v1_vault / DB_NAME).exists()


def test_v1_vault_has_no_recovery_code_and_opening_adds_none(v1_vault: Path) -> None:
    """Decision (issue 13): opening never writes the key file, so a vault made before
    recovery codes stays as it is; a code is added only when asked for
    (``new_recovery_code``: ``strongroom recovery-code``)."""
    from strongroom.errors import KeyUnavailable
    from strongroom.vault import keys
    from strongroom.vault.db import KEYS_NAME

    envelope_bytes = (v1_vault / KEYS_NAME).read_bytes()
    assert Vault.unlock_methods(v1_vault) == ("passphrase",)
    with pytest.raises(KeyUnavailable, match="has no recovery code"):
        Vault.open(v1_vault, recovery_code="0000-0000-0000-0000-0000-0000-0000")
    with Vault.open(v1_vault, passphrase=V1_PASSPHRASE) as vault:
        assert vault.recovery_code is None
    assert (v1_vault / KEYS_NAME).read_bytes() == envelope_bytes
    with Vault.open(v1_vault, passphrase=V1_PASSPHRASE) as vault:
        code = vault.new_recovery_code(current=V1_PASSPHRASE)
    env = keys.read_envelope(v1_vault / KEYS_NAME)
    assert env.methods == ("passphrase", "recovery")
    with Vault.open(v1_vault, recovery_code=code) as vault:
        assert len(vault.list_documents()) == 2


def test_v2_vault_opens_migrates_and_takes_reviews(tmp_path: Path) -> None:
    """A vault made before review statuses (schema 2): opening adds ``status``,
    ``note`` and ``labels`` (m003_review); old fields stay unassessed (None, never a
    made-up "grounded"); search still finds everything; a correction works on it."""
    folder = tmp_path / "v2"
    shutil.copytree(FIXTURES / "v2", folder, ignore=shutil.ignore_patterns("README.md"))
    with Vault.open(folder, passphrase="strongroom fixture v2") as vault:
        assert vault._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = {r.name: r for r in vault.list_documents()}
        assert sorted(rows) == ["dental-receipt.txt", "electricity-invoice.txt"]
        assert not any(r.needs_review for r in rows.values())
        receipt = vault.get(rows["dental-receipt.txt"].id)
        assert receipt.fields["total"].normalized == "480.00"
        assert {fv.status for fv in receipt.fields.values()} == {None}
        assert [r.name for r in vault.search("root canal")] == ["dental-receipt.txt"]
        at = receipt.text.index("Root canal treatment")
        vault.correct_field(receipt.id, "merchant", at, at + len("Root canal treatment"))
        assert [r.name for r in vault.search("treatment", doc_type="receipt")] == [
            "dental-receipt.txt"]
        assert [lb.value for lb in vault.labels()] == ["Root canal treatment"]


def test_v3_vault_opens_migrates_and_keeps_reviews(tmp_path: Path) -> None:
    """A vault made before type confidences (schema 3): opening adds the column
    (m004_type_confidence); old documents say "not measured" (None, never a made-up
    number); their review statuses and labels stay; new documents keep theirs."""
    from tests.helpers.vault import make_doc, make_extraction

    folder = tmp_path / "v3"
    shutil.copytree(FIXTURES / "v3", folder, ignore=shutil.ignore_patterns("README.md"))
    with Vault.open(folder, passphrase="strongroom fixture v3") as vault:
        assert vault._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = {r.name: r for r in vault.list_documents()}
        assert sorted(rows) == ["dental-receipt.txt", "electricity-invoice.txt"]
        receipt = vault.get(rows["dental-receipt.txt"].id)
        invoice = vault.get(rows["electricity-invoice.txt"].id)
        assert receipt.type_confidence is None and invoice.type_confidence is None
        assert receipt.fields["total"].status == "verified"
        assert invoice.fields["total"].status == "verified"  # confirmed by the person
        assert [lb.value for lb in vault.labels()] == ["96.40"]
        assert [r.name for r in vault.search("root canal")] == ["dental-receipt.txt"]
        new = vault.add_document(make_doc(text="Invoice 42 dated 2024-03-05. Total 12.50 EUR"),
                                 make_extraction())
        assert vault.get(new).type_confidence == 0.8731


def test_v4_vault_opens_and_links_new_attachments(tmp_path: Path) -> None:
    """A vault made before documents had a parent (schema 4): opening adds the link
    (m006_parent); old documents came in no e-mail (None); a new attachment keeps its
    message's id, and deleting the message keeps the attachment, unlinked."""
    from tests.helpers.vault import make_doc, make_extraction

    folder = tmp_path / "v4"
    shutil.copytree(FIXTURES / "v4", folder, ignore=shutil.ignore_patterns("README.md"))
    with Vault.open(folder, passphrase="strongroom fixture v4") as vault:
        assert vault._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = {r.name: r for r in vault.list_documents()}
        assert sorted(rows) == ["dental-receipt.txt", "electricity-invoice.txt"]
        receipt = vault.get(rows["dental-receipt.txt"].id)
        assert receipt.parent_id is None and receipt.type_confidence == 0.93
        assert receipt.warnings == ()  # m007: no document read before it is warned of
        assert receipt.fields["total"].normalized == "480.00"
        assert [r.name for r in vault.search("northwind")] == ["electricity-invoice.txt"]
        message = vault.add_document(make_doc("bill.eml", "From: a\n\nSee the attached bill.",
                                              kind="email"), make_extraction())
        attachment = vault.add_document(make_doc("bill.txt", "Bill 7, total 12.50 EUR"),
                                        make_extraction(), parent_id=message)
        assert vault.get(attachment).parent_id == message
        vault.delete(message)
        assert vault.get(attachment).parent_id is None
    with Vault.open(folder, passphrase="strongroom fixture v4") as vault:
        assert len(vault.list_documents()) == 3
