"""Chinese home-cooking recipes (程序员做饭指南, HowToCook), as ``other``.

Reads Anduin2017/HowToCook at COMMIT: ``dishes/<category>/[<dish>/]<dish>.md``, one
recipe each (ingredients, amounts, steps), released into the public domain (The
Unlicense). Each recipe is turned into plain text (``markdown_text.plain``) and cut to
its first ``LIMIT`` characters. The source is the category (meat_dish, staple, soup,
...), at most PER_SOURCE of each (``markdown_text.spread``). No gold.

    python -m lab.collect.howtocook --mirror /work/.mirror/Anduin2017+HowToCook/repo
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from . import markdown_text as md
from . import mirror_text as mt

COLLECTION = "howtocook"
COMMIT = "cbeb536760320efe24f9a61fe354a318d5887e30"
FOLDER = "dishes/"
PER_SOURCE = 20
SKIP = {"template"}


def build(mirror: Path) -> list[mt.Row]:
    category = {p: PurePosixPath(p).parts[1] for p in mt.list_files(mirror, COMMIT, FOLDER)
                if p.endswith(".md") and p.count("/") >= 2}
    category = {p: c for p, c in category.items() if c not in SKIP}
    rows: list[mt.Row] = []
    chosen = md.spread(category, category, PER_SOURCE)
    for path, data in mt.read_blobs(mirror, COMMIT, chosen).items():
        text = md.clip(md.plain(mt.app_text(PurePosixPath(path).name, data) or ""))
        if len(text) >= 100:
            doc_id = f"{category[path]}-{PurePosixPath(path).stem}"
            rows.append(mt.row(COLLECTION, doc_id, category[path], "other", "zh", text, {}))
    return mt.dedupe(rows)


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, build, __doc__ or ""))
