"""Rollback journal or write-ahead log: the evidence for the vault's journal mode (#20).

The probe found that a crashed ``vault.db`` opened *without* its hot journal shows
half of one transaction (summaries overwritten, the same transaction's deletion
missing) while ``quick_check``, ``integrity_check`` and the FTS check all pass: the
pages are whole, they just come from two states. The journal can be lost without
Strongroom: a person tidying the folder, a sync or backup tool copying ``vault.db``
alone, an unfinished copy to a new computer.

Here a real SQLCipher file (a raw 256-bit key, as the vault uses) is written by a
child process in one mode, the child is SIGKILLed, the file beside the database
(``-journal``, or ``-wal`` and ``-shm``) is removed, and the database is opened
alone. It must hold one state, old or new, never half of a transaction. The table
mimics the probe's: every summary rewritten (same length: pages change in place,
so the b-tree stays valid) and one field row deleted, in one transaction.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

KEY = bytes(range(32))
DOCS = 600  # about 60 pages of summaries: far more than the child's page cache
FIELDS = 400

CHILD = textwrap.dedent("""
    import sys, time
    from sqlcipher3 import dbapi2 as sqlcipher
    path, mode, stop, key = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    conn = sqlcipher.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA key = \\"x'{key}'\\"")
    conn.execute(f"PRAGMA journal_mode = {mode}")
    conn.execute("PRAGMA cache_size = 8")  # a big transaction spills, as a large document does
    print("ready", flush=True)
    n = conn.execute("SELECT n FROM state").fetchone()[0]
    while True:
        n += 1
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE docs SET summary = ?", (f"{n:08d}" * 32,))
        conn.execute("DELETE FROM fields WHERE id = (SELECT min(id) FROM fields)")
        conn.execute("UPDATE state SET n = ?", (n,))
        if stop == "before-commit":
            print("inside", flush=True)
            time.sleep(600)
        conn.execute("COMMIT")
        if stop == "after-commit":
            print("inside", flush=True)
            time.sleep(600)
