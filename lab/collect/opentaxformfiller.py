"""OpenTaxFormFiller's blank official tax forms: IRS, Pennsylvania, New York (issue 21).

    python -m lab.collect.opentaxformfiller \
        --mirror /work/.mirror/codehero+OpenTaxFormFiller/repo \
        [--out .corpus/opentaxformfiller.jsonl]

The repository keeps the 2011 and 2012 forms it fills (``<year>/PDF/``) as published.
They are blank: the only gold is the form's name and its tax year, both from the file's
place in the repository and kept only as the page prints them. The ``field_dump/``
copies (the same forms with field ids typed in) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from lab.collect import mirror_text as mt
from lab.collect.invoices import find_verbatim
from strongroom.reading import read_bytes

COLLECTION = "opentaxformfiller"
REPO = "codehero/OpenTaxFormFiller"
COMMIT = "26783e241897210940c731e106950248815a2e43"

#: File stem (year prefix dropped) -> the names the form may print, most specific first.
FORMS = {
    "f1040": ("Form 1040",),
    "f1040sa": ("SCHEDULE A (Form 1040)",),
    "f1040sb": ("SCHEDULE B (Form 1040A or 1040)",),
    "f1040sc": ("SCHEDULE C (Form 1040)",),
    "f1040sd": ("SCHEDULE D (Form 1040)",),
    "f1040se": ("SCHEDULE E (Form 1040)",),
    "f1040sse": ("SCHEDULE SE (Form 1040)",),
    "f4562": ("Form 4562",),
    "f8829": ("Form 8829",),
    "f8949": ("Form 8949",),
    "pa-40": ("PA-40",),
    "pa-40a-b": ("PA-40 Schedule A/B",),
    "pa-40c": ("PA-40 C",),
    "pa-40d": ("PA-40 Schedule D",),
    "pa-40e": ("PA-40 Schedule E",),
    "it201_fill_in": ("IT-201",),
}
#: The issuing tax authority, by the form's prefix: the source of leave-one-source-out.
ISSUERS = (("f", "IRS"), ("pa-", "Pennsylvania Department of Revenue"),
           ("it", "New York State Department of Taxation and Finance"))


def form_of(path: str) -> tuple[str, str] | None:
    """(stem, tax year) of a blank form at ``<year>/PDF/…/<stem>.pdf``; None otherwise."""
    parts = PurePosixPath(path).parts
    if len(parts) < 3 or parts[1] != "PDF" or not path.endswith(".pdf"):
        return None
    stem = re.sub(r"^\d{4}_", "", PurePosixPath(path).stem)
    return (stem, parts[0]) if stem in FORMS else None


def gold_of(text: str, stem: str, year: str) -> dict[str, str]:
    """The form's printed name and tax year, each only if the page prints it."""
    name = next((n for n in map(lambda c: find_verbatim(text, c), FORMS[stem]) if n), None)
    gold = {"form": name, "tax_year": find_verbatim(text, year)}
    return {k: v for k, v in gold.items() if v is not None}


def records(mirror: Path) -> Iterator[dict[str, Any]]:
    for path in mt.list_files(mirror, COMMIT):
        found = form_of(path)
        if found is None:
            continue
        stem, year = found
        text = read_bytes(PurePosixPath(path).name, mt.read_blob(mirror, COMMIT, path)).text
        issuer = next(name for prefix, name in ISSUERS if stem.startswith(prefix))
        yield {"id": f"{COLLECTION}/{path}", "collection": COLLECTION,
               "source": f"{COLLECTION}:{issuer}", "doc_type": "tax_form", "lang": "en",
               "text": text, "gold": gold_of(text, stem, year)}


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, records, __doc__))
