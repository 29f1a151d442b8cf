"""The model's states as a ranker feature: read, measure, fit (issue 12).

    python -m lab.train_readout torn DATASET.jsonl TORN.jsonl
    python -m lab.train_readout states DATASET.jsonl [MORE.jsonl] OUT.npz [--model GGUF]
    python -m lab.train_readout cv DATASET.jsonl STATES.npz [--torn T.jsonl] [--test X]
    python -m lab.train_readout fit DATASET.jsonl STATES.npz [--out FILE]
    python -m lab.train_readout answers DATASET.jsonl STATES.npz OUT.json

``states`` runs Gemma once over each document's first lines (``lmstates``) and
keeps the per-line states (float16). ``fit`` trains, for the merchant and the
address, a logistic regression on each candidate's state vector (standardized,
reduced to 64 principal components, C = 0.1) and folds it into one vector; the
ranker is then refitted with that read-out as an extra feature ``lm``. The
ranker's ``lm`` values for its own training rows are out-of-fold (4 folds by
store), so it learns how far to trust the read-out on shops it has not seen.
``cv`` prints both rankers on store-disjoint folds. Needs scikit-learn.
``answers`` writes what the shipped rankers answer for the merchant and the address
of every document, as character spans (no values): the states differ in their last
bits with the CPU and the engine that compute them, so a test compares answers
read on its own machine with these, not weights (issue 20).

"None" is an answer: ``torn`` writes each receipt again with its address's lines
torn off. With ``--torn`` (their states read into the same STATES file), ``cv``
also counts how many torn receipts each ranker leaves without an address: alone,
with the plain ranker's veto (shipped: ``ranker.NONE_VETO``), and trained on the
torn receipts too, every run a negative (measured, not shipped: it traded right
addresses for "none" no better than the veto).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from strongroom.measure.evaluate import (
    Row,
    document_day_first,
    group_folds,
    load_rows,
    matches,
    text_key,
)
from strongroom.understanding.addresses import NOT_ADDRESS
from strongroom.understanding.artifact import save
from strongroom.understanding.lmstates import LineStates
from strongroom.understanding.personal import offered
from strongroom.understanding.ranker import (
    NONE_BELOW,
    NONE_BELOW_LM,
    NONE_VETO,
    RankerChooser,
    Weights,
    features,
    score,
)

from .train_ranker import C, fit_logistic, fit_weights

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


TORN = "~torn"  # a torn receipt's id: the intact one's and this


def torn(rows: Sequence[Row]) -> list[Row]:
    """Each receipt whose gold address is one of its candidates, with those lines
    removed and the address's gold set to none."""
    out = []
    for row in rows:
        gold = row.gold.get("merchant_address")
        if not gold or (row.doc_type or "receipt") != "receipt":
            continue
        spec, cands, _, _ = offered(row.text, "receipt", "merchant_address", RankerChooser({}))
        dayfirst = document_day_first(row.text)
        hit = next((c for c in cands
                    if matches(spec.kind, c.text, c.normalized, gold, dayfirst=dayfirst)), None)
        if hit is None:
            continue
        gone = range(hit.line, hit.line + hit.text.count("\n") + 1)
        text = "\n".join(ln for i, ln in enumerate(row.text.split("\n")) if i not in gone)
        out.append(Row(row.id + TORN, text, "receipt", {**row.gold, "merchant_address": None}))
    return out


def _for(rows: Sequence[Row], field: str) -> list[Row]:
    """The rows that speak for ``field``: intact ones, and torn ones where it is torn off."""
    return [r for r in rows if not r.id.endswith(TORN) or r.gold.get(field) is None]


@dataclass
class Doc:
    """One document's candidates for one field: features, state vectors, labels."""

    id: str
    group: str
    feats: list[dict[str, float]]
    vecs: np.ndarray
    ys: np.ndarray
    spans: tuple[tuple[int, int], ...] = ()  # each candidate's (start, end)


