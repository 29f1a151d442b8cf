"""A wrong passphrase, recovery code or raw key changes nothing, in any operation
(issue 13).

Every command that takes a secret is run with a wrong one, on the command line as a
person would (the secret from its environment variable) and through the API the
window uses; each must say what was wrong, in one line, and leave every byte under
the test's folder as it was: the data folder, the backup, the output folder, no
staging folder beside the data folder.

A wrong raw key given to ``connect`` is the sharpest case; with a crash journal
beside the database (a child killed mid-commit) it is tested in
tests/e2e/vault/test_vault_wrong_key.py.

``PRAGMA cipher_migrate`` (which reports failure as a returned value, not an
exception) is not used anywhere; ``test_cipher_migrate_is_not_used`` keeps it so.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from strongroom import cli
from strongroom.errors import WrongKey
from strongroom.vault import Vault, backup, db, keys, recovery
from strongroom.vault.db import DB_NAME
from tests.conftest import PASSPHRASE
from tests.helpers.vault import make_doc, make_extraction, snapshot

WRONG = "not the passphrase at all"
NEW = "a new passphrase, never set"
WRONG_PASSPHRASE = "strongroom: The passphrase is not correct. Nothing was changed.\n"
WRONG_CODE = ("strongroom: The recovery code is not correct for this vault (the check letters "
              "match, so it may belong to another vault, or was replaced by a newer code). "
              "Nothing was changed.\n")


@dataclass(frozen=True)
class World:
    root: Path  # everything the test owns: compared byte for byte
    data: Path  # the vault
    backup: Path  # a backup of it, made with the right passphrase
    inbox: Path  # a document to process
    out: Path  # where export and backup would write
    other_code: str  # a well-formed recovery code of another vault


@pytest.fixture
def world(tmp_path: Path) -> World:
    root = tmp_path / "world"
    w = World(root, root / "data", root / "backups" / "vault.backup", root / "inbox" / "new.txt",
              root / "out", recovery.generate())
    with Vault.create(w.data, passphrase=PASSPHRASE) as vault:
        vault.take_recovery_code()
        for i in range(2):
            text = f"Invoice {i} dated 2024-03-05. Total 12.50 EUR"
            vault.add_document(make_doc(name=f"letter{i}.txt", text=text), make_extraction(text))
        w.backup.parent.mkdir()
        backup.write_backup(vault, w.backup)
    w.inbox.parent.mkdir()
    w.inbox.write_text("A new letter, dated 2024-04-01.")
    w.out.mkdir()
    return w


def _unchanged(w: World, run: Callable[[], object]) -> None:
    """``run`` changes no byte under ``w.root`` and creates and deletes no file there."""
    before = snapshot(w.root)
    folders = sorted(p.name for p in w.root.iterdir())
    run()
    assert snapshot(w.root) == before
    assert sorted(p.name for p in w.root.iterdir()) == folders


# -- the command line -----------------------------------------------------------------
COMMANDS = {
    "list": ["list"],
    "show": ["show", "1"],
    "search": ["search", "invoice"],
    "export": ["export", "--format", "csv", "--out", "{out}/fields.csv"],
    "backup": ["backup", "{out}/again.backup"],
    "process": ["process", "{inbox}"],
    "passphrase": ["passphrase"],
    "recovery-code": ["recovery-code"],
    "restore": ["restore", "{backup}", "--replace"],
}


def _argv(w: World, command: str, *extra: str) -> list[str]:
    words = {"out": str(w.out), "inbox": str(w.inbox), "backup": str(w.backup)}
    return [a.format(**words) for a in COMMANDS[command]] + ["--data-dir", str(w.data), *extra]


def _cli_refuses(w: World, argv: list[str], expected: str,
                 capsys: pytest.CaptureFixture[str]) -> None:
    def run() -> None:
        code = cli.main(argv)
        out, err = capsys.readouterr()
        assert (code, out, err) == (1, "", expected)

    _unchanged(w, run)


@pytest.mark.parametrize("command", COMMANDS)
def test_wrong_passphrase_on_the_command_line(command: str, world: World,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRONGROOM_PASSPHRASE", WRONG)  # the current one, for passphrase
    monkeypatch.setenv("STRONGROOM_NEW_PASSPHRASE", NEW)
    _cli_refuses(world, _argv(world, command), WRONG_PASSPHRASE, capsys)


@pytest.mark.parametrize("command", COMMANDS)
def test_wrong_recovery_code_on_the_command_line(command: str, world: World,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRONGROOM_RECOVERY_CODE", world.other_code)
    monkeypatch.setenv("STRONGROOM_NEW_PASSPHRASE", NEW)
    _cli_refuses(world, _argv(world, command, "--recovery-code"), WRONG_CODE, capsys)


def test_restore_with_the_live_vaults_passphrase_not_the_backups(
        world: World, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """After a passphrase change the backup still needs the old one: the new one
    (right for the live vault) changes nothing either."""
    with Vault.open(world.data, passphrase=PASSPHRASE) as vault:
        vault.change_passphrase(NEW, current=PASSPHRASE)
    monkeypatch.setenv("STRONGROOM_PASSPHRASE", NEW)
    _cli_refuses(world, _argv(world, "restore"), WRONG_PASSPHRASE, capsys)
    monkeypatch.setenv("STRONGROOM_PASSPHRASE", PASSPHRASE)  # the control: it does restore
    assert cli.main(_argv(world, "restore")) == 0
    Vault.open(world.data, passphrase=PASSPHRASE).close()


# -- the API (what the window calls) ----------------------------------------------------
def _open(w: World) -> Vault:
    return Vault.open(w.data, passphrase=PASSPHRASE)


def _in_open_vault(w: World, call: Callable[[Vault], object]) -> object:
    with _open(w) as vault:
        return call(vault)


API: dict[str, tuple[Callable[[World], object], str]] = {
    "open, passphrase": (lambda w: Vault.open(w.data, passphrase=WRONG),
                         "The passphrase is not correct"),
    "open, recovery code": (lambda w: Vault.open(w.data, recovery_code=w.other_code),
                            "The recovery code is not correct"),
    "change passphrase, current": (
        lambda w: _in_open_vault(w, lambda v: v.change_passphrase(NEW, current=WRONG)),
        "The current passphrase is not correct"),
    "new recovery code, current": (
        lambda w: _in_open_vault(w, lambda v: v.new_recovery_code(current=WRONG)),
        "The current passphrase is not correct"),
    "restore, passphrase": (
        lambda w: backup.restore(w.backup, w.data, passphrase=WRONG, replace=True),
        "The passphrase is not correct"),
    "restore, recovery code": (
        lambda w: backup.restore(w.backup, w.data, recovery_code=w.other_code, replace=True),
        "The recovery code is not correct"),
    "check a backup, passphrase": (
        lambda w: backup.prepare_restore(w.backup, w.data, passphrase=WRONG, replace=True),
        "The passphrase is not correct"),
}


@pytest.mark.parametrize("call", API)
def test_wrong_secret_through_the_api(call: str, world: World) -> None:
    run, expected = API[call]

    def refused() -> None:
        with pytest.raises(WrongKey, match=expected) as caught:
            run(world)
        assert str(caught.value).endswith("Nothing was changed.")

    _unchanged(world, refused)


# -- a wrong raw key -----------------------------------------------------------------------
def test_wrong_raw_key_in_connect_changes_nothing(world: World) -> None:
    def refused() -> None:
        with pytest.raises(db.NotAVault):
            db.connect(world.data / DB_NAME, keys.new_key())

    _unchanged(world, refused)


def test_cipher_migrate_is_not_used() -> None:
    """``PRAGMA cipher_migrate`` returns its failure as a row ("1"), it does not raise:
    whoever adds it must check the value (and then change this test)."""
    package = Path(db.__file__).parents[1]
    users = [p for p in package.rglob("*.py") if "cipher_migrate" in p.read_text()]
    assert users == []
    assert os.fspath(package).endswith("strongroom")
