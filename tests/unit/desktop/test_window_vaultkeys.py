"""Vault ▸ Change Passphrase… / Set a Passphrase… and New Recovery Code… on a real
SQLCipher vault, with real modal dialogs driven through ``QTimer.singleShot``
(issue 13). A wrong current passphrase changes no byte of the data folder."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from strongroom.desktop import vaultkeys
from strongroom.desktop.ops import BusyIndicator
from strongroom.desktop.recovery_dialogs import RecoveryCodeDialog
from strongroom.desktop.vaultkeys import ChangePassphraseDialog, NewRecoveryCodeDialog
from strongroom.errors import WrongKey
from strongroom.vault import Vault, keys
from strongroom.vault.db import DB_NAME
from tests.helpers import memkeychain
from tests.helpers.vault import make_doc, make_extraction, snapshot

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

PW = "the current passphrase"
NEW = "a new passphrase from the menu"
WRONG_CURRENT = "The current passphrase is not correct. Nothing was changed."


@pytest.fixture
def made(tmp_path: Path) -> tuple[Vault, str]:
    """An open passphrase vault with one document, and its recovery code."""
    vault = Vault.create(tmp_path / "vault", passphrase=PW)
    code = vault.take_recovery_code()
    vault.add_document(make_doc(), make_extraction())
    assert code is not None
    return vault, code  # closed by the window


@pytest.fixture
def informed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(vaultkeys, "inform",
                        lambda parent, title, text, info="": seen.append(f"{text} {info}"))
    return seen


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Argon2id waits until the test sets the event: the busy state can be looked at."""
    release = threading.Event()
    real = keys.derive_secret_kek

    def gated(secret: bytes, params: keys.Argon2Params) -> bytes:
        assert release.wait(10)
        return real(secret, params)

    monkeypatch.setattr(keys, "derive_secret_kek", gated)
    return release


def db_sha(folder: Path) -> str:
    return hashlib.sha256((folder / DB_NAME).read_bytes()).hexdigest()


