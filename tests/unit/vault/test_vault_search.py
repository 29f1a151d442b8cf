"""Search inside the vault, and proof that deleting reaches the index (issue 13).

The deletion proof reads the vault the way someone holding the key and the disk
would: every page of the file decrypted (free pages included), and a keyless
plaintext twin made with ``sqlcipher_export``. The control run turns FTS5's
``secure-delete`` off and must find the canary, so the proof cannot pass vacuously.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from strongroom.errors import VaultError
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault import Vault, keys, locks
from strongroom.vault.db import DB_NAME, KEYS_NAME
from strongroom.vault.search import fts_query
from tests.helpers.vault import make_doc

PW = "correct horse battery staple"
CANARY = "ZQXCANARY7731"
#: Lower-cased (FTS5 folds case) and its tail (a leaf stores a term after the
#: prefix it shares with the previous term).
NEEDLES = [CANARY.encode(), CANARY.lower().encode(), CANARY.lower()[3:].encode(),
           CANARY.encode("utf-16-le")]
WORDS = ["alpha", "beta", "gamma", "delta", "invoice", "receipt", "clinic", "total", "amount",
         "patient", "bank", "pharmacy", "statement", "balance", "dosage"]


def filler(i: int, n: int = 150) -> str:
    return " ".join(f"{WORDS[(i * 7 + k) % len(WORDS)]}{(i * 31 + k) % 997}" for k in range(n))


def add(vault: Vault, name: str, text: str, doc_type: str = "letter", date: str | None = None,
        summary: str = "A letter.", fields: dict[str, FieldValue] | None = None) -> int:
    return vault.add_document(make_doc(name=name, text=text),
                              Extraction(doc_type, summary, fields=fields or {}, doc_date=date))


@pytest.fixture
def vault(data_dir: Path):  # type: ignore[no-untyped-def]
    with Vault.create(data_dir, passphrase=PW) as v:
        yield v


@pytest.fixture
def sample(vault: Vault) -> dict[str, int]:
    return {
        "dental": add(vault, "dental-receipt.txt", "Harbour Dental Clinic\nRoot canal, molar.",
                      "receipt", "2024-02-14", "A dental receipt for 480.00 EUR.",
                      {"total": FieldValue("480,00", "480.00", (0, 6))}),
        "power": add(vault, "electricity.pdf", "Northwind Electricity usage 312 kWh",
                     "invoice", "2023-09-17", "An electricity invoice.",
                     {"invoice_number": FieldValue("INV-2023-0917", "INV-2023-0917", (0, 13))}),
        "bank": add(vault, "statement-march.pdf", "Résumé of the account: balance positive.",
                    "bank_statement", "2024-03-31", "A bank statement."),
        "undated": add(vault, "note.txt", "Dentist appointment, bring the dental card.",
                       "letter", None, "A note."),
    }


def ids(rows: list) -> set[int]:  # type: ignore[type-arg]
    return {r.id for r in rows}


# -- finding -------------------------------------------------------------------
def test_search_text_name_summary_and_fields(vault: Vault, sample: dict[str, int]) -> None:
    assert ids(vault.search("canal")) == {sample["dental"]}  # text
    assert ids(vault.search("electricity.pdf")) == {sample["power"]}  # file name
    assert ids(vault.search("statement")) == {sample["bank"]}  # name and summary
    assert ids(vault.search("480.00")) == {sample["dental"]}  # normalized field value
    assert ids(vault.search("480,00")) == {sample["dental"]}  # field value as printed
    assert ids(vault.search("INV-2023-0917")) == {sample["power"]}
    assert ids(vault.search("resume")) == {sample["bank"]}  # diacritics folded
    assert ids(vault.search("DENTAL")) == {sample["dental"], sample["undated"]}
    assert ids(vault.search("dental canal")) == {sample["dental"]}  # every word must occur
    assert vault.search("dental zebra") == []


def test_last_word_is_a_prefix(vault: Vault, sample: dict[str, int]) -> None:
    assert ids(vault.search("elec")) == {sample["power"]}
    assert ids(vault.search("northwind elec")) == {sample["power"]}
    assert vault.search("elec northwind") == []  # earlier words are whole words
    assert ids(vault.search("electricity northw")) == {sample["power"]}


HOSTILE = [
    '"', '""', "'", '"unbalanced', "dental\"", "a:b", "name:dental", "text:", "*", "**",
    "dent*", "*dent", "^dental", "AND", "OR", "NOT", "NEAR", "NEAR(dental canal, 2)",
    "dental AND", "OR dental", "dental NOT canal", "(dental", "dental)", "{name}: x", "-",
    "- dental", "+", "dental -canal", "\\", "%", "_", "'; DROP TABLE documents; --",
    "\x00", "dental\x00canal", "\t\n", "   ", "日本語", "🦷", "a" * 5000,
    " ".join(["dental"] * 500), "col:row*", "dental^", "\"dental\" \"canal\"*",
]


def test_hostile_queries_never_raise(vault: Vault, sample: dict[str, int]) -> None:
    for query in HOSTILE:
        assert isinstance(vault.search(query), list), query
        assert isinstance(vault.search(query, doc_type=query), list), query
    assert vault.search('dental" OR "canal') == []  # OR is a word to find, not an operator
    assert len(vault.list_documents()) == 4  # and nothing was dropped


def test_operator_words_are_plain_words(vault: Vault) -> None:
    near = add(vault, "near.txt", "Meet NEAR the river OR the lake")
    add(vault, "other.txt", "river lake")
    assert ids(vault.search("NEAR")) == {near}
    assert ids(vault.search("river OR")) == {near}  # not "river or anything"
    assert ids(vault.search('"river"')) == ids(vault.search("river"))


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('tax "2024" OR sm') == '"tax" """2024""" "OR" "sm"*'
    assert fts_query("a:b") == '"a:b"*'
    assert fts_query("  - * ") is None
    assert fts_query("") is None


# -- filters -------------------------------------------------------------------
def test_filters_by_type_and_date(vault: Vault, sample: dict[str, int]) -> None:
    assert ids(vault.search("dental", doc_type="receipt")) == {sample["dental"]}
    assert ids(vault.search("dental", doc_type="letter")) == {sample["undated"]}
    assert ids(vault.search("", doc_type="invoice")) == {sample["power"]}  # filter only
    assert ids(vault.search("", date_from="2024-01-01")) == {sample["dental"], sample["bank"]}
    assert ids(vault.search("", date_to="2023-12-31")) == {sample["power"]}
    assert ids(vault.search("", date_from="2024-02-14", date_to="2024-02-14")) == {
        sample["dental"]}  # bounds inclusive
    assert ids(vault.search("", date_from="2024-03", date_to="2024-03")) == {sample["bank"]}
    assert ids(vault.search("", date_to="2024")) == {sample["dental"], sample["power"],
                                                    sample["bank"]}
    assert ids(vault.search("dental", date_from="2020")) == {sample["dental"]}  # undated out
    assert len(vault.search("")) == 4  # no words, no filters: everything, newest first
    assert [r.id for r in vault.search("")] == [r.id for r in vault.list_documents()]
    assert len(vault.search("", limit=2)) == 2


@pytest.mark.parametrize("bad", ["2024-3-1", "yesterday", "2024/03/01", "20240301", ""])
def test_bad_dates_are_refused_in_words(vault: Vault, bad: str) -> None:
    with pytest.raises(VaultError, match=r"^Dates are written as YYYY, YYYY-MM or YYYY-MM-DD"):
        vault.search("x", date_from=bad)


# -- delete reaches the index ---------------------------------------------------
def test_search_after_delete_finds_nothing(vault: Vault, sample: dict[str, int]) -> None:
    vault.delete(sample["power"])
    assert vault.search("northwind") == []
    assert vault.search("INV-2023-0917") == []
    assert vault.search("electricity.pdf") == []
    assert sample["power"] not in ids(vault.search(""))
    _integrity_check(vault)


def test_index_agrees_with_documents(vault: Vault) -> None:
    """FTS5's integrity-check compares the index with the documents it was made from."""
    kept = [add(vault, f"d{i}.txt", filler(i), fields={"n": FieldValue(str(i), str(i), (0, 1))})
            for i in range(25)]
    for doc_id in kept[::3]:
        vault.delete(doc_id)
    _integrity_check(vault)
    vault.compact()
    _integrity_check(vault)


