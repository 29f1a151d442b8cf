"""The vault stores documents encrypted and gives them back unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from pathlib import Path

import pytest

from strongroom.errors import VaultError
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault import DocumentRow, StoredDocument, Vault, keys
from strongroom.vault.db import DB_NAME, KEYS_NAME, PLAIN_SQLITE_HEADER
from tests.helpers.vault import make_doc, make_extraction

PW = "correct horse battery staple"


def test_round_trip_create_add_list_get_reopen(data_dir: Path) -> None:
    text = "Page one text.\fPage two: invoice dated 2024-03-05, total 12.50 EUR"
    doc = make_doc(name="Scan 2024.pdf", text=text, data=b"%PDF-1.7 fake bytes \x00\xff",
                   kind="pdf", page_starts=(0, 15))
    extraction = make_extraction(text)
    assert Vault.unlock_method(data_dir) is None
    with Vault.create(data_dir, passphrase=PW) as vault:
        assert vault.key_method == "passphrase"
        assert vault.path == data_dir
        doc_id = vault.add_document(doc, extraction)

    assert Vault.unlock_method(data_dir) == "passphrase"
    with Vault.open(data_dir, passphrase=PW) as vault:
        rows = vault.list_documents()
        assert rows == [DocumentRow(id=doc_id, name="Scan 2024.pdf", kind="pdf",
                                    doc_type="invoice", doc_date="2024-03-05",
                                    added_at=rows[0].added_at, summary="An invoice.")]
        assert rows[0].added_at.endswith("+00:00")
        stored = vault.get(doc_id)
        assert isinstance(stored, StoredDocument)
        assert stored.text == text and stored.name == "Scan 2024.pdf"
        assert stored.page_starts == (0, 15)
        assert stored.summary_source == "model" and stored.doc_type == "invoice"
        assert stored.type_confidence == 0.8731
        assert stored.fields == extraction.fields
        assert list(stored.fields) == list(extraction.fields)  # schema order kept
        assert stored.size == len(doc.data)
        assert vault.original_bytes(doc_id) == doc.data
        assert stored.sha256 == hashlib.sha256(doc.data).hexdigest()


def test_open_or_create(data_dir: Path) -> None:
    with Vault.open_or_create(data_dir, passphrase=PW) as vault:
        doc_id = vault.add_document(make_doc(), make_extraction())
    with Vault.open_or_create(data_dir, passphrase=PW) as vault:
        assert vault.get(doc_id).name == "letter.txt"


def test_file_is_encrypted_and_canary_never_on_disk(data_dir: Path) -> None:
    canary = "CANARY-7f3a9c-Zebrafish"
    text = f"Patient {canary} was seen on 2024-03-05."
    doc = make_doc(name=f"{canary}.txt", text=text, data=text.encode())
    fields = {"patient": FieldValue(canary, canary.lower(), (8, 8 + len(canary)))}
    with Vault.create(data_dir, passphrase=PW) as vault:
        doc_id = vault.add_document(doc, Extraction("medical", f"About {canary}.", fields=fields))
        assert vault.get(doc_id).fields["patient"].value == canary
    with Vault.open(data_dir, passphrase=PW) as vault:  # reading must not spill either
        vault.list_documents()
        vault.get(doc_id)
    files = sorted(p for p in data_dir.rglob("*") if p.is_file())
    assert [p.name for p in files] == [DB_NAME, KEYS_NAME]  # no -journal/-wal/temp left
    header = (data_dir / DB_NAME).read_bytes()[:16]
    assert header != PLAIN_SQLITE_HEADER
    needles = [canary.encode(), canary.encode("utf-16-le"), canary.lower().encode()]
    for path in files:
        blob = path.read_bytes()
        for needle in needles:
            assert needle not in blob, f"canary found in {path.name}"


def test_header_is_never_plain_sqlite_even_when_empty(data_dir: Path) -> None:
    Vault.create(data_dir, passphrase=PW).close()
    assert (data_dir / DB_NAME).read_bytes()[:16] != PLAIN_SQLITE_HEADER


def test_duplicate_sha256(data_dir: Path) -> None:
    doc = make_doc()
    sha = hashlib.sha256(doc.data).hexdigest()
    with Vault.create(data_dir, passphrase=PW) as vault:
        assert vault.find_by_sha256(sha) is None
        doc_id = vault.add_document(doc, make_extraction())
        assert vault.find_by_sha256(sha) == doc_id
        assert vault.add_document(doc, make_extraction()) == doc_id  # same bytes, same doc
        assert len(vault.list_documents()) == 1


def test_list_is_newest_first_and_doc_date(data_dir: Path) -> None:
    with Vault.create(data_dir, passphrase=PW) as vault:
        a = vault.add_document(make_doc(text="a"), Extraction("letter", "A."))
        b = vault.add_document(
            make_doc(text="b 2023-01-02"),
            Extraction("receipt", "B.", fields={"date": FieldValue("2023-01-02", "2023-01-02",
                                                                    (2, 12))},
                       doc_date="2023-01-02"))
        rows = vault.list_documents()
    assert [r.id for r in rows] == [b, a]
    assert [r.doc_date for r in rows] == ["2023-01-02", None]


def test_delete(data_dir: Path) -> None:
    with Vault.create(data_dir, passphrase=PW) as vault:
        keep = vault.add_document(make_doc(text="keep"), make_extraction("keep"))
        gone = vault.add_document(make_doc(text="gone"), make_extraction("gone"))
        vault.delete(gone)
        assert [r.id for r in vault.list_documents()] == [keep]
        with pytest.raises(VaultError, match=f"No document with id {gone}."):
            vault.get(gone)
        with pytest.raises(VaultError, match=f"No document with id {gone}."):
            vault.original_bytes(gone)
        with pytest.raises(VaultError, match=f"No document with id {gone}."):
            vault.delete(gone)
        # fields and original went with it (foreign keys cascade)
        conn = vault._conn
        left = conn.execute("SELECT count(*) FROM fields WHERE doc_id = ?", (gone,)).fetchone()
        assert left[0] == 0
        assert conn.execute("SELECT count(*) FROM originals").fetchone()[0] == 1


def test_document_and_fields_commit_together(data_dir: Path) -> None:
    bad = {"x": FieldValue("v", "v", (0, 1), score=object())}  # type: ignore[arg-type]
    with Vault.create(data_dir, passphrase=PW) as vault:
        with pytest.raises(VaultError, match="Could not save the document"):
            vault.add_document(make_doc(), Extraction("letter", "S.", fields=bad))
        assert vault.list_documents() == []
        assert vault._conn.execute("SELECT count(*) FROM originals").fetchone()[0] == 0
        assert vault.add_document(make_doc(), make_extraction()) > 0  # still usable


def test_closed_vault_refuses(data_dir: Path) -> None:
    vault = Vault.create(data_dir, passphrase=PW)
    vault.close()
    vault.close()  # twice is fine
    with pytest.raises(VaultError, match="closed"):
        vault.list_documents()


def test_threads_writer_and_reader(data_dir: Path) -> None:
    vault = Vault.create(data_dir, passphrase=PW)
    errors: list[BaseException] = []
    done = threading.Event()
    n = 40

    def writer() -> None:
        try:
            for i in range(n):
                vault.add_document(make_doc(name=f"d{i}.txt", text=f"doc {i}"),
                                   make_extraction(f"doc {i}"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    def reader() -> None:
        try:
            while not done.is_set():
                for row in vault.list_documents():
                    assert vault.get(row.id).name == row.name
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer), threading.Thread(target=reader),
               threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    vault.close()
    assert not errors
    with Vault.open(data_dir, passphrase=PW) as vault:
        assert len(vault.list_documents()) == n


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_permissions(data_dir: Path) -> None:
    Vault.create(data_dir, passphrase=PW).close()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / DB_NAME).stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / KEYS_NAME).stat().st_mode) == 0o600
    # loosened by a copy: tightened again once the right key opened it
    os.chmod(data_dir, 0o755)
    os.chmod(data_dir / DB_NAME, 0o644)
    os.chmod(data_dir / KEYS_NAME, 0o644)
    Vault.open(data_dir, passphrase=PW).close()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / DB_NAME).stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / KEYS_NAME).stat().st_mode) == 0o600


def test_envelope_contents(data_dir: Path) -> None:
    Vault.create(data_dir, passphrase=PW).close()
    env = json.loads((data_dir / KEYS_NAME).read_text())
    assert env["format"] == "strongroom-vault-keys" and env["version"] == 1
    wrapped, by_code = env["keys"]
    assert wrapped["method"] == "passphrase" and wrapped["alg"] == "AES-256-GCM"
    assert by_code["method"] == "recovery" and by_code["alg"] == "AES-256-GCM"
    assert PW not in (data_dir / KEYS_NAME).read_text()


def test_passphrase_is_nfc_normalised(data_dir: Path) -> None:
    Vault.create(data_dir, passphrase="caf\u00e9 au lait").close()  # composed é
    Vault.open(data_dir, passphrase="cafe\u0301 au lait").close()  # decomposed e + accent


@pytest.mark.parametrize(
    ("seconds_at_floor", "expected"),
    [(0.15, 15), (0.30, 8), (0.75, 3), (3.0, 3), (0.0, 64)],
)
def test_calibration_reaches_the_target_and_keeps_the_floor(seconds_at_floor, expected,
                                                            monkeypatch):
    """t grows linearly to ~0.75 s here; never below t=3, never above what a file may hold."""
    monkeypatch.setattr(keys, "ARGON2_TARGET_SECONDS", 0.75)
    floor = keys.Argon2Params(b"0" * 16, 64 * 1024, 3, 1)
    assert keys.calibrated_time_cost(floor, seconds_at_floor) == expected


def test_ocr_page_pictures_and_word_boxes_are_kept_and_go_with_the_document(
        data_dir: Path) -> None:
    import dataclasses

    text = "TOTAL 5.05"
    boxes = ((0, 5, 1, 0.1, 0.2, 0.3, 0.25), (6, 10, 1, 0.6, 0.2, 0.7, 0.25))
    doc = dataclasses.replace(make_doc(name="IMG_1.jpg", text=text, data=b"\xff\xd8\xff jpeg",
                                       kind="image"),
                              boxes=boxes, previews=((1, b"\xff\xd8\xff picture"),))
    with Vault.create(data_dir, passphrase=PW) as vault:
        doc_id = vault.add_document(doc, make_extraction(text))
        plain = vault.add_document(make_doc(text="typed"), make_extraction("typed"))
    with Vault.open(data_dir, passphrase=PW) as vault:
        assert vault.word_boxes(doc_id) == boxes
        assert vault.page_pictures(doc_id) == {1: b"\xff\xd8\xff picture"}
        assert vault.word_boxes(plain) == () and vault.page_pictures(plain) == {}
        vault.delete(doc_id)
        conn = vault._conn
        assert conn.execute("SELECT count(*) FROM page_pictures").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM word_boxes").fetchone()[0] == 0


def test_a_photos_warnings_are_kept_with_it(data_dir: Path) -> None:
    """``Document.warnings`` (issue 22, m007): stored as the reader's words, NULL for
    a document without any."""
    import dataclasses

    from strongroom.reading import messages

    said = (messages.PHOTO_BLURRED, messages.PHOTO_DARK)
    doc = dataclasses.replace(make_doc(name="IMG_2.jpg", text="TOTAL 5.05", kind="image"),
                              warnings=said)
    with Vault.create(data_dir, passphrase=PW) as vault:
        doc_id = vault.add_document(doc, make_extraction("TOTAL 5.05"))
        plain = vault.add_document(make_doc(text="typed"), make_extraction("typed"))
    with Vault.open(data_dir, passphrase=PW) as vault:
        assert vault.get(doc_id).warnings == said
        assert vault.get(plain).warnings == ()
        assert vault._conn.execute("SELECT warnings FROM documents WHERE id = ?",
                                   (plain,)).fetchone()[0] is None
