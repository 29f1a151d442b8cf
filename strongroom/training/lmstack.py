"""The model's states as a ranker feature: read, measure, fit (issue 12).

    python -m strongroom.training.lmstack states DATASET.jsonl OUT.npz [--model GGUF]
    python -m strongroom.training.lmstack cv DATASET.jsonl STATES.npz [--test T.jsonl]
    python -m strongroom.training.lmstack fit DATASET.jsonl STATES.npz [--out FILE]

``states`` runs Gemma once over each document's first lines (``lmstates``) and
keeps the per-line states (float16). ``fit`` trains, for the merchant and the
address, a logistic regression on each candidate's state vector (standardized,
reduced to 64 principal components, C = 0.1) and folds it into one vector; the
ranker is then refitted with that read-out as an extra feature ``lm``. The
ranker's ``lm`` values for its own training rows are out-of-fold (4 folds by
store), so it learns how far to trust the read-out on shops it has not seen.
``cv`` prints both rankers on store-disjoint folds. Needs scikit-learn.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from strongroom.evaluate import Row, document_day_first, group_folds, load_rows, matches, text_key
from strongroom.understanding.artifact import save
from strongroom.understanding.lmstates import LineStates
from strongroom.understanding.personal import offered
from strongroom.understanding.ranker import (
    NONE_BELOW,
    NONE_BELOW_LM,
    RankerChooser,
    Weights,
    features,
    score,
)

from .chooser import C, fit_weights

FIELDS = ("merchant", "merchant_address")
COMPONENTS, LM_C, INNER_FOLDS = 64, 0.1, 4
SCALE = 5.0  # the read-out enters the ranker as lm / SCALE


def read_states(rows: Sequence[Row], model: Path | None) -> dict[str, np.ndarray]:
    from strongroom.model import backend_class
    from strongroom.modelfile import bundled_model
    from strongroom.paths import default_data_dir

    path = model or bundled_model(default_data_dir())  # the bundled model, assembled if needed
    backend = backend_class("llama.cpp").load(path, n_ctx=2048)
    out: dict[str, np.ndarray] = {}
    for n, row in enumerate(rows, 1):
        st = LineStates.read(backend, row.text)
        if st is not None:
            out[f"{row.id}:mean"] = st.mean.astype(np.float16)
            out[f"{row.id}:last"] = st.last.astype(np.float16)
        if n % 50 == 0:
            print(f"{n}/{len(rows)}", flush=True)
    backend.close()
    return out


def load_states(path: Path) -> dict[str, LineStates]:
    z = np.load(path)
    ids = {k.rsplit(":", 1)[0] for k in z.files}
    return {i: LineStates(z[f"{i}:mean"].astype(np.float32), z[f"{i}:last"].astype(np.float32))
            for i in ids}


@dataclass
class Doc:
    """One document's candidates for one field: features, state vectors, labels."""

    id: str
    group: str
    feats: list[dict[str, float]]
    vecs: np.ndarray
    ys: np.ndarray


def docs(rows: Sequence[Row], field: str, states: dict[str, LineStates], base: Weights
         ) -> list[Doc]:
    """Candidates as the app offers them; the address follows the base ranker's merchant."""
    chooser = RankerChooser({"merchant": base["merchant"]} if "merchant" in base else {})
    out = []
    for row in rows:
        gold = row.gold.get(field)
        if not gold or row.id not in states:
            continue
        spec, cands, ctx, pick = offered(row.text, "receipt", field, chooser)
        dayfirst = document_day_first(row.text)
        ys = np.array([matches(spec.kind, c.text, c.normalized, gold, dayfirst=dayfirst)
                       for c in cands], dtype=int)
        vecs = (np.stack([states[row.id].vector(c) for c in cands]) if cands
                else np.zeros((0, 1)))
        out.append(Doc(row.id, text_key(row.gold.get("merchant") or row.id),
                       [features(spec, c, cands, ctx, pick) for c in cands], vecs, ys))
    return out


def fit_readout(docs_: Sequence[Doc]) -> tuple[float, np.ndarray]:
    """(bias, vector): the states' logistic regression folded into one linear map."""
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.concatenate([d.vecs for d in docs_ if len(d.ys)])
    y = np.concatenate([d.ys for d in docs_ if len(d.ys)])
    scaler = StandardScaler().fit(x)
    pca = PCA(COMPONENTS, random_state=0).fit(scaler.transform(x))
    lr = LogisticRegression(C=LM_C, max_iter=3000).fit(pca.transform(scaler.transform(x)), y)
    beta = pca.components_.T @ lr.coef_[0]  # in standardized units
    vector = beta / scaler.scale_
    bias = float(lr.intercept_[0] - beta @ pca.mean_ - vector @ scaler.mean_)
    return bias / SCALE, vector / SCALE


def readout(bias: float, vector: np.ndarray, d: Doc) -> np.ndarray:
    return bias + d.vecs @ vector if len(d.ys) else np.zeros(0)


