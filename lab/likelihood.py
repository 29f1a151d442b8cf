"""The model's likelihoods as ranker features: read and measure (issue 12).

    python -m lab.likelihood read DATASET.jsonl OUT.json [--model GGUF] [--top K]
    python -m lab.likelihood cv DATASET.jsonl LIKE.json STATES.npz

``read`` asks Gemma, after two invented example receipts, how likely each of the
ranker's top ``K`` candidates is to follow "Shop:" / "Address:" under the
document's first lines (summed log-likelihood of the candidate and the line end,
lines joined by ", "). The top ``K`` come from a ranker fitted on the *other*
stores (the same five store-disjoint folds ``cv`` uses), so the choice of which
candidates get scored never saw the document's shop. ``cv`` adds the likelihoods
to the ranker as features (``ll_rel``: the gap to the best-scored candidate;
``ll_tok``: per token; ``ll_top``: the most likely; ``ll_none``: not scored) and
prints store-disjoint accuracy with and without them, each with and without the
states read-out (``train_readout``). Needs scikit-learn.

Measured once (session 5, 626 dev receipts, top 10, ~3 s a receipt to read): the
likelihoods cost the plain ranker merchant 0.871 → 0.810 and moved the address by
one receipt; beside the states they changed merchant 0.882 → 0.880 and the address
0.853 → 0.854. Not kept: the app does not read them (docs/MEASUREMENTS.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from strongroom.measure.evaluate import Row, group_folds, load_rows, text_key
from strongroom.understanding.lmstates import LineStates, head
from strongroom.understanding.personal import offered
from strongroom.understanding.ranker import RankerChooser, Weights, features, score

from . import train_readout
from .train_ranker import fit_logistic, fit_weights

FIELDS = {"merchant": "Shop:", "merchant_address": "Address:"}
#: document id -> field -> [[start, end, log-likelihood, tokens], ...]
Likelihoods = dict[str, dict[str, list[list[float]]]]
TOP, FOLDS = 10, 5

#: Invented receipts (no dev-set shop): the pattern "the text, then its fields".
EXAMPLES = """Receipt:
CITY CAFE
12 Market Street, Springfield
Tel: 555-0142
Latte 3.50
TOTAL 6.25
Shop: CITY CAFE
Address: 12 Market Street, Springfield

Receipt:
HILLSIDE HARDWARE SDN BHD
(Co. Reg. 000000-X)
No 8, Jalan Bukit 3,
47000 Sungai Buloh, Selangor
TAX INVOICE
PAINT BRUSH 2 x 4.50 9.00
TOTAL 9.00
Shop: HILLSIDE HARDWARE SDN BHD
Address: No 8, Jalan Bukit 3, 47000 Sungai Buloh, Selangor

Receipt:
"""


def prefix(text: str, field: str) -> str:
    return f"{EXAMPLES}{head(text).strip()}\n{FIELDS[field]}"


def continuation(candidate_text: str) -> str:
    return " " + ", ".join(p.strip() for p in candidate_text.split("\n") if p.strip()) + "\n"


def _folds(rows: Sequence[Row]) -> list[int]:
    return group_folds([text_key(r.gold.get("merchant") or r.id) for r in rows], FOLDS)


def read(rows: Sequence[Row], model: Path | None, top: int) -> Likelihoods:
    """id -> field -> [[start, end, loglik, tokens], ...] for the out-of-fold top ``top``."""
    from strongroom.model import backend_class
    from strongroom.modelfile import bundled_model
    from strongroom.paths import default_data_dir

    backend = backend_class("llama.cpp").load(
        model or bundled_model(default_data_dir()), n_ctx=2048)
    fold = _folds(rows)
    out: Likelihoods = {}
    done = 0
    for k in range(FOLDS):
        chooser = RankerChooser(fit_weights([r for r, f in zip(rows, fold, strict=True) if f != k]))
        for row in (r for r, f in zip(rows, fold, strict=True) if f == k):
            out[row.id] = {}
            for field in FIELDS:
                spec, cands, ctx, pick = offered(row.text, "receipt", field, chooser)
                w = chooser.weights.get(field, {})
                ranked = sorted(cands, key=lambda c: -score(w, features(spec, c, cands, ctx, pick)))
                best = list({(c.start, c.end): c for c in ranked}.values())[:top]
                conts = [continuation(c.text) for c in best]
                lls = backend.score(prefix(row.text, field), conts) if best else []
                out[row.id][field] = [[c.start, c.end, round(ll, 4), len(backend.tokenize(t))]
                                      for c, ll, t in zip(best, lls, conts, strict=True)]
            done += 1
            if done % 25 == 0:
                print(f"{done}/{len(rows)}", flush=True)
    backend.close()
    return out


def ll_features(scored: Sequence[Sequence[float]], spans: Sequence[tuple[int, int]]
                ) -> list[dict[str, float]]:
    """Each candidate's likelihood features (matched to ``scored`` by span)."""
    by_span = {(int(s), int(e)): (ll, n) for s, e, ll, n in scored}
    best = max((ll for ll, _ in by_span.values()), default=0.0)
    out = []
    for span in spans:
        got = by_span.get(span)
        if got is None:
            out.append({"ll_none": 1.0})
            continue
        ll, n = got
        out.append({"ll_rel": max(ll - best, -30.0) / 10,
                    "ll_tok": max(ll / max(n, 1), -15.0) / 5, "ll_top": float(ll == best)})
    return out


