"""Home-cooking recipes from based.cooking, written by its contributors, as ``other``.

Reads LukeSmithxyz/based.cooking at COMMIT: ``content/<recipe>.md`` (front matter with
title and author, then ingredients and directions), released into the public domain
(The Unlicense). Each recipe is headed by its title, turned into plain text
(``markdown_text.plain``) and cut to its first ``LIMIT`` characters; the language is
guessed (mostly English). The source is the author named in the front matter
("unknown" when none), at most PER_SOURCE each, and at most TOTAL in all, the
ones whose path's SHA-256 comes first. No gold.

    python -m lab.collect.based_cooking --mirror /work/.mirror/LukeSmithxyz+based.cooking/repo
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from . import markdown_text as md
from . import mirror_text as mt

COLLECTION = "based_cooking"
COMMIT = "2d8642ec41ccc6162ec3123c15024dd3d22cc33b"
FOLDER = "content/"
PER_SOURCE = 20
TOTAL = 150


def build(mirror: Path) -> list[mt.Row]:
    paths = [p for p in mt.list_files(mirror, COMMIT, FOLDER)
             if p.endswith(".md") and p.count("/") == 1 and not p.endswith("_index.md")]
    blobs = mt.read_blobs(mirror, COMMIT, paths)
    recipes: dict[str, tuple[str, str]] = {}
    for path, data in blobs.items():
        source = mt.app_text(PurePosixPath(path).name, data) or ""
        fields = md.front_matter(source)[0]
        text = md.clip("\n\n".join(t for t in (fields.get("title", ""), md.plain(source)) if t))
        if len(text) >= 200:
            recipes[path] = (fields.get("author", "").strip() or "unknown", text)
    author = {p: a.casefold() for p, (a, _) in recipes.items()}
    chosen = sorted(md.spread(recipes, author, PER_SOURCE),
                    key=lambda p: hashlib.sha256(p.encode()).hexdigest())[:TOTAL]
    rows = [mt.row(COLLECTION, PurePosixPath(p).stem, recipes[p][0], "other",
                   mt.guess_lang(recipes[p][1]), recipes[p][1], {}) for p in sorted(chosen)]
    return mt.dedupe(rows)


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, build, __doc__ or ""))