def docs(rows: Sequence[Row], field: str, states: dict[str, LineStates], base: Weights,
         *, negatives: bool = False) -> list[Doc]:
    """Candidates as the app offers them (an address's after ``NOT_ADDRESS``); the
    address follows the base ranker's merchant. With ``negatives``, documents whose
    gold is none come too, every candidate wrong (torn receipts)."""
    chooser = RankerChooser({"merchant": base["merchant"]} if "merchant" in base else {})
    out = []
    for row in rows:
        gold = row.gold.get(field)
        if (not gold and not negatives) or row.id not in states:
            continue
        spec, cands, ctx, pick = offered(row.text, "receipt", field, chooser)
        if spec.kind == "address":
            cands = [c for c in cands if not NOT_ADDRESS.search(c.text)]
        dayfirst = document_day_first(row.text)
        ys = np.array([bool(gold) and matches(spec.kind, c.text, c.normalized, gold or "",
                                              dayfirst=dayfirst)
                       for c in cands], dtype=int)
        vecs = (np.stack([states[row.id].vector(c) for c in cands]) if cands
                else np.zeros((0, 1)))
        out.append(Doc(row.id, text_key(row.gold.get("merchant") or row.id),
                       [features(spec, c, cands, ctx, pick) for c in cands], vecs, ys,
                       tuple((c.start, c.end) for c in cands)))
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
    train = [d for d in train if d.ys.any() or d.id.endswith(TORN)]
    inner = group_folds([d.group for d in train], INNER_FOLDS)
    lm: dict[int, np.ndarray] = {}
    for k in range(INNER_FOLDS):
        b, v = fit_readout([d for d, f in zip(train, inner, strict=True) if f != k])
        for i, (d, f) in enumerate(zip(train, inner, strict=True)):
            if f == k:
                lm[i] = readout(b, v, d)
    feats = [{**f, "lm": float(s)} for i, d in enumerate(train)
             for f, s in zip(d.feats, lm[i], strict=True)]
    w = fit_logistic(feats, np.concatenate([d.ys for d in train]), max_iter=3000)
    bias, vector = fit_readout(train)
    return w, bias, vector


def best_pick(w: dict[str, float], d: Doc, lm: np.ndarray | None
          ) -> tuple[float, int, list[float]]:
    """(the pick's own probability, whether it is right, every candidate's score)."""
    if not len(d.ys):
        return 0.0, 0, []
    scores = [score(w, f if lm is None else {**f, "lm": float(lm[i])})
              for i, f in enumerate(d.feats)]
    best = int(np.argmax(scores))
    return float(1 / (1 + np.exp(-scores[best]))), int(d.ys[best]), scores


@dataclass
class Outcome:
    """One ranker on test documents: each intact document's (probability, right) and
    its candidates' scores, each torn one's probability; "none" below a threshold."""

    intact: list[tuple[float, int]]
    torn: list[float]
    scores: list[list[float]] = dataclasses.field(default_factory=list)  # intact ones

    def right(self, none_below: float) -> int:
        return sum(r for p, r in self.intact if p >= none_below)

    def none(self, none_below: float) -> int:
        return sum(p < none_below for p in self.torn)

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(self.intact + other.intact, self.torn + other.torn,
                       self.scores + other.scores)


VARIANTS = ("ranker", "+ model states", "+ model states, the ranker's veto (shipped)",
            "+ model states, trained on torn receipts")


def compare(train_rows: Sequence[Row], test_rows: Sequence[Row],
            states: dict[str, LineStates]) -> dict[str, dict[str, Outcome]]:
    """field -> variant -> outcome. Rows whose id ends in ``TORN`` are torn receipts:
    scored for "none", and trained on by the last variant only (the other two torn
    variants are measured only where torn rows are given)."""
    base = fit_weights([r for r in train_rows if not r.id.endswith(TORN)])
    out: dict[str, dict[str, Outcome]] = {}
    for field in FIELDS:
        train = docs(_for(train_rows, field), field, states, base, negatives=True)
        test = [d for d in docs(_for(test_rows, field), field, states, base, negatives=True)
                if d.id.endswith(TORN) or d.ys.any() or _gold(test_rows, d.id, field)]
        intact = [d for d in train if not d.id.endswith(TORN)]

        def run(w: dict[str, float], readout_: tuple[float, np.ndarray] | None,
                test: list[Doc] = test) -> Outcome:
            got = Outcome([], [])
            for d in test:
                lm = readout(*readout_, d) if readout_ else None
                p, r, scores = best_pick(w, d, lm)
                got = got + (Outcome([], [p]) if d.id.endswith(TORN)
                             else Outcome([(p, r)], [], [scores]))
            return got

        w, b, v = fit_field(intact)
        plain = run(base[field], None)
        out[field] = {"ranker": plain, "+ model states": run(w, (b, v))}
        if len(intact) < len(train):
            out[field][VARIANTS[2]] = _veto(out[field][VARIANTS[1]], plain,
                                            NONE_VETO.get(field, 0.0))
            w, b, v = fit_field(train)
            out[field][VARIANTS[3]] = run(w, (b, v))
    return out


