"""Portfolio Performance's PDF-import test documents: the text of real, anonymised
account statements (bank_statement) and broker notices (other: hard negatives).

Reads portfolio-performance/portfolio at COMMIT: ``*.txt`` under FOLDER/<bank>/, each
the text PDFBox extracted from one document a user sent in (names, numbers and
addresses replaced), from about 130 banks and brokers in Germany, Austria,
Switzerland, the Netherlands, France, Spain, Italy, the UK and elsewhere. The
source is the bank's folder.

The type comes from the file's name without its number (its kind: ``Kontoauszug``,
``Kauf``...), named by the project for what the document is:
- bank_statement: an account's statement of balance and bookings (STATEMENT:
  Kontoauszug and its Giro/Kredit/Tagesgeld variants, Rechnungsabschluss,
  Periodenauszug, Kontoumsaetze, AccountStatement, ReleveDeCompte, EstrattoConto,
  Rekeningoverzicht, Rekeninguittreksel, TransaccionesDeCuenta);
- other: a notice of one securities transaction or corporate action (NOTICE: buy,
  sell, dividend, savings-plan run, interest, redemption, split, merger, exchange, in
  any of the project's languages), tax notices (``Steuer...``) aside;
- anything else (securities-account and tax statements, reports, transfers) is left
  out: it is neither clearly a bank statement nor clearly none of the types.

The test harness's lines at the top (``PDFBox Version: ...``, ``Portfolio Performance
Version: ...``, ``System: ...``, ``PDF Autor: ...``, a Markdown fence, the dashed line
under them) are dropped. At most CAP documents a bank and type, taken in turn from
each kind in name order, so no bank dominates; a near-repeat of a document of the
same bank is dropped first, and so is a file the app's reader refuses (control
characters left by the PDF extraction). Gold, for statements only: the bank, when one of the
strings by which the project's extractor recognises that bank's documents
(``addBankIdentifier("...")``) is printed in the text (the one printed first).

    python -m lab.collect.portfolio_pdf --mirror /work/.mirror/portfolio-performance+portfolio/repo
"""

from __future__ import annotations

import re
from itertools import zip_longest
from pathlib import Path, PurePosixPath

from . import mirror_text as mt

COLLECTION = "portfolio_pdf"
COMMIT = "d26a30f6a2e27e50b803573c111f88cbe9fd4df4"
FOLDER = "name.abuchen.portfolio.tests/src/name/abuchen/portfolio/datatransfer/pdf/"
EXTRACTORS = "name.abuchen.portfolio/src/name/abuchen/portfolio/datatransfer/pdf/"
CAP = 15
STATEMENT = re.compile(r"kontoauszug|rechnungsabschluss|periodenauszug|kontoumsaetze|"
                       r"accountstatement|relevedecompte|estrattoconto|rekeningoverzicht|"
                       r"rekeninguittreksel|transaccionesdecuenta", re.I)
NOTICE = re.compile(r"kauf|dividend|buy|sell|achat|vente|compra|venta|acquisto|aankoop|"
                    r"verkoop|sparplan|fondabrechnung|zinsabrechnung|tilgung|split|fusion|"
                    r"umtausch", re.I)
_HARNESS = re.compile(r"^\W{0,3}(?:P?DFBox Version|Portfolio Performance Version|System|"
                      r"P?DF[ -]?(?:Autor|Author|auteur)|Autor PDF)\s*:", re.I)
_DASHES = re.compile(r"-{10,}")
_IDENTIFIER = re.compile(r'addBankIdentifier\("((?:[^"\\]|\\.)*)"\)')
_NOT_A_NAME = re.compile(r"^\d|@|://|\.[a-z]{2,}$|\d\s*$|^[A-Z]{6}[A-Z0-9]{2,5}$|statement", re.I)
_EXTRACTOR = re.compile(r"new\s+(\w+PDFExtractor)\s*\(")


def kind(path: str) -> str:
    """A test document's kind: its file name less the number (``Kauf`` for ``Kauf12.txt``)."""
    return re.sub(r"[\d_]+$", "", PurePosixPath(path).stem)


