"""The lab's pieces on tiny inputs: generators, the folded read-out, torn receipts,
likelihood features (the retraining checks: tests/e2e/lab/test_retraining.py)."""

import json

import pytest

from tests.helpers.paths import FIXTURES


# -- synthetic documents for the router ------------------------------------------------
def test_synthetic_documents_are_deterministic_and_cover_every_cell():
    pytest.importorskip("opencc")
    from lab.synth import BUILDERS, LANGS, generate

    docs = generate(2, seed=7)
    assert docs == generate(2, seed=7)
    assert [d["text"] for d in docs] != [d["text"] for d in generate(2, seed=8)]
    assert {(d["doc_type"], d["lang"]) for d in docs} == {(t, lang) for t in BUILDERS
                                                          for lang in LANGS}
    assert all(d["text"].strip() for d in docs)


def test_traditional_chinese_documents_are_converted():
    pytest.importorskip("opencc")
    from lab.synth import generate

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
    from lab.synth import generate

    fixtures = FIXTURES / "routing.jsonl"
    lines = {ln.strip() for row in fixtures.read_text(encoding="utf-8").splitlines()
             for ln in json.loads(row)["text"].splitlines() if len(ln.strip()) >= 20}
    training = {ln for d in generate(40, seed=0) for ln in d["text"].splitlines()}
    assert not lines & training
    assert lines & (training | {next(iter(lines))})


# -- the model's states as a ranker feature ---------------------------------------------
def test_the_folded_read_out_is_the_fitted_pipeline():
    """PCA + logistic regression over standardized states, folded into one vector,
    scores exactly as the pipeline it replaces."""
    pytest.importorskip("sklearn")
    import numpy as np
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from lab import train_readout as lmstack

    rng = np.random.default_rng(1)
    scale = rng.uniform(0.1, 3, 1920)
    direction = rng.choice([-1.0, 1.0], 1920) * scale  # states vary along a few directions
    docs = []
    for i in range(60):
        vecs = rng.normal(size=(8, 1920)) * scale
        ys = np.zeros(8, int)
        ys[i % 8] = 1
        vecs[i % 8] += 0.5 * direction  # the right candidate stands out along one
        docs.append(lmstack.Doc(str(i), str(i % 7), [{}] * 8, vecs, ys))
    bias, vector = lmstack.fit_readout(docs)
    x = np.concatenate([d.vecs for d in docs])
    y = np.concatenate([d.ys for d in docs])
    sc = StandardScaler().fit(x)
    pca = PCA(lmstack.COMPONENTS, random_state=0).fit(sc.transform(x))
    lr = LogisticRegression(C=lmstack.LM_C, max_iter=3000).fit(pca.transform(sc.transform(x)), y)
    want = lr.decision_function(pca.transform(sc.transform(x))) / lmstack.SCALE
    assert np.allclose(bias + x @ vector, want, atol=1e-6)
    picked = [int(np.argmax(lmstack.readout(bias, vector, d))) for d in docs]
    assert sum(p == int(np.argmax(d.ys)) for p, d in zip(picked, docs, strict=True)) >= 50


def test_torn_receipts_lose_exactly_their_address_lines():
    from lab.train_readout import TORN, torn
    from strongroom.measure.evaluate import Row

    text = ("KEDAI RUNCIT MAJU SDN BHD\nNO 8, JALAN BUKIT 3,\n47000 SUNGAI BULOH, SELANGOR\n"
            "DATE: 12/03/2019\nMILO 2 x 4.50 9.00\nTOTAL 9.00\n")
    gold = {"merchant": "KEDAI RUNCIT MAJU SDN BHD", "date": "12/03/2019", "total": "9.00",
            "merchant_address": "NO 8, JALAN BUKIT 3, 47000 SUNGAI BULOH, SELANGOR"}
    (row,) = torn([Row("a", text, "receipt", gold),
                   Row("b", text, "receipt", {**gold, "merchant_address": "NOT PRINTED"})])
    assert row.id == "a" + TORN and row.gold["merchant_address"] is None
    assert row.text == ("KEDAI RUNCIT MAJU SDN BHD\nDATE: 12/03/2019\nMILO 2 x 4.50 9.00\n"
                        "TOTAL 9.00\n")
    assert row.gold["merchant"] == gold["merchant"]


def test_likelihood_features_compare_the_scored_candidates():
    from lab.likelihood import ll_features

    feats = ll_features([[0, 5, -4.0, 4], [6, 9, -9.0, 3]], [(0, 5), (6, 9), (10, 12)])
    assert feats[0] == {"ll_rel": 0.0, "ll_tok": -0.2, "ll_top": 1.0}
    assert feats[1]["ll_rel"] == -0.5 and feats[1]["ll_top"] == 0.0
    assert feats[2] == {"ll_none": 1.0}  # not among the ranker's top candidates


def test_synthetic_receipts_carry_the_merchant_and_address_they_print():
    pytest.importorskip("opencc")
    from lab.train_ranker import synthetic_receipts

    rows = synthetic_receipts(40)
    assert rows == synthetic_receipts(40)  # seeded
    printed = [r for r in rows
               if r.gold["merchant"] and r.gold["merchant"].upper() in r.text.upper()]
    assert len(printed) >= 30  # the rest lost to OCR-like noise (training skips them)
    with_address = [r for r in rows if r.gold["merchant_address"]]
    assert 20 <= len(with_address) < 40  # 85 % print one
    assert all(r.gold["date"] is None and r.gold["total"] is None for r in rows)
