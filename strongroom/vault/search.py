"""Full-text search inside the vault: the FTS5 query language kept away from users.

What a person types is never FTS5 syntax. Each word becomes a quoted phrase
(``"`` doubled inside), so quotes, colons, asterisks, parentheses and the words
AND, OR, NOT and NEAR are plain text; the words must all occur (FTS5's implicit
AND), and the last one matches as a prefix, so results follow the typing.
The index itself is made by ``migrations.m002_search``.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import VaultError

#: More words than this add nothing to a search and only cost time.
MAX_TERMS = 32

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_BAD_DATE = "Dates are written as YYYY, YYYY-MM or YYYY-MM-DD (for example 2024-03-05)."


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for what a person typed; ``None`` if nothing to match.

    >>> fts_query('tax: OR sm')
    '"tax:" "OR" "sm"*'
    """
    text = text.replace("\x00", " ")  # FTS5 reads a phrase as a C string: NUL ends it
    words = [w for w in text.split() if any(c.isalnum() for c in w)][:MAX_TERMS]
    if not words:
        return None
    phrases = ['"' + w.replace('"', '""') + '"' for w in words]
    phrases[-1] += "*"
    return " ".join(phrases)


def check_date(value: str | None) -> str | None:
    """``value`` if it is an ISO date or a prefix of one (year, year-month)."""
    if value is not None and not _DATE.fullmatch(value):
        raise VaultError(_BAD_DATE)
    return value


def filters(doc_type: str | None, date_from: str | None,
            date_to: str | None, needs_review: bool = False) -> tuple[str, list[Any]]:
    """SQL conditions on ``documents d`` and their parameters ("" when none).

    Dates compare as ISO strings; ``date_to`` is inclusive at its own precision
    ("2024-03" keeps every day of March). A document without a date is left out
    as soon as a date bound is given.
    """
    date_from, date_to = check_date(date_from), check_date(date_to)
    conditions: list[str] = []
    params: list[Any] = []
    if doc_type is not None:
        conditions.append("d.doc_type = ?")
        params.append(doc_type)
    if date_from is not None:
        conditions.append("d.doc_date >= ?")
        params.append(date_from)
    if date_to is not None:
        conditions.append("substr(d.doc_date, 1, ?) <= ?")
        params += [len(date_to), date_to]
    if needs_review:
        conditions.append("EXISTS (SELECT 1 FROM fields f INDEXED BY fields_status "
                          "WHERE f.status = 'needs_review' AND f.doc_id = d.id)")
    return "".join(f" AND {c}" for c in conditions), params


_COLUMNS = "name, text, summary, fields"


def index_document(conn: Any, doc_id: int) -> None:
    """Add a stored document (its row in ``documents`` and its ``fields``) to the
    index. Call inside the transaction that wrote them."""
    conn.execute(f"INSERT INTO search (rowid, {_COLUMNS}) "
                 f"SELECT id, {_COLUMNS} FROM search_source WHERE id = ?", (doc_id,))


def unindex_document(conn: Any, doc_id: int) -> None:
    """Remove a document's terms from the index (secure-delete: from the segments).

    FTS5's ``delete`` command must be given the values that were indexed, so this
    runs while the document and its fields still exist, in the deleting transaction.
    """
    conn.execute(f"INSERT INTO search (search, rowid, {_COLUMNS}) "
                 f"SELECT 'delete', id, {_COLUMNS} FROM search_source WHERE id = ?", (doc_id,))
