"""Helpers shared by the vault tests (and the window and CLI tests that use a real vault)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from strongroom.reading.base import Document
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault import keys
from strongroom.vault.db import DB_NAME

JOURNAL = DB_NAME + "-journal"

#: The production Argon2id parameters, saved before the autouse fixture lowers them.
REAL_ARGON2 = (keys.ARGON2_MEMORY_KIB, keys.ARGON2_TIME_COST, keys.ARGON2_PARALLELISM)

def write_envelope_json(path: Path, env: dict[str, object]) -> None:
    """Write an edited key file as Strongroom would (its checksum made to match the
    edit), so a test reaches the check it is about rather than the checksum's."""
    env = {**env}
    env.pop("checksum", None)
    path.write_text(json.dumps({**env, "checksum": keys.checksum(env)}))


def snapshot(folder: Path, *, open_vault: bool = False) -> dict[str, str]:
    """sha256 of every file under ``folder`` (names included: new files show up).

    ``open_vault``: the vault in ``folder`` is open meanwhile, so its ``-shm`` is
    left out: SQLite's shared index of the write-ahead log (#20), which holds no
    content and which every read rewrites (its read marks)."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not (open_vault and p.name.endswith("-shm"))
    }


def make_doc(name: str = "letter.txt", text: str = "Invoice 42 dated 2024-03-05. Total 12.50 EUR",
             data: bytes | None = None, kind: str = "text",
             page_starts: tuple[int, ...] = (0,)) -> Document:
    return Document(name=name, kind=kind, text=text,
                    data=text.encode() if data is None else data, page_starts=page_starts)


def make_extraction(text: str = "Invoice 42 dated 2024-03-05. Total 12.50 EUR") -> Extraction:
    start = text.find("2024-03-05")
    fields = {
        "vendor": FieldValue(),  # absent value
        "invoice_date": FieldValue("2024-03-05", "2024-03-05", (start, start + 10), score=0.9),
        "total": FieldValue("12.50", "12.50", (text.find("12.50"), text.find("12.50") + 5)),
        "currency": FieldValue("EUR", "EUR", None, inferred=True),
    }
    return Extraction(doc_type="invoice", summary="An invoice.", summary_source="model",
                      fields=fields, doc_date="2024-03-05", type_confidence=0.8731)


# A child opens the vault and adds a large document; it stops inside add_document's
# transaction. With ``spill`` its page cache is tiny, so SQLite has already synced the
# journal and written part of the transaction into vault.db (a hot journal beside it);
# without, vault.db is untouched and the journal's header is not written yet.
CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from strongroom.vault import Vault, search
    from tests.helpers.vault import make_doc, make_extraction  # PYTHONPATH: sys.path

    def stop(conn, doc_id):
        print("inside the transaction", flush=True)
        time.sleep(600)

    search.index_document = stop  # called inside add_document's transaction
    vault = Vault.open(Path(sys.argv[1]), passphrase=os.environ["CRASH_TEST_PASSPHRASE"])
    # As a release before #20 wrote (rollback journal): the journal's checks are for
    # the crash journals those vaults may carry; the next open switches to WAL.
    vault._conn.execute("PRAGMA journal_mode = DELETE")
    if sys.argv[2] == "spill":
        vault._conn.execute("PRAGMA cache_size = 10")
    text = " ".join(f"word{i}" for i in range(40000))
    vault.add_document(make_doc(name="big.txt", text=text), make_extraction(text))
""")


@contextmanager
def writer_mid_commit(folder: Path, passphrase: str, tmp: Path, *,
                      spill: bool = True) -> Iterator[None]:
    """A child process stopped in the middle of a commit for the block's duration,
    then SIGKILLed (so the block sees a live writer, and after it a crash)."""
    script = tmp / "crash_child.py"
    script.write_text(CHILD)
    before = (folder / DB_NAME).read_bytes()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path),
           "CRASH_TEST_PASSPHRASE": passphrase}
    proc = subprocess.Popen([sys.executable, str(script), str(folder),
                             "spill" if spill else "keep"],
                            stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "inside the transaction\n"
        assert (folder / JOURNAL).exists()
        # With spill, part of the transaction is in vault.db: some pages rewritten.
        # (Page 1 is left out: switching a WAL vault back to the journal rewrites it.)
        page = 4096
        assert ((folder / DB_NAME).read_bytes()[page:len(before)] != before[page:]) == spill
        yield
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL


def crash_mid_commit(folder: Path, passphrase: str, tmp: Path, *, spill: bool = True) -> None:
    """SIGKILL a child in the middle of a commit (see ``writer_mid_commit``)."""
    with writer_mid_commit(folder, passphrase, tmp, spill=spill):
        pass
