"""How far to trust the ranker's confidence and the review statuses (issue 12).

    python -m lab.calibrate DATASET.jsonl [--folds 5]
    python -m lab.calibrate fit DATASET.jsonl STATES.npz [--out FILE]

On store-disjoint folds (the ranker refitted on the other stores), every receipt
field is read, assessed (``checks.assess``) and compared with the gold value. It
prints accuracy per confidence band (is 0.9 right nine times in ten?) and per
status (are "verified" fields right, and does "needs review" catch the wrong ones?).
Needs scikit-learn (the ``[lab]`` extra).

``fit`` softens (or sharpens) each field's confidence by a temperature: the softmax
of the ranker's scores divided by T, with T chosen per field to make the pick's
confidence the likeliest explanation of whether it was right, on store-disjoint
folds — for the plain ranker and for the one that reads the model's states
(``train_readout``; STATES from ``train_readout states``). It prints the confidence bands
before and after and writes ``resources/chooser/receipt_calibration.json``.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
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
from strongroom.resources import path as resource_path
from strongroom.understanding import checks
from strongroom.understanding.addresses import NOT_ADDRESS
from strongroom.understanding.artifact import save
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.personal import offered
from strongroom.understanding.ranker import RankerChooser, confidence, features, score
from strongroom.understanding.schema import schema

from .train_ranker import FIELDS, LearnedChooser, fit_weights

BANDS = (0.0, 0.5, 0.7, 0.9, 0.97, 1.01)


def measure(dataset: Path, folds: int = 5) -> dict[str, Any]:
    rows = [r for r in load_rows(dataset) if (r.doc_type or "receipt") == "receipt"]
    fold_of = group_folds([text_key(r.gold.get("merchant") or r.id) for r in rows], folds)
    sch = schema("receipt")
    bands: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    statuses: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    docs_flagged = docs_wrong = docs_wrong_flagged = 0
    for k in range(folds):
        chooser = LearnedChooser()
        chooser.fit([r for r, f in zip(rows, fold_of, strict=True) if f != k])
        for row, f in zip(rows, fold_of, strict=True):
            if f != k:
                continue
            dayfirst = document_day_first(row.text)
            # The dev receipts are from 2016-2019: "today" is after all of them.
            out = checks.assess(sch, row.text, extract_fields(row.text, sch, chooser),
                                today=date(2026, 1, 1))
            flagged = wrong = False
            for spec in sch.fields:
                fv = out[spec.name]
                flagged |= fv.status == checks.NEEDS_REVIEW
                gold = row.gold.get(spec.name)
                if spec.name not in FIELDS or not gold:
                    continue
                ok = fv.value is not None and matches(spec.kind, fv.value, fv.normalized, gold,
                                                      dayfirst=dayfirst)
                wrong |= not ok
                if fv.score is not None:
                    band = next(f"{lo:.2f}–{hi:.2f}" for lo, hi in zip(BANDS, BANDS[1:],
                                                                         strict=False)
                                if lo <= fv.score < hi)
                    bands[band][0] += int(ok)
                    bands[band][1] += 1
                cell = statuses[spec.name][fv.status or "none"]
                cell[0] += int(ok)
                cell[1] += 1
            docs_flagged += flagged
            docs_wrong += wrong
            docs_wrong_flagged += wrong and flagged
    return {
        "confidence": {b: {"right": r, "of": n} for b, (r, n) in sorted(bands.items())},
        "status": {name: {s: {"right": r, "of": n} for s, (r, n) in cells.items()}
                   for name, cells in statuses.items()},
        "documents": len(rows), "flagged": docs_flagged, "with_a_wrong_field": docs_wrong,
        "wrong_and_flagged": docs_wrong_flagged,
    }


#: (every candidate's score, whether the best-scored one is right), one per document
Ranked = list[tuple[list[float], int]]
GRID = np.exp(np.linspace(np.log(0.25), np.log(8.0), 97))


def plain_ranked(rows: Sequence[Row], folds: int = 5) -> dict[str, Ranked]:
    """The plain ranker's scores on store-disjoint folds, per field."""
    fold_of = group_folds([text_key(r.gold.get("merchant") or r.id) for r in rows], folds)
    out: dict[str, Ranked] = {f: [] for f in FIELDS}
    for k in range(folds):
        chooser = RankerChooser(fit_weights([r for r, f in zip(rows, fold_of, strict=True)
                                             if f != k]))
        for row in (r for r, f in zip(rows, fold_of, strict=True) if f == k):
            dayfirst = document_day_first(row.text)
            for field in FIELDS:
                gold, w = row.gold.get(field), chooser.weights.get(field)
                if not gold or w is None:
                    continue
                spec, cands, ctx, pick = offered(row.text, "receipt", field, chooser)
                if spec.kind == "address":
                    cands = [c for c in cands if not NOT_ADDRESS.search(c.text)]
                if not cands:
                    continue
                scores = [score(w, features(spec, c, cands, ctx, pick)) for c in cands]
                best = cands[int(np.argmax(scores))]
                out[field].append((scores, int(matches(spec.kind, best.text, best.normalized,
                                                       gold, dayfirst=dayfirst))))
    return out


