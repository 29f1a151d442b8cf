"""ZUGFeRD/corpus: German and French e-invoices whose PDF carries its own XML (issue 21).

    python -m lab.collect.zugferd --mirror /work/.mirror/ZUGFeRD+corpus/repo \
        [--out .corpus/zugferd.jsonl]

Every PDF at ``COMMIT`` is read with the app's own reader; the gold comes from the XML
embedded in the PDF (ZUGFeRD 1, ZUGFeRD 2 / Factur-X, XRechnung CII or UBL), each value
kept only as the page prints it (``lab.collect.invoices.invoice_gold``). An XML that
describes another invoice than its page (neither its number nor its total is printed)
gives no gold at all. The one PDF without XML (``unstructured/``) takes its number and
date from its file name, likewise only as printed.

Repeated scenarios are dropped: the same seller, number and grand total (the FeRD samples
appear in up to four releases), or, without trusted XML, the same text. Correct files
come before the ``fail/`` ones (which are broken for validators, not on the page).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from lab.collect import mirror_text as mt
from lab.collect.invoices import (
    INVOICE_WORDS,
    einvoice_fields,
    find_date,
    find_verbatim,
    invoice_gold,
    pdf_attachments,
)
from strongroom.errors import ReadError
from strongroom.reading import read_bytes

COLLECTION = "zugferd"
REPO = "ZUGFeRD/corpus"
COMMIT = "47b61beb29b7de98c3c91cdb3657415c0ede783b"

#: The producer of a folder's samples: who wrote them decides layout and made-up parties.
#: Checked in order against the path; the first match wins.
SOURCES = (
    ("/FNFE-factur-x-examples/", "FNFE"),
    ("/Konik/", "Konik"),
    ("fully_compliant", "Vordefinierte Firma"),
    ("unstructured/", "Hetzner"),
    ("Mustang", "Mustangproject"),
    ("/python-factur-x/", "Mustangproject"),
    ("/PHP_@gpFacturX/", "Mustangproject"),
    ("XML-Rechnung/", "FeRD"),
    ("/intarsys/", "FeRD"),
    ("/Intarsys/", "FeRD"),
    ("/symtrax/", "FeRD"),
    ("/4s4u/", "FeRD"),
)
_NAMED = re.compile(r"_(\d{4}-\d{2}-\d{2})_(\w+)\.pdf$")


def source_of(path: str) -> str:
    """Who produced the sample at ``path`` (see ``SOURCES``)."""
    for needle, source in SOURCES:
        if needle in path:
            return source
    raise ValueError(f"no source known for {path}")


def gold_from_xml(text: str, xmls: list[bytes]) -> tuple[dict[str, str], tuple[Any, ...] | None]:
    """Gold for ``text`` from the first invoice XML, and the scenario key.

    Both are empty/None when no XML is an invoice or the XML is not this page's.
    """
    for xml in xmls:
        try:
            fields = einvoice_fields(xml)
        except ValueError:
            continue
        gold = invoice_gold(text, fields)
        if gold["invoice_number"] is None and gold["total"] is None:
            return {}, None
        key = (fields["seller"], fields["number"], fields["grand_total"])
        return {k: v for k, v in gold.items() if v is not None}, key
    return {}, None


def gold_from_name(text: str, name: str) -> dict[str, str]:
    """Number and date from a file named ``…_YYYY-MM-DD_NUMBER.pdf``, as printed."""
    hit = _NAMED.search(name)
    if not hit:
        return {}
    gold = {"invoice_number": find_verbatim(text, hit.group(2)),
            "invoice_date": find_date(text, dt.date.fromisoformat(hit.group(1)))}
    return {k: v for k, v in gold.items() if v is not None}


def records(mirror: Path) -> Iterator[dict[str, Any]]:
    paths = sorted((p for p in mt.list_files(mirror, COMMIT) if p.lower().endswith(".pdf")),
                   key=lambda p: ("/fail/" in f"/{p}", p))
    seen: set[Any] = set()
    for path in paths:
        data = mt.read_blob(mirror, COMMIT, path)
        try:
            text = read_bytes(PurePosixPath(path).name, data).text
        except ReadError:
            continue
        xmls = [blob for name, blob in pdf_attachments(data) if name.lower().endswith(".xml")]
        gold, key = gold_from_xml(text, xmls)
        if not xmls:
            gold = gold_from_name(text, path)
        same = {" ".join(text.split()), key} - {None}
        if same & seen:
            continue
        seen |= same
        source = source_of(path)
        yield {"id": f"{COLLECTION}/{path}", "collection": COLLECTION,
               "source": f"{COLLECTION}:{source}", "doc_type": "invoice",
               "lang": mt.guess_lang(text, words=INVOICE_WORDS), "text": text, "gold": gold}


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, records, __doc__))
