"""The held-out invoices (issue 21): real invoice PDFs from repositories other than the
two invoice collections the invoice reader was tuned on (``zugferd``, ``invoice2data``).

    python -m lab.collect.invoices_heldout --mirror /work/.mirror \\
        [--against .corpus] [--out .corpus/invoices_heldout.jsonl]

``--mirror`` is the folder holding the fetched repositories, each as
``<owner>+<name>/repo`` (what ``fetch github:<owner>/<name>`` gives); every file is read
at the commit pinned in ``PARTS``. ``--against`` is the folder holding the tuning set's
``zugferd.jsonl`` and ``invoice2data.jsonl``: both must be there, since a document that
repeats one of theirs is dropped.

This set is for **measurement only**: nobody tunes the reader on it or reads its
documents, gold or answers; report aggregate figures only (``strongroom eval``'s table).

Gold, each value kept only as the page prints it (``lab.collect.invoices.invoice_gold``):
- an e-invoice PDF: from the XML it embeds (``lab.collect.zugferd.gold_from_xml``); an
  XML that is not its page's gives no gold;
- a PDF without XML: from the label its repository gives it, read at build time (no
  value is written in this file): Parsee's hand-checked answers (total, currency,
  issuer, date), invoice2data's ``invoices-output.csv`` (date, "Invoice <number> from
  <issuer>", currency, amount), and OCA/edi's test of ``account_invoice_import_simple_pdf``
  (the partner's name, the ``ref`` it searches for, the asserted invoice date, due date
  and ``amount_total``).

Dropped: a text the same as or nearly the same as (``mirror_text.similar``) one kept
before it or one of the tuning set; the same scenario again (same seller, total and
number, the number's year aside: FNFE re-issue their samples with the year changed),
within this set (a dropped document's scenario included) or against the tuning set's gold.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from lab.collect import mirror_text as mt
from lab.collect.invoices import INVOICE_WORDS, invoice_gold, pdf_attachments
from lab.collect.zugferd import gold_from_xml
from strongroom.errors import ReadError
from strongroom.reading import read_bytes

COLLECTION = "invoices_heldout"
#: The collections the invoice reader was tuned on: nothing of theirs may come back here.
TUNING = ("zugferd", "invoice2data")


@dataclass(frozen=True)
class Part:
    """Files of one repository at one commit, and who issued them."""

    repo: str  # owner/name
    commit: str
    paths: tuple[str, ...]  # files, or folders ending in "/" (every PDF below)
    licence: str
    #: the issuer by seller name (as the XML has it); ``None`` = the file's own label
    issuers: tuple[tuple[str, str], ...] = ()
    labels: str | None = None  # how the gold of a PDF without XML is found


PARTS: tuple[Part, ...] = (
    # FNFE's Factur-X 1.0.07 samples (LE FOURNISSEUR / L'ACHETEUR scenarios), each in five
    # profiles: one document per scenario is kept.
    Part("FacturX-NET/FacturXDotNet", "232ae7465ca0a1ca50fb95540c9686fdeab5ee64",
         ("src/Tests.FacturXDotNet/TestFiles/FacturX/3.EN16931/",
          "src/Tests.FacturXDotNet/TestFiles/FacturX/"), "MIT",
         (("LE FOURNISSEUR", "FNFE Factur-X 1.0.07 samples"),)),
    Part("ZUGFeRD/mustangproject", "096db40a9806b0b5202028509dff3563efe7fc8c",
         ("library/src/test/resources/MustangBeispiel20221026.pdf",
          "library/src/test/resources/ZTESTZUGFERD_1_INVDSS_012015738820PDF-1.pdf",
          "library/src/test/resources/zugferd_invoice.pdf",
          "validator/src/test/resources/103767-Invoice-2026-03-24-1.pdf",
          "validator/src/test/resources/Facture_F20180027.pdf"), "Apache-2.0",
         (("weclapp.com", "weclapp"),
          ("Alphabet Fuhrparkmanagement GmbH", "Alphabet Fuhrparkmanagement"),
          ("Kraxi GmbH", "PDFlib (Kraxi sample)"),
          ("CRONUS DE", "Microsoft Dynamics 365 Business Central (CRONUS demo)"),
          ("LE FOURNISSEUR", "FNFE Factur-X 1.0.07 samples"))),
    Part("horstoeko/zugferd", "50e16a129733b4ddfdacd7f9c16e4b0964736f0d",
         ("tests/assets/pdf_fx_extended_1.pdf", "tests/assets/pdf_fx_minimum_1.pdf"), "MIT",
         (("LE FOURNISSEUR", "FNFE Factur-X 1.0.07 samples"),)),
    Part("akretion/factur-x", "5edb9af9186e5f06f446372688e6fdbbd0b790d3",
         ("tests/fixtures/pdf/invoice_EN16931.pdf",), "BSD-3-Clause (LICENSE.txt)",
         (("LE FOURNISSEUR", "FNFE Factur-X 1.0.07 samples"),)),
    # Securibox's own test invoices: a hotel's invoice to Securibox (Factur-X EN16931 and
    # EXTENDED of one invoice, and its plain PDF: one is kept), and FNFE's samples again.
    Part("Securibox/facturx", "6246f77a255b3416cd63d3fcc850f22f38b01279",
         ("Securibox.FacturX.Tests/Invoices/Custom/",
          "Securibox.FacturX.Tests/Invoices/EN16931/"), "MIT",
         (("Société Hôtelière du Pacano", "Société Hôtelière du Pacano"),
          ("LE FOURNISSEUR", "FNFE Factur-X 1.0.07 samples"),
          ("Au bon moulin", "FNFE Factur-X samples (Au bon moulin)"))),
    # iText's ZUGFeRD examples: invoices of a made-up shop, laid out by iText.
    Part("itext/i7js-zugferd", "e60e87b9000752d34f65d1c03ab7a0ead660a81d", ("cmp/",),
         "none stated in the repository (local use only)",
         (("Das Company", "iText (Das Company sample)"),)),
    # PDFlib's later Kraxi sample (another invoice than mustangproject's copy).
    Part("vkresch/pdftoxrechnung", "624c7b721bb451fa83985772f94bf3183979835e",
         ("backend/tests/samples/zugferd1_invoice_pdfa3b.pdf",),
         "none stated in the repository (local use only)",
         (("Kraxi GmbH", "PDFlib (Kraxi sample)"),)),
    # Invoices laid out by TuloSharp's eInvoiceCreator (made-up parties); the PDF/A-3
    # copies carry the XML, the plain copy of the first is the same page.
    Part("TuloSharp/tulo.eInvoiceCreatorZUGFeRD", "07ac72d7b4b4e44465b5e76e135632b771e35d4c",
         ("ReadMeAsserts/6063636771001_PdfA3.pdf",
          "Tests/tulo.CreateZugferdPdfA3Tests/Examples/"), "Apache-2.0",
         (("Lieferant GmbH & Co. KG", "TuloSharp eInvoiceCreator"),)),
    # Parsee's invoice dataset: 15 real invoices (SaaS and services, EN/DE) sent to one
    # company, with the answers Parsee's staff checked by hand (total and currency,
    # issuer, date); the PDF of each is named in the CSV by its SHA-256.
    Part("parsee-ai/parsee-datasets", "1c56cf62bf6b11a1cb8b32eec5f8a1de98d3554f",
         ("datasets/invoices/raw_data/",), "MIT", (), "parsee_csv"),
    Part("OCA/edi", "94addaf1df233ce418a6cb8c2001d705e341c558",
         ("account_invoice_import_simple_pdf/tests/pdf/akretion_france-test.pdf",),
         "AGPL-3.0 (module manifest)", (), "oca_simple_pdf"),
    Part("invoice-x/invoice2data", "c9de822c7f3df6bb8b366eff4adf86cde7d8a1e5",
         ("invoice2data/test/pdfs/2015-01-29 PAYPAL ENVATO MKPL EN 4029357733 AU.pdf",),
         "MIT", (), "invoice2data_csv"),
)


# --- gold for PDFs without XML, from their repository's own test labels -----------------

def csv_fields(csv_text: str, issuer: str) -> dict[str, Any] | None:
    """invoice2data's 2018 ``invoices-output.csv`` row whose ``desc`` is
    ``Invoice <number> from <issuer>``, as ``einvoice_fields``-shaped fields."""
    for rec in csv.DictReader(io.StringIO(csv_text)):
        hit = re.fullmatch(r"Invoice (\S+) from (.+)", rec.get("desc", "").strip())
        if not hit or hit.group(2).casefold() != issuer.casefold():
            continue
        day = dt.datetime.strptime(rec["date"], "%d/%m/%Y").date()
        return {"seller": hit.group(2), "buyer": None, "number": hit.group(1),
                "issue_date": day, "due_date": None,
                "grand_total": Decimal(rec["amount"]), "due_payable": None,
                "currency": rec.get("currency") or None}
    return None


def oca_fields(test_source: str, pdf_name: str) -> dict[str, Any] | None:
    """What OCA's ``test_complete_import`` asserts of the invoice imported from
    ``pdf_name``: the partner it is matched to (its ``name``), the ``ref`` searched for,
    ``invoice_date``, ``invoice_date_due`` and ``amount_total``."""
    var = re.search(r"self\.(\w+)_filename\s*=\s*\"" + re.escape(pdf_name) + '"', test_source)
    if not var:
        return None
    prefix = var.group(1)  # "ak": self.ak_filename, self.partner_ak
    partner = re.search(r"self\.partner_" + prefix + r"\s*=\s*self\.env\[\"res\.partner\"\]"
                        r"\.create\(\s*\{\s*\"name\":\s*\"([^\"]+)\"", test_source)
    test = re.search(r"def test_complete_import\(self\):(.*?)(?=\n    def |\Z)", test_source,
                     re.S)
    if not partner or not test or f"self.{prefix}_pdf_file" not in test.group(1):
        return None
    body = test.group(1)

    def asserted_date(field: str) -> dt.date | None:
        hit = re.search(r"to_string\(inv\." + field + r"\),\s*\"(\d{4}-\d\d-\d\d)\"", body)
        return dt.date.fromisoformat(hit.group(1)) if hit else None

    ref = re.search(r"\(\"ref\",\s*\"=\",\s*\"([^\"]+)\"\)", body)
    total = re.search(r"compare_amounts\(inv\.amount_total,\s*([\d.]+)\)", body)
    return {"seller": partner.group(1), "buyer": None,
            "number": ref.group(1) if ref else None,
            "issue_date": asserted_date("invoice_date"),
            "due_date": asserted_date("invoice_date_due"),
            "grand_total": Decimal(total.group(1)) if total else None, "due_payable": None,
            "currency": None}


PARSEE_CSV = "datasets/invoices/langchain-pypdf-loader/data/invoices_langchain.csv"
#: Parsee's questions by element: the total (with the currency as meta0), the issuer, the date.
_PARSEE = {"general0": "total", "general1": "seller", "general2": "date"}


def parsee_fields(csv_text: str, sha256: str) -> dict[str, Any] | None:
    """The hand-checked answers (``TRUTH_answer``) Parsee's dataset holds for the PDF
    whose SHA-256 is ``sha256`` (its ``source_identifier``), as plain fields."""
    csv.field_size_limit(1 << 30)
    answers = {_PARSEE[rec["element_identifier"]]: rec["TRUTH_answer"]
               for rec in csv.DictReader(io.StringIO(csv_text))
               if rec.get("source_identifier") == sha256
               and rec.get("element_identifier") in _PARSEE}
    if not answers:
        return None
    total = re.search(r"\(main question\):\s*(-?[\d.]+)", answers.get("total", ""))
    currency = re.search(r"\(meta0\):\s*\$\s*([A-Z]{3})\s*\$", answers.get("total", ""))
    seller = answers.get("seller", "").split("\n")[0].strip()
    day = re.match(r"\s*(\d{4}-\d\d-\d\d)", answers.get("date", ""))
    return {"seller": seller if seller and not seller.startswith("Sources") else None,
            "buyer": None, "number": None,
            "issue_date": dt.date.fromisoformat(day.group(1)) if day else None,
            "due_date": None,
            "grand_total": Decimal(total.group(1)) if total else None, "due_payable": None,
            "currency": currency.group(1) if currency else None}


_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                 "Dec")


def find_short_date(text: str, day: dt.date | None) -> str | None:
    """``day`` printed with a month name and a two-digit year (``28 Jan 15``), a form
    ``invoices.date_forms`` does not know; the text's own spelling."""
    if day is None:
        return None
    month = _SHORT_MONTHS[day.month - 1]
    for d in dict.fromkeys((f"{day.day:02}", str(day.day))):
        hit = re.search(rf"(?<![\w/.-]){d}\s+{month}\.?\s+{day.year % 100:02}(?![\w/.-])",
                        text, re.IGNORECASE)
        if hit:
            return " ".join(hit.group(0).split())
    return None


