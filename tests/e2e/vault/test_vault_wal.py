"""The vault in write-ahead-log mode (#20; the evidence: test_vault_journal_mode.py).

- a vault is in WAL mode once created or opened (an earlier release's vault is
  switched on its first open); its ``-wal``/``-shm`` are 0600 while it is open,
  and closing removes them;
- a crash inside a commit, then the log lost: the vault opens whole (the probe's
  torn vault cannot happen), with every document it reported saved before the
  last checkpoint, and every check passing;
- SQLite replays a ``-wal`` with any key, so another vault's log, or a damaged
  one, is refused in words with every byte unchanged, as the journal is;
- a restore refuses while the log holds writes not merged into ``vault.db``.
"""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pytest

from strongroom.errors import VaultError
from strongroom.vault import Vault, backup, wal
from strongroom.vault.db import DB_NAME, KEYS_NAME
from tests.conftest import PASSPHRASE
from tests.helpers import paths
from tests.helpers.crash import (
    SEED,
    check_vault,
    copy_vault,
    make_template,
    new_docs,
    run_child,
    seeded,
)
from tests.helpers.crash_child import Kill
from tests.helpers.vault import snapshot

pytestmark = pytest.mark.skipif(os.name != "posix", reason="modes, SIGKILL: POSIX")

WAL, SHM = DB_NAME + "-wal", DB_NAME + "-shm"
FIXTURES = paths.FIXTURES / "vaults"


@pytest.fixture(scope="module")
def wal_template(templates: Path) -> Path:
    return make_template(templates / "wal", new_docs(seeded(SEED, "wal"), 3, "w"))


def test_a_vault_runs_in_wal_mode_and_closing_removes_the_log(data_dir: Path) -> None:
    with Vault.create(data_dir, passphrase=PASSPHRASE) as vault:
        assert vault._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        for name in (WAL, SHM):
            assert (data_dir / name).stat().st_mode & 0o777 == 0o600, name
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_NAME, KEYS_NAME]


def test_an_earlier_releases_vault_is_switched_on_its_first_open(tmp_path: Path) -> None:
    folder = tmp_path / "v2"
    shutil.copytree(FIXTURES / "v2", folder, ignore=shutil.ignore_patterns("README.md"))
    with Vault.open(folder, passphrase="strongroom fixture v2") as vault:
        assert vault._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert len(vault.list_documents()) > 0
    assert sorted(p.name for p in folder.iterdir()) == [DB_NAME, KEYS_NAME]


@pytest.mark.parametrize("point", ["document-indexed", "document-committed"])
def test_a_crash_then_the_log_lost_leaves_a_whole_vault(point: str, wal_template: Path,
                                                        tmp_path: Path) -> None:
    """The probe's case: killed inside a commit whose page cache spilled (10 pages),
    or right after one, then the ``-wal`` and ``-shm`` lost. Before #20 (rollback
    journal) the spilled pages were half a transaction in vault.db."""
    kept = check_vault(wal_template, PASSPHRASE).docs
    docs = new_docs(seeded(SEED, point), 3, point, big=300_000)
    folder = copy_vault(wal_template, tmp_path / "v")
    before = (folder / DB_NAME).read_bytes()
    run = run_child("add_documents", folder, PASSPHRASE, docs, True, 10,
                    kill=Kill(point, occurrence=2))
    assert run.killed
    assert (folder / WAL).stat().st_size > 0  # the writes went to the log...
    assert (folder / DB_NAME).read_bytes() == before  # ...and none into vault.db
    for name in (WAL, SHM):
        (folder / name).unlink()
    state = check_vault(folder, PASSPHRASE)  # integrity, FTS, every document whole
    assert state.docs == kept  # the state of the last checkpoint: old, never half
    with Vault.open(folder, passphrase=PASSPHRASE) as vault:
        for doc, extraction in docs:  # the work resumes
            vault.add_document(doc, extraction)
    assert len(check_vault(folder, PASSPHRASE).docs) == len(kept) + len(docs)


def _crashed_with_log(template: Path, folder: Path) -> Path:
    copy_vault(template, folder)
    docs = new_docs(seeded(SEED, "log"), 2, "log")
    assert run_child("add_documents", folder, PASSPHRASE, docs,
                     kill=Kill("document-committed", occurrence=2)).killed
    assert (folder / WAL).stat().st_size > 0
    return folder