def _gold(rows: Sequence[Row], id_: str, field: str) -> bool:
    return any(r.id == id_ and r.gold.get(field) for r in rows)


def _veto(stacked: Outcome, plain: Outcome, none_below: float) -> Outcome:
    """``stacked``, answering none wherever ``plain`` does (at ``none_below``)."""
    def keep(p: float, q: float) -> float:
        return p if q >= none_below else 0.0

    return Outcome([(keep(p, q), r) for (p, r), (q, _) in zip(stacked.intact, plain.intact,
                                                              strict=True)],
                   [keep(p, q) for p, q in zip(stacked.torn, plain.torn, strict=True)],
                   stacked.scores)


def cross_validate(rows: Sequence[Row], states: dict[str, LineStates], k: int = 5,
                   torn_rows: Sequence[Row] = ()) -> dict[str, dict[str, Outcome]]:
    """Store-disjoint folds; a torn receipt goes where its intact one does."""
    fold = group_folds([text_key(r.gold.get("merchant") or r.id) for r in rows], k)
    fold_of = {r.id: f for r, f in zip(rows, fold, strict=True)}
    torn_fold = [fold_of[r.id.removesuffix(TORN)] for r in torn_rows]
    total: dict[str, dict[str, Outcome]] = {}
    for i in range(k):
        got = compare(
            [r for r, f in zip(rows, fold, strict=True) if f != i]
            + [r for r, f in zip(torn_rows, torn_fold, strict=True) if f != i],
            [r for r, f in zip(rows, fold, strict=True) if f == i]
            + [r for r, f in zip(torn_rows, torn_fold, strict=True) if f == i], states)
        for field, variants in got.items():
            for name, o in variants.items():
                total.setdefault(field, {})
                total[field][name] = total[field].get(name, Outcome([], [])) + o
    return total


def fit(rows: Sequence[Row], states: dict[str, LineStates]) -> dict[str, Any]:
    base = fit_weights(rows)
    ranker, lm = {}, {}
    for field in FIELDS:
        w, b, v = fit_field(docs(rows, field, states, base))
        ranker[field] = w
        lm[field] = {"bias": round(b, 6), "vector": [round(float(x), 6) for x in v]}
    return {"ranker": ranker, "lm": lm}


Answers = dict[str, dict[str, list[int] | None]]  # id -> field -> [start, end] or None


def answers(rows: Sequence[Row], states: dict[str, LineStates],
            weights: dict[str, Any] | None = None) -> Answers:
    """The spans the app chooses for the merchant and the address of every row with
    states, with the shipped weights or with ``weights`` (``fit``'s output)."""
    from strongroom.understanding import ranker
    from strongroom.understanding.fields import extract_fields
    from strongroom.understanding.lmstates import Stack
    from strongroom.understanding.schema import schema

    lm = (ranker.load_lm() if weights is None
          else ranker.LmRanker(weights["ranker"], Stack.of(weights["lm"])))
    chooser = ranker.RankerChooser(ranker.load(), lm=lm)
    out: Answers = {}
    for row in rows:
        if row.id in states:
            got = extract_fields(row.text, schema("receipt"), chooser, states=states[row.id])
            spans = {f: got[f].span for f in FIELDS}
            out[row.id] = {f: list(span) if span else None for f, span in spans.items()}
    return out


def agreement(a: Answers, b: Answers, field: str) -> float:
    """The share of documents in both where ``a`` and ``b`` answer ``field`` alike."""
    ids = a.keys() & b.keys()
    return sum(a[i][field] == b[i][field] for i in ids) / max(len(ids), 1)


