"""Export the documents' fields to CSV or JSON: the only deliberate way plaintext
leaves the vault (issue 13).

One row (CSV) or object (JSON) per document, by id: id, name, type, date (the
document's own date), summary, then its fields. CSV holds each field's normalized
value in a column ``field:<name>`` (prefixed, because schemas have a field called
``date`` too), columns in the order fields first appear; JSON keeps value,
normalized value, span and the ``inferred`` flag. The document text and the
original file are never exported.

CSV cells that a spreadsheet would run as a formula (``=``, ``+``, ``@``, a tab,
a carriage return, or ``-`` not starting a plain number) get a leading ``'``:
a document is untrusted input, and ``=HYPERLINK(...)`` in an exported cell could
send data away when the file is opened. JSON is left exact.

The file is written by ``safefile.write_new_file``: 0600, atomic, never over an
existing file unless ``force``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .errors import UserError
from .safefile import exists_message, write_new_file

FORMATS = ("csv", "json")
BASE_COLUMNS = ("id", "name", "type", "date", "summary")
FIELD_PREFIX = "field:"
WARNING = ("{path} is NOT encrypted: anyone who can read the file can read these "
           "documents' fields.")

_FORMULA_START = ("=", "+", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Filters:
    doc_type: str | None = None
    date_from: str | None = None  # YYYY[-MM[-DD]], inclusive
    date_to: str | None = None


def collect(vault: Any, filters: Filters = Filters()) -> list[Any]:
    """The ``StoredDocument``s to export, by id."""
    if filters == Filters():
        rows = vault.list_documents()
    else:  # the vault's own filters (search.filters): same meaning as `strongroom search`
        rows = vault.search("", doc_type=filters.doc_type, date_from=filters.date_from,
                            date_to=filters.date_to, limit=-1)  # SQLite: negative = no limit
    return [vault.get(r.id) for r in sorted(rows, key=lambda r: r.id)]


def to_json(docs: list[Any]) -> bytes:
    out = {
        "format": "strongroom-export",
        "version": 1,
        "documents": [
            {"id": d.id, "name": d.name, "type": d.doc_type, "date": d.doc_date,
             "summary": d.summary,
             "fields": {name: fv.to_json() for name, fv in d.fields.items()}}
            for d in docs
        ],
    }
    return (json.dumps(out, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_csv(docs: list[Any]) -> bytes:
    names: dict[str, None] = {}  # ordered set: first appearance
    for d in docs:
        names.update(dict.fromkeys(d.fields))
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180
    writer.writerow([*BASE_COLUMNS, *(FIELD_PREFIX + n for n in names)])
    for d in docs:
        values = [d.fields[n].normalized if n in d.fields else None for n in names]
        writer.writerow([str(d.id), *(_cell(v) for v in (d.name, d.doc_type, d.doc_date,
                                                         d.summary, *values))])
    # UTF-8 with a BOM: spreadsheet programs otherwise guess a legacy code page.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _cell(value: str | None) -> str:
    if value is None:
        return ""
    if value.startswith(_FORMULA_START) or (value.startswith("-")
                                            and not _PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


def render(docs: list[Any], fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(docs)
    if fmt == "json":
        return to_json(docs)
    raise UserError(f"Unknown export format {fmt!r}: use csv or json.")


def export(vault: Any, dest: Path, fmt: str, filters: Filters = Filters(), *,
           force: bool = False) -> int:
    """Write the export to ``dest``; returns how many documents it holds."""
    if fmt not in FORMATS:
        raise UserError(f"Unknown export format {fmt!r}: use csv or json.")
    if not force and os.path.lexists(dest):  # before reading anything
        raise UserError(exists_message(Path(dest)))
    docs = collect(vault, filters)
    data = render(docs, fmt)

    def write(f: BinaryIO) -> None:
        f.write(data)

    write_new_file(dest, write, force=force)
    return len(docs)
