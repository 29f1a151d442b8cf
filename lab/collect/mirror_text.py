"""What every corpus builder shares (issue 21).

Reading a fetched mirror at one commit, turning a file's bytes into the text the
app would see, keeping only gold values that are printed in that text, dropping
repeated documents, guessing a language, and writing ``.corpus/<collection>.jsonl``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from strongroom.reading import ReadError, read_bytes

Row = dict[str, Any]
NEAR = 0.9  # Jaccard of character 5-grams at or above which two texts are one document


def list_files(mirror: Path, commit: str, folder: str = ".") -> list[str]:
    """Every file path under ``folder`` (the whole tree by default) at ``commit``, sorted."""
    out = subprocess.run(["git", f"--git-dir={mirror}", "ls-tree", "-r", "-z",  # noqa: S603, S607
                          "--name-only", commit, "--", folder],
                         check=True, capture_output=True).stdout
    return sorted(p for p in out.decode().split("\0") if p)


def read_blobs(mirror: Path, commit: str, paths: Iterable[str]) -> dict[str, bytes]:
    """The bytes of each path at ``commit``, read in one ``git cat-file --batch``."""
    paths = list(paths)
    request = "".join(f"{commit}:{p}\n" for p in paths).encode()
    git = ["git", f"--git-dir={mirror}", "cat-file", "--batch"]
    out = subprocess.run(git, input=request, check=True, capture_output=True).stdout  # noqa: S603, S607
    blobs: dict[str, bytes] = {}
    at = 0
    for path in paths:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if header[-1] == b"missing":
            at = end + 1
            continue
        size = int(header[2])
        blobs[path] = out[end + 1:end + 1 + size]
        at = end + 1 + size + 1
    return blobs


def read_blob(mirror: Path, commit: str, path: str) -> bytes:
    """The bytes of one path at ``commit``; KeyError when there is no such file."""
    return read_blobs(mirror, commit, [path])[path]


def app_text(name: str, data: bytes) -> str | None:
    """The text the app's own reader gives for a file of this name and these bytes;
    None when it refuses the file (binary data, no text)."""
    try:
        return read_bytes(name, data).text
    except ReadError:
        return None


def squash(value: str) -> str:
    return "".join(value.split())


def grounded(gold: Mapping[str, str | None], text: str) -> dict[str, str]:
    """The gold values printed in ``text`` (whitespace aside); the others are dropped."""
    flat = squash(text)
    return {k: v.strip() for k, v in gold.items() if v and v.strip() and squash(v) in flat}


def text_key(text: str) -> str:
    """Two documents with the same key are the same document (case, spacing and
    punctuation aside)."""
    return hashlib.sha256(re.sub(r"[\W_]+", "", text.casefold()).encode()).hexdigest()


def shingles(text: str, n: int = 5) -> set[str]:
    flat = re.sub(r"[\W_]+", "", text.casefold())
    return {flat[i:i + n] for i in range(max(1, len(flat) - n + 1))}


def similar(a: set[str], b: set[str], threshold: float = NEAR) -> bool:
    """Jaccard similarity of two shingle sets at or above ``threshold``."""
    if min(len(a), len(b)) < threshold * max(len(a), len(b)):
        return False  # the sizes alone keep the Jaccard below the threshold
    return len(a & b) >= threshold * len(a | b)


def dedupe(rows: Iterable[Row], *, by_source: bool = False) -> list[Row]:
    """The rows in order, less any whose text is the same as or nearly the same as
    (``similar``) a row kept before it; ``by_source`` compares within a source only."""
    seen: set[str] = set()
    kept: list[Row] = []
    grams: dict[str, list[set[str]]] = {}
    for r in rows:
        key = text_key(r["text"])
        pool = grams.setdefault(r["source"] if by_source else "", [])
        mine = shingles(r["text"])
        if key in seen or any(similar(mine, other) for other in pool):
            continue
        seen.add(key)
        pool.append(mine)
        kept.append(r)
    return kept


#: A few words frequent in each language and rare in the others.
STOPWORDS = {
    "en": {"the", "and", "of", "to", "for", "your", "you", "account", "total", "thank", "with"},
    "de": {"der", "die", "und", "das", "mit", "für", "ihr", "ihre", "auf", "summe", "datum"},
    "fr": {"le", "la", "les", "et", "des", "du", "pour", "votre", "vous", "au"},
    "es": {"el", "los", "las", "del", "para", "su", "por", "con", "cuenta"},
    "it": {"il", "di", "della", "per", "gli", "con", "del", "alla", "conto"},
    "nl": {"het", "en", "van", "een", "voor", "uw", "met", "niet", "rekening", "bij"},
    "pl": {"na", "do", "jest", "od", "się", "nie", "oraz", "rachunku", "dla"},
}


def guess_lang(text: str, default: str = "en", among: Iterable[str] | None = None,
               words: Mapping[str, set[str]] = STOPWORDS) -> str:
    """The language (of ``among``, by default all of ``words``) whose frequent ``words``
    (of two letters or more) occur most often in ``text``, at least twice and more often
    than ``default``'s; else ``default``."""
    found = [w for w in re.findall(r"[^\W\d_]+", text.casefold()) if len(w) > 1]
    langs = {*(words if among is None else among), default}
    scores = {lang: sum(w in words[lang] for w in found) for lang in langs}
    best = max(sorted(scores), key=lambda lang: scores[lang])
    return best if scores[best] >= 2 and scores[best] > scores[default] else default


def row(collection: str, doc_id: str, source: str, doc_type: str, lang: str, text: str,
        gold: Mapping[str, str | None]) -> Row:
    return {"id": f"{collection}/{doc_id}", "collection": collection,
            "source": f"{collection}:{source}", "doc_type": doc_type, "lang": lang,
            "text": text, "gold": grounded(gold, text)}


def write_rows(rows: Iterable[Row], out: Path) -> int:
    """Write ``rows`` one JSON object a line; the count written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
    return n


def summary(rows: list[Row]) -> str:
    types: dict[str, int] = {}
    golds: dict[str, int] = {}
    for r in rows:
        types[r["doc_type"]] = types.get(r["doc_type"], 0) + 1
        for k in r["gold"]:
            golds[k] = golds.get(k, 0) + 1
    sources = len({r["source"] for r in rows})
    return f"{len(rows)} documents, {sources} sources, types {types}, gold {golds}"


def main(collection: str, build: Callable[[Path], Iterable[Row]], doc: str | None,
         argv: list[str] | None = None) -> int:
    """The command line every builder shares: ``--mirror GIT_DIR [--out FILE]``."""
    ap = argparse.ArgumentParser(prog=f"python -m lab.collect.{collection}",
                                 description=(doc or "").split("\n\n")[0])
    ap.add_argument("--mirror", type=Path, required=True, help="the fetched git directory")
    ap.add_argument("--out", type=Path, default=Path(".corpus") / f"{collection}.jsonl")
    args = ap.parse_args(argv)
    rows = list(build(args.mirror))
    write_rows(rows, args.out)
    print(f"{collection}: {summary(rows)} -> {args.out}")
    return 0
