"""BBC News articles (2004-2005) as hard negatives (other): prose full of money,
dates and company names that is no document of ours.

Reads dejanbatanjac/bbc-article-classify-bert at COMMIT: ``bbc/<topic>/NNN.txt``, the
2,225 articles of Greene and Cunningham's BBC dataset in five topics (business,
entertainment, politics, sport, tech), headline on the first line. The first
PER_TOPIC articles of each topic in number order, repeats dropped. The source is the
topic. No gold.

    python -m lab.collect.bbc_news \
        --mirror /work/.mirror/dejanbatanjac+bbc-article-classify-bert/repo
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from . import mirror_text as mt

COLLECTION = "bbc_news"
COMMIT = "8265dc84e88b82b87ce7f5b2df5bbbb1159ae922"
FOLDER = "bbc/"
PER_TOPIC = 30


def build(mirror: Path) -> list[mt.Row]:
    topics: dict[str, list[str]] = {}
    for p in mt.list_files(mirror, COMMIT, FOLDER):
        parts = p[len(FOLDER):].split("/")
        if len(parts) == 2 and parts[1].endswith(".txt"):
            topics.setdefault(parts[0], []).append(p)
    rows: list[mt.Row] = []
    for topic in sorted(topics):
        for path, data in mt.read_blobs(mirror, COMMIT, topics[topic][:PER_TOPIC]).items():
            text = (mt.app_text(PurePosixPath(path).name, data) or "").strip()
            if text:
                rows.append(mt.row(COLLECTION, f"{topic}-{PurePosixPath(path).stem}", topic,
                                   "other", "en", text, {}))
    return mt.dedupe(rows)


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, build, __doc__ or ""))
