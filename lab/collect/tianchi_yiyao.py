"""Chinese medicine package inserts (说明书) from the Tianchi "万创杯" TCM entity
recognition contest, as hard negatives (other): drug documents that are neither a
prescription nor any other type.

Reads GuocaiL/nlp_corpus at COMMIT: ``*.txt`` under FOLDER's ``train/`` (1,000) and
``chusai_xuanshou/`` (500), one insert each with its sections (indications,
dosage, cautions, maker...) run together, two spaces between sections; the sections
are put back on lines of their own. Every STRIDE-th insert in number order is taken
(SIZE at most), repeats dropped. The source is the release batch. No gold (the
contest's labels are drug entities, no field of ours).

    python -m lab.collect.tianchi_yiyao --mirror /work/.mirror/GuocaiL+nlp_corpus/repo
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from . import mirror_text as mt

COLLECTION = "tianchi_yiyao"
COMMIT = "f924a9e1117d14572cd1ea13e2e62538101328b4"
FOLDER = "open_ner_data/tianchi_yiyao/"
BATCHES = {"train": "train/", "chusai": "chusai_xuanshou/"}
STRIDE = 6
SIZE = 250


def sections(text: str) -> str:
    """An insert with its sections (two or more spaces apart) on lines of their own."""
    return "\n".join(p.strip() for p in re.split(r"[ \u3000]{2,}|\n", text) if p.strip())


def number(path: str) -> int:
    stem = PurePosixPath(path).stem
    return int(stem) if stem.isdigit() else -1


def build(mirror: Path) -> list[mt.Row]:
    rows: list[mt.Row] = []
    for batch, sub in BATCHES.items():
        files = mt.list_files(mirror, COMMIT, FOLDER + sub)
        paths = sorted((p for p in files if p.endswith(".txt")), key=number)
        for path, data in mt.read_blobs(mirror, COMMIT, paths[::STRIDE]).items():
            text = sections(mt.app_text(PurePosixPath(path).name, data) or "")
            if text:
                rows.append(mt.row(COLLECTION, f"{batch}-{PurePosixPath(path).stem}", batch,
                                   "other", "zh", text, {}))
    return mt.dedupe(rows)[:SIZE]


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, build, __doc__ or ""))