def test_a_crash_log_is_replayed(wal_template: Path, tmp_path: Path) -> None:
    folder = _crashed_with_log(wal_template, tmp_path / "v")
    kept = check_vault(wal_template, PASSPHRASE).docs
    with Vault.open(folder, passphrase=PASSPHRASE) as vault:
        assert len(vault.list_documents()) == len(kept) + 2
    assert sorted(p.name for p in folder.iterdir()) == [DB_NAME, KEYS_NAME]


def test_another_vaults_log_is_refused(wal_template: Path, tmp_path: Path) -> None:
    other = _crashed_with_log(wal_template, tmp_path / "other")
    folder = tmp_path / "v"
    Vault.create(folder, passphrase=PASSPHRASE).close()
    shutil.copy(other / WAL, folder / WAL)
    os.chmod(folder / WAL, 0o600)
    before = snapshot(folder)
    with pytest.raises(VaultError, match=r"vault\.db-wal beside the vault in .* belongs to "
                                         r"another vault \(none of the pages in it match"):
        Vault.open(folder, passphrase=PASSPHRASE)
    assert snapshot(folder) == before


def _rechain(data: bytearray) -> None:
    """Recompute the log's running checksums after an edit, as a writer with the
    edit would have: only the page HMAC can tell then."""
    big = struct.unpack(">I", data[:4])[0] & 1
    s1, s2 = struct.unpack(">II", data[24:32])
    offset = 32
    while offset + 24 + 4096 <= len(data):
        s1, s2 = wal.checksum(bytes(data[offset:offset + 8]), s1, s2, big)
        s1, s2 = wal.checksum(bytes(data[offset + 24:offset + 24 + 4096]), s1, s2, big)
        data[offset + 16:offset + 24] = struct.pack(">II", s1, s2)
        offset += 24 + 4096


def test_a_damaged_log_is_refused(wal_template: Path, tmp_path: Path) -> None:
    folder = _crashed_with_log(wal_template, tmp_path / "v")
    data = bytearray((folder / WAL).read_bytes())
    pgno = struct.unpack(">I", data[32:36])[0]
    data[32 + 24 + 1000:32 + 24 + 1016] = bytes(16)  # inside the first frame's page
    _rechain(data)
    (folder / WAL).write_bytes(bytes(data))
    before = snapshot(folder)
    with pytest.raises(VaultError, match=rf"vault\.db-wal beside the vault in .* is damaged "
                                         rf"\(its copy of page {pgno} does not match the vault"):
        Vault.open(folder, passphrase=PASSPHRASE)
    assert snapshot(folder) == before


def test_a_torn_last_write_in_the_log_is_cut_as_sqlite_does(wal_template: Path,
                                                           tmp_path: Path) -> None:
    """A frame whose running checksum fails ends the log (a write torn by a power
    cut): SQLite replays what comes before it, and so does the check."""
    folder = _crashed_with_log(wal_template, tmp_path / "v")
    data = bytearray((folder / WAL).read_bytes())
    data[32 + 24 + 1000:32 + 24 + 1016] = bytes(16)  # no rechain: the checksum fails
    (folder / WAL).write_bytes(bytes(data))
    assert check_vault(folder, PASSPHRASE).docs == check_vault(wal_template, PASSPHRASE).docs


def test_a_restore_waits_for_the_log_to_be_merged(wal_template: Path, tmp_path: Path) -> None:
    folder = _crashed_with_log(wal_template, tmp_path / "v")
    (tmp_path / "out").mkdir()
    with Vault.open(copy_vault(wal_template, tmp_path / "src"), passphrase=PASSPHRASE) as vault:
        backup.write_backup(vault, tmp_path / "out" / "b.srbackup")
    before = snapshot(folder)
    with pytest.raises(VaultError, match=r"has writes not yet merged into vault\.db "
                                         r"\(vault\.db-wal\)"):
        backup.restore(tmp_path / "out" / "b.srbackup", folder, passphrase=PASSPHRASE,
                       replace=True)
    assert snapshot(folder) == before
    Vault.open(folder, passphrase=PASSPHRASE).close()  # merged and removed
    backup.restore(tmp_path / "out" / "b.srbackup", folder, passphrase=PASSPHRASE,
                   replace=True)
    assert check_vault(folder, PASSPHRASE).docs == check_vault(wal_template, PASSPHRASE).docs
