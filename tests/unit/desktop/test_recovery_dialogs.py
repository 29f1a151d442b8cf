"""The recovery code in the window: shown once after creation, no copy; the unlock
dialog's "Use Recovery Code…" path opens the vault and offers a new passphrase."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPushButton

from strongroom.desktop import app as desktop_app
from strongroom.desktop.passphrase_dialogs import USE_RECOVERY, PassphraseDialog
from strongroom.desktop.recovery_dialogs import RecoveryCodeDialog, RecoveryUnlockDialog
from strongroom.vault import Vault

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

RIGHT = "correct horse battery staple"
NEW = "a new passphrase from the window"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def click_ok(qtbot, dialog: QDialog) -> None:
    """Click OK and wait for the off-thread work (Argon2id) to come back."""
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: not dialog.busy, timeout=10_000)


def test_the_code_dialog_shows_the_code_and_needs_a_confirmation(qtbot) -> None:
    dialog = RecoveryCodeDialog("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345")
    qtbot.add_widget(dialog)
    dialog.show()
    assert dialog.code_label.text() == "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345"
    assert dialog.code_label.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction
    texts = [b.text() for b in dialog.findChildren(QPushButton)]
    assert texts == ["Continue"] and not any("Copy" in t for t in texts)
    assert "apart from this computer" in dialog.findChild(type(dialog.code_label),
                                                          "unlockWarning").text()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # the code would be gone: not yet
    assert dialog.isVisible()
    dialog.confirm.click()
    assert dialog.confirm.text() == "I have written it down" and dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_creating_in_the_window_shows_the_code_once(qtbot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    seen: list[str] = []

    def create_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        dialog.edit.setText(RIGHT)
        dialog.repeat.setText(RIGHT)
        QTimer.singleShot(0, code_dialog)
        click_ok(qtbot, dialog)

    def code_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RecoveryCodeDialog):  # still creating (Argon2id)
            QTimer.singleShot(20, code_dialog)
            return
        seen.append(dialog.code_label.text())
        dialog.confirm.setChecked(True)
        dialog.accept()

    QTimer.singleShot(0, create_dialog)
    vault = desktop_app.unlock_vault(data)
    assert vault.recovery_code is None and len(seen) == 1
    vault.close()
    Vault.open(data, recovery_code=seen[0]).close()


def test_use_recovery_code_then_set_a_new_passphrase(qtbot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Vault.create(data, passphrase=RIGHT) as vault:
        code = vault.take_recovery_code()
    before = snapshot(data)
    steps: list[str] = []

    def passphrase_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):  # not shown yet (a loaded machine)
            QTimer.singleShot(20, passphrase_dialog)
            return
        steps.append(dialog.recovery_button.text())
        QTimer.singleShot(0, recovery_dialog)
        qtbot.mouseClick(dialog.recovery_button, Qt.MouseButton.LeftButton)

    def recovery_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RecoveryUnlockDialog):
            QTimer.singleShot(20, recovery_dialog)
            return
        qtbot.keyClicks(dialog.edit, "0000-0000-0000-0000-0000-0000-0000")
        click_ok(qtbot, dialog)
        steps.append(dialog.error_label.text())
        assert snapshot(data) == before and dialog.edit.text() != ""
        dialog.edit.setText(code.lower().replace("-", " "))
        QTimer.singleShot(0, new_passphrase_dialog)
        click_ok(qtbot, dialog)

    def new_passphrase_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, RecoveryUnlockDialog):  # still unlocking
            QTimer.singleShot(20, new_passphrase_dialog)
            return
        steps.append(dialog.reason_label.text())
        dialog.edit.setText(NEW)
        dialog.repeat.setText(NEW)
        click_ok(qtbot, dialog)

    QTimer.singleShot(0, passphrase_dialog)
    vault = desktop_app.unlock_vault(data)
    assert vault.key_method == "recovery"
    vault.close()
    assert steps[0] == "Use Recovery Code…"
    assert steps[1].startswith("The recovery code has a typing mistake")
    assert steps[2].startswith("You opened the vault with its recovery code.")
    Vault.open(data, passphrase=NEW).close()


def test_passphrase_dialog_returns_use_recovery(qtbot, tmp_path: Path) -> None:
    dialog = PassphraseDialog(lambda p: None)
    qtbot.add_widget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.recovery_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == USE_RECOVERY and dialog.vault is None


@pytest.mark.parametrize(("methods", "says", "never"), [
    (("passphrase", "keychain"), "if the passphrase is forgotten or the system keychain", ""),
    (("passphrase",), "if the passphrase is forgotten.", "keychain"),
    (("keychain",), "if the system keychain entry is lost", "passphrase"),
])
def test_the_code_dialog_speaks_of_the_vaults_own_locks(qtbot, methods, says, never) -> None:
    """A keychain vault's code is not for a forgotten passphrase it never had (#24)."""
    dialog = RecoveryCodeDialog("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345", methods=methods)
    qtbot.add_widget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert says in text
    assert not never or never not in text
    assert dialog.windowTitle() == "Recovery code"  # Qt adds " — Strongroom" once
