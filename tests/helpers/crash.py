"""The parent side of the kill tests: start a child, kill it, check the vault.

``check_vault`` is the one verdict every kill gets. It reads the files exactly
as the kill left them (the first read rolls back a hot journal, as opening the
vault would), and a document counts as **complete** when all of these hold:

1. its ``documents`` row (every column but ``doc_date`` is NOT NULL in the schema);
2. its ``originals`` row, whose bytes hash to ``documents.sha256`` and are
   ``documents.size`` long;
3. its ``fields`` rows, numbered 0..n-1 with n >= 1 (every document type has
   fields, and ``extract_fields`` returns every field of the type, empty or not);
4. from schema version 2 on, its entry in the ``search`` index: FTS5's
   ``integrity-check`` with rank 1 compares every index entry with the view over
   ``documents`` and ``fields``, so a document missing from the index, an index
   entry without its document, or an entry made from other field values fails.

A document is **absent** when it has none of these: ``foreign_key_check`` finds
``originals`` or ``fields`` rows without their document, and (4) finds index
entries without one. Anything in between fails the check.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import shutil
import signal
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher

from strongroom.paths import make_private
from strongroom.reading.base import Document
from strongroom.resources import path as resource_path
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault import Vault, keys
from strongroom.vault.backup import hot_journal
from strongroom.vault.db import DB_NAME, KEYS_NAME, connect
from strongroom.vault.locks import unlock_envelope
from tests.conftest import PASSPHRASE
from tests.helpers.crash_child import Kill, run
from tests.helpers.vault import make_doc

#: Every random choice in the kill tests comes from this seed (``CRASH_SEED=N`` replays).
SEED = int(os.environ.get("CRASH_SEED", "20261123"))

#: Modules every child needs, imported once by the fork server.
PRELOAD = ["strongroom.jobs", "strongroom.vault.backup", "strongroom.understanding.fields",
           "strongroom.understanding.ranker", "strongroom.understanding.summary",
           "tests.helpers.crash_child"]


# -- one child -----------------------------------------------------------------------
@dataclass
class ChildRun:
    exitcode: int | None
    messages: list[tuple[Any, ...]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def killed(self) -> bool:
        return self.exitcode == -signal.SIGKILL

    def saved(self) -> list[str]:
        return [m[1] for m in self.messages if m[0] == "saved"]

    def how(self) -> str:
        return next((m[1] for m in self.messages if m[0] == "killing"), "")


_context: Any = None


def fork_context() -> Any:
    """multiprocessing's fork server, started once per test session: a clean,
    single-threaded process that has imported ``PRELOAD`` and forks each child
    (~20 ms a child here, against ~0.25 s of imports for a fresh interpreter; never
    a fork of pytest itself, whose threads and loaded model must not be copied)."""
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(PRELOAD)
    return _context


def run_child(scenario: str, *args: Any, kill: Kill | None = None,
              kill_after: float | Callable[[list[tuple[Any, ...]]], float] | None = None,
              timeout: float = 120) -> ChildRun:
    """Run ``crash_child.SCENARIOS[scenario](*args)`` in a forked child.

    ``kill``: the child kills itself there. ``kill_after``: the parent sends
    SIGKILL that many seconds after the child says it is ready (a function: of the
    messages received until then).
    """
    ctx = fork_context()
    receive, send = ctx.Pipe(duplex=False)
    start = time.perf_counter()
    child = ctx.Process(target=run, args=(scenario, kill, send, *args), daemon=True)
    child.start()
    send.close()
    messages: list[tuple[Any, ...]] = []
    if kill_after is not None:
        _wait_ready(receive, messages, timeout)
        time.sleep(kill_after(messages) if callable(kill_after) else kill_after)
        child.kill()
    child.join(timeout)
    if child.exitcode is None:
        child.kill()
        child.join()
        raise AssertionError(f"{scenario} child did not end within {timeout} s")
    messages += _drain(receive)
    receive.close()
    return ChildRun(child.exitcode, messages, time.perf_counter() - start)


def _wait_ready(receive: Connection, messages: list[tuple[Any, ...]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while receive.poll(max(0.0, deadline - time.monotonic())):
        try:
            message = receive.recv()
        except EOFError:
            return
        messages.append(message)
        if message[0] == "ready":
            return
    raise AssertionError("the child never said it was ready")


def _drain(receive: Connection) -> list[tuple[Any, ...]]:
    out = []
    while True:
        try:
            if not receive.poll(0):
                return out
            out.append(receive.recv())
        except (EOFError, OSError):
            return out


# -- the verdict -------------------------------------------------------------------
@dataclass(frozen=True)
class StoredDoc:
    """What a complete document holds, comparable between vaults."""

    name: str
    kind: str
    doc_type: str
    summary: str
    text: str
    doc_date: str | None
    fields: tuple[tuple[str, str | None, str | None, int | None, int | None, int], ...]


@dataclass
class VaultState:
    version: int
    docs: dict[str, StoredDoc]  # by sha256
    tables: set[str]


def check_vault(data_dir: Path, passphrase: str) -> VaultState:
    """The checks every kill is followed by (see the module docstring); any
    failure is an ``AssertionError`` saying which."""
    try:
        return _check(data_dir, passphrase)
    except sqlcipher.DatabaseError as exc:
        raise AssertionError(f"the vault does not read back: {type(exc).__name__}: {exc}"
                             ) from exc


def _check(data_dir: Path, passphrase: str) -> VaultState:
    envelope = keys.read_envelope(data_dir / KEYS_NAME)
    data_key, _method = unlock_envelope(envelope, passphrase)
    conn = connect(data_dir / DB_NAME, data_key)
    try:
        bad_pages = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        assert bad_pages == [], f"cipher_integrity_check: {len(bad_pages)} bad page(s)"
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], "integrity_check"
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        assert orphans == [], f"rows without their document: {orphans}"
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "search" in tables:
            try:  # SQLITE_CORRUPT_VTAB if the index and the documents disagree
                conn.execute("INSERT INTO search (search, rank) VALUES ('integrity-check', 1)")
            except sqlcipher.DatabaseError as exc:
                raise AssertionError(f"the search index and the documents disagree: {exc}"
                                     ) from exc
        docs = {}
        rows = conn.execute(
            "SELECT d.id, d.sha256, d.name, d.kind, d.doc_type, d.summary, d.text, "
            "d.page_starts, d.size, d.doc_date, o.data FROM documents d "
            "LEFT JOIN originals o ON o.doc_id = d.id").fetchall()
        assert len({r[1] for r in rows}) == len(rows), "a document is in the vault twice"
        for (doc_id, sha, name, kind, doc_type, summary, text, page_starts, size, doc_date,
             data) in rows:
            assert data is not None, f"document {doc_id} has no original"
            assert hashlib.sha256(data).hexdigest() == sha and len(data) == size, doc_id
            assert isinstance(json.loads(page_starts), list)
            fields = conn.execute(
                "SELECT ord, name, value, normalized, span_start, span_end, inferred "
                "FROM fields WHERE doc_id = ? ORDER BY ord", (doc_id,)).fetchall()
            assert [f[0] for f in fields] == list(range(len(fields))) and fields, \
                f"document {doc_id} has fields {[f[0] for f in fields]}"
            docs[sha] = StoredDoc(name, kind, doc_type, summary, text, doc_date,
                                  tuple(tuple(f[1:]) for f in fields))
    finally:
        conn.close()
    assert not hot_journal(data_dir / DB_NAME), "a hot journal survived the first read"
    return VaultState(version, docs, tables)


def journal_state(data_dir: Path) -> str:
    """What a kill left beside vault.db: "no journal", "cold journal" (killed inside
    a transaction, before vault.db was written), "hot journal" (killed while
    vault.db was being written: the next read rolls it back)."""
    if not (data_dir / (DB_NAME + "-journal")).exists():
        return "no journal"
    return "hot journal" if hot_journal(data_dir / DB_NAME) else "cold journal"


def expected_doc(doc: Any, extraction: Extraction) -> StoredDoc:
    """The ``StoredDoc`` that ``add_document(doc, extraction)`` must leave."""
    def row(name: str, fv: FieldValue) -> tuple[str, str | None, str | None, int | None,
                                                int | None, int]:
        start, end = fv.span if fv.span else (None, None)
        return (name, fv.value, fv.normalized, start, end, int(fv.inferred))

    return StoredDoc(doc.name, doc.kind, extraction.doc_type, extraction.summary, doc.text,
                     extraction.doc_date, tuple(row(n, fv) for n, fv in extraction.fields.items()))


def copy_vault(template: Path, dest: Path) -> Path:
    """A copy with a vault's modes (0700 folder, 0600 files), as the app leaves them:
    the start-up permission check then has nothing to say."""
    shutil.copytree(template, dest)
    make_private(dest)
    return dest


def seeded(seed: int, name: str = "") -> random.Random:
    """A generator for ``name`` derived from ``seed``; the seed is printed (pytest
    shows it when the test fails) so the run can be replayed with CRASH_SEED."""
    print(f"random seed: CRASH_SEED={seed} ({name or 'fixture'})")
    return random.Random(seed ^ zlib.crc32(name.encode()))


def assert_consistent(state: VaultState, expected: dict[str, StoredDoc],
                      must: set[str], why: str) -> None:
    """Each document present is one the test wrote, exactly as written; each one
    the vault reported saved (``must``) is there."""
    unknown = set(state.docs) - set(expected)
    assert not unknown, f"{why}: documents nobody wrote: {len(unknown)}"
    for sha, doc in state.docs.items():
        assert doc == expected[sha], f"{why}: {doc.name} differs from what was written"
    lost = must - set(state.docs)
    assert not lost, f"{why}: {len(lost)} saved document(s) lost"


# -- vaults and documents to kill over (fixtures in conftest.py) -----------------------
def make_template(folder: Path, docs: list[tuple[Document, Extraction]]) -> Path:
    with Vault.create(folder, passphrase=PASSPHRASE) as vault:
        for doc, extraction in docs:
            vault.add_document(doc, extraction)
    return folder


def new_docs(rng: random.Random, count: int, tag: str, *,
             big: int = 0) -> list[tuple[Document, Extraction]]:
    """Made-up invoices with fields (one empty) and originals of varied sizes (up
    to ``big`` random bytes more), so commits differ between repetitions."""
    out = []
    for i in range(count):
        date = f"2024-03-{i % 28 + 1:02d}"
        total = f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}"
        text = f"Invoice {tag}-{i} from Kestrel Supplies dated {date}. Total {total} EUR"
        data = text.encode() + rng.randbytes(rng.randint(0, big)) if big else None

        def span(value: str, text: str = text) -> tuple[int, int]:
            return text.find(value), text.find(value) + len(value)

        fields = {
            "vendor": FieldValue("Kestrel Supplies", "Kestrel Supplies", span("Kestrel Supplies")),
            "invoice_date": FieldValue(date, date, span(date)),
            "total": FieldValue(total, total, span(total), score=0.75),
            "currency": FieldValue("EUR", "EUR", None, inferred=True),
            "due_date": FieldValue(),
        }
        out.append((make_doc(name=f"{tag}-{i}.txt", text=text, data=data),
                    Extraction("invoice", f"An invoice from Kestrel Supplies ({tag}-{i}).",
                               "template", fields, doc_date=date)))
    return out


def write_batch(folder: Path, rng: random.Random, count: int, tag: str) -> list[Path]:
    """``count`` files ``<type>-<tag>NNN.txt`` made from the bundled samples, each
    with its own reference line (so each has its own SHA-256)."""
    samples = sorted(resource_path("samples").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        sample = samples[rng.randrange(len(samples))]
        path = folder / f"{sample.stem}-{tag}{i:03d}.txt"
        path.write_text(sample.read_text(encoding="utf-8")
                        + f"\nReference: {tag.upper()}-{rng.randrange(10**8):08d}\n",
                        encoding="utf-8")
        paths.append(path)
    return paths