def doc_type(kind: str) -> str | None:
    if STATEMENT.search(kind):
        return "bank_statement"
    if NOTICE.search(kind) and not kind.casefold().startswith("steuer"):
        return "other"
    return None


def strip_harness(text: str) -> str:
    """The document's text without the test harness's lines around it."""
    lines = text.split("\n")
    cut = 0
    for i, line in enumerate(lines[:12]):
        s = line.strip().lstrip("\ufeff")
        if not s or s.strip("`#") == "" or _HARNESS.match(s.lstrip("`#")):
            cut = i + 1
        elif _DASHES.fullmatch(s) and cut:
            cut = i + 1
            break
        else:
            break
    body = lines[cut:]
    while body and body[-1].strip() in ("", "```"):
        body.pop()
    return "\n".join(body).strip("\n")


def take_in_turn(paths: list[str], cap: int) -> list[str]:
    """Up to ``cap`` paths, one of each kind in turn (kinds and paths in name order)."""
    by_kind: dict[str, list[str]] = {}
    for p in sorted(paths):
        by_kind.setdefault(kind(p), []).append(p)
    turns = zip_longest(*(by_kind[k] for k in sorted(by_kind)))
    return [p for turn in turns for p in turn if p is not None][:cap]


def identifiers(java: str) -> list[str]:
    """The strings an extractor recognises its bank's documents by that are names: not
    an address, postcode, e-mail, web site, bank code, BIC or a document title."""
    found = [s.replace('\\"', '"').strip() for s in _IDENTIFIER.findall(java)]
    return [s for s in found if s and not _NOT_A_NAME.search(s)]


def bank_gold(text: str, names: list[str]) -> dict[str, str]:
    """The bank: of the extractor's names printed in ``text``, the one printed first."""
    flat = mt.squash(text)
    found = sorted((flat.find(mt.squash(n)), n) for n in names if mt.squash(n) in flat)
    return {"bank": found[0][1]} if found else {}


def build(mirror: Path) -> list[mt.Row]:
    files = mt.list_files(mirror, COMMIT, FOLDER)
    banks: dict[str, list[str]] = {}
    for p in files:
        parts = p[len(FOLDER):].split("/")
        if len(parts) == 2 and p.endswith(".txt") and doc_type(kind(p)):
            banks.setdefault(parts[0], []).append(p)
    rows: list[mt.Row] = []
    for bank in sorted(banks):
        tests = [p for p in files if p.startswith(f"{FOLDER}{bank}/") and p.endswith(".java")]
        classes = {c for java in mt.read_blobs(mirror, COMMIT, tests).values()
                   for c in _EXTRACTOR.findall(java.decode("utf-8", "replace"))}
        sources = mt.read_blobs(mirror, COMMIT, [f"{EXTRACTORS}{c}.java" for c in sorted(classes)])
        names = [n for java in sources.values()
                 for n in identifiers(java.decode("utf-8", "replace"))]
        texts = {p: strip_harness(mt.app_text(PurePosixPath(p).name, data) or "")
                 for p, data in mt.read_blobs(mirror, COMMIT, banks[bank]).items()}
        for wanted in ("bank_statement", "other"):
            candidates = [p for p in banks[bank] if doc_type(kind(p)) == wanted and texts.get(p)]
            unique = {r["id"] for r in mt.dedupe(
                mt.row(COLLECTION, p, bank, wanted, "", texts[p], {}) for p in candidates)}
            for p in take_in_turn([p for p in candidates if f"{COLLECTION}/{p}" in unique], CAP):
                text = texts[p]
                gold = bank_gold(text, names) if wanted == "bank_statement" else {}
                lang = mt.guess_lang(text, "de", ("de", "en", "fr", "es", "it", "nl", "pl"))
                rows.append(mt.row(COLLECTION, f"{bank}/{PurePosixPath(p).stem}", bank, wanted,
                                   lang, text, gold))
    return rows


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, build, __doc__ or ""))
