"""What learning from corrections is worth, measured on a labelled set (issue 12).

    python -m lab.corrections DATASET.jsonl [--l2 X] [--no-memory]
                                                            [--no-weights] [--json]

Simulates a user on store-disjoint folds: the shipped-style ranker is fitted on the
other folds' stores; the held-out fold's receipts then arrive one by one (seeded
order) and after each the user confirms every field (the label is the offered
candidate that matches the gold value, else the gold text where it occurs). Each
receipt is read twice, by the fold's ranker and by ``PersonalChooser`` with the
labels so far; accuracy is split by whether the user had already labelled a receipt
of the same store ("seen") or not ("new"). Needs scikit-learn (the ``[lab]``
extra) for the fold's base weights.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
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
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.personal import Label, Memory, PersonalChooser, offered
from strongroom.understanding.ranker import RankerChooser, Weights
from strongroom.understanding.schema import schema

from .train_ranker import FIELDS, fit_weights


def _labels_for(row: Row, base: Weights) -> list[Label]:
    dayfirst = document_day_first(row.text)
    out = []
    for name in FIELDS:
        gold = row.gold.get(name)
        if not gold:
            continue
        spec, cands, _, _ = offered(row.text, "receipt", name, RankerChooser(base))
        hit = next((c for c in cands
                    if matches(spec.kind, c.text, c.normalized, gold, dayfirst=dayfirst)), None)
        if hit is not None:
            out.append(Label("receipt", name, row.text, hit.start, hit.end))
        elif (at := row.text.find(gold)) >= 0:
            out.append(Label("receipt", name, row.text, at, at + len(gold)))
    return out


def simulate(rows: Sequence[Row], *, folds: int = 5, l2: float | None = None,
             memory: bool = True, weights: bool = True) -> dict[str, Any]:
    stores = [text_key(r.gold.get("merchant") or r.id) for r in rows]
    fold_of = group_folds(stores, folds)
    tally: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    fit_seconds: list[tuple[int, float]] = []
    for k in range(folds):
        base = fit_weights([r for r, f in zip(rows, fold_of, strict=True) if f != k])
        shipped = RankerChooser(base)
        stream = [(r, s) for r, s, f in zip(rows, stores, fold_of, strict=True) if f == k]
        random.Random(k).shuffle(stream)  # noqa: S311 - a reproducible order, not a secret
        labels: list[Label] = []
        cache: dict[Any, Any] = {}
        seen: set[str] = set()
        for row, store in stream:
            t0 = time.perf_counter()
            personal = PersonalChooser(base, labels if weights else [], l2=l2, cache=cache)
            if memory and not weights:
                personal.memory = Memory.of(labels)
            if not memory:
                personal.memory.values.clear()
            fit_seconds.append((len(labels), time.perf_counter() - t0))
            dayfirst = document_day_first(row.text)
            when = "seen" if store in seen else "new"
            for tag, chooser in (("ranker", shipped), ("personal", personal)):
                out = extract_fields(row.text, schema("receipt"), chooser)
                for name in FIELDS:
                    gold = row.gold.get(name)
                    if not gold:
                        continue
                    spec = next(f for f in schema("receipt").fields if f.name == name)
                    fv = out[name]
                    ok = fv.value is not None and matches(spec.kind, fv.value, fv.normalized,
                                                          gold, dayfirst=dayfirst)
                    cell = tally[f"{tag} {when}"][name]
                    cell[0] += int(ok)
                    cell[1] += 1
            labels += _labels_for(row, base)
            seen.add(store)
    many = sorted(t for n, t in fit_seconds if n >= 300)
    return {
        "accuracy": {group: {name: {"correct": c, "of": n, "exact": round(c / n, 3)}
                             for name, (c, n) in cells.items()}
                     for group, cells in sorted(tally.items())},
        "refit_seconds_at_300_labels_or_more": {
            "median": round(many[len(many) // 2], 3) if many else None,
            "max": round(many[-1], 3) if many else None, "count": len(many)},
        "most_labels": max((n for n, _ in fit_seconds), default=0),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.corrections")
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=None)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-weights", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = [r for r in load_rows(args.dataset) if (r.doc_type or "receipt") == "receipt"]
    report = simulate(rows, folds=args.folds, l2=args.l2, memory=not args.no_memory,
                      weights=not args.no_weights)
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"{'':16}" + "".join(f"{n:>18}" for n in FIELDS))
    for group, cells in report["accuracy"].items():
        print(f"{group:16}" + "".join(
            f"{cells[n]['exact']:>9.3f} {cells[n]['correct']:>4}/{cells[n]['of']:<3}"
            if n in cells else f"{'':>18}" for n in FIELDS))
    r = report["refit_seconds_at_300_labels_or_more"]
    print(f"refit with ≥ 300 labels: median {r['median']} s, max {r['max']} s "
          f"({report['most_labels']} labels at most)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
