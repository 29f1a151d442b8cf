"""How far to trust the ranker's confidence and the review statuses (issue 12).

    python -m strongroom.training.calibration DATASET.jsonl [--folds 5]

On store-disjoint folds (the ranker refitted on the other stores), every receipt
field is read, assessed (``checks.assess``) and compared with the gold value. It
prints accuracy per confidence band (is 0.9 right nine times in ten?) and per
status (are "verified" fields right, and does "needs review" catch the wrong ones?).
Needs scikit-learn (the ``[train]`` extra).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from strongroom.evaluate import document_day_first, group_folds, load_rows, matches, text_key
from strongroom.understanding import checks
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.schema import schema

from .chooser import FIELDS, LearnedChooser

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m strongroom.training.calibration")
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
