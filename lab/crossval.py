"""The receipt ranker refitted on every fold's training rows, evaluated (issue 12).

    python -m lab.crossval DATASET.jsonl [--group-by merchant] [--folds K] [--no-model]
                                         [--model GGUF] [--json]

``strongroom eval`` with a chooser that learns: ``LearnedChooser`` (``train_ranker``)
is fitted on the training rows of each fold and read on the others, with the same
folds, figures and report (``chooser ranker-fit``). ``--group-by merchant`` makes
the folds store-disjoint. Formerly ``strongroom eval --chooser ranker-fit``; it moved
here so the product never imports the lab. Needs scikit-learn (the ``[lab]`` extra).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from strongroom.compose import Setup
from strongroom.measure.evaluate import Options, format_report, load_rows, run_eval
from strongroom.understanding import router

from .train_ranker import LearnedChooser


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.crossval")
    parser.add_argument("dataset", type=Path, help='JSON lines {"id", "text"|"path", "gold"}')
    parser.add_argument("--group-by", metavar="FIELD", default=None,
                        help="folds that never share this gold field's value")
    parser.add_argument("--folds", type=int, default=5, metavar="K")
    parser.add_argument("--no-model", action="store_true",
                        help="types from the file, fields by code only (fast)")
    parser.add_argument("--model", type=Path, default=None,
                        help="a local GGUF (default: the bundled Gemma 3 270M)")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args(argv)
    if not args.dataset.is_file():
        parser.error(f"there is no file {args.dataset}")
    load = None if args.no_model else Setup(model_given=args.model).load_backend
    report = run_eval(load_rows(args.dataset), LearnedChooser, load,
                      Options(group_by=args.group_by, folds=args.folds,
                              chooser_name="ranker-fit", router=router.load()))
    print(json.dumps(report, ensure_ascii=False) if args.json else format_report(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
