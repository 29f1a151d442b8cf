"""OCR on real receipt images, against the same receipts' clean transcriptions (#22).

    python -m lab.photo_bench .corpus/photos_<source>.jsonl [--limit N]

Reads every row's ``image`` with the app's own reader (``reading.read_path``: Pillow,
EXIF orientation, RapidOCR, the line layout), timed, and writes the rows again with
the OCR's text in place of the transcription as ``.corpus/ocr_<source>.jsonl``. Then
``strongroom eval`` on both files shows what OCR costs each field. Printed here:
seconds per image, the share of the transcription's characters the OCR found
(multiset recall, spaces and case ignored), and how often the gold total appears in
the text verbatim (the ceiling for the total).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from pathlib import Path

from strongroom.errors import ReadError
from strongroom.reading import read_path


def char_recall(ocr: str, truth: str) -> float:
    want = Counter("".join(truth.casefold().split()))
    got = Counter("".join(ocr.casefold().split()))
    return sum((want & got).values()) / max(1, sum(want.values()))


def verbatim(total: str, text: str) -> bool:
    bare = total.replace("RM", "").replace("$", "").strip()
    return bool(bare) and bare in text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.dataset.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    if args.limit:
        rows = rows[: args.limit]
    out_path = args.dataset.with_name(args.dataset.name.replace("photos_", "ocr_"))
    seconds, recalls, found, failed = [], [], [0, 0], 0
    with out_path.open("w", encoding="utf-8") as out:
        for row in rows:
            started = time.perf_counter()
            try:
                text = read_path(args.dataset.parent / row["image"]).text
            except ReadError:
                failed, text = failed + 1, ""
            seconds.append(time.perf_counter() - started)
            recalls.append(char_recall(text, row["text"]))
            total = row["gold"].get("total")
            if total:
                found[0] += verbatim(total, text)
                found[1] += verbatim(total, row["text"])
            out.write(json.dumps({**row, "text": text or " "}, ensure_ascii=False) + "\n")
    print(f"{args.dataset.name}: {len(rows)} images, {failed} unread; "
          f"seconds/image median {statistics.median(seconds):.2f}, "
          f"mean {statistics.mean(seconds):.2f}, max {max(seconds):.2f}; "
          f"character recall mean {statistics.mean(recalls):.3f}; gold total verbatim "
          f"in OCR {found[0]}, in transcription {found[1]}; wrote {out_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
