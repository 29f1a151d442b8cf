"""The real-document corpus (issue 21), and the router's training rows made from it.

    python -m lab.corpus stats    documents and sources per collection and type
    python -m lab.corpus rows     rebuild lab/data/router_rows.npz from the corpus

The corpus is built on this machine by ``python -m lab.collect.<collection>`` from public
repositories read at pinned commits (lab/collect/SOURCES.md) into ``.corpus/`` (or
``$STRONGROOM_CORPUS``), one ``<collection>.jsonl`` each; none of its text is committed.
The dev receipts in ../shared are one more collection, ``sroie``.

What the router learns from the collections whose licence allows it (``TRAINABLE``) is
committed as hashed features (bucket numbers and values, never words) in
``lab/data/router_rows.npz``: CI retrains the shipped router byte for byte from the
repository and ../shared alone. The other collections are for measurement only.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from strongroom.understanding.router import Features, features

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("STRONGROOM_CORPUS", ROOT / ".corpus"))
DEV = ROOT.parent / "shared" / "data" / "dev" / "receipts.jsonl"
ROWS = ROOT / "lab" / "data" / "router_rows.npz"

#: Collections that may be learned from, with the licence that allows it
#: (lab/collect/SOURCES.md). Anything else in the corpus is only ever measured.
TRAINABLE: dict[str, str] = {
    "sroie": "CC BY 4.0",
    "aci_bench": "CC BY 4.0",
    "mtsamples": "CC0 (as its Kaggle publisher states it)",
    "zugferd": "Apache-2.0",
    "invoice2data": "MIT",
    "opentaxformfiller": "MIT; the forms are published blanks of tax authorities",
    "portfolio_pdf": "EPL-1.0",
    "mozilla_legal": "CC BY-SA 3.0",
    "github_policy": "CC0 1.0",
    "howtocook": "Unlicense (public domain)",
    "based_cooking": "Unlicense (public domain)",
    "ethereum_pm": "CC BY-SA 3.0",
}

#: Collections held out of all training and tuning, for measurement only (never in
#: ``TRAINABLE``), whatever their licence; whoever tunes a reader does not read them.
HELD_OUT: dict[str, str] = {
    # The held-out invoice set for issue 21: real invoices from repositories other than
    # zugferd and invoice2data (which the invoice reader is tuned on), deduplicated
    # against both; report its aggregate figures only (lab/collect/invoices_heldout.py).
    "invoices_heldout": "held out (MIT, Apache-2.0, BSD-3-Clause, AGPL-3.0 sources)",
}


#: The image benchmarks' files (``lab/collect/photos.py``): receipt images whose
#: transcriptions are the OCR's yardstick; some repeat another collection's texts
#: (wildreceipt), so the router's corpus leaves them out.
PHOTOS = "photos_"


@dataclass(frozen=True)
class Doc:
    id: str
    collection: str
    source: str
    doc_type: str
    lang: str
    text: str
    gold: dict[str, str | None]


def _rows(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        yield from (json.loads(line) for line in f if line.strip())


def dev_docs(path: Path = DEV) -> list[Doc]:
    """The dev receipts as the ``sroie`` collection, one source per store."""
    if not path.is_file():
        return []
    return [Doc(f"sroie/{r['id']}", "sroie", f"sroie:{(r['gold'].get('merchant') or '').lower()}",
                "receipt", "en", r["text"], dict(r["gold"])) for r in _rows(path)]


def load(directory: Path = CORPUS, *, dev: Path = DEV) -> list[Doc]:
    """Every document of the local corpus and the dev receipts."""
    docs = dev_docs(dev)
    for path in sorted(directory.glob("*.jsonl")) if directory.is_dir() else ():
        if path.name.startswith(PHOTOS):
            continue
        docs += [Doc(r["id"], r["collection"], r["source"], r["doc_type"], r.get("lang", ""),
                     r["text"], dict(r.get("gold") or {})) for r in _rows(path)]
    return docs


# -- the committed training rows -----------------------------------------------------
@dataclass(frozen=True)
class Row:
    id: str
    collection: str
    source: str
    doc_type: str
    lang: str
    x: Features


DIGITS = 4
_META = ("id", "collection", "source", "doc_type", "lang")


def to_row(doc: Doc, groups: Sequence[str], buckets: int) -> Row:
    f = features(doc.text, groups, buckets)
    hashed = {i: round(v, DIGITS) for i, v in sorted(f.hashed.items()) if round(v, DIGITS)}
    dense = {k: round(v, DIGITS) for k, v in sorted(f.dense.items())}
    return Row(doc.id, doc.collection, doc.source, doc.doc_type, doc.lang,
               Features(hashed, dense))


def write_rows(rows: Sequence[Row], path: Path) -> None:
    """The rows as numpy arrays in a zip: per row its buckets' gaps (ascending buckets,
    so small numbers that compress) and values, and its dense features (the same names
    in every row); the same rows give the same bytes."""
    import numpy as np

    names = sorted(rows[0].x.dense) if rows else []

    gaps: list[int] = []
    values: list[float] = []
    ends: list[int] = []
    for r in rows:
        buckets = sorted(r.x.hashed)
        gaps += [b - a for a, b in zip([0, *buckets], buckets, strict=False)]
        values += [r.x.hashed[b] for b in buckets]
        ends.append(len(gaps))
    arrays: dict[str, Any] = {
        "gaps": np.array(gaps, dtype=np.uint16), "values": np.array(values, np.float32),
        "ends": np.array(ends, dtype=np.int64), "dense_names": np.array(names, dtype=str),
        "dense": np.array([[r.x.dense[k] for k in names] for r in rows], np.float32
                          ).reshape(len(rows), len(names)),
        **{k: np.array([getattr(r, k) for r in rows], dtype=str) for k in _META}}
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, array, allow_pickle=False)
            archive.writestr(zipfile.ZipInfo(f"{name}.npy", (1980, 1, 1, 0, 0, 0)),
                             buffer.getvalue(), zipfile.ZIP_DEFLATED)


def read_rows(path: Path = ROWS) -> list[Row]:
    import numpy as np

    if not path.is_file():
        return []
    with np.load(path, allow_pickle=False) as z:
        gaps, values, ends = z["gaps"], z["values"], z["ends"]
        names, dense = z["dense_names"].tolist(), z["dense"]
        meta = {k: z[k].tolist() for k in _META}
    rows, start = [], 0
    for n, end in enumerate(ends.tolist()):
        buckets = np.cumsum(gaps[start:end], dtype=np.int64).tolist()
        hashed = {b: round(float(v), DIGITS) for b, v in zip(buckets, values[start:end],
                                                             strict=True)}
        dense_row = {k: round(float(v), DIGITS) for k, v in zip(names, dense[n], strict=True)}
        rows.append(Row(meta["id"][n], meta["collection"][n], meta["source"][n],
                        meta["doc_type"][n], meta["lang"][n], Features(hashed, dense_row)))
        start = end
    return rows


def _use(collection: str) -> str:
    if collection in HELD_OUT:
        return "no: held out, measured only"
    return TRAINABLE.get(collection, "no: measured only")


def stats(docs: Sequence[Doc]) -> str:
    by = Counter((d.collection, d.doc_type) for d in docs)
    sources = {key: len({d.source for d in docs if (d.collection, d.doc_type) == key})
               for key in by}
    out = [f"{'collection':<22}{'type':<20}{'docs':>6}{'sources':>9}  trainable"]
    for (collection, doc_type), n in sorted(by.items()):
        out.append(f"{collection:<22}{doc_type:<20}{n:>6}{sources[collection, doc_type]:>9}  "
                   f"{_use(collection)}")
    out.append(f"{'':<42}{len(docs):>6}{len({d.source for d in docs}):>9}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    from .train_router import BUCKETS, GROUPS

    parser = argparse.ArgumentParser(prog="python -m lab.corpus")
    parser.add_argument("what", choices=["stats", "rows"])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=ROWS)
    args = parser.parse_args(argv)
    docs = load(args.corpus)
    if args.what == "stats":
        print(stats(docs))
        return 0
    rows = [to_row(d, GROUPS, BUCKETS) for d in docs if d.collection in TRAINABLE]
    write_rows(rows, args.out)
    print(f"{args.out}: {len(rows)} documents from "
          f"{len({r.collection for r in rows})} collections")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