def fit_field(train: Sequence[Doc]) -> tuple[dict[str, float], float, np.ndarray]:
    """The ranker's weights with ``lm`` (trained on out-of-fold read-outs) and the
    read-out fitted on all of ``train``."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    train = [d for d in train if d.ys.any()]
    inner = group_folds([d.group for d in train], INNER_FOLDS)
    lm: dict[int, np.ndarray] = {}
    for k in range(INNER_FOLDS):
        b, v = fit_readout([d for d, f in zip(train, inner, strict=True) if f != k])
        for i, (d, f) in enumerate(zip(train, inner, strict=True)):
            if f == k:
                lm[i] = readout(b, v, d)
    feats = [{**f, "lm": float(s)} for i, d in enumerate(train)
             for f, s in zip(d.feats, lm[i], strict=True)]
    vec = DictVectorizer(sparse=False)
    model = LogisticRegression(C=C, max_iter=3000).fit(
        vec.fit_transform(feats), np.concatenate([d.ys for d in train]))
    w = {name: round(float(x), 6)
         for name, x in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)}
    w["bias"] = round(float(model.intercept_[0]), 6)
    bias, vector = fit_readout(train)
    return w, bias, vector


def _right(w: dict[str, float], d: Doc, lm: np.ndarray | None, field: str) -> int:
    """Whether the ranker's pick is right ("none" below ``NONE_BELOW`` is wrong here:
    every document in these sets has the field)."""
    if not len(d.ys):
        return 0
    scores = [score(w, f if lm is None else {**f, "lm": float(lm[i])})
              for i, f in enumerate(d.feats)]
    best = int(np.argmax(scores))
    none_below = (NONE_BELOW if lm is None else NONE_BELOW_LM).get(field, 0.0)
    if 1 / (1 + np.exp(-scores[best])) < none_below:
        return 0
    return int(d.ys[best])


def compare(train_rows: Sequence[Row], test_rows: Sequence[Row],
            states: dict[str, LineStates]) -> dict[str, tuple[int, int, int]]:
    """field -> (right without states, right with them, documents)."""
    base = fit_weights(train_rows)
    out = {}
    for field in FIELDS:
        train, test = docs(train_rows, field, states, base), docs(test_rows, field, states, base)
        w, b, v = fit_field(train)
        plain = sum(_right(base[field], d, None, field) for d in test)
        stacked = sum(_right(w, d, readout(b, v, d), field) for d in test)
        out[field] = (plain, stacked, len(test))
    return out


def cross_validate(rows: Sequence[Row], states: dict[str, LineStates], k: int = 5
                   ) -> dict[str, tuple[int, int, int]]:
    fold = group_folds([text_key(r.gold.get("merchant") or r.id) for r in rows], k)
    total = {f: (0, 0, 0) for f in FIELDS}
    for i in range(k):
        got = compare([r for r, f in zip(rows, fold, strict=True) if f != i],
                      [r for r, f in zip(rows, fold, strict=True) if f == i], states)
        total = {f: (total[f][0] + got[f][0], total[f][1] + got[f][1], total[f][2] + got[f][2])
                 for f in FIELDS}
    return total


def fit(rows: Sequence[Row], states: dict[str, LineStates]) -> dict[str, Any]:
    base = fit_weights(rows)
    ranker, lm = {}, {}
    for field in FIELDS:
        w, b, v = fit_field(docs(rows, field, states, base))
        ranker[field] = w
        lm[field] = {"bias": round(b, 6), "vector": [round(float(x), 6) for x in v]}
    return {"ranker": ranker, "lm": lm}


def _report(title: str, got: dict[str, tuple[int, int, int]]) -> None:
    print(title)
    for f, (plain, stacked, n) in got.items():
        print(f"  {f:18} ranker {plain / n:.3f}   + model states {stacked / n:.3f}   "
              f"({plain} -> {stacked} of {n})")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m strongroom.training.lmstack")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("states")
    s.add_argument("dataset", type=Path, nargs="+")
    s.add_argument("out", type=Path)
    s.add_argument("--model", type=Path)
    for name in ("cv", "fit"):
        p = sub.add_parser(name)
        p.add_argument("dataset", type=Path)
        p.add_argument("states", type=Path)
    sub.choices["cv"].add_argument("--test", type=Path, help="also fit on all, score this set")
    sub.choices["fit"].add_argument(
        "--out", type=Path,
        default=Path(__file__).resolve().parents[2] / "resources" / "chooser" / "receipt_lm.json")
    args = ap.parse_args(argv)
    if args.cmd == "states":
        rows = [r for d in args.dataset for r in load_rows(d)]
        np.savez_compressed(args.out, **read_states(rows, args.model))  # type: ignore[arg-type]
        print(f"{args.out}: states of {len(rows)} documents")
        return 0
    rows = [r for r in load_rows(args.dataset) if (r.doc_type or "receipt") == "receipt"]
    states = load_states(args.states)
    if args.cmd == "cv":
        _report(f"store-disjoint, 5 folds, {len(rows)} documents", cross_validate(rows, states))
        if args.test:
            _report(f"fitted on all, scored on {args.test.name}",
                    compare(rows, load_rows(args.test), states))
        return 0
    weights = fit(rows, states)
    save(weights, args.out, {"doc_type": "receipt", "trained_on": args.dataset.name,
                             "documents": len(rows), "model": "logistic regression over "
                             "ranker features + a read-out of Gemma 3 270M's states",
                             "components": COMPONENTS, "C": C, "lm_C": LM_C}, compact=True)
    print(f"{args.out}: {', '.join(FIELDS)} from {len(rows)} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
