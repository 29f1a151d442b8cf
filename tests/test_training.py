"""The shipped chooser weights are reproducible from the dev set by the repo's command."""

import json
from pathlib import Path

import pytest

from strongroom.resources import path as resource_path

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "receipts.jsonl"


@pytest.mark.skipif(not DEV.is_file(), reason="the dev set lives in ../shared (as in CI)")
def test_retraining_reproduces_the_shipped_weights(tmp_path):
    pytest.importorskip("sklearn")
    from strongroom.training.chooser import main

    out = tmp_path / "receipt.json"
    assert main([str(DEV), "--out", str(out)]) == 0
    shipped = json.loads(resource_path("chooser", "receipt.json").read_text())
    assert json.loads(out.read_text())["sha256"] == shipped["sha256"]


# -- synthetic documents for the router ------------------------------------------------
def test_synthetic_documents_are_deterministic_and_cover_every_cell():
    pytest.importorskip("opencc")
    from strongroom.training.synth import BUILDERS, LANGS, generate

    docs = generate(2, seed=7)
    assert docs == generate(2, seed=7)
    assert [d["text"] for d in docs] != [d["text"] for d in generate(2, seed=8)]
    assert {(d["doc_type"], d["lang"]) for d in docs} == {(t, lang) for t in BUILDERS
                                                          for lang in LANGS}
    assert all(d["text"].strip() for d in docs)


def test_traditional_chinese_documents_are_converted():
    pytest.importorskip("opencc")
    from strongroom.training.synth import generate

    hant = "".join(d["text"] for d in generate(20, seed=0, langs=("zh-Hant",)))
    hans = "".join(d["text"] for d in generate(20, seed=0, langs=("zh-Hans",)))
    simplified_only = set("发单这们说过钱银账总计处药检报")
    assert not simplified_only & set(hant)
    assert simplified_only & set(hans)


def test_no_fixture_line_is_in_the_training_documents():
    """The routing fixtures are the held-out test set: none of their lines may be
    generated (headings such as "PRESCRIPTION" aside: every document of the type has
    them). A control: the check finds a line that is there."""
    pytest.importorskip("opencc")
    from strongroom.training.synth import generate

    fixtures = Path(__file__).parent / "fixtures" / "routing.jsonl"
    lines = {ln.strip() for row in fixtures.read_text(encoding="utf-8").splitlines()
             for ln in json.loads(row)["text"].splitlines() if len(ln.strip()) >= 20}
    training = {ln for d in generate(40, seed=0) for ln in d["text"].splitlines()}
    assert not lines & training
    assert lines & (training | {next(iter(lines))})
