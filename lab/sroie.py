"""Turn SROIE's published test split into an evaluation set (issue 12).

    python -m lab.sroie metadata.jsonl OUT.jsonl [--exclude DEV.jsonl]

The dev receipts are SROIE's *train* split; its *test* split (361 receipts,
CC BY 4.0, e.g. ``data/test/metadata.jsonl`` of jsdnrs/ICDAR2019-SROIE) is the
independent set: real receipts the ranker was never fitted on. Each record there
holds the OCR boxes (``words`` with ``bboxes``) in no reliable order and the gold
``entities``. The boxes are put back into printed lines: sorted by their vertical
centre, a box joins the current line when its centre lies within half a line
height of the line's, and a line's boxes are read left to right. Output lines
have the dev set's shape, ``{"id", "doc_type", "text", "gold"}``, gold as printed.
Nothing from it is shipped; the figures go in docs/MEASUREMENTS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

FIELDS = {"company": "merchant", "address": "merchant_address", "date": "date",
          "total": "total"}


def lines(words: list[str], boxes: list[list[float]]) -> list[str]:
    """The boxes as printed lines, top to bottom, each read left to right."""
    items = [(w.strip(), b) for w, b in zip(words, boxes, strict=True) if w.strip()]
    if not items:
        return []
    height = statistics.median(b[3] - b[1] for _, b in items) or 1.0
    items.sort(key=lambda wb: (wb[1][1] + wb[1][3]) / 2)
    rows: list[list[tuple[str, list[float]]]] = []
    centre = 0.0
    for word, box in items:
        mid = (box[1] + box[3]) / 2
        if rows and abs(mid - centre) <= height / 2:
            rows[-1].append((word, box))
            centre = statistics.fmean((b[1] + b[3]) / 2 for _, b in rows[-1])
        else:
            rows.append([(word, box)])
            centre = mid
    return [" ".join(w for w, _ in sorted(row, key=lambda wb: wb[1][0])) for row in rows]


def convert(record: dict[str, Any]) -> dict[str, Any]:
    text = "\n".join(lines(record["words"], record["bboxes"]))
    gold = {ours: record["entities"].get(theirs) or None for theirs, ours in FIELDS.items()}
    return {"id": record["key"], "doc_type": "receipt", "text": text, "gold": gold}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("metadata", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--exclude", type=Path, help="a dataset whose ids are left out")
    args = ap.parse_args(argv)
    skip: set[str] = set()
    if args.exclude:
        skip = {json.loads(x)["id"] for x in args.exclude.read_text().splitlines() if x.strip()}
    n = 0
    with args.out.open("w", encoding="utf-8") as out:
        for raw in args.metadata.read_text(encoding="utf-8").splitlines():
            if not raw.strip():
                continue
            row = convert(json.loads(raw))
            if row["id"] in skip or not row["text"]:
                continue
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} receipts -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
