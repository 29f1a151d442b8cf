"""The user's word on a field: confirm it, or point at the right span (issue 12).

Either way the field becomes ``verified`` and a label is kept (``labels``), from
which the chooser learns (``understanding/personal.py``). A corrected value is still
a span of the document's own text, so the grounding invariant holds for what the
user chose too; anything else is refused before a byte changes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..errors import VaultError
from ..understanding.candidates import normalize_span
from ..understanding.personal import Label
from ..understanding.schema import schema
from . import search

CONFIRMED = "Confirmed by you."
_NOT_IN_TEXT = ("That selection is not part of the document's text, so it cannot be the "
                "value of a field. Nothing was changed.")


def _document(conn: Any, doc_id: int) -> tuple[str, str]:
    row = conn.execute("SELECT doc_type, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise VaultError(f"No document with id {doc_id}. Nothing was changed.")
    return str(row[0]), str(row[1])


def _spec_kind(doc_type: str, name: str) -> str:
    """The kind of a field, or of a list's cell ("tests.2.value" is read as text)."""
    base = name.split(".")[0]
    spec = next((f for f in schema(doc_type).fields if f.name == base), None)
    if spec is not None and spec.kind == "lab_tests" and name != base:
        return "labelled"
    if spec is None or name != base or spec.kind == "lab_tests":
        raise VaultError(f"A {schema(doc_type).label.lower()} has no field {name!r}. "
                         "Nothing was changed.")
    return spec.kind


def _label(conn: Any, doc_id: int, name: str, start: int, end: int) -> None:
    conn.execute("INSERT OR REPLACE INTO labels (doc_id, name, span_start, span_end, "
                 "labelled_at) VALUES (?, ?, ?, ?, ?)",
                 (doc_id, name, start, end, datetime.now(UTC).isoformat(timespec="seconds")))


def confirm(conn: Any, doc_id: int, name: str) -> None:
    """The stored value is right. Call inside a transaction."""
    doc_type, _ = _document(conn, doc_id)
    _spec_kind(doc_type, name)
    row = conn.execute("SELECT span_start, span_end FROM fields WHERE doc_id = ? AND name = ?",
                       (doc_id, name)).fetchone()
    if row is None or row[0] is None:
        raise VaultError("There is no value to confirm: choose its text in the document "
                         "instead. Nothing was changed.")
    conn.execute("UPDATE fields SET status = 'verified', note = ? WHERE doc_id = ? AND name = ?",
                 (CONFIRMED, doc_id, name))
    _label(conn, doc_id, name, int(row[0]), int(row[1]))


def correct(conn: Any, doc_id: int, name: str, start: int, end: int) -> str:
    """``text[start:end]`` is the value. Call inside a transaction; returns the value."""
    doc_type, text = _document(conn, doc_id)
    kind = _spec_kind(doc_type, name)
    if not (0 <= start < end <= len(text)) or not text[start:end].strip():
        raise VaultError(_NOT_IN_TEXT)
    # A selection with spaces around it is the words inside it.
    value = text[start:end]
    start += len(value) - len(value.lstrip())
    end -= len(value) - len(value.rstrip())
    value = text[start:end]
    normalized, inferred = normalize_span(kind, value, text)
    search.unindex_document(conn, doc_id)  # first: it reads the values to remove
    ord_ = conn.execute("SELECT ord FROM fields WHERE doc_id = ? AND name = ?",
                        (doc_id, name)).fetchone()
    conn.execute("INSERT OR REPLACE INTO fields (doc_id, ord, name, value, normalized, "
                 "span_start, span_end, inferred, score, status, note) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 'verified', ?)",
                 (doc_id, ord_[0] if ord_ else 999, name, value, normalized, start, end,
                  int(inferred), CONFIRMED))
    if kind == "date":  # the document's own date is its schema's first date found
        dates = [f.name for f in schema(doc_type).fields if f.kind == "date"]
        found = dict(conn.execute(
            f"SELECT name, normalized FROM fields WHERE doc_id = ? AND name IN "
            f"({','.join('?' * len(dates))}) AND normalized IS NOT NULL",
            (doc_id, *dates)).fetchall())
        first = next((found[d] for d in dates if d in found), None)
        conn.execute("UPDATE documents SET doc_date = ? WHERE id = ?", (first, doc_id))
    search.index_document(conn, doc_id)
    _label(conn, doc_id, name, start, end)
    return value


def labels(conn: Any) -> list[Label]:
    rows = conn.execute(
        "SELECT d.doc_type, l.name, d.text, l.span_start, l.span_end FROM labels l "
        "JOIN documents d ON d.id = l.doc_id ORDER BY l.labelled_at, l.doc_id, l.name"
    ).fetchall()
    return [Label(str(t), str(n), str(text), int(a), int(b)) for t, n, text, a, b in rows]
