"""Crash safety at named points, proven by SIGKILL (issue 13).

Every kill is a real SIGKILL of a real child process (forked from a fork server:
``helpers.crash.run_child``) and is followed by ``helpers.crash.check_vault``:
``integrity_check`` ok, ``cipher_integrity_check`` empty, no orphan rows, the
search index agreeing with the documents, every document absent or complete.

The points are ``strongroom.vault.crash.point`` calls: inside a document's
commit, during a backup, a migration (the kept version-1 vault) and a
compaction, ``REPS`` kills each (the key re-wrap's: test_vault_rewrap_kill.py).
Repetitions differ in which occurrence of the point is hit (which document,
which chunk) and in how the child dies: at the point; a random number of SQLite
progress steps after it, measured to fall before the operation ends (inside the
statements that follow: the FTS rebuild, VACUUM, VACUUM INTO); or a few random
milliseconds after it from a thread (inside COMMIT's writes and fsyncs, where
SQLite calls nothing back). Random kills during a batch: test_vault_crash_batch.py;
a full disk: test_vault_disk_full.py. ``CRASH_SEED=N`` replays a run.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from strongroom.errors import VaultError
from strongroom.vault import Vault, backup, keys
from strongroom.vault.db import DB_NAME, KEYS_NAME, connect
from strongroom.vault.locks import unlock_envelope
from strongroom.vault.migrations import SCHEMA_VERSION
from tests.conftest import PASSPHRASE
from tests.e2e.vault.test_vault_create_kill import CREATE_POINTS
from tests.e2e.vault.test_vault_rewrap_kill import POINTS as REWRAP_POINTS
from tests.helpers import paths
from tests.helpers.crash import (
    SEED,
    ChildRun,
    assert_consistent,
    check_vault,
    copy_vault,
    expected_doc,
    journal_state,
    make_template,
    new_docs,
    run_child,
    seeded,
)
from tests.helpers.crash_child import Kill

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork are POSIX")

REPS = 10
ROOT = paths.REPO

COMMIT_POINTS = ("document-row", "document-original", "document-fields", "document-indexed",
                 "transaction-commit", "document-committed")
BACKUP_POINTS = ("backup-copy", "backup-copied", "backup-header-written",
                 "backup-chunk-written", "backup-written")
MIGRATION_POINTS = ("m002-view", "m002-table", "m002-secure-delete", "m002-rebuild",
                    "m002-index", "migration-version", "migration-committed")
COMPACT_POINTS = ("compact-optimized", "compact-vacuum", "compact-vacuumed")


# -- planning and counting kills ---------------------------------------------------------
def assert_killed(run: ChildRun, kill: Kill) -> None:
    assert run.killed, f"{kill}: the child was not killed: exit {run.exitcode}, {run.messages}"


class Tally:
    """How the kills of one test landed (printed; some tests assert on it)."""

    def __init__(self, name: str) -> None:
        self.name, self.counts = name, Counter[str]()

    def add(self, run: ChildRun) -> None:
        how = run.how()
        self.counts["kills"] += 1
        if how.startswith("late"):
            self.counts["late (after the operation)"] += 1
        elif "after" in how:  # "... after <point>, last point <where it was>"
            kind = "steps" if "steps after" in how else "timer"
            self.counts[f"{kind} past {how.rsplit('last point ', 1)[1]}"] += 1
        else:
            self.counts["at the point"] += 1

    def __str__(self) -> str:
        return f"{self.name}: " + ", ".join(f"{n} {k}" for k, n in self.counts.items())


def kill_plan(rng: random.Random, point: str, occurrences: int, steps_after: dict[int, int],
              max_delay: float = 0.004) -> list[Kill]:
    """``REPS`` kills at ``point``: a third at it, a third a random number of
    progress steps after it (``steps_after[occurrence]``: how many there are before
    the operation ends, measured), a third a random delay after it."""
    plan = []
    for rep in range(REPS):
        occurrence = rng.randint(1, occurrences)
        kind = rep % 3
        if kind == 1 and steps_after.get(occurrence, 0) > 0:
            plan.append(Kill(point, occurrence, steps=rng.randint(1, steps_after[occurrence])))
        elif kind == 2:
            plan.append(Kill(point, occurrence, delay=rng.uniform(0.0001, max_delay)))
        else:
            plan.append(Kill(point, occurrence))
    return plan


def steps_after(point: str, occurrences: int, scenario: str,
                args_of: Callable[[str], tuple[Any, ...]]) -> dict[int, int]:
    """SQLite progress steps between each occurrence of ``point`` and the end of
    the operation, counted by a child that is armed but never fires
    (``args_of(name)``: the scenario's arguments, on a fresh copy of the vault)."""
    out = {}
    for occurrence in range(1, occurrences + 1):
        run = run_child(scenario, *args_of(f"calibrate-{occurrence}"),
                        kill=Kill(point, occurrence, steps=10**9))
        out[occurrence] = next(m[1] for m in run.messages if m[0] == "steps")
    return out


# -- the check itself catches half documents (controls) -----------------------------
def _raw(folder: Path) -> Any:
    data_key, _ = unlock_envelope(keys.read_envelope(folder / KEYS_NAME), PASSPHRASE)
    return connect(folder / DB_NAME, data_key)


def _unindex(conn: Any, doc_id: int) -> None:
    conn.execute("INSERT INTO search (search, rowid, name, text, summary, fields) SELECT "
                 "'delete', id, name, text, summary, fields FROM search_source WHERE id = ?",
                 (doc_id,))


@pytest.mark.parametrize("damage", ["no index entry", "no fields", "no original", "orphan rows",
                                    "torn page"])
def test_the_check_refuses_half_documents(damage: str, commit_template: Path,
                                          tmp_path: Path) -> None:
    folder = copy_vault(commit_template, tmp_path / "v")
    check_vault(folder, PASSPHRASE)  # whole before
    conn = _raw(folder)
    doc_id = conn.execute("SELECT min(id) FROM documents").fetchone()[0]
    if damage == "no index entry":
        _unindex(conn, doc_id)
    elif damage == "no fields":  # the index rebuilt to match: only the fields check sees it
        conn.execute("DELETE FROM fields WHERE doc_id = ?", (doc_id,))
        conn.execute("INSERT INTO search (search) VALUES ('rebuild')")
    elif damage == "no original":
        conn.execute("DELETE FROM originals WHERE doc_id = ?", (doc_id,))
    elif damage == "orphan rows":
        _unindex(conn, doc_id)
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    conn.close()
    if damage == "torn page":
        with open(folder / DB_NAME, "r+b") as f:
            f.seek(2 * 4096 + 700)
            f.write(b"\x00" * 64)
    reason = {"no index entry": "search index", "no fields": "has fields", "no original":
              "no original", "orphan rows": "without their document", "torn page": "bad page"}
    with pytest.raises(AssertionError, match=reason[damage]):
        check_vault(folder, PASSPHRASE)


def test_control_a_writer_without_its_transaction_is_caught(commit_template: Path,
                                                            tmp_path: Path) -> None:
    """The same kill with ``db.transaction`` made a no-op leaves half a document,
    and the check says so: the kills below could catch a non-atomic commit."""
    folder = copy_vault(commit_template, tmp_path / "v")
    run = run_child("add_documents", folder, PASSPHRASE, new_docs(seeded(SEED), 1, "half"),
                    False, kill=Kill("document-fields"))
    assert run.killed
    with pytest.raises(AssertionError, match="search index"):
        check_vault(folder, PASSPHRASE)


def test_every_named_point_has_kills() -> None:
    """Every ``crash.point("...")`` in the vault's code is killed by a test."""
    found = set()
    for source in (ROOT / "strongroom" / "vault").glob("*.py"):
        if source.name == "crash.py":  # the hook itself, and its docstring's example
            continue
        found |= set(re.findall(r'crash\.point\("([^"]+)"\)', source.read_text()))
    tested = {*COMMIT_POINTS, *BACKUP_POINTS, *MIGRATION_POINTS, *COMPACT_POINTS,
              *REWRAP_POINTS, *CREATE_POINTS}
    assert found == tested


# -- inside a document's commit ---------------------------------------------------------
@pytest.mark.parametrize("point", COMMIT_POINTS)
def test_kill_inside_a_document_commit(point: str, commit_template: Path,
                                       tmp_path: Path) -> None:
    """Five documents saved one after another; the child dies in the commit of one
    of them. Before COMMIT that document is absent, after it complete; the ones
    before it are there (the vault said so), the ones after it absent. Then the
    same five are added again (the queue resuming) and all are there once."""
    rng = seeded(SEED, point)
    kept = check_vault(commit_template, PASSPHRASE).docs
    docs = new_docs(rng, 5, point, big=300_000)
    expected = {**kept, **{doc.sha256: expected_doc(doc, ex) for doc, ex in docs}}
    order = [doc.sha256 for doc, _ in docs]

    def args_of(name: str) -> tuple[Any, ...]:
        return copy_vault(commit_template, tmp_path / name), PASSPHRASE, docs

    steps = steps_after(point, 5, "add_documents", args_of)
    tally = Tally(point)
    for rep, kill in enumerate(kill_plan(rng, point, 5, steps)):
        folder, *args = args_of(f"rep{rep}")
        run = run_child("add_documents", folder, *args, kill=kill)
        assert_killed(run, kill)
        tally.add(run)
        state = check_vault(folder, PASSPHRASE)
        assert_consistent(state, expected, set(kept) | set(run.saved()), str(kill))
        if not (kill.steps or kill.delay):  # killed exactly at the point: nothing left to chance
            committed = kill.occurrence - (point != "document-committed")
            assert set(state.docs) == set(kept) | set(order[:committed]), str(kill)
        with Vault.open(folder, passphrase=PASSPHRASE) as vault:  # the work resumes
            for doc, extraction in docs:
                vault.add_document(doc, extraction)
        assert check_vault(folder, PASSPHRASE).docs == expected, str(kill)
    print(tally)
    assert tally.counts["kills"] == REPS


# -- during a backup ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def backup_template(templates: Path) -> Path:
    """About 2.5 MB, so the payload is copied in three chunks."""
    return make_template(templates / "backup", new_docs(seeded(SEED, "backup"), 30, "b",
                                                        big=200_000))


@pytest.mark.parametrize("point", BACKUP_POINTS)
def test_kill_during_backup(point: str, backup_template: Path, tmp_path: Path) -> None:
    """The vault is not written by a backup, so it keeps every byte; the backup is
    absent or whole under its name (a partial one only ever under a temp name), and
    the next backup goes through and sweeps what the killed one left."""
    rng = seeded(SEED, point)
    expected = check_vault(backup_template, PASSPHRASE).docs
    db_bytes = (backup_template / DB_NAME).read_bytes()
    chunks = -(-len(db_bytes) // (1 << 20))
    occurrences = chunks if point == "backup-chunk-written" else 1
    assert occurrences >= 3 or point != "backup-chunk-written"

    def args_of(name: str) -> tuple[Any, ...]:
        (tmp_path / name / "out").mkdir(parents=True)
        folder = copy_vault(backup_template, tmp_path / name / "data")
        return folder, PASSPHRASE, tmp_path / name / "out" / "vault.srbackup"

    steps = steps_after(point, occurrences, "write_backup", args_of)
    tally, leftovers = Tally(point), 0
    for rep, kill in enumerate(kill_plan(rng, point, occurrences, steps)):
        folder, _, dest = args_of(f"rep{rep}")
        run = run_child("write_backup", folder, PASSPHRASE, dest, kill=kill)
        assert_killed(run, kill)
        tally.add(run)
        assert (folder / DB_NAME).read_bytes() == db_bytes, f"{kill}: the vault changed"
        assert check_vault(folder, PASSPHRASE).docs == expected, str(kill)
        names = [p.name for p in dest.parent.iterdir()]
        assert all(n == dest.name or re.fullmatch(rf"\.{dest.name}\.[0-9a-f]{{12}}\.tmp", n)
                   for n in names), f"{kill}: {names}"
        if not (kill.steps or kill.delay):
            assert dest.exists() == (point == "backup-written"), str(kill)
        if dest.exists():  # complete: it restores to the same documents
            assert backup.inspect(dest).size > 0
            backup.restore(dest, tmp_path / f"rep{rep}" / "restored", passphrase=PASSPHRASE)
            assert check_vault(tmp_path / f"rep{rep}" / "restored", PASSPHRASE).docs == expected
        leftovers += any(p.name.startswith(".backup-") for p in folder.iterdir())
        with Vault.open(folder, passphrase=PASSPHRASE) as vault:  # the next backup goes through
            backup.write_backup(vault, dest, force=dest.exists())
        assert sorted(p.name for p in folder.iterdir()) == [DB_NAME, KEYS_NAME], str(kill)
        assert [p.name for p in dest.parent.iterdir()] == [dest.name], str(kill)
        assert backup.inspect(dest).vault_id == keys.read_envelope(folder / KEYS_NAME).vault_id
    print(tally, f"; a copy left in the data folder after {leftovers} kills (swept)")
    assert tally.counts["kills"] == REPS


# -- during a migration ---------------------------------------------------------------------
@pytest.mark.parametrize("point", MIGRATION_POINTS)
def test_kill_during_migration(point: str, v1_template: Path, tmp_path: Path) -> None:
    """Opening a version-1 vault runs m002_search in one transaction with the
    version bump. Killed inside it, the file is still exactly version 1 (no view,
    table or index of m002 left); after it, version 2. Either way the next open
    migrates, and the documents and search are intact."""
    rng = seeded(SEED, point)
    v1 = check_vault(v1_template, PASSPHRASE)
    assert v1.version == 1 and "search" not in v1.tables and len(v1.docs) == 2

    def args_of(name: str) -> tuple[Any, ...]:
        return copy_vault(v1_template, tmp_path / name), PASSPHRASE

    steps = steps_after(point, 1, "open_vault", args_of)
    tally, versions = Tally(point), Counter[int]()
    for rep, kill in enumerate(kill_plan(rng, point, 1, steps)):
        folder, _ = args_of(f"rep{rep}")
        run = run_child("open_vault", folder, PASSPHRASE, kill=kill)
        assert_killed(run, kill)
        tally.add(run)
        state = check_vault(folder, PASSPHRASE)
        versions[state.version] += 1
        assert state.docs == v1.docs, str(kill)
        if state.version == 1:
            assert state.tables == v1.tables, f"{kill}: half a migration: {state.tables}"
        if not (kill.steps or kill.delay):
            assert state.version == (2 if point == "migration-committed" else 1), str(kill)
        with Vault.open(folder, passphrase=PASSPHRASE) as vault:  # migrates (again)
            assert [r.name for r in vault.search("root canal")] == ["dental-receipt.txt"]
        after = check_vault(folder, PASSPHRASE)
        assert after.version == SCHEMA_VERSION and "search" in after.tables
        assert after.docs == v1.docs
    print(tally, f"; found at version {dict(versions)}")
    assert tally.counts["kills"] == REPS


# -- during a compaction ----------------------------------------------------------------
@pytest.fixture(scope="module")
def compact_template(templates: Path) -> Path:
    """Sixteen documents, six of them deleted: free pages and index segments to merge."""
    folder = make_template(templates / "compact", new_docs(seeded(SEED, "compact"), 16, "c",
                                                           big=80_000))
    with Vault.open(folder, passphrase=PASSPHRASE) as vault:
        for row in vault.list_documents()[::3][:6]:
            vault.delete(row.id)
    return folder


@pytest.mark.parametrize("point", COMPACT_POINTS)
def test_kill_during_compaction(point: str, compact_template: Path, tmp_path: Path) -> None:
    """FTS optimize, then VACUUM (which rewrites every page through the journal):
    killed anywhere, the ten documents are intact and the six deleted stay deleted;
    the next compaction goes through and leaves no free page."""
    rng = seeded(SEED, point)
    expected = check_vault(compact_template, PASSPHRASE).docs
    assert len(expected) == 10

    def args_of(name: str) -> tuple[Any, ...]:
        return copy_vault(compact_template, tmp_path / name), PASSPHRASE

    steps = steps_after(point, 1, "compact", args_of)
    with Vault.open(args_of("timing")[0], passphrase=PASSPHRASE) as vault:
        started = time.perf_counter()
        vault.compact()
        seconds = time.perf_counter() - started
    tally = Tally(point)
    plan = kill_plan(rng, point, 1, steps, max_delay=seconds)
    if point == "compact-vacuum":
        # Inside VACUUM: its SQL part (copying the tables into a temp database) runs
        # VM steps; its copy back into vault.db through the journal runs none, so
        # half the kills are timed within the first half of the compaction's
        # measured length (the child may run faster than the parent did).
        plan = [Kill(point, steps=rng.randint(1, steps[1])) if i % 2 else
                Kill(point, delay=rng.uniform(0, seconds / 2)) for i in range(REPS)]
    for rep, kill in enumerate(plan):
        folder, _ = args_of(f"rep{rep}")
        run = run_child("compact", folder, PASSPHRASE, kill=kill)
        assert_killed(run, kill)
        tally.add(run)
        assert check_vault(folder, PASSPHRASE).docs == expected, str(kill)
        with Vault.open(folder, passphrase=PASSPHRASE) as vault:
            vault.compact()
            assert vault._conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert check_vault(folder, PASSPHRASE).docs == expected, str(kill)
    print(tally, f"; {steps[1]} progress steps after the point, compaction {seconds * 1000:.1f} ms")
    assert tally.counts["kills"] == REPS
    if point == "compact-vacuum":  # inside VACUUM itself (or the checkpoint after it, #20)
        assert (tally.counts["steps past compact-vacuum"]
                + tally.counts["steps past compact-vacuumed"]) == REPS // 2
        assert tally.counts["steps past compact-vacuum"] >= 2
        assert tally.counts["timer past compact-vacuum"] >= 2



@pytest.mark.parametrize("journal", ["cold journal", "hot journal"])
def test_restore_after_a_kill_inside_a_commit(journal: str, commit_template: Path,
                                              tmp_path: Path) -> None:
    """Found by the kills: a commit killed before it wrote to vault.db leaves a
    *cold* journal that SQLite ignores and opening does not remove; restore used
    to refuse it for good ("open it once"), now only a hot one stops it. A hot
    one (pages already spilled into vault.db) is rolled back by opening, as the
    refusal says, and then the restore goes through. (Rollback journals come from
    vaults of releases before #20: the child writes as they did; the write-ahead
    log's case is test_vault_wal.py's.)"""
    out = tmp_path / "out"
    out.mkdir()
    folder = copy_vault(commit_template, tmp_path / "v")
    with Vault.open(folder, passphrase=PASSPHRASE) as vault:
        backup.write_backup(vault, out / "vault.srbackup")
    docs = new_docs(seeded(SEED, journal), 1, "spill", big=400_000)
    run = run_child("add_documents", folder, PASSPHRASE, docs, True,
                    10 if journal == "hot journal" else None, "delete",
                    kill=Kill("document-indexed"))
    assert run.killed
    assert journal_state(folder) == journal
    if journal == "hot journal":
        with pytest.raises(VaultError, match="unfinished write .* Open it once"):
            backup.restore(out / "vault.srbackup", folder, passphrase=PASSPHRASE, replace=True)
        Vault.open(folder, passphrase=PASSPHRASE).close()
        assert journal_state(folder) == "no journal"
    backup.restore(out / "vault.srbackup", folder, passphrase=PASSPHRASE, replace=True)
    assert check_vault(folder, PASSPHRASE).docs == check_vault(commit_template, PASSPHRASE).docs