def label_gold(text: str, fields: dict[str, Any] | None) -> dict[str, str]:
    """Gold from labelled ``fields``, each value only as ``text`` prints it."""
    if not fields:
        return {}
    gold = invoice_gold(text, fields)
    if gold["invoice_date"] is None:
        gold["invoice_date"] = find_short_date(text, fields.get("issue_date"))
    return {k: v for k, v in gold.items() if v is not None}


# --- the same document or scenario again ------------------------------------------------

def _digits(value: Any) -> str:
    """An amount's digits with two decimals (``529,87``, ``Decimal('529.87')`` → ``52987``)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{abs(value):.2f}".replace(".", "")
    text = re.sub(r"[^\d.,]", "", str(value))
    hit = re.fullmatch(r"(.*?)[.,](\d\d)", text)
    whole, cents = (hit.group(1), hit.group(2)) if hit else (text, "00")
    return (re.sub(r"\D", "", whole).lstrip("0") or "0") + cents


def scenario(seller: Any, number: Any, total: Any) -> tuple[str, str, str]:
    """Who, which invoice and how much, with the number's year left out (``F20180027``
    and ``F20220027`` are one scenario re-issued) and case, spacing and punctuation
    aside."""
    flat = re.sub(r"[\W_]+", "", str(number or "").casefold())
    return (re.sub(r"[\W_]+", "", str(seller or "").casefold()),
            re.sub(r"(?:19|20)\d\d", "", flat), _digits(total))


class Seen:
    """The texts and scenarios kept so far (the tuning set's first)."""

    def __init__(self) -> None:
        self.grams: list[set[str]] = []
        self.keys: set[str] = set()
        self.scenarios: set[tuple[str, str, str]] = set()
        self.numbers: set[tuple[str, str]] = set()  # (number, total) and (number, seller)

    def add_row(self, text: str, gold: dict[str, str]) -> None:
        self.grams.append(mt.shingles(text))
        self.keys.add(mt.text_key(text))
        self._add_scenario(gold.get("vendor"), gold.get("invoice_number"), gold.get("total"))

    def _add_scenario(self, seller: Any, number: Any, total: Any) -> None:
        s, n, t = scenario(seller, number, total)
        if n:
            self.scenarios.add((s, n, t))
            self.numbers |= {(n, t), (n, s)} - {(n, "")}

    def repeats(self, text: str, seller: Any, number: Any, total: Any) -> bool:
        s, n, t = scenario(seller, number, total)
        if n and ((t and (n, t) in self.numbers) or (s and (n, s) in self.numbers)):
            return True
        mine = mt.shingles(text)
        return mt.text_key(text) in self.keys or any(mt.similar(mine, g) for g in self.grams)

    def keep(self, text: str, seller: Any, number: Any, total: Any) -> None:
        self.grams.append(mt.shingles(text))
        self.keys.add(mt.text_key(text))
        self._add_scenario(seller, number, total)

    def note(self, seller: Any, number: Any, total: Any) -> None:
        """A scenario dropped as a repeat: its re-issues are repeats as well."""
        self._add_scenario(seller, number, total)


def tuning_rows(against: Path) -> Iterator[dict[str, Any]]:
    for name in TUNING:
        path = against / f"{name}.jsonl"
        if not path.is_file():
            raise SystemExit(f"{path} is missing: build it first (the held-out set is "
                             "deduplicated against it)")
        with path.open(encoding="utf-8") as f:
            yield from (json.loads(line) for line in f if line.strip())


# --- the records ------------------------------------------------------------------------

def _mirror(root: Path, repo: str) -> Path:
    return root / repo.replace("/", "+") / "repo"


def _files(root: Path, part: Part) -> list[str]:
    out: list[str] = []
    for path in part.paths:
        if path.endswith("/"):
            found = mt.list_files(_mirror(root, part.repo), part.commit, path)
            out += [p for p in found if p.lower().endswith(".pdf") and p not in out]
        elif path not in out:
            out.append(path)
    return out


def _labels(root: Path, part: Part, path: str) -> dict[str, Any] | None:
    mirror = _mirror(root, part.repo)
    if part.labels == "invoice2data_csv":
        table = mt.read_blob(mirror, part.commit, "invoice2data/test/compare/invoices-output.csv")
        issuer = re.search(r"PAYPAL (\w+)", PurePosixPath(path).name)
        return csv_fields(table.decode(), issuer.group(1)) if issuer else None
    if part.labels == "parsee_csv":
        answers = mt.read_blob(mirror, part.commit, PARSEE_CSV).decode()
        pdf = mt.read_blob(mirror, part.commit, path)
        return parsee_fields(answers, hashlib.sha256(pdf).hexdigest())
    if part.labels == "oca_simple_pdf":
        module = path.split("/")[0]
        test = mt.read_blob(mirror, part.commit, f"{module}/tests/test_invoice_import.py")
        return oca_fields(test.decode(), PurePosixPath(path).name)
    return None


def issuer_of(part: Part, seller: str | None, fields: dict[str, Any] | None) -> str:
    for name, issuer in part.issuers:
        if seller == name:
            return issuer
    if fields and fields.get("seller"):
        return str(fields["seller"])
    raise ValueError(f"no issuer known for {part.repo} (seller {seller!r})")


def records(root: Path, against: Path) -> Iterator[dict[str, Any]]:
    seen = Seen()
    for r in tuning_rows(against):
        seen.add_row(r["text"], r.get("gold") or {})
    for part in PARTS:
        for path in _files(root, part):
            data = mt.read_blob(_mirror(root, part.repo), part.commit, path)
            try:
                text = read_bytes(PurePosixPath(path).name, data).text
            except ReadError:
                continue
            xmls = [blob for name, blob in pdf_attachments(data) if name.lower().endswith(".xml")]
            fields = None if xmls else _labels(root, part, path)
            if xmls:
                gold, key = gold_from_xml(text, xmls)
                seller, number, total = key if key else (None, None, None)
            else:
                gold = label_gold(text, fields)
                seller = fields.get("seller") if fields else None
                number = fields.get("number") if fields else None
                total = fields.get("grand_total") if fields else None
            if not gold or seen.repeats(text, seller, number, total):
                seen.note(seller, number, total)  # its re-issues repeat it too
                continue
            seen.keep(text, seller, number, total)
            yield {"id": f"{COLLECTION}/{part.repo}/{path}", "collection": COLLECTION,
                   "source": f"{COLLECTION}:{issuer_of(part, seller, fields)}",
                   "doc_type": "invoice", "lang": mt.guess_lang(text, words=INVOICE_WORDS),
                   "text": text, "gold": gold}


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog=f"python -m lab.collect.{COLLECTION}",
                                 description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--mirror", type=Path, required=True,
                    help="the folder of fetched repositories (<owner>+<name>/repo)")
    ap.add_argument("--against", type=Path, default=Path(".corpus"),
                    help="the folder holding zugferd.jsonl and invoice2data.jsonl")
    ap.add_argument("--out", type=Path, default=Path(".corpus") / f"{COLLECTION}.jsonl")
    args = ap.parse_args(list(argv) if argv is not None else None)
    rows = list(records(args.mirror, args.against))
    mt.write_rows(rows, args.out)
    print(f"{COLLECTION}: {mt.summary(rows)} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
