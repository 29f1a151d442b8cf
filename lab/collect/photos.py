"""Real receipt images with a clean transcription and gold fields, to judge the OCR
reader on end to end (issue 22).

Three sources, three looks:

- ``sroie``: flatbed scans of Malaysian receipts from SROIE's *test* split (never its
  train split: that is the dev set). The images are the 43 test receipts that
  NjoyimPeguy/ICDAR-2019-RRC-SROIE committed under ``text_localization/demo/images/``
  at one time or another (every commit up to ``SROIE_IMAGES_COMMIT`` is read); the
  transcription and gold come from jsdnrs/ICDAR2019-SROIE's ``data/test/metadata.jsonl``
  (the competition's boxes and entities, CC BY 4.0), the boxes put back into printed
  lines as ``lab.sroie`` does it. A receipt whose text is nearly that of a dev receipt
  (SROIE reuses a few receipts across its splits) is left out.
- ``wildreceipt``: phone photos, mostly of US receipts, from WildReceipt's test split
  in jenashauryasikt/SD_internship (images and labelled boxes), text and gold made as
  ``lab.collect.wildreceipt`` makes them. The receipts whose total and date are both
  labelled and printed, in the order of their ids (SHA-1 names), first ``WILD_N``.
- ``wildreceipt_tune``: the tuning set for the OCR (the only photos that may be looked
  at to tune it): the next ``WILD_TUNE_N`` receipts of the same list, chosen by the
  same rules. Not the train split: its labels (``train.txt``) are not in the snapshot
  (over the fetch size limit), only its images; these receipts are test-split ones
  that no photos_wildreceipt row holds.
- ``softmatic``: 300 dpi flatbed scans of German receipts (Aldi, Lidl, Real, dm,
  Saturn...) from softmatic/vision-data (CC BY 4.0). Its gold is in the file names
  (``$MERCHANT_$DDMMYYYY_$ITEMS_$CENTS``): the date (written ISO, ``2020-03-02``, since
  the name does not say how the receipt prints it) and the total (``24,23``); the
  merchant is a slug there (``aldi``, ``tanke``), so no merchant gold. It has **no human
  transcription**: the text is the AWS Textract OCR published beside each scan (its LINE
  blocks put back into lines), marked ``"transcription": "ocr:aws-textract"``, and its
  gold is not checked against that text. The uncropped copy of a cropped scan is left out.

Writes ``<out>/photos/<source>/<id>.jpg`` (the image bytes as committed) and
``<out>/photos_<source>.jsonl``, one line per image: the corpus row (``lab/corpus.py``)
plus ``image`` (relative to ``<out>``), ``width``, ``height`` and ``transcription``
(``human``, or the OCR that made the text). Gold holds total, date and merchant as
printed, each only when the human transcription prints it.

    python -m lab.collect.photos --mirrors /work/.mirror [--out .corpus]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import statistics
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from PIL import Image

from lab.corpus import DEV
from lab.sroie import convert as sroie_convert
from lab.sroie import lines

from . import mirror_text as mt
from . import wildreceipt

SROIE_IMAGES = "NjoyimPeguy/ICDAR-2019-RRC-SROIE"
SROIE_IMAGES_COMMIT = "c974d5c88bc8368f46e85fd6ff617656f5ac271e"
SROIE_IMAGE_DIR = "text_localization/demo/images/"
SROIE_LABELS = "jsdnrs/ICDAR2019-SROIE"
SROIE_LABELS_COMMIT = "77c4c11490e3c4179ee22f86611569c71c04b5f9"
WILD = "jenashauryasikt/SD_internship"
WILD_N = 100
WILD_TUNE_N = 100
SOFTMATIC = "softmatic/vision-data"
SOFTMATIC_COMMIT = "9062febd225986dc567777015f11d3db3a363086"
SOFTMATIC_DIR = "2D/Receipts"
_SOFTMATIC_NAME = re.compile(r"[a-z]+_(?P<date>\d{8})(?:_\d{2})?_(?P<cents>\d{5,})(?:_B)?")
FIELDS = ("total", "date", "merchant")


def mirror_of(mirrors: Path, repo: str) -> Path:
    """The git directory ``fetch`` made for ``repo`` under ``mirrors``."""
    return mirrors / repo.replace("/", "+") / "repo"


def history_files(mirror: Path, commit: str, folder: str) -> dict[str, tuple[str, str]]:
    """Every file that was ever under ``folder`` in ``commit``'s history: its name and
    (the newest commit holding it, its path there); sorted by name."""
    commits = subprocess.run(["git", f"--git-dir={mirror}", "rev-list", commit],  # noqa: S603, S607
                             check=True, capture_output=True, text=True).stdout.split()
    found: dict[str, tuple[str, str]] = {}
    for c in commits:  # newest first: the first commit seen holding a name is kept
        for path in mt.list_files(mirror, c, folder):
            found.setdefault(PurePosixPath(path).name, (c, path))
    return dict(sorted(found.items()))


def size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as im:
        return im.size


def extension(data: bytes) -> str:
    with Image.open(io.BytesIO(data)) as im:
        return {"JPEG": "jpg", "PNG": "png"}[im.format or ""]


def photo_row(source: str, doc_id: str, text: str, gold: dict[str, str | None],
              data: bytes) -> tuple[mt.Row, bytes]:
    collection = f"photos_{source}"
    row = mt.row(collection, doc_id, source, "receipt", "en", text,
                 {k: gold.get(k) for k in FIELDS})
    width, height = size(data)
    row.update(image=f"photos/{source}/{doc_id}.{extension(data)}", width=width,
               height=height, transcription="human")
    return row, data


def dev_grams(dev: Path | None = None) -> list[set[str]]:
    """The shingles of every dev receipt's text."""
    dev = dev or DEV
    if not dev.is_file():
        raise SystemExit(f"the dev set is needed to leave its receipts out: {dev}")
    with dev.open(encoding="utf-8") as f:
        return [mt.shingles(json.loads(x)["text"]) for x in f if x.strip()]


