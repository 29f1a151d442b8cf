"""Mozilla's legal documents (privacy notices, terms of use, policies) in English,
German, French, Spanish, Chinese and a few more languages, as ``other``.

Reads mozilla/legal-docs at COMMIT: ``<locale>/<document>.md`` (and ``en/archive/``),
one Markdown file per document and translation, licensed CC BY-SA 3.0. Each is turned
into plain text (``markdown_text.plain``) and cut to its first ``LIMIT`` characters. The
source is the document (``firefox_privacy_notice``: its translations go together), the
language the locale's. No gold.

    python -m lab.collect.mozilla_legal --mirror /work/.mirror/mozilla+legal-docs/repo
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from . import markdown_text as md
from . import mirror_text as mt

COLLECTION = "mozilla_legal"
COMMIT = "f098c17556ff822c17f4b6bd591c9b459be2f183"
LOCALES = {"en": "en", "de": "de", "fr": "fr", "es": "es", "es-ES": "es", "zh-CN": "zh",
           "zh-TW": "zh", "it": "it", "nl": "nl", "pl": "pl"}


def document(path: str) -> tuple[str, str] | None:
    """(locale, document name) of a document's Markdown file, else None."""
    parts = PurePosixPath(path).parts
    if not path.endswith(".md") or parts[0] not in LOCALES:
        return None
    if len(parts) == 2 or (len(parts) == 3 and parts[1] == "archive"):
        return parts[0], PurePosixPath(path).stem
    return None


def build(mirror: Path) -> list[mt.Row]:
    paths = {p: d for p in mt.list_files(mirror, COMMIT, ".") if (d := document(p))}
    rows: list[mt.Row] = []
    for path, data in mt.read_blobs(mirror, COMMIT, sorted(paths)).items():
        locale, name = paths[path]
        text = md.clip(md.plain(mt.app_text(PurePosixPath(path).name, data) or ""))
        if len(text) >= 200:
            doc_id = path.removesuffix(".md").replace("/", "-")
            rows.append(mt.row(COLLECTION, doc_id, name, "other", LOCALES[locale], text, {}))
    return mt.dedupe(rows)


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, build, __doc__ or ""))
