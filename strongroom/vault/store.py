"""The document store: documents, their fields, search, review and compaction.

One SQLCipher connection under one lock (thread-safe). ``db.Vault`` is this store
plus the key lifecycle (create, open, passphrase, recovery code); the store itself
never sees a secret. Split from ``db`` (#20): the two change for different reasons.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlcipher3 import dbapi2 as sqlcipher

from ..errors import VaultError
from ..reading.base import Document
from ..understanding.personal import Label
from ..understanding.result import Extraction, FieldValue
from . import crash, keys, review, search, sqlerrors
from .connection import DB_NAME, KEYS_NAME, checkpoint, transaction
from .integrity import PLAIN_SQLITE_HEADER
from .records import DocumentRow, StoredDocument

log = logging.getLogger("strongroom.vault")


class DocumentStore:
    """The encrypted document store. Thread-safe: one connection, one lock."""

    def __init__(self, path: Path, conn: Any) -> None:
        self.path = path  # the data folder
        self._conn: Any = conn
        self._lock = threading.Lock()  # the connection (and what ``_forget`` drops)

    # -- documents -------------------------------------------------------------
    def find_by_sha256(self, sha256: str) -> int | None:
        with self._locked("look up a document") as conn:
            row = conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else int(row[0])

    def add_document(self, doc: Document, extraction: Extraction, *,
                     parent_id: int | None = None) -> int:
        """Store a document with its fields in one transaction; ``parent_id`` is the
        document it came in (an e-mail, for an attachment).

        The same bytes twice are one document: the existing id is returned (its
        link is left as it was).
        """
        sha256 = doc.sha256
        added_at = datetime.now(UTC).isoformat(timespec="seconds")
        with self._locked("save the document") as conn:
            row = conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
            if row is not None:
                return int(row[0])
            with transaction(conn):
                cur = conn.execute(
                    "INSERT INTO documents (sha256, name, kind, doc_type, summary, "
                    "summary_source, text, page_starts, size, added_at, doc_date, "
                    "type_confidence, parent_id, warnings) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "(SELECT id FROM documents WHERE id = ?), ?)",  # a message deleted since: none
                    (sha256, doc.name, doc.kind, extraction.doc_type, extraction.summary,
                     extraction.summary_source, doc.text,
                     json.dumps([int(p) for p in doc.page_starts]), len(doc.data), added_at,
                     extraction.doc_date, extraction.type_confidence, parent_id,
                     json.dumps(list(doc.warnings)) if doc.warnings else None),
                )
                doc_id = int(cur.lastrowid)
                crash.point("document-row")
                conn.execute("INSERT INTO originals (doc_id, data) VALUES (?, ?)",
                             (doc_id, doc.data))
                crash.point("document-original")
                conn.executemany(
                    "INSERT INTO page_pictures (doc_id, page, picture) VALUES (?, ?, ?)",
                    [(doc_id, int(page), picture) for page, picture in doc.previews])
                if doc.boxes:
                    conn.execute("INSERT INTO word_boxes (doc_id, boxes) VALUES (?, ?)",
                                 (doc_id, json.dumps([list(b) for b in doc.boxes])))
                conn.executemany(
                    "INSERT INTO fields (doc_id, ord, name, value, normalized, span_start, "
                    "span_end, inferred, score, status, note) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [_field_row(doc_id, i, name, fv)
                     for i, (name, fv) in enumerate(extraction.fields.items())],
                )
                crash.point("document-fields")
                search.index_document(conn, doc_id)
                crash.point("document-indexed")
            crash.point("document-committed")
        return doc_id

    def list_documents(self) -> list[DocumentRow]:
        """Every document, newest first (no text, no bytes)."""
        with self._locked("list the documents") as conn:
            rows = conn.execute(
                f"SELECT {_ROW_COLUMNS} FROM documents d ORDER BY d.added_at DESC, d.id DESC"
            ).fetchall()
        return [_document_row(r) for r in rows]

    def search(self, query: str, *, doc_type: str | None = None, date_from: str | None = None,
               date_to: str | None = None, needs_review: bool = False, limit: int = 200
               ) -> list[DocumentRow]:
        """Documents whose name, text, summary or field values hold every word of
        ``query`` (the last word as a prefix), best match first; filtered by type and
        by the document's own date (ISO, bounds inclusive) and to those with a field
        that needs review. A query without words filters only, newest first. Any
        text is a valid query (``search.fts_query``).
        """
        match = search.fts_query(query)
        where, params = search.filters(doc_type, date_from, date_to, needs_review)
        # The inner query picks the page of ids from the FTS index and the
        # documents_filter index alone; only that page's rows are read.
        if match is None:
            pick = (f"SELECT d.id, 0 AS r, d.added_at AS a FROM documents d "
                    f"INDEXED BY documents_newest WHERE 1{where} "
                    "ORDER BY d.added_at DESC, d.id DESC LIMIT ?")
            args: tuple[Any, ...] = (*params, limit)
        else:
            pick = ("SELECT search.rowid AS id, search.rank AS r, '' AS a FROM search "
                    + ("JOIN documents d INDEXED BY documents_filter ON d.id = search.rowid "
                       if where else "")
                    + f"WHERE search MATCH ?{where} ORDER BY search.rank LIMIT ?")
            args = (match, *params, limit)
        with self._locked("search the vault") as conn:
            rows = conn.execute(
                f"SELECT {_ROW_COLUMNS} FROM ({pick}) p JOIN documents d ON d.id = p.id "
                "ORDER BY p.r, p.a DESC, d.id DESC", args,
            ).fetchall()
        return [_document_row(r) for r in rows]

    def get(self, doc_id: int) -> StoredDocument:
        with self._locked("read the document") as conn:
            row = conn.execute(
                "SELECT id, name, kind, doc_type, summary, summary_source, text, page_starts, "
                "added_at, size, sha256, doc_date, type_confidence, parent_id, warnings "
                "FROM documents "
                "WHERE id = ?",
                (doc_id,)
            ).fetchone()
            if row is None:
                raise VaultError(f"No document with id {doc_id}.")
            field_rows = conn.execute(
                "SELECT name, value, normalized, span_start, span_end, inferred, score, "
                "status, note FROM fields WHERE doc_id = ? ORDER BY ord", (doc_id,)
            ).fetchall()
            attached = conn.execute("SELECT id, name FROM documents WHERE parent_id = ? "
                                    "ORDER BY id", (doc_id,)).fetchall()
        fields = {
            name: FieldValue(
                value=value, normalized=normalized,
                span=None if start is None or end is None else (int(start), int(end)),
                inferred=bool(inferred), score=score, status=status, note=note,
            )
            for name, value, normalized, start, end, inferred, score, status, note in field_rows
        }
        return StoredDocument(
            id=row[0], name=row[1], kind=row[2], doc_type=row[3], summary=row[4],
            summary_source=row[5], text=row[6], page_starts=tuple(json.loads(row[7])),
            fields=fields, added_at=row[8], size=row[9], sha256=row[10], doc_date=row[11],
            type_confidence=row[12], parent_id=row[13],
            attachments=tuple((int(i), str(n)) for i, n in attached),
            warnings=tuple(json.loads(row[14])) if row[14] else (),
        )

    def confirm_field(self, doc_id: int, name: str) -> None:
        """The user says the stored value is right: verified, and kept as a label."""
        with self._locked("confirm the field") as conn, transaction(conn):
            review.confirm(conn, doc_id, name)

    def correct_field(self, doc_id: int, name: str, start: int, end: int) -> str:
        """The user says ``text[start:end]`` is the value: stored as verified (search
        follows), kept as a label. Returns the value. A span outside the text is
        refused and nothing changes."""
        with self._locked("correct the field") as conn, transaction(conn):
            return review.correct(conn, doc_id, name, start, end)

    def labels(self) -> list[Label]:
        """Every field the user vouched for, with its document's text: what the
        chooser learns from (``Understander.learn``)."""
        with self._locked("read your corrections") as conn:
            return review.labels(conn)

    def original_bytes(self, doc_id: int) -> bytes:
        with self._locked("read the original file") as conn:
            row = conn.execute("SELECT data FROM originals WHERE doc_id = ?",
                               (doc_id,)).fetchone()
        if row is None:
            raise VaultError(f"No document with id {doc_id}.")
        return bytes(row[0])

    def page_pictures(self, doc_id: int) -> dict[int, bytes]:
        """The pictures of a document's pages (photos, scans, PDFs), by 1-based page number."""
        with self._locked("read the page pictures") as conn:
            rows = conn.execute("SELECT page, picture FROM page_pictures WHERE doc_id = ? "
                                "ORDER BY page", (doc_id,)).fetchall()
        return {int(page): bytes(picture) for page, picture in rows}

    def word_boxes(self, doc_id: int) -> tuple[tuple[int, int, int, float, float, float, float],
                                               ...]:
        """Every OCR'd word's ``(start, end, page, x0, y0, x1, y1)`` (``Document.boxes``)."""
        with self._locked("read the word boxes") as conn:
            row = conn.execute("SELECT boxes FROM word_boxes WHERE doc_id = ?",
                               (doc_id,)).fetchone()
        if row is None:
            return ()
        return tuple((int(a), int(z), int(p), float(x0), float(y0), float(x1), float(y1))
                     for a, z, p, x0, y0, x1, y1 in json.loads(row[0]))

    def delete(self, doc_id: int) -> None:
        """Remove a document, its bytes and fields (zeroed on disk: secure_delete)."""
        with self._locked("delete the document") as conn:
            with transaction(conn):
                search.unindex_document(conn, doc_id)  # first: it reads the values to remove
                cur = conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            checkpoint(conn)
        if cur.rowcount == 0:
            raise VaultError(f"No document with id {doc_id}.")

    def compact(self) -> tuple[int, int]:
        """Merge the search index into one segment and rebuild the file (VACUUM):
        smaller, and no free pages. Offered after deletes. Returns the file size
        before and after, in bytes."""
        db_path = self.path / DB_NAME
        before = db_path.stat().st_size
        with self._locked("compact the vault") as conn:
            with transaction(conn):
                conn.execute("INSERT INTO search (search) VALUES ('optimize')")
                crash.point("compact-optimized")
            crash.point("compact-vacuum")
            conn.execute("VACUUM")  # never inside a transaction
            crash.point("compact-vacuumed")
            checkpoint(conn)  # the smaller file is vault.db itself, not a log beside it
        return before, db_path.stat().st_size

    def copy_into(self, target: Path) -> keys.Envelope:
        """A consistent, still-encrypted copy of the database at ``target`` (a new
        file), and the envelope that opens it; for ``vault.backup``.

        ``VACUUM INTO`` runs in one read transaction under the vault's lock, so the
        copy is a snapshot between two documents, never half of one. SQLCipher
        writes it with the same key (checked in tests: a canary is not in the copy
        and the copy opens with the data key); free pages are not copied, so
        deleted documents do not travel with a backup.
        """
        with self._locked("copy the vault") as conn:
            envelope = keys.read_envelope(self.path / KEYS_NAME)
            crash.point("backup-copy")
            conn.execute("VACUUM INTO ?", (str(target),))
        with open(target, "rb") as f:
            if f.read(len(PLAIN_SQLITE_HEADER)) == PLAIN_SQLITE_HEADER:  # never ship plaintext
                raise VaultError("The vault copy was not encrypted, so no backup was made. "
                                 "This Strongroom build's SQLCipher is not supported.")
        return envelope

    # -- lifetime --------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            self._forget()

    def _forget(self) -> None:
        """What a subclass drops with the connection, under the lock (the data key)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {'closed' if self._conn is None else 'open'}>"

    @contextmanager
    def _locked(self, action: str) -> Iterator[Any]:
        """The connection, under the lock; database errors become a ``VaultError``.

        The error text from SQLite is left out: only its class is named.
        """
        with self._lock:
            if self._conn is None:
                raise VaultError("The vault is closed. Open it again to continue.")
            try:
                yield self._conn
            except sqlcipher.Error as exc:
                log.error("vault: could not %s: %s", action, type(exc).__name__)
                raise sqlerrors.vault_error(action, exc, self.path) from None


# -- helpers -------------------------------------------------------------------
_ROW_COLUMNS = ("d.id, d.name, d.kind, d.doc_type, d.doc_date, d.added_at, d.summary, "
                "EXISTS (SELECT 1 FROM fields f INDEXED BY fields_status "
                "WHERE f.status = 'needs_review' AND f.doc_id = d.id), d.parent_id")


def _document_row(r: Any) -> DocumentRow:
    return DocumentRow(id=r[0], name=r[1], kind=r[2], doc_type=r[3], doc_date=r[4],
                       added_at=r[5], summary=r[6], needs_review=bool(r[7]), parent_id=r[8])


def _field_row(doc_id: int, ord_: int, name: str, fv: FieldValue) -> tuple[Any, ...]:
    start, end = fv.span if fv.span else (None, None)
    return (doc_id, ord_, name, fv.value, fv.normalized, start, end, int(fv.inferred), fv.score,
            fv.status, fv.note)