def build_sroie(mirrors: Path, dev: Path | None = None) -> list[tuple[mt.Row, bytes]]:
    images = mirror_of(mirrors, SROIE_IMAGES)
    labels = mirror_of(mirrors, SROIE_LABELS)
    meta = mt.read_blob(labels, SROIE_LABELS_COMMIT, "data/test/metadata.jsonl").decode()
    records = {r["key"]: r for r in map(json.loads, filter(str.strip, meta.splitlines()))}
    seen_dev = dev_grams(dev)
    out = []
    for name, (commit, path) in history_files(images, SROIE_IMAGES_COMMIT,
                                              SROIE_IMAGE_DIR).items():
        doc_id = PurePosixPath(name).stem
        if doc_id not in records:  # not a test receipt (one train receipt is there too)
            continue
        r = sroie_convert(records[doc_id])
        if any(mt.similar(mt.shingles(r["text"]), g) for g in seen_dev):
            continue
        out.append(photo_row("sroie", doc_id, r["text"], r["gold"],
                             mt.read_blob(images, commit, path)))
    return out


def build_wildreceipt(mirrors: Path, n: int = WILD_N, skip: int = 0,
                      source: str = "wildreceipt") -> list[tuple[mt.Row, bytes]]:
    """The first ``n`` receipts that qualify after the first ``skip`` that do."""
    mirror = mirror_of(mirrors, WILD)
    data = mt.read_blob(mirror, wildreceipt.COMMIT, wildreceipt.PATH).decode("utf-8")
    records = sorted((json.loads(x) for x in data.splitlines() if x.strip()),
                     key=lambda r: PurePosixPath(r["file_name"]).stem)
    out: list[tuple[mt.Row, bytes]] = []
    for record in records:
        text, _store, gold = wildreceipt.convert(record)
        if not {"total", "date"} <= mt.grounded(gold, text).keys():
            continue
        path = f"wildreceipt/{record['file_name']}"
        blob = mt.read_blobs(mirror, wildreceipt.COMMIT, [path]).get(path)
        if blob is None:  # not in the snapshot
            continue
        if skip:
            skip -= 1
            continue
        out.append(photo_row(source, PurePosixPath(path).stem, text, gold, blob))
        if len(out) == n:
            break
    return out


