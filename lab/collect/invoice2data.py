"""invoice2data's test invoices: one real invoice from each of a dozen vendors (issue 21).

    python -m lab.collect.invoice2data --mirror /work/.mirror/invoice-x+invoice2data/repo \
        [--out .corpus/invoice2data.jsonl]

``tests/compare/`` at ``COMMIT`` pairs each document (a PDF, or Orlen's text export)
with the JSON invoice2data's templates must extract from it. That JSON is the label:
issuer, number, date, due date, amount and currency, each kept only as the document
prints it (``lab.collect.invoices.invoice_gold``); the customer is not labelled there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from lab.collect import mirror_text as mt
from lab.collect.invoices import INVOICE_WORDS, invoice_gold
from strongroom.reading import read_bytes

COLLECTION = "invoice2data"
REPO = "invoice-x/invoice2data"
COMMIT = "bd2fcceb867882047173dbd66a9500f47634a0cd"
FOLDER = "tests/compare/"

#: Left out: a made-up page for testing line items ("All names are fictitious").
SKIP = {"SammyMaystoneLinesTest"}
#: OYO's page is a hotel's payment receipt ("Please ask Hotel for invoice"), not an invoice.
RECEIPTS = {"oyo"}
#: The finer source: the issuing company (coolblue1 and coolblue2 are both Coolblue's).
VENDORS = {"coolblue1": "Coolblue", "coolblue2": "Coolblue"}


def fields_of(expected: dict[str, Any]) -> dict[str, Any]:
    """invoice2data's expected output as ``einvoice_fields``-shaped plain fields."""
    def day(key: str) -> dt.date | None:
        return dt.date.fromisoformat(expected[key][:10]) if expected.get(key) else None

    amount = expected.get("amount")
    return {"seller": expected.get("issuer"), "buyer": None,
            "number": str(expected["invoice_number"]) if expected.get("invoice_number") else None,
            "issue_date": day("date"), "due_date": day("date_due"),
            "grand_total": Decimal(str(amount)) if amount is not None else None,
            "due_payable": None, "currency": expected.get("currency")}


def as_receipt(gold: dict[str, str]) -> dict[str, str]:
    """Invoice gold under the receipt schema's names."""
    names = {"vendor": "merchant", "invoice_date": "date", "total": "total",
             "currency": "currency"}
    return {names[k]: v for k, v in gold.items() if k in names}


def records(mirror: Path) -> Iterator[dict[str, Any]]:
    paths = mt.list_files(mirror, COMMIT, FOLDER)
    for label in sorted(p for p in paths if p.endswith(".json")):
        stem = PurePosixPath(label).stem
        docs = [p for p in paths if PurePosixPath(p).stem == stem
                and PurePosixPath(p).suffix in (".pdf", ".txt")]
        if stem in SKIP or not docs:
            continue
        expected = json.loads(mt.read_blob(mirror, COMMIT, label))[0]
        text = read_bytes(PurePosixPath(docs[0]).name, mt.read_blob(mirror, COMMIT, docs[0])).text
        gold = {k: v for k, v in invoice_gold(text, fields_of(expected)).items()
                if v is not None}
        doc_type = "receipt" if stem in RECEIPTS else "invoice"
        vendor = VENDORS.get(stem, str(expected.get("issuer") or stem))
        yield {"id": f"{COLLECTION}/{docs[0]}", "collection": COLLECTION,
               "source": f"{COLLECTION}:{vendor}", "doc_type": doc_type,
               "lang": mt.guess_lang(text, words=INVOICE_WORDS), "text": text,
               "gold": as_receipt(gold) if doc_type == "receipt" else gold}


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, records, __doc__))
