"""Train the receipt ranker's weights from a labelled set (issue 12).

    python -m strongroom.training.chooser DATASET.jsonl [--out resources/chooser/receipt.json]

One logistic regression per field over every candidate the finders offer
(label: the candidate is the gold value after normalization), fitted with
scikit-learn; its coefficients are written as JSON, so the app applies them
without scikit-learn. ``LearnedChooser`` is the same thing refitted inside
``strongroom eval --chooser ranker-fit`` on every fold's training rows.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from strongroom.evaluate import Row, document_day_first, load_rows, matches
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


def fit_weights(rows: Sequence[Row]) -> Weights:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    weights: Weights = {}
    for field in FIELDS:
        # Later fields see the choices of the weights fitted so far (the merchant's line).
        xs, ys = examples(rows, field, RankerChooser(dict(weights)))
        if len(set(ys)) < 2:
            continue
        vec = DictVectorizer(sparse=False)
        model = LogisticRegression(C=C, max_iter=2000).fit(vec.fit_transform(xs), ys)
        w = {name: round(float(v), 6)
             for name, v in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)}
        w["bias"] = round(float(model.intercept_[0]), 6)
        weights[field] = w
    return weights


class LearnedChooser(RankerChooser):
    """A ranker trained on the rows it is given (``strongroom.evaluate.Trainable``)."""

    def __init__(self) -> None:
        super().__init__({})

    def fit(self, rows: Sequence[Row]) -> None:
        self.weights = fit_weights(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m strongroom.training.chooser")
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parents[2] / "resources" / "chooser"
                        / "receipt.json")
    args = parser.parse_args(argv)
    rows = [r for r in load_rows(args.dataset) if (r.doc_type or "receipt") == "receipt"]
    weights = fit_weights(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save(weights, args.out, {"doc_type": "receipt", "trained_on": args.dataset.name,
                             "documents": len(rows), "model": "logistic regression", "C": C})
    print(f"{args.out}: {', '.join(weights)} from {len(rows)} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
