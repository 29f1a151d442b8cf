"""The real-document corpus's committed form: the router's training rows are hashed
features of the trainable collections only, and match what the features give today."""

from __future__ import annotations

import json

import pytest

from lab import corpus
from lab.train_router import BUCKETS, GROUPS
from strongroom.understanding.router import Features


def doc(collection: str, text: str, doc_type: str = "receipt") -> corpus.Doc:
    return corpus.Doc(f"{collection}/1", collection, f"{collection}:a", doc_type, "en", text, {})


def test_rows_round_trip_and_hold_no_words(tmp_path):
    row = corpus.to_row(doc("sroie", "TOTAL 9.54 CASH 10.00 THANK YOU"), GROUPS, BUCKETS)
    path = tmp_path / "rows.npz"
    corpus.write_rows([row, row], path)
    assert corpus.read_rows(path) == [row, row]
    first = path.read_bytes()
    corpus.write_rows([row, row], path)
    assert path.read_bytes() == first  # the same rows, the same bytes
    import zipfile

    with zipfile.ZipFile(path) as z:
        stored = b"".join(z.read(name) for name in z.namelist()).upper()
    assert b"THANK" not in stored and b"TOTAL" not in stored


def test_only_trainable_collections_are_written(tmp_path, monkeypatch):
    (tmp_path / "mixed.jsonl").write_text("".join(json.dumps(
        {"id": f"{c}/1", "collection": c, "source": f"{c}:x", "doc_type": "invoice",
         "lang": "en", "text": "INVOICE No 1 Total 5.00", "gold": {}}) + "\n"
        for c in ("open", "closed")), encoding="utf-8")
    monkeypatch.setitem(corpus.TRAINABLE, "open", "CC0")
    out = tmp_path / "rows.npz"
    assert corpus.main(["rows", "--corpus", str(tmp_path), "--out", str(out)]) == 0
    assert {r.collection for r in corpus.read_rows(out)} <= {"open", "sroie"}
    assert "open" in {r.collection for r in corpus.read_rows(out)}


def test_held_out_collections_are_never_trainable():
    assert "invoices_heldout" in corpus.HELD_OUT
    assert not set(corpus.HELD_OUT) & set(corpus.TRAINABLE)


@pytest.mark.skipif(not corpus.DEV.is_file(), reason="the dev set lives in ../shared (as in CI)")
def test_the_committed_rows_are_todays_features():
    """The committed rows were made by today's feature code: the dev receipts' rows,
    recomputed from ../shared, are the ones in the file (else: python -m lab.corpus rows)."""
    committed = {r.id: r for r in corpus.read_rows()}
    assert {r.collection for r in committed.values()} <= set(corpus.TRAINABLE)
    dev = corpus.dev_docs()
    assert dev and all(committed[d.id] == corpus.to_row(d, GROUPS, BUCKETS) for d in dev)
    assert not any(r.x == Features({}, {}) for r in committed.values())