def temperature(ranked: Ranked) -> float:
    """The T on ``GRID`` with the least log-loss of "the pick is right" at confidence T."""
    def loss(t: float) -> float:
        total = 0.0
        for scores, right in ranked:
            p = min(max(confidence(scores, int(np.argmax(scores)), t), 1e-6), 1 - 1e-6)
            total -= np.log(p if right else 1 - p)
        return total

    return float(min(GRID, key=loss))


def bands(ranked: Ranked, t: float = 1.0) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for scores, right in ranked:
        p = confidence(scores, int(np.argmax(scores)), t)
        band = next(f"{lo:.2f}–{hi:.2f}" for lo, hi in zip(BANDS, BANDS[1:], strict=False)
                    if lo <= p < hi)
        cell = out.setdefault(band, [0, 0])
        cell[0] += right
        cell[1] += 1
    return dict(sorted(out.items()))


def _show(title: str, got: dict[str, list[int]]) -> None:
    print(f"    {title}: " + ", ".join(f"{b} {r}/{n} = {r / n:.2f}" for b, (r, n) in got.items()))


def fit_temperatures(rows: Sequence[Row], states_path: Path) -> dict[str, dict[str, float]]:
    from . import train_readout

    lm = train_readout.cross_validate(rows, train_readout.load_states(states_path))
    rankers = {"ranker": plain_ranked(rows),
               "lm": {f: [(s, r) for s, (_, r) in zip(o.scores, o.intact, strict=True)]
                      for f, v in lm.items() for o in [v["+ model states"]]}}
    out: dict[str, dict[str, float]] = {}
    for name, fields in rankers.items():
        print(f"{name}:")
        for field, ranked in fields.items():
            if not ranked:
                continue
            t = round(temperature(ranked), 3)
            out.setdefault(name, {})[field] = t
            print(f"  {field}: T = {t}")
            _show("before", bands(ranked))
            _show("after ", bands(ranked, t))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        import sys

        argv = sys.argv[1:]
    if argv[:1] == ["fit"]:
        ap = argparse.ArgumentParser(prog="python -m lab.calibrate fit")
        ap.add_argument("dataset", type=Path)
        ap.add_argument("states", type=Path)
        ap.add_argument("--out", type=Path, default=resource_path(
            "chooser", "receipt_calibration.json"))
        a = ap.parse_args(argv[1:])
        rows = [r for r in load_rows(a.dataset) if (r.doc_type or "receipt") == "receipt"]
        save(fit_temperatures(rows, a.states), a.out,
             {"doc_type": "receipt", "trained_on": a.dataset.name, "documents": len(rows),
              "what": "a temperature per field for the ranker's confidence (softmax of "
              "scores / T), fitted on store-disjoint folds"})
        print(f"{a.out}: written")
        return 0
    parser = argparse.ArgumentParser(prog="python -m lab.calibrate")
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    report = measure(args.dataset, args.folds)
    print("confidence band: right / of")
    for band, c in report["confidence"].items():
        print(f"  {band}: {c['right']}/{c['of']} = {c['right'] / c['of']:.3f}")
    print("status per field: right / of")
    for name, cells in report["status"].items():
        print(f"  {name}: " + ", ".join(f"{s} {c['right']}/{c['of']}" for s, c in cells.items()))
    print(f"documents {report['documents']}: needs review {report['flagged']}; with a wrong "
          f"field {report['with_a_wrong_field']}, of them flagged {report['wrong_and_flagged']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