def right(rows: Sequence[Row], got: Answers, field: str) -> float:
    """The share of rows with a gold ``field`` whose answer matches it."""
    from strongroom.understanding.schema import schema

    kind = next(s.kind for s in schema("receipt").fields if s.name == field)
    scored = [(r, got[r.id][field]) for r in rows if r.gold.get(field) and r.id in got]
    hits = sum(span is not None and matches(kind, r.text[span[0]:span[1]], None,
                                            r.gold[field] or "",
                                            dayfirst=document_day_first(r.text))
               for r, span in scored)
    return hits / max(len(scored), 1)


#: Thresholds the report shows "none" at (the shipped ones among them).
SWEEP = (0.005, 0.01, 0.02, 0.05, 0.1)


def _report(title: str, got: dict[str, dict[str, Outcome]]) -> None:
    print(title)
    for field, variants in got.items():
        print(f"  {field}")
        for name, o in variants.items():
            n = len(o.intact)
            shipped = (NONE_BELOW if name == "ranker" else NONE_BELOW_LM).get(field, 0.0)
            line = f"    {name:42} {o.right(shipped) / n:.3f} ({o.right(shipped)} of {n})"
            if o.torn:
                line += "; none for torn, right kept: " + ", ".join(
                    f"{t:g}: {o.none(t)}/{len(o.torn)}, {o.right(t)}" for t in SWEEP)
            print(line)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lab.train_readout")
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("torn")
    t.add_argument("dataset", type=Path)
    t.add_argument("out", type=Path)
    s = sub.add_parser("states")
    s.add_argument("dataset", type=Path, nargs="+")
    s.add_argument("out", type=Path)
    s.add_argument("--model", type=Path)
    for name in ("cv", "fit"):
        p = sub.add_parser(name)
        p.add_argument("dataset", type=Path)
        p.add_argument("states", type=Path)
    a = sub.add_parser("answers")
    a.add_argument("dataset", type=Path)
    a.add_argument("states", type=Path)
    a.add_argument("out", type=Path)
    sub.choices["cv"].add_argument("--torn", type=Path, help="receipts with the address "
                                   "torn off (from `torn`; their states in STATES)")
    sub.choices["cv"].add_argument("--test", type=Path, help="also fit on all, score this set")
    sub.choices["fit"].add_argument(
        "--out", type=Path,
        default=Path(__file__).resolve().parents[1] / "resources" / "chooser" / "receipt_lm.json")
    args = ap.parse_args(argv)
    if args.cmd == "torn":
        out = torn(load_rows(args.dataset))
        args.out.write_text("".join(json.dumps({"id": r.id, "doc_type": r.doc_type,
                                                "text": r.text, "gold": r.gold},
                                               ensure_ascii=False) + "\n" for r in out),
                            encoding="utf-8")
        print(f"{args.out}: {len(out)} receipts with the address torn off")
        return 0
    if args.cmd == "states":
        rows = [r for d in args.dataset for r in load_rows(d)]
        np.savez_compressed(args.out, **read_states(rows, args.model))  # type: ignore[arg-type]
        print(f"{args.out}: states of {len(rows)} documents")
        return 0
    rows = [r for r in load_rows(args.dataset) if (r.doc_type or "receipt") == "receipt"]
    states = load_states(args.states)
    if args.cmd == "answers":
        got = answers(rows, states)
        args.out.write_text(json.dumps(got, sort_keys=True, separators=(",", ":")) + "\n",
                            encoding="utf-8")
        print(f"{args.out}: answers for {len(got)} documents; right: "
              + ", ".join(f"{f} {right(rows, got, f):.3f}" for f in FIELDS))
        return 0
    if args.cmd == "cv":
        torn_rows = load_rows(args.torn) if args.torn else []
        _report(f"store-disjoint, 5 folds, {len(rows)} documents"
                + (f" and {len(torn_rows)} torn" if torn_rows else ""),
                cross_validate(rows, states, torn_rows=torn_rows))
        if args.test:
            _report(f"fitted on all, scored on {args.test.name}",
                    compare([*rows, *torn_rows], load_rows(args.test), states))
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
