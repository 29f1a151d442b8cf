"""`strongroom passphrase`, `recovery-code`, `--recovery-code` and the code shown at
creation: exit codes, exact messages, bytes unchanged on refusal (issue 13)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from strongroom.launcher import main
from strongroom.vault import Vault
from strongroom.vault.db import DB_NAME
from tests.conftest import PASSPHRASE
from tests.helpers.vault import make_doc, make_extraction, snapshot

CODE_RE = re.compile(r"^    ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){6})$", re.MULTILINE)
NEW = "a new passphrase for the cli"


pytestmark = pytest.mark.usefixtures("cheap_argon2")


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "data"
    with Vault.create(folder, passphrase=PASSPHRASE) as vault:
        code = vault.take_recovery_code()
        vault.add_document(make_doc(), make_extraction())
    assert code is not None
    return folder, code


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def db_sha(folder: Path) -> str:
    return hashlib.sha256((folder / DB_NAME).read_bytes()).hexdigest()


def test_first_process_shows_the_recovery_code_once_on_stderr(capsys, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")  # fails before the model is needed; the vault is made first
    folder = tmp_path / "data"
    code, out, err = run(capsys, "process", str(empty), "--data-dir", str(folder))
    assert code == 2
    [recovery_code] = CODE_RE.findall(err)
    assert recovery_code not in out
    assert "RECOVERY CODE is shown only this once" in err
    assert "WRITE IT DOWN and keep it apart from this computer" in err
    assert "only the recovery code shown next opens the vault" in err
    with Vault.open(folder, recovery_code=recovery_code) as vault:
        assert vault.key_method == "recovery"
    # the second run opens the vault: no code again
    code, out, err = run(capsys, "process", str(empty), "--data-dir", str(folder))
    assert code == 2 and "RECOVERY CODE" not in err


def test_change_passphrase_from_the_environment(capsys, made, monkeypatch) -> None:
    folder, _ = made
    sha = db_sha(folder)
    monkeypatch.setenv("STRONGROOM_NEW_PASSPHRASE", NEW)
    code, out, err = run(capsys, "passphrase", "--data-dir", str(folder))
    assert (code, out, err) == (0, "", "The passphrase was changed.\n")
    assert db_sha(folder) == sha
    Vault.open(folder, passphrase=NEW).close()
    monkeypatch.setenv("STRONGROOM_PASSPHRASE", NEW)
    code, out, _ = run(capsys, "list", "--data-dir", str(folder))
    assert code == 0 and "letter.txt" in out


def test_wrong_current_passphrase_changes_nothing(capsys, made, monkeypatch) -> None:
    folder, _ = made
    before = snapshot(folder)
    monkeypatch.setenv("STRONGROOM_PASSPHRASE", "not the passphrase")
    monkeypatch.setenv("STRONGROOM_NEW_PASSPHRASE", NEW)
    code, out, err = run(capsys, "passphrase", "--data-dir", str(folder))
    assert (code, out) == (1, "")
    assert err == "strongroom: The passphrase is not correct. Nothing was changed.\n"
    assert snapshot(folder) == before


def test_no_new_passphrase_without_a_terminal(capsys, made, monkeypatch) -> None:
    folder, _ = made
    before = snapshot(folder)
    monkeypatch.delenv("STRONGROOM_NEW_PASSPHRASE", raising=False)
    code, _, err = run(capsys, "passphrase", "--data-dir", str(folder))
    assert code == 1 and "Set STRONGROOM_NEW_PASSPHRASE or run in a terminal" in err
    assert snapshot(folder) == before


def test_open_and_reset_with_the_recovery_code(capsys, made, monkeypatch) -> None:
    folder, recovery_code = made
    monkeypatch.delenv("STRONGROOM_PASSPHRASE")
    before = snapshot(folder)
    monkeypatch.setenv("STRONGROOM_RECOVERY_CODE", "0" * 28)
    code, out, err = run(capsys, "list", "--recovery-code", "--data-dir", str(folder))
    assert (code, out) == (1, "")
    assert err.startswith("strongroom: The recovery code has a typing mistake")
    assert snapshot(folder) == before
    monkeypatch.setenv("STRONGROOM_RECOVERY_CODE", recovery_code.lower())
    code, out, _ = run(capsys, "list", "--recovery-code", "--data-dir", str(folder))
    assert code == 0 and "letter.txt" in out
    assert snapshot(folder) == before
    monkeypatch.setenv("STRONGROOM_NEW_PASSPHRASE", NEW)
    code, _, err = run(capsys, "passphrase", "--recovery-code", "--data-dir", str(folder))
    assert (code, err) == (0, "The passphrase was changed.\n")
    Vault.open(folder, passphrase=NEW).close()


def test_recovery_code_command_replaces_the_code(capsys, made) -> None:
    folder, old_code = made
    code, out, err = run(capsys, "recovery-code", "--data-dir", str(folder))
    assert code == 0 and out == ""
    [new_code] = CODE_RE.findall(err)
    assert "The vault's new RECOVERY CODE is shown only this once" in err
    assert err.endswith("strongroom: the previous recovery code no longer opens the vault.\n")
    Vault.open(folder, recovery_code=new_code).close()
    with pytest.raises(Exception, match="recovery code is not correct"):
        Vault.open(folder, recovery_code=old_code)
