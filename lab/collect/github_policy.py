"""GitHub's site policies (terms of service, privacy statement, acceptable use,
content removal, company policies) in English, as ``other``.

Reads github/site-policy at COMMIT: ``Policies/<group>/<policy>.md``, dedicated to the
public domain (CC0 1.0). Each is headed by its front-matter title, turned into plain
text (``markdown_text.plain``) and cut to its first ``LIMIT`` characters. The source is
the policy group (github-terms, acceptable-use-policies, ...). No gold.

    python -m lab.collect.github_policy --mirror /work/.mirror/github+site-policy/repo
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from . import markdown_text as md
from . import mirror_text as mt

COLLECTION = "github_policy"
COMMIT = "12992597c5d9d8cfc006693c54b9609d9993bc99"
FOLDER = "Policies/"


def build(mirror: Path) -> list[mt.Row]:
    paths = [p for p in mt.list_files(mirror, COMMIT, FOLDER)
             if p.endswith(".md") and p.count("/") == 2]
    rows: list[mt.Row] = []
    for path, data in mt.read_blobs(mirror, COMMIT, paths).items():
        source = mt.app_text(PurePosixPath(path).name, data) or ""
        title = md.front_matter(source)[0].get("title", "")
        text = md.clip("\n\n".join(t for t in (title, md.plain(source)) if t))
        if len(text) >= 200:
            group, name = PurePosixPath(path).parts[1], PurePosixPath(path).stem
            rows.append(mt.row(COLLECTION, name, group, "other", "en", text, {}))
    return mt.dedupe(rows)


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, build, __doc__ or ""))
