"""Train the receipt ranker's weights from a labelled set (issue 12).

    python -m lab.train_ranker DATASET.jsonl [--out resources/chooser/receipt.json]
    python -m lab.train_ranker DATASET.jsonl --cv-synthetic N

One logistic regression per field over every candidate the finders offer
(label: the candidate is the gold value after normalization), fitted with
scikit-learn; its coefficients are written as JSON, so the app applies them
without scikit-learn. ``LearnedChooser`` is the same thing refitted inside
``python -m lab.crossval`` on every fold's training rows.

``--cv-synthetic N`` measures what N synthetic English receipts (``lab.synth``,
their merchant and address recorded as printed) add to the training rows of each
store-disjoint fold. Session 5, N = 300: merchant 545 → 547, address 485 → 475 of
626 — not kept.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from strongroom.measure.evaluate import (
    Row,
    document_day_first,
    group_folds,
    load_rows,
    matches,
    text_key,
)
from strongroom.understanding.artifact import save
from strongroom.understanding.chooser import Chooser, RuleChooser
from strongroom.understanding.personal import offered
from strongroom.understanding.ranker import RankerChooser, Weights, features

#: Fields with a choice among several candidates, in schema order: the address
#: runs are weighed against the merchant the ranker chose (fitted first).
FIELDS = ("merchant", "merchant_address", "date", "total")
C = 10.0  # inverse regularisation; on store-disjoint folds 10 beat 1 on total (0.925 vs 0.917)


def examples(rows: Sequence[Row], field: str, chooser: Chooser | None = None
             ) -> tuple[list[dict[str, float]], list[int]]:
    """Features and labels of every candidate for ``field``; the fields before it
    are chosen by ``chooser`` (the rules by default), as they will be in the app."""
    xs: list[dict[str, float]] = []
    ys: list[int] = []
    for row in rows:
        gold = row.gold.get(field)
        if not gold:
            continue
        spec, cands, ctx, pick = offered(row.text, "receipt", field, chooser or RuleChooser())
        dayfirst = document_day_first(row.text)
        labels = [matches(spec.kind, c.text, c.normalized, gold, dayfirst=dayfirst)
                  for c in cands]
        if not any(labels):
            continue  # nothing to learn from a receipt whose answer was not offered
        for c, y in zip(cands, labels, strict=True):
            xs.append(features(spec, c, cands, ctx, pick))
            ys.append(int(y))
    return xs, ys


def fit_logistic(xs: Sequence[dict[str, float]], ys: Sequence[int] | Any, *,
                 max_iter: int = 2000) -> dict[str, float]:
    """A logistic regression over feature dicts, as the weights the app applies
    (rounded to 6 places; ``bias`` the intercept)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sparse=False)
    model = LogisticRegression(C=C, max_iter=max_iter).fit(vec.fit_transform(xs), ys)
    w = {name: round(float(v), 6)
         for name, v in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)}
    w["bias"] = round(float(model.intercept_[0]), 6)
    return w


def fit_weights(rows: Sequence[Row]) -> Weights:
    weights: Weights = {}
    for field in FIELDS:
        # Later fields see the choices of the weights fitted so far (the merchant's line).
        xs, ys = examples(rows, field, RankerChooser(dict(weights)))
        if len(set(ys)) < 2:
            continue
        weights[field] = fit_logistic(xs, ys)
    return weights


class LearnedChooser(RankerChooser):
    """A ranker trained on the rows it is given (``strongroom.measure.evaluate.Trainable``)."""

    def __init__(self) -> None:
        super().__init__({})

    def fit(self, rows: Sequence[Row]) -> None:
        self.weights = fit_weights(rows)


def synthetic_receipts(n: int, seed: int = 11) -> list[Row]:
    from .synth import make_labelled

    out = []
    for i in range(n):
        text, gold = make_labelled("receipt", "en", i, seed)
        out.append(Row(f"synth-{i}", text, "receipt", {f: gold.get(f) for f in FIELDS}))
    return out


def cv_synthetic(rows: Sequence[Row], synthetic: Sequence[Row], folds: int = 5
                 ) -> dict[str, dict[str, int]]:
    """Right merchants and addresses on store-disjoint folds, without / with them."""
    from strongroom.understanding.fields import extract_fields
    from strongroom.understanding.schema import schema

    fold = group_folds([text_key(r.gold.get("merchant") or r.id) for r in rows], folds)
    sch = schema("receipt")
    kinds = {f.name: f.kind for f in sch.fields}
    right = {name: dict.fromkeys(FIELDS[:2], 0) for name in ("without", "with")}
    for k in range(folds):
        train = [r for r, f in zip(rows, fold, strict=True) if f != k]
        for name, extra in (("without", ()), ("with", synthetic)):
            chooser = RankerChooser(fit_weights([*train, *extra]))
            for row in (r for r, f in zip(rows, fold, strict=True) if f == k):
                got = extract_fields(row.text, sch, chooser)
                for field in FIELDS[:2]:
                    gold, fv = row.gold.get(field), got[field]
                    right[name][field] += bool(gold and fv.value and matches(
                        kinds[field], fv.value, fv.normalized, gold,
                        dayfirst=document_day_first(row.text)))
    return right


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.train_ranker")
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parents[1] / "resources" / "chooser"
                        / "receipt.json")
    parser.add_argument("--cv-synthetic", type=int, metavar="N",
                        help="measure N synthetic receipts added to training (writes nothing)")
    args = parser.parse_args(argv)
    rows = [r for r in load_rows(args.dataset) if (r.doc_type or "receipt") == "receipt"]
    if args.cv_synthetic:
        got = cv_synthetic(rows, synthetic_receipts(args.cv_synthetic))
        for field in FIELDS[:2]:
            print(f"{field}: {got['without'][field]} -> {got['with'][field]} of {len(rows)}")
        return 0
    weights = fit_weights(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save(weights, args.out, {"doc_type": "receipt", "trained_on": args.dataset.name,
                             "documents": len(rows), "model": "logistic regression", "C": C})
    print(f"{args.out}: {', '.join(weights)} from {len(rows)} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