def _with_ll(d: train_readout.Doc, like: Likelihoods, field: str) -> train_readout.Doc:
    ll = ll_features(like.get(d.id, {}).get(field, []), d.spans)
    return dataclasses.replace(d, feats=[{**f, **g} for f, g in zip(d.feats, ll, strict=True)])


def _fit_plain(train: Sequence[train_readout.Doc]) -> dict[str, float]:
    train = [d for d in train if d.ys.any()]
    return fit_logistic([f for d in train for f in d.feats],
                        np.concatenate([d.ys for d in train]), max_iter=3000)


def _right(w: dict[str, float], d: train_readout.Doc, lm: np.ndarray | None = None) -> int:
    return train_readout.best_pick(w, d, lm)[1]


VARIANTS = ("ranker", "+ likelihoods", "+ states", "+ states + likelihoods")


def cross_validate(rows: Sequence[Row], like: Likelihoods, states: dict[str, LineStates]
                   ) -> dict[str, dict[str, int]]:
    """field -> variant -> right answers on store-disjoint folds (plus "n" and
    "scored": documents whose gold candidate had its likelihood read)."""
    fold = _folds(rows)
    tally: dict[str, dict[str, int]] = {f: dict.fromkeys((*VARIANTS, "n", "scored"), 0)
                                        for f in FIELDS}
    for k in range(FOLDS):
        train_rows = [r for r, f in zip(rows, fold, strict=True) if f != k]
        test_rows = [r for r, f in zip(rows, fold, strict=True) if f == k]
        base: Weights = fit_weights(train_rows)
        for field in FIELDS:
            train = train_readout.docs(train_rows, field, states, base)
            test = train_readout.docs(test_rows, field, states, base)
            t = tally[field]
            t["n"] += len(test)
            for d in test:
                read = {(int(s), int(e)) for s, e, *_ in like.get(d.id, {}).get(field, [])}
                t["scored"] += any(d.spans[i] in read for i in np.flatnonzero(d.ys))
            train_ll = [_with_ll(d, like, field) for d in train]
            test_ll = [_with_ll(d, like, field) for d in test]
            for name, tr, te in (("ranker", train, test), ("+ likelihoods", train_ll, test_ll)):
                w = _fit_plain(tr)
                t[name] += sum(_right(w, d) for d in te)
            for name, tr, te in (("+ states", train, test),
                                 ("+ states + likelihoods", train_ll, test_ll)):
                w, b, v = train_readout.fit_field(tr)
                t[name] += sum(_right(w, d, train_readout.readout(b, v, d)) for d in te)
    return tally


def _report(rows: int, tally: dict[str, dict[str, int]]) -> None:
    print(f"store-disjoint, {FOLDS} folds, {rows} documents")
    for field, t in tally.items():
        n = t["n"]
        print(f"  {field}: the gold candidate's likelihood was read for {t['scored']} of {n}")
        for name in VARIANTS:
            print(f"    {name:24} {t[name] / n:.3f}  ({t[name]} of {n})")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lab.likelihood")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("read")
    r.add_argument("dataset", type=Path)
    r.add_argument("out", type=Path)
    r.add_argument("--model", type=Path)
    r.add_argument("--top", type=int, default=TOP)
    c = sub.add_parser("cv")
    c.add_argument("dataset", type=Path)
    c.add_argument("like", type=Path)
    c.add_argument("states", type=Path, help="from train_readout states")
    args = ap.parse_args(argv)
    rows = [r for r in load_rows(args.dataset) if (r.doc_type or "receipt") == "receipt"]
    if args.cmd == "read":
        args.out.write_text(json.dumps(read(rows, args.model, args.top)))
        print(f"{args.out}: likelihoods for {len(rows)} documents")
        return 0
    _report(len(rows), cross_validate(rows, json.loads(args.like.read_text()),
                                      train_readout.load_states(args.states)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
