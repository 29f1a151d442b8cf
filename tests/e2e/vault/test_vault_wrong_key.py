"""A wrong key with a crash journal beside the vault changes nothing (issue 13): a
child is killed in the middle of a commit, so a hot journal waits; then a wrong raw
key, a wrong passphrase on the command line and another vault's key file are tried.

With a hot journal beside the database, SQLite plays the journal back *before* it
finds that the key is wrong (measured: ``test_sqlite_alone_plays_a_journal_back_with_a_wrong_key``),
so ``connect`` checks the journal's pages against the key first. The same refusals
without a crash: tests/unit/vault/test_vault_wrong_key.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from strongroom.errors import VaultError
from strongroom.vault import Vault, db, integrity, keys
from strongroom.vault.db import DB_NAME
from tests.conftest import PASSPHRASE
from tests.helpers.vault import JOURNAL, crash_mid_commit, snapshot
from tests.unit.vault import test_vault_wrong_key as base

world = base.world  # the fixture: a vault, a backup and an output folder
World = base.World


@pytest.fixture
def crashed(world: World) -> World:
    """The vault killed in the middle of a commit: half of it in vault.db, and the
    hot journal that undoes it."""
    crash_mid_commit(world.data, PASSPHRASE, world.root.parent)
    return world


def test_wrong_raw_key_never_plays_a_journal_back(crashed: World) -> None:
    def refused() -> None:
        with pytest.raises(db.NotAVault):
            db.connect(crashed.data / DB_NAME, keys.new_key())

    base._unchanged(crashed, refused)
    with base._open(crashed) as vault:  # the journal is intact: the right key still recovers
        assert len(vault.list_documents()) == 2
    assert not (crashed.data / JOURNAL).exists()


def test_sqlite_alone_plays_a_journal_back_with_a_wrong_key(
        crashed: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Why ``connect`` checks the journal (and that the test above would catch its
    loss): without the check, a wrong key rewrites vault.db and deletes the journal
    before SQLite reports the key wrong."""
    monkeypatch.setattr(integrity, "journal_matches", lambda path, key: True)
    before = snapshot(crashed.data)
    with pytest.raises(db.NotAVault):
        db.connect(crashed.data / DB_NAME, keys.new_key())
    after = snapshot(crashed.data)
    assert JOURNAL in before and JOURNAL not in after
    assert after[DB_NAME] != before[DB_NAME]


def test_wrong_key_with_a_crash_journal_on_the_command_line(
        crashed: World, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRONGROOM_PASSPHRASE", base.WRONG)
    base._cli_refuses(crashed, base._argv(crashed, "list"), base.WRONG_PASSPHRASE, capsys)


def test_other_vaults_key_file_with_a_crash_journal(crashed: World, tmp_path: Path) -> None:
    """A key file from another vault (a mixed-up copy) proves its own key, which is
    wrong for this database and journal: refused, journal kept."""
    other = tmp_path / "other"
    Vault.create(other, passphrase=PASSPHRASE).close()
    shutil.copy(other / db.KEYS_NAME, crashed.data / db.KEYS_NAME)

    def refused() -> None:
        with pytest.raises(VaultError, match="is not a Strongroom vault or is damaged"):
            Vault.open(crashed.data, passphrase=PASSPHRASE)

    base._unchanged(crashed, refused)
