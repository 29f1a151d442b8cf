"""MTSamples medical transcriptions (English): clinical notes, discharge summaries and
pathology reports.

Reads kdpsingh/clinspacy at COMMIT: data/mtsamples.rda, the Kaggle scrape of
mtsamples.com (note_id, description, medical_specialty, sample_name, transcription,
keywords) saved by R (bzip2, XDR serialisation; read here by `read_rdata`, no R needed).
The scrape lists a transcription once per category it is filed under (a clinical
specialty and a document kind such as "Discharge Summary"), so texts are deduplicated
(exact, then near-identical ones), and the document kind decides doc_type:
  Discharge Summary (or a sample named "... Discharge Summary") -> discharge_summary;
  SOAP / Chart / Progress Notes, Consult - History and Phy., Office Notes,
  Emergency Room Reports -> clinical_note; pathology reports filed under
  Lab Medicine - Pathology -> lab_report. Everything else is left out.
The source is the clinical specialty (the document kind when there is no other).
The scrape turned line breaks into commas; `restore_breaks` turns ".," and ":," back
into line breaks. No gold: the collection labels no fields.

    python -m lab.collect.mtsamples --mirror /work/.mirror/kdpsingh+clinspacy/repo
"""

from __future__ import annotations

import bz2
import hashlib
import json
import re
import struct
from pathlib import Path
from typing import Any

from lab.collect import mirror_text as mt
from lab.collect.yidu_s4k import shingles

COLLECTION = "mtsamples"
COMMIT = "2efc73a3dbd152cb57aa65e263ae37310e068c61"
KINDS = {
    "Discharge Summary": "discharge_summary",
    "SOAP / Chart / Progress Notes": "clinical_note",
    "Consult - History and Phy.": "clinical_note",
    "Office Notes": "clinical_note",
    "Emergency Room Reports": "clinical_note",
    "Letters": "",
}
PATHOLOGY = re.compile(r"patholog|path report|immunohisto", re.IGNORECASE)
MAX_BYTES = 5_000_000


def read_rdata(data: bytes) -> Any:
    """The objects of an uncompressed XDR .rda (RDX2/RDX3): pairlists as dicts, vectors as
    lists, a vector with attributes as (values, attributes). Enough for a data.frame."""
    if data[:5] not in (b"RDX2\n", b"RDX3\n") or data[5:7] != b"X\n":
        raise ValueError("not an XDR R data file")
    pos = 7

    def int32() -> int:
        nonlocal pos
        pos += 4
        return int(struct.unpack(">i", data[pos - 4 : pos])[0])

    version = int32()
    int32(), int32()
    if version == 3:
        pos += int32()  # native encoding name
    refs: list[Any] = []

    def item() -> Any:
        nonlocal pos
        flags = int32()
        kind = flags & 0xFF
        if kind in (242, 250, 251, 253, 254):  # empty env, base env, missing arg, global env, NULL
            return None
        if kind == 255:  # reference to an earlier symbol
            return refs[(flags >> 8) - 1]
        if kind == 1:  # symbol
            refs.append(item())
            return refs[-1]
        if kind == 2:  # pairlist
            out: dict[Any, Any] = {}
            while kind == 2:
                if flags & 512:
                    item()
                tag = item() if flags & 1024 else None
                out[tag] = item()
                flags = int32()
                kind = flags & 0xFF
            if kind != 254:
                raise ValueError(f"pairlist ends with type {kind}")
            return out
        if kind == 9:  # string
            size = int32()
            if size == -1:
                return None
            pos += size
            return data[pos - size : pos].decode("latin-1" if flags & (1 << 14) else "utf-8")
        size = int32()
        values: list[Any]
        if kind in (10, 13):
            values, pos = (
                list(struct.unpack(f">{size}i", data[pos : pos + 4 * size])),
                pos + 4 * size,
            )
        elif kind == 14:
            values, pos = (
                list(struct.unpack(f">{size}d", data[pos : pos + 8 * size])),
                pos + 8 * size,
            )
        elif kind in (16, 19, 20):
            values = [item() for _ in range(size)]
        else:
            raise ValueError(f"unsupported R type {kind}")
        return (values, item()) if flags & 512 else values

    return item()


def data_frame(obj: Any) -> list[dict[str, Any]]:
    columns, attributes = obj
    names = attributes["names"]
    columns = [c[0] if isinstance(c, tuple) else c for c in columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def restore_breaks(text: str) -> str:
    return re.sub(r"([.:])[ \t]*,[ \t]*", r"\1\n", text).strip()


def doc_type(categories: list[str], sample_name: str) -> str:
    if "Discharge Summary" in categories or "discharge summary" in sample_name.lower():
        return "discharge_summary"
    for category in categories:
        if KINDS.get(category):
            return KINDS[category]
    if "Lab Medicine - Pathology" in categories and PATHOLOGY.search(sample_name):
        return "lab_report"
    return ""


def source(categories: list[str]) -> str:
    specialties = [c for c in categories if c not in KINDS]
    return (specialties or categories)[0]


def documents(mirror: Path) -> list[mt.Row]:
    frame = read_rdata(bz2.decompress(mt.read_blob(mirror, COMMIT, "data/mtsamples.rda")))
    rows = data_frame(frame["mtsamples"])
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        text = restore_breaks(row["transcription"] or "")
        if text:
            grouped.setdefault(" ".join(text.split()), []).append(row)
    docs: list[mt.Row] = []
    kept: list[set[str]] = []
    for group in grouped.values():
        categories = [str(r["medical_specialty"]).strip() for r in group]
        kind = doc_type(categories, str(group[0]["sample_name"] or ""))
        text = restore_breaks(group[0]["transcription"])
        grams = shingles(text)
        if not kind or any(mt.similar(grams, other) for other in kept):
            continue
        kept.append(grams)
        note_id = min(int(r["note_id"]) for r in group)
        docs.append(mt.row(COLLECTION, str(note_id), source(categories), kind, "en", text, {}))
    return cap(sorted(docs, key=lambda d: int(str(d["id"]).split("/")[1])))


def cap(docs: list[mt.Row]) -> list[mt.Row]:
    """At most MAX_BYTES of JSON lines: documents kept in the order of a hash of their id."""
    size = sum(len(json.dumps(d, ensure_ascii=False).encode()) + 1 for d in docs)
    if size <= MAX_BYTES:
        return docs
    kept, total = set(), 0
    for doc in sorted(docs, key=lambda d: hashlib.sha256(str(d["id"]).encode()).hexdigest()):
        line = len(json.dumps(doc, ensure_ascii=False).encode()) + 1
        if total + line <= MAX_BYTES:
            kept.add(doc["id"])
            total += line
    return [d for d in docs if d["id"] in kept]


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, documents, __doc__))
