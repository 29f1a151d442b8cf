"""The vault's tables, versioned with ``PRAGMA user_version``.

Each migration is a function ``mNNN_name(conn)`` run inside one transaction with
the ``user_version`` bump, so a vault is always at exactly one known version.
Never edit a released migration: add the next one. (The ``crash.point`` calls in
them are no-ops that the kill tests hook into; they change nothing a migration does.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import crash

Migration = Callable[[Any], None]


def m001_initial(conn: Any) -> None:
    """Documents, their original bytes and their extracted fields.

    Originals sit in their own table so listing documents never pages in the
    (possibly large) file bytes. ``ord`` keeps fields in schema order.
    """
    conn.execute(
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            doc_type TEXT NOT NULL,
            summary TEXT NOT NULL,
            summary_source TEXT NOT NULL,
            text TEXT NOT NULL,
            page_starts TEXT NOT NULL,
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            doc_date TEXT
        )"""
    )
    conn.execute("CREATE INDEX documents_added_at ON documents (added_at)")
    conn.execute(
        """CREATE TABLE originals (
            doc_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
            data BLOB NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE fields (
            doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            name TEXT NOT NULL,
            value TEXT,
            normalized TEXT,
            span_start INTEGER,
            span_end INTEGER,
            inferred INTEGER NOT NULL DEFAULT 0,
            score REAL,
            PRIMARY KEY (doc_id, name)
        )"""
    )


def m002_search(conn: Any) -> None:
    """Full-text index over name, text, summary and field values (issue 13).

    External content: ``search`` indexes the view ``search_source`` (one row per
    document, field values and their normalized forms joined into one column) and
    keeps no second copy of the text. ``Vault`` writes the index row in the same
    transaction as the document, and removes it (FTS5's ``delete`` command, fed the
    values from the view) before the document goes. Against the alternatives:
    a contentless table with ``contentless_delete=1`` deletes by rowid through
    *tombstones* and never removes the terms (it cannot know them), which defeats
    secure-delete; a content-storing table would hold a second plaintext copy.
    External content also gives ``rebuild`` and an ``integrity-check`` that
    compares the index with the documents.

    FTS5's own ``secure-delete`` option makes a delete remove the document's terms
    from the index segments at once; without it FTS5 only appends delete markers
    and the old terms stay in ``search_data`` until a merge, whatever ``PRAGMA
    secure_delete`` says (that pragma zeroes freed b-tree space, not live
    segments). The option is persistent (stored in ``search_config``).

    ``remove_diacritics 2``: "resume" finds "résumé".
    """
    conn.execute(
        """CREATE VIEW search_source AS
        SELECT d.id AS id, d.name AS name, d.text AS text, d.summary AS summary,
               (SELECT group_concat(coalesce(f.value, '') || ' ' || coalesce(f.normalized, ''),
                                    char(10))
                FROM fields f WHERE f.doc_id = d.id) AS fields
        FROM documents d"""
    )
    crash.point("m002-view")
    conn.execute(
        "CREATE VIRTUAL TABLE search USING fts5(name, text, summary, fields, "
        "content='search_source', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    crash.point("m002-table")
    conn.execute("INSERT INTO search (search, rank) VALUES ('secure-delete', 1)")
    crash.point("m002-secure-delete")
    conn.execute("INSERT INTO search (search) VALUES ('rebuild')")  # existing documents
    crash.point("m002-rebuild")
    # Filters and the newest-first order read these indexes, never the rows: a row
    # holds the document's text, and its later columns sit behind that text's
    # overflow pages (10,000 documents: p95 69 ms without them).
    conn.execute("CREATE INDEX documents_newest ON documents (added_at, id, doc_type, doc_date)")
    crash.point("m002-index")
    conn.execute("CREATE INDEX documents_filter ON documents (id, doc_type, doc_date)")


def m003_review(conn: Any) -> None:
    """Each field's review status and note, and the user's labels (issue 12).

    ``status`` is "verified", "grounded" or "needs_review" (``checks.assess``);
    fields stored before this version keep NULL: they were never assessed, and
    saying otherwise would be a claim nobody checked. ``labels`` holds the spans the
    user vouched for — one per field of a document, the latest — from which the
    chooser learns (``understanding/personal.py``). They live here, encrypted with
    everything else, and go with their document.
    """
    conn.execute("ALTER TABLE fields ADD COLUMN status TEXT")
    conn.execute("ALTER TABLE fields ADD COLUMN note TEXT")
    conn.execute(
        """CREATE TABLE labels (
            doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL,
            labelled_at TEXT NOT NULL,
            PRIMARY KEY (doc_id, name)
        )"""
    )
    # The list's "needs review" filter reads this index, never the rows.
    conn.execute("CREATE INDEX fields_status ON fields (status, doc_id)")


def m004_type_confidence(conn: Any) -> None:
    """How sure the document's type is (issue 21: ``Extraction.type_confidence``);
    documents stored before this version keep NULL: never measured."""
    conn.execute("ALTER TABLE documents ADD COLUMN type_confidence REAL")


def m005_page_pictures(conn: Any) -> None:
    """Pages read by OCR (issue 22): a picture of each (a JPEG the reader made) and
    every word's box on it (JSON, ``Document.boxes``), in tables of their own so that
    listing and reading documents never pages them in."""
    conn.execute(
        """CREATE TABLE page_pictures (
            doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            picture BLOB NOT NULL,
            PRIMARY KEY (doc_id, page)
        )"""
    )
    conn.execute(
        """CREATE TABLE word_boxes (
            doc_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
            boxes TEXT NOT NULL
        )"""
    )


def m006_parent(conn: Any) -> None:
    """The document a document came in (issue 22: an e-mail's attachments are
    documents of their own, linked to their message). NULL for a file the person
    picked, and for every document stored before this version. Deleting the
    message keeps its attachments (they are documents too) and clears their link.
    """
    conn.execute("ALTER TABLE documents ADD COLUMN parent_id INTEGER "
                 "REFERENCES documents (id) ON DELETE SET NULL")
    conn.execute("CREATE INDEX documents_parent ON documents (parent_id)")


def m007_photo_warnings(conn: Any) -> None:
    """Why a document's OCR'd text may be wrong (issue 22: a photo too blurred, dark
    or small to trust), as a JSON list of the reader's warnings
    (``Document.warnings``); NULL for none, and for every document stored before."""
    conn.execute("ALTER TABLE documents ADD COLUMN warnings TEXT")


#: Index i holds the migration to version i + 1.
MIGRATIONS: tuple[Migration, ...] = (m001_initial, m002_search, m003_review,
                                     m004_type_confidence, m005_page_pictures,
                                     m006_parent, m007_photo_warnings)
SCHEMA_VERSION = len(MIGRATIONS)