""")


def _make(path: Path, mode: str) -> None:
    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{KEY.hex()}'\"")
    conn.execute(f"PRAGMA journal_mode = {mode}")
    conn.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, summary TEXT NOT NULL)")
    conn.execute("CREATE TABLE fields (id INTEGER PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("CREATE TABLE state (n INTEGER NOT NULL)")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO docs (summary) VALUES (?)", [("00000000" * 32,)] * DOCS)
    conn.executemany("INSERT INTO fields (value) VALUES (?)", [("x" * 40,)] * FIELDS)
    conn.execute("INSERT INTO state VALUES (0)")
    conn.execute("COMMIT")
    conn.close()


def _crash(path: Path, mode: str, stop: str, tmp: Path, delay: float | None = None) -> None:
    script = tmp / "writer.py"
    script.write_text(CHILD)
    proc = subprocess.Popen([sys.executable, str(script), str(path), mode, stop, KEY.hex()],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n"
        if delay is None:
            assert proc.stdout.readline() == "inside\n"
        else:
            time.sleep(delay)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if proc.stdout is not None:
            proc.stdout.close()


def _lose_side_files(path: Path) -> list[str]:
    lost = []
    for suffix in ("-journal", "-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.unlink()
            lost.append(suffix)
    return lost


def _state(path: Path) -> tuple[str, int]:
    """("whole", n) or ("torn", n) for the database file alone; its checks pass
    either way (asserted: the torn state is invisible to SQLite)."""
    conn = sqlcipher.connect(f"{path.as_uri()}?mode=rw", uri=True, isolation_level=None)
    try:
        conn.execute(f"PRAGMA key = \"x'{KEY.hex()}'\"")
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
        n = conn.execute("SELECT n FROM state").fetchone()[0]
        summaries = {r[0] for r in conn.execute("SELECT DISTINCT summary FROM docs")}
        fields = conn.execute("SELECT count(*) FROM fields").fetchone()[0]
    finally:
        conn.close()
    whole = summaries == {f"{n:08d}" * 32} and fields == FIELDS - n
    return ("whole" if whole else "torn"), n


@pytest.mark.parametrize("mode", ["delete", "wal"])
def test_a_kill_inside_a_transaction_then_the_side_file_lost(mode: str, tmp_path: Path) -> None:
    """The probe's case, made certain: the child stops inside its first transaction
    after its page cache spilled, is killed, and its side file is lost. The
    rollback journal leaves half a transaction in ``vault.db`` (this is the hole);
    the write-ahead log never writes ``vault.db`` before a checkpoint."""
    db = tmp_path / "vault.db"
    _make(db, mode)
    before = db.read_bytes()
    _crash(db, mode, "before-commit", tmp_path)
    assert _lose_side_files(db) == (["-journal"] if mode == "delete" else ["-wal", "-shm"])
    if mode == "delete":
        assert db.read_bytes() != before  # spilled pages of an uncommitted transaction
        assert _state(db)[0] == "torn"  # half a transaction, every check passing
    else:
        assert db.read_bytes() == before
        assert _state(db) == ("whole", 0)


def test_wal_a_kill_after_commit_then_the_log_lost_keeps_the_old_state(tmp_path: Path) -> None:
    """What write-ahead logging costs instead: a committed transaction not yet
    checkpointed lives only in ``-wal``; lost with it, the vault is whole but older."""
    db = tmp_path / "vault.db"
    _make(db, "wal")
    _crash(db, "wal", "after-commit", tmp_path)
    assert (db.with_name("vault.db-wal")).stat().st_size > 0
    _lose_side_files(db)
    assert _state(db) == ("whole", 0)


@pytest.mark.parametrize("mode", ["delete", "wal"])
def test_random_kills_then_the_side_file_lost(mode: str, tmp_path: Path) -> None:
    """Kills at random moments of a writer committing transaction after transaction
    (the WAL checkpoints itself every 1000 pages, so kills land in checkpoints too).
    The counts are the evidence printed for the decision; the assertion is the one
    each mode can keep."""
    rng = random.Random(20)
    counts, found = {"whole": 0, "torn": 0}, []
    for rep in range(12):
        db = tmp_path / f"rep{rep}" / "vault.db"
        db.parent.mkdir()
        _make(db, mode)
        _crash(db, mode, "loop", tmp_path, delay=rng.uniform(0.2, 1.2))
        _lose_side_files(db)
        state, n = _state(db)
        counts[state] += 1
        found.append(n)
    print(f"{mode}: {counts}; transactions found in vault.db: {found}")
    if mode == "delete":
        assert counts["torn"] > 0


def test_wal_side_files_are_encrypted_and_private(tmp_path: Path) -> None:
    """What WAL would keep beside the vault while it is open (and after a crash):
    ``-wal`` holds page images encrypted like ``vault.db`` (no canary in plain),
    ``-shm`` only the index of frames; SQLite gives both the database's mode."""
    db = tmp_path / "vault.db"
    _make(db, "wal")
    os.chmod(db, 0o600)
    canary = b"CANARY-7f3a-summary-text"
    script = tmp_path / "canary.py"
    script.write_text(textwrap.dedent(f"""
        import time
        from sqlcipher3 import dbapi2 as sqlcipher
        conn = sqlcipher.connect({str(db)!r}, isolation_level=None)
        conn.execute("PRAGMA key = \\"x'{KEY.hex()}'\\"")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("UPDATE docs SET summary = ?", ({canary.decode()!r} * 10,))
        print("inside", flush=True)
        time.sleep(600)
    """))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "inside\n"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if proc.stdout is not None:
            proc.stdout.close()
    for suffix in ("-wal", "-shm"):
        side = db.with_name(db.name + suffix)
        assert side.stat().st_size > 0
        assert canary not in side.read_bytes()
        assert side.stat().st_mode & 0o777 == 0o600