def click_ok(qtbot, dialog: QDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def when_modal(kind: type, then: Callable[[QDialog], None]) -> None:
    """Call ``then(dialog)`` once a ``kind`` dialog is the active modal one."""
    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            then(dialog)
        else:
            QTimer.singleShot(10, look)
    QTimer.singleShot(0, look)


def test_change_passphrase_wrong_then_right(qtbot, make_window, made, informed,
                                            gate) -> None:
    vault, code = made
    folder = vault.path
    window = make_window(vault=vault)
    assert window.act_passphrase.text() == "Change Passphrase…"
    # WAL (#20): merge the log first, so vault.db alone holds the vault (closing does too).
    vault._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    before, sha = snapshot(folder, open_vault=True), db_sha(folder)
    steps: list[str] = []

    def fill(dialog: ChangePassphraseDialog) -> None:
        assert dialog.current.isVisible() and dialog.current.echoMode() == \
            dialog.current.EchoMode.Password
        qtbot.keyClicks(dialog.current, "not the passphrase")
        qtbot.keyClicks(dialog.edit, NEW)
        qtbot.keyClicks(dialog.repeat, NEW[:-1])
        click_ok(qtbot, dialog)  # checked here, before any Argon2id
        steps.append(dialog.error_label.text())
        assert not dialog.busy and dialog.repeat.text() == ""
        qtbot.keyClicks(dialog.repeat, NEW)
        click_ok(qtbot, dialog)
        # Argon2id is held back by the gate: the dialog and the window say so.
        assert dialog.busy and not dialog.buttons.isEnabled()
        assert not dialog.current.isEnabled()
        indicator = window.findChild(BusyIndicator)
        assert indicator.isVisible() and indicator.label.text() == "Changing the passphrase…"
        assert not any(a.isEnabled() for a in window.vault_actions)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # cannot be closed half way
        assert dialog.isVisible()
        gate.set()
        qtbot.wait_until(lambda: not dialog.busy)
        steps.append(dialog.error_label.text())
        assert dialog.current.text() == "" and dialog.edit.text() == NEW
        assert snapshot(folder, open_vault=True) == before
        assert window.act_compact.isEnabled() and not indicator.isVisible()
        qtbot.keyClicks(dialog.current, PW)
        click_ok(qtbot, dialog)

    when_modal(ChangePassphraseDialog, fill)
    window.act_passphrase.trigger()
    assert steps == ["The two new passphrases do not match. Type the new one again.",
                     WRONG_CURRENT]
    assert informed == ["The passphrase was changed. From now on, the vault opens with the "
                        "new passphrase. Backups made before now keep opening with the old "
                        "passphrase."]
    assert [r.name for r in vault.list_documents()] == ["letter.txt"]  # still open
    window.close()
    assert db_sha(folder) == sha  # only the key file was rewritten
    with pytest.raises(WrongKey):
        Vault.open(folder, passphrase=PW)
    Vault.open(folder, passphrase=NEW).close()
    Vault.open(folder, recovery_code=code).close()


def test_cancel_changes_nothing(qtbot, make_window, made, informed) -> None:
    vault, _ = made
    before = snapshot(vault.path, open_vault=True)
    window = make_window(vault=vault)

    def cancel(dialog: QDialog) -> None:
        qtbot.keyClicks(dialog.current, PW)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    when_modal(ChangePassphraseDialog, cancel)
    window.act_passphrase.trigger()
    assert informed == [] and snapshot(vault.path, open_vault=True) == before


def test_keychain_vault_gets_a_passphrase(qtbot, make_window, tmp_path, informed,
                                          monkeypatch) -> None:
    memkeychain.install(monkeypatch)
    vault = Vault.create(tmp_path / "vault")
    folder = vault.path
    window = make_window(vault=vault)
    assert window.act_passphrase.text() == "Set a Passphrase…"

    def fill(dialog: ChangePassphraseDialog) -> None:
        assert not dialog.current.isVisible()  # the keychain opened it: no proof to ask
        assert dialog.windowTitle() == "Set a passphrase"  # Qt adds " — Strongroom"
        assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == \
            "Set Passphrase"
        qtbot.keyClicks(dialog.edit, NEW)
        qtbot.keyClicks(dialog.repeat, NEW)
        click_ok(qtbot, dialog)

    when_modal(ChangePassphraseDialog, fill)
    window.act_passphrase.trigger()
    assert informed == ["The vault now also opens with the passphrase. The system keychain "
                        "keeps opening it on this computer."]
    assert window.act_passphrase.text() == "Change Passphrase…"
    window.close()
    assert Vault.unlock_methods(folder) == ("keychain", "passphrase", "recovery")
    with Vault.open(folder, passphrase=NEW) as reopened:
        assert reopened.key_method == "passphrase"


def test_new_recovery_code_wrong_then_right(qtbot, make_window, made) -> None:
    vault, old_code = made
    folder = vault.path
    window = make_window(vault=vault)
    before = snapshot(folder, open_vault=True)
    seen: list[str] = []

    def ask(dialog: NewRecoveryCodeDialog) -> None:
        assert dialog.edit.isVisible()
        qtbot.keyClicks(dialog.edit, "not the passphrase")
        click_ok(qtbot, dialog)
        qtbot.wait_until(lambda: not dialog.busy)
        seen.append(dialog.error_label.text())
        assert snapshot(folder, open_vault=True) == before  # the old code still works
        when_modal(RecoveryCodeDialog, show)
        qtbot.keyClicks(dialog.edit, PW)
        click_ok(qtbot, dialog)

    def show(dialog: RecoveryCodeDialog) -> None:
        seen.append(dialog.findChildren(type(dialog.code_label))[0].text())
        seen.append(dialog.code_label.text())
        dialog.confirm.setChecked(True)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    when_modal(NewRecoveryCodeDialog, ask)
    window.act_recovery_code.trigger()
    wrong, intro, new_code = seen
    assert wrong == WRONG_CURRENT
    assert intro.startswith("<b>This is the vault's new recovery code.</b><br>")
    assert "The previous code no longer does." in intro
    assert window.statusBar().currentMessage() == \
        "New recovery code made; the previous one no longer opens the vault."
    window.close()
    with pytest.raises(WrongKey):
        Vault.open(folder, recovery_code=old_code)
    Vault.open(folder, recovery_code=new_code).close()
    Vault.open(folder, passphrase=PW).close()


def test_opened_with_the_code_no_passphrase_is_asked(qtbot, make_window, made) -> None:
    vault, code = made
    folder = vault.path
    vault.close()
    vault = Vault.open(folder, recovery_code=code)
    window = make_window(vault=vault)
    new: list[str] = []

    def ask(dialog: NewRecoveryCodeDialog) -> None:
        assert not dialog.edit.isVisible()
        when_modal(RecoveryCodeDialog, show)
        click_ok(qtbot, dialog)

    def show(dialog: RecoveryCodeDialog) -> None:
        new.append(dialog.code_label.text())
        dialog.confirm.setChecked(True)
        dialog.accept()

    when_modal(NewRecoveryCodeDialog, ask)
    window.act_recovery_code.trigger()
    window.close()
    Vault.open(folder, recovery_code=new[0]).close()
