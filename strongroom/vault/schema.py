"""The vault's tables, versioned with ``PRAGMA user_version``.

Each migration is a function ``mNNN_name(conn)`` run inside one transaction with
the ``user_version`` bump, so a vault is always at exactly one known version.
Never edit a released migration: add the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


#: Index i holds the migration to version i + 1.
MIGRATIONS: tuple[Migration, ...] = (m001_initial,)
SCHEMA_VERSION = len(MIGRATIONS)
