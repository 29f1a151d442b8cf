"""WildReceipt's test split: photographed receipts from the wild, mostly US, some
German and other European ones, with every text box labelled.

Reads jenashauryasikt/SD_internship at COMMIT: ``wildreceipt/test.txt`` (472 receipts,
one JSON record a line: ``{"file_name", "annotations": [{"box": 8 corner coordinates,
"text", "label"}]}``, labels as in ``wildreceipt/class_list.txt``). The train split in
that repository is too large to be fetched. The boxes are put back into printed lines
the way ``lab.sroie`` does it. WildReceipt's transcriptions have no spaces inside a
box (``KOREANRESTAURANT``): the text is as the annotators typed it.

Gold, from the labels: merchant (the Store_name_value boxes, top to bottom), date (the
Date_value box; the date-like part when the box holds more, ``12/30/2016FRI``), total
(the Total_value box). A field labelled twice with different values is left out. The
source is the store: its name's letters and digits, upper case ("unknown" without one).

    python -m lab.collect.wildreceipt --mirror /work/.mirror/jenashauryasikt+SD_internship/repo
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

from lab.sroie import lines

from . import mirror_text as mt

COLLECTION = "wildreceipt"
COMMIT = "5ba211ec23f54e6694e776a50da071e633e64577"
PATH = "wildreceipt/test.txt"
STORE, DATE, TOTAL = 1, 7, 23  # Store_name_value, Date_value, Total_value
_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}[ .-]?[A-Za-z]{3,9}[ .,-]?\d{2,4}"
                   r"|[A-Za-z]{3,9}[ .]?\d{1,2},?[ ']?\d{2,4}")


def box(corners: list[float]) -> list[float]:
    """Eight corner coordinates as ``[left, top, right, bottom]``."""
    xs, ys = corners[0::2], corners[1::2]
    return [min(xs), min(ys), max(xs), max(ys)]


def date_part(value: str) -> str:
    """The date in a Date_value box: the date-like text, else the whole box."""
    m = _DATE.search(value)
    return m.group(0) if m else value


def one(values: list[str]) -> str | None:
    """The value of a field labelled once (or several times alike); None otherwise."""
    return values[0] if values and len(set(values)) == 1 else None


def convert(record: dict[str, Any]) -> tuple[str, str, dict[str, str | None]]:
    """(text, store key, gold) of one record."""
    items = [(a["text"].strip(), box(a["box"]), a["label"]) for a in record["annotations"]
             if a["text"].strip()]
    text = "\n".join(lines([w for w, _, _ in items], [b for _, b, _ in items]))
    by_label: dict[int, list[tuple[str, list[float]]]] = {}
    for word, b, label in items:
        by_label.setdefault(label, []).append((word, b))
    names = sorted(by_label.get(STORE, []), key=lambda wb: (wb[1][1], wb[1][0]))
    store = " ".join(w for w, _ in names)
    gold = {"merchant": store or None,
            "date": one([date_part(w) for w, _ in by_label.get(DATE, [])]),
            "total": one([w for w, _ in by_label.get(TOTAL, [])])}
    key = re.sub(r"[\W_]+", "", store.upper()) or "unknown"
    return text, key, gold


def build(mirror: Path) -> list[mt.Row]:
    data = mt.read_blobs(mirror, COMMIT, [PATH])[PATH].decode("utf-8")
    rows: list[mt.Row] = []
    for raw in data.splitlines():
        if not raw.strip():
            continue
        record = json.loads(raw)
        text, store, gold = convert(record)
        if not text.strip():
            continue
        doc_id = PurePosixPath(record["file_name"]).stem
        lang = mt.guess_lang(text, "en", ("en", "de", "nl"))
        rows.append(mt.row(COLLECTION, doc_id, store, "receipt", lang, text, gold))
    return mt.dedupe(rows)


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, build, __doc__ or ""))
