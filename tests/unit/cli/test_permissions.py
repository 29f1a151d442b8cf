"""The data folder 0700 and the vault's files 0600, checked when the CLI or the window
starts (issue 13): loose modes are tightened and the person is told.

Modes are compared, not access, so these tests mean the same when they run as root
(who can read anything): a 0644 vault file is open to other users whoever runs
Strongroom. The window's side (a real window process): tests/e2e/desktop/test_permissions.py.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from strongroom import paths
from strongroom.launcher import main
from strongroom.paths import Loose, loose_message, make_private
from strongroom.vault import Vault
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")



def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def loosen(data_dir: Path) -> None:
    """What a copy, an archive or another tool run with umask 022 leaves."""
    os.chmod(data_dir, 0o755)
    for name in ("vault.db", "vault.keys.json"):
        os.chmod(data_dir / name, 0o644)


@pytest.fixture
def vault_dir(tmp_path: Path, cheap_argon2: None) -> Path:
    data_dir = Path(os.environ[paths.ENV_DATA_DIR])
    Vault.create(data_dir, passphrase=PASSPHRASE).close()
    return data_dir


def test_a_new_data_folder_is_made_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "a" / "Strongroom"
    assert make_private(data_dir) == []
    assert mode(data_dir) == 0o700


def test_loose_vault_files_are_tightened_and_reported(tmp_path: Path) -> None:
    data_dir = tmp_path / "Strongroom"
    data_dir.mkdir()
    files = {"vault.db": 0o644, "vault.keys.json": 0o640, "vault.db-journal": 0o604,
             "vault.db.before-restore": 0o644, ".vault.keys.json.1a2b.tmp": 0o666,
             "vault.keys.json.before-restore": 0o400}  # stricter than needed: not "loose"
    for name, m in files.items():
        (data_dir / name).write_bytes(b"x")
        os.chmod(data_dir / name, m)
    (data_dir / "notes.txt").write_bytes(b"not ours")  # --data-dir may name a shared folder
    os.chmod(data_dir / "notes.txt", 0o644)
    (data_dir / "models").mkdir(mode=0o755)
    os.chmod(data_dir / "models", 0o755)
    os.symlink(data_dir / "notes.txt", data_dir / "vault.link")  # never followed
    os.chmod(data_dir, 0o775)

    found = make_private(data_dir)

    assert [(x.path.name, oct(x.mode), x.fixed) for x in found] == [
        ("Strongroom", "0o775", True), (".vault.keys.json.1a2b.tmp", "0o666", True),
        ("vault.db", "0o644", True), ("vault.db-journal", "0o604", True),
        ("vault.db.before-restore", "0o644", True), ("vault.keys.json", "0o640", True)]
    assert mode(data_dir) == 0o700
    # 0400 stays 0400: bits are taken away, never added (#20)
    assert {n: mode(data_dir / n) for n in files} == {
        **dict.fromkeys(files, 0o600), "vault.keys.json.before-restore": 0o400}
    assert mode(data_dir / "notes.txt") == 0o644 and mode(data_dir / "models") == 0o755
    assert make_private(data_dir) == []  # said once


def test_what_could_not_be_tightened_is_said(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "Strongroom"
    data_dir.mkdir(mode=0o700)
    os.chmod(data_dir, 0o700)
    (data_dir / "vault.db").write_bytes(b"x")
    os.chmod(data_dir / "vault.db", 0o644)

    def refuse(path: object, m: int) -> None:  # another user's file, or a FAT stick
        raise PermissionError(1, "Operation not permitted")
    monkeypatch.setattr(paths.os, "chmod", refuse)
    found = make_private(data_dir)
    assert found == [Loose(data_dir / "vault.db", 0o644, fixed=False)]
    assert loose_message(data_dir, found) == (
        f"Strongroom's files in {data_dir} were open to other users of this computer: "
        "vault.db was 0644. These could not be made private: vault.db; check that they "
        "belong to you and that the disk keeps file permissions. Their contents are "
        "encrypted: a copy taken meanwhile still needs your passphrase, keychain entry or "
        "recovery code to open.")


def test_a_data_folder_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "Strongroom").write_bytes(b"")
    with pytest.raises(paths.UserError, match="could not be used .* --data-dir"):
        make_private(tmp_path / "Strongroom")


def test_the_cli_tightens_at_start_and_says_so(vault_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    loosen(vault_dir)
    assert main(["list"]) == 0
    err = capsys.readouterr().err
    assert err == (
        f"strongroom: warning: Strongroom's files in {vault_dir} were open to other users of "
        "this computer: the folder was 0755, vault.db was 0644, vault.keys.json was 0644. "
        "They are private again (folder 0700, files 0600). Their contents are encrypted: a "
        "copy taken meanwhile still needs your passphrase, keychain entry or recovery code "
        "to open.\n")
    assert (mode(vault_dir), mode(vault_dir / "vault.db"),
            mode(vault_dir / "vault.keys.json")) == (0o700, 0o600, 0o600)
    assert main(["list"]) == 0
    assert capsys.readouterr().err == ""  # private now: nothing to say


def test_the_cli_checks_before_asking_for_the_passphrase(vault_dir: Path, capsys,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a run that goes no further (no passphrase) leaves the files private."""
    loosen(vault_dir)
    monkeypatch.delenv("STRONGROOM_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115 - not a terminal
    assert main(["list"]) == 1
    err = capsys.readouterr().err
    assert "were open to other users" in err and "set STRONGROOM_PASSPHRASE" in err
    assert mode(vault_dir / "vault.keys.json") == 0o600



def test_opening_a_vault_tightens_and_logs(vault_dir: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    """For callers other than the CLI and the window (and after a restore)."""
    loosen(vault_dir)
    Vault.open(vault_dir, passphrase=PASSPHRASE).close()
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        "the data folder was 0755; made private", "vault.db was 0644; made private",
        "vault.keys.json was 0644; made private"]
    assert mode(vault_dir / "vault.keys.json") == 0o600