def softmatic_gold(stem: str) -> tuple[str, dict[str, str | None]] | None:
    """(the receipt's key, gold) from a ``$MERCHANT_$DDMMYYYY[_$ITEMS]_$CENTS[_B]`` name;
    None for a name of another shape. The key is the same for the cropped and the
    uncropped scan of one receipt."""
    m = _SOFTMATIC_NAME.fullmatch(stem)
    if m is None:
        return None
    day, cents = m["date"], int(m["cents"])
    gold = {"date": f"{day[4:]}-{day[2:4]}-{day[:2]}", "total": f"{cents // 100},{cents % 100:02d}",
            "merchant": None}
    return stem.removesuffix("_B"), gold


def softmatic_text(blocks: list[dict[str, Any]]) -> str:
    """Textract's LINE blocks as printed lines, top to bottom."""
    found = [(b["Text"], b["Geometry"]["BoundingBox"]) for b in blocks
             if b.get("BlockType") == "LINE" and b.get("Text", "").strip()]
    boxes = [[g["Left"], g["Top"], g["Left"] + g["Width"], g["Top"] + g["Height"]]
             for _, g in found]
    return "\n".join(lines([t for t, _ in found], boxes))


def build_softmatic(mirrors: Path) -> list[tuple[mt.Row, bytes]]:
    mirror = mirror_of(mirrors, SOFTMATIC)
    paths = [p for p in mt.list_files(mirror, SOFTMATIC_COMMIT, SOFTMATIC_DIR)
             if p.endswith(".jpg")]
    out: list[tuple[mt.Row, bytes]] = []
    seen: set[str] = set()
    for path in paths:  # sorted: the cropped scans (A/) before the uncropped copies
        stem = PurePosixPath(path).stem
        parsed = softmatic_gold(stem)
        if parsed is None or parsed[0] in seen:
            continue
        seen.add(parsed[0])
        blobs = mt.read_blobs(mirror, SOFTMATIC_COMMIT, [path, path[:-4] + "_blocks.json"])
        if len(blobs) < 2:
            continue
        text = softmatic_text(json.loads(blobs[path[:-4] + "_blocks.json"]))
        row, data = photo_row("softmatic", stem, text, {}, blobs[path])
        row["gold"] = {k: v for k, v in parsed[1].items() if v}  # not grounded: OCR text
        row["lang"] = "de"
        row["transcription"] = "ocr:aws-textract"
        out.append((row, data))
    return out


def build_wildreceipt_tune(mirrors: Path) -> list[tuple[mt.Row, bytes]]:
    """The tuning set: the next ``WILD_TUNE_N`` qualifying receipts after the test
    photos' ``WILD_N`` (the train split's labels are not in the snapshot)."""
    return build_wildreceipt(mirrors, WILD_TUNE_N, skip=WILD_N, source="wildreceipt_tune")


Builder = Callable[[Path], list[tuple[mt.Row, bytes]]]
BUILDERS: dict[str, Builder] = {"sroie": build_sroie, "wildreceipt": build_wildreceipt,
                                "wildreceipt_tune": build_wildreceipt_tune,
                                "softmatic": build_softmatic}


def write(source: str, items: Iterable[tuple[mt.Row, bytes]], out: Path) -> list[mt.Row]:
    folder = out / "photos" / source
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for row, data in items:
        (out / row["image"]).write_bytes(data)
        rows.append(row)
    mt.write_rows(rows, out / f"photos_{source}.jsonl")
    return rows


def describe(rows: list[Any]) -> str:
    pixels = statistics.median(r["width"] * r["height"] for r in rows) if rows else 0
    return f"{mt.summary(rows)}, median {pixels / 1e6:.2f} Mpx"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lab.collect.photos",
                                 description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--mirrors", type=Path, required=True,
                    help="the folder holding the fetched git directories")
    ap.add_argument("--out", type=Path, default=Path(".corpus"))
    ap.add_argument("--source", choices=sorted(BUILDERS), action="append")
    args = ap.parse_args(argv)
    for source in args.source or sorted(BUILDERS):
        rows = write(source, BUILDERS[source](args.mirrors), args.out)
        print(f"photos_{source}: {describe(rows)} -> {args.out / f'photos_{source}.jsonl'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