def _integrity_check(vault: Vault) -> None:
    vault._conn.execute("INSERT INTO search (search, rank) VALUES ('integrity-check', 1)")


def decrypted_pages(data_dir: Path, key: bytes) -> bytes:
    """Every page of vault.db decrypted by hand (SQLCipher 4: AES-256-CBC, 4096-byte
    pages, 80 reserved bytes per page: IV then HMAC), free pages included."""
    raw, size, reserve = (data_dir / DB_NAME).read_bytes(), 4096, 80
    assert len(raw) % size == 0
    out = bytearray()
    for offset in range(0, len(raw), size):
        page = raw[offset:offset + size]
        start = 16 if offset == 0 else 0  # page 1 begins with the salt
        iv = page[size - reserve:size - reserve + 16]
        dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        out += dec.update(page[start:size - reserve]) + dec.finalize()
    return bytes(out)


def plaintext_twin(vault: Vault, folder: Path) -> bytes:
    """The vault exported to a plain SQLite file: tables and FTS5 shadow tables."""
    twin = folder / "twin.db"
    conn = vault._conn
    conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(twin),))
    try:
        conn.execute("SELECT sqlcipher_export('plain')")
    finally:
        conn.execute("DETACH DATABASE plain")
    return twin.read_bytes()


@pytest.mark.parametrize("secure", [True, False], ids=["fts-secure-delete", "control-plain-fts"])
def test_deleted_canary_is_nowhere(data_dir: Path, tmp_path: Path, secure: bool) -> None:
    vault = Vault.create(data_dir, passphrase=PW)
    if not secure:  # the control: an ordinary FTS5 index (PRAGMA secure_delete still on)
        vault._conn.execute("INSERT INTO search (search, rank) VALUES ('secure-delete', 0)")
    for i in range(30):
        add(vault, f"before{i}.txt", filler(i))
    text = f"Mx {CANARY} was seen by Dr Quokkason on 2024-03-05. " + filler(99, 60)
    doomed = add(vault, f"{CANARY}.txt", text, "medical", "2024-03-05", f"About {CANARY}.",
                 {"patient": FieldValue(CANARY, CANARY.lower(), (3, 3 + len(CANARY)))})
    for i in range(30, 40):
        add(vault, f"after{i}.txt", filler(i))
    assert ids(vault.search(CANARY)) == {doomed}
    assert ids(vault.search(CANARY.lower()[:6])) == {doomed}

    vault.delete(doomed)
    assert vault.search(CANARY) == []
    assert vault.search("quokkason") == []
    # The write is committed and merged: a delete empties the write-ahead log (#20).
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_NAME, DB_NAME + "-shm",
                                                          DB_NAME + "-wal", KEYS_NAME]
    assert (data_dir / (DB_NAME + "-wal")).stat().st_size == 0
    shm = (data_dir / (DB_NAME + "-shm")).read_bytes()  # the log's index: no content
    key, _ = locks.unlock_envelope(keys.read_envelope(data_dir / KEYS_NAME), PW)
    pages = decrypted_pages(data_dir, key)
    assert pages[:2] == b"\x10\x00"  # page size 4096: the decryption is right...
    assert b"after39.txt" in pages and b"before0.txt" in pages  # ...and sees live rows
    twin = plaintext_twin(vault, tmp_path)
    assert twin.startswith(b"SQLite format 3\x00") and b"after39.txt" in twin
    raw = (data_dir / DB_NAME).read_bytes()
    vault.close()

    found = {where: [n for n in NEEDLES if n in blob]
             for where, blob in (("file", raw), ("pages", pages), ("twin", twin),
                                 ("shm", shm))}
    if secure:
        assert found == {"file": [], "pages": [], "twin": [], "shm": []}
    else:  # without FTS5's option the terms stay in live index segments
        assert found["file"] == [] and found["shm"] == []  # (encrypted: never on disk as such)
        assert found["twin"] and found["pages"]


def test_compact_shrinks_and_keeps_search(vault: Vault, data_dir: Path) -> None:
    doomed = [add(vault, f"d{i}.txt", filler(i, 300)) for i in range(20)]
    keep = add(vault, "keep.txt", "Harbour Dental Clinic")
    for doc_id in doomed:
        vault.delete(doc_id)
    before, after = vault.compact()
    assert after < before and (data_dir / DB_NAME).stat().st_size == after
    assert ids(vault.search("harbour")) == {keep}
    assert vault._conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    assert (data_dir / (DB_NAME + "-wal")).stat().st_size == 0  # merged into vault.db (#20)
