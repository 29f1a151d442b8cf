"""Unlocking: the passphrase dialogs and ``run``'s vault step, on a real SQLCipher vault."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from strongroom.desktop import app as desktop_app
from strongroom.desktop.passphrase_dialogs import CreatePassphraseDialog, PassphraseDialog
from strongroom.errors import UserError
from strongroom.vault import Vault
from tests.helpers.desktop import RECEIPT, drop, file_mime

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

RIGHT = "correct horse battery staple"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def click_ok(qtbot, dialog: QDialog) -> None:
    """Click OK and wait for the off-thread work (Argon2id) to come back."""
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: not dialog.busy, timeout=10_000)


def test_wrong_then_right_passphrase(qtbot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    Vault.create(data, passphrase=RIGHT).close()
    before = snapshot(data)
    dialog = PassphraseDialog(lambda p: Vault.open(data, passphrase=p))
    qtbot.add_widget(dialog)
    dialog.show()
    assert dialog.edit.echoMode() == dialog.edit.EchoMode.Password

    qtbot.keyClicks(dialog.edit, "not the passphrase")
    click_ok(qtbot, dialog)
    assert dialog.error_label.text() == "The passphrase is not correct. Nothing was changed."
    assert dialog.isVisible() and dialog.edit.text() == "" and dialog.vault is None
    assert snapshot(data) == before

    qtbot.keyClicks(dialog.edit, RIGHT)
    click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.vault.key_method == "passphrase"
    dialog.vault.close()


def test_a_new_passphrase_is_typed_twice(qtbot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    dialog = CreatePassphraseDialog(lambda p: Vault.create(data, passphrase=p),
                                    "The system keychain is turned off.")
    qtbot.add_widget(dialog)
    dialog.show()
    assert "only the recovery code shown next" in dialog.findChild(
        type(dialog.reason_label), "unlockWarning").text()
    assert dialog.reason_label.text() == ("Why not the system keychain? "
                                          "The system keychain is turned off.")
    qtbot.keyClicks(dialog.edit, "short")
    qtbot.keyClicks(dialog.repeat, "short")
    click_ok(qtbot, dialog)
    assert dialog.error_label.text().startswith("Use at least 8 characters")
    dialog.edit.setText(RIGHT)
    dialog.repeat.setText(RIGHT + "!")
    click_ok(qtbot, dialog)
    assert dialog.error_label.text() == "The two passphrases do not match. Type them again."
    assert not data.exists()
    qtbot.keyClicks(dialog.repeat, RIGHT)
    click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    dialog.vault.close()
    assert Vault.unlock_method(data) == "passphrase"
    Vault.open(data, passphrase=RIGHT).close()


def test_while_a_vault_is_made_the_dialog_says_so_not_unlocking(qtbot, tmp_path: Path) -> None:
    """Issue 24: "Unlocking…" showed (in the error colour) while a vault was being made."""
    import threading

    from PySide6.QtWidgets import QLabel

    release = threading.Event()
    data = tmp_path / "data"

    def create(passphrase: str) -> Vault:
        release.wait(10)
        return Vault.create(data, passphrase=passphrase)

    dialog = CreatePassphraseDialog(create, "The system keychain is turned off.")
    qtbot.add_widget(dialog)
    dialog.show()
    dialog.edit.setText(RIGHT)
    dialog.repeat.setText(RIGHT)
    dialog.accept()
    qtbot.wait_until(lambda: dialog.busy)
    shown = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible()]
    assert "Creating the vault…" in shown and "Unlocking…" not in shown
    assert dialog.error_label.text() == ""
    release.set()
    qtbot.wait_until(lambda: not dialog.busy, timeout=10_000)
    assert dialog.result() == QDialog.DialogCode.Accepted
    dialog.vault.close()


def test_cancel_quits_and_creates_nothing(qtbot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    seen: list[str] = []

    def cancel_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.reason_label.text())
        dialog.reject()

    QTimer.singleShot(0, cancel_the_dialog)
    assert desktop_app.run(data, understand=lambda *a, **k: None) == 0
    assert seen == ["Why not the system keychain? The system keychain is turned off "
                    "(STRONGROOM_KEYCHAIN=off). Choose a passphrase."]
    assert not data.exists()


def test_the_environment_passphrase_is_used_without_asking(qtbot, tmp_path: Path,
                                                           monkeypatch) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("STRONGROOM_PASSPHRASE", RIGHT)
    shown: list[str] = []

    def confirm_the_code() -> None:  # creating still shows the recovery code, once
        dialog = QApplication.activeModalWidget()
        shown.append(dialog.code_label.text())
        dialog.confirm.setChecked(True)
        dialog.accept()

    QTimer.singleShot(0, confirm_the_code)
    vault = desktop_app.unlock_vault(data)  # no passphrase dialog
    assert vault.key_method == "passphrase" and vault.recovery_code is None
    assert len(shown) == 1
    vault.close()
    Vault.open(data, recovery_code=shown[0]).close()
    desktop_app.unlock_vault(data).close()
    monkeypatch.setenv("STRONGROOM_PASSPHRASE", "wrong wrong wrong")
    with pytest.raises(UserError, match="not correct"):
        desktop_app.unlock_vault(data)


def test_a_real_vault_end_to_end(qtbot, make_window, docs: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    window = make_window(vault=Vault.create(data, passphrase=RIGHT))
    assert window.lock_label.text().endswith("unlocked with passphrase")
    drop(window, file_mime([docs / "receipt.txt"]))
    qtbot.wait_until(lambda: window.model.index(0, 3).data() == "Saved")
    window.table.selectRow(0)
    window.detail.select_field("date")
    (mark,) = window.detail.text_view.extraSelections()
    assert mark.cursor.selectedText() == "2024-03-05"
    window.close()

    with Vault.open(data, passphrase=RIGHT) as vault:
        (row,) = vault.list_documents()
        stored = vault.get(row.id)
    assert (row.name, row.doc_type, row.doc_date) == ("receipt.txt", "receipt", "2024-03-05")
    start, end = stored.fields["total"].span
    assert RECEIPT[start:end] == "12.50"


def test_a_lost_keychain_entry_asks_for_the_passphrase(qtbot, tmp_path: Path,
                                                      monkeypatch) -> None:
    """A keychain vault that also has a passphrase, its keychain entry gone (a new
    machine): the window asks for the passphrase, through the one unlock policy."""
    from tests.helpers import memkeychain

    kc = memkeychain.install(monkeypatch)
    monkeypatch.delenv("STRONGROOM_PASSPHRASE", raising=False)
    data = tmp_path / "data"
    with Vault.create(data) as vault:
        vault.take_recovery_code()
        vault.change_passphrase(RIGHT)
    assert Vault.unlock_methods(data)[:2] == ("keychain", "passphrase")
    kc.items.clear()
    before = snapshot(data)
    asked: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):
            QTimer.singleShot(20, answer)
            return
        asked.append(dialog.windowTitle())
        dialog.edit.setText(RIGHT)
        click_ok(qtbot, dialog)

    QTimer.singleShot(0, answer)
    vault = desktop_app.unlock_vault(data)
    assert asked == ["Strongroom"] and vault is not None and vault.key_method == "passphrase"
    vault.close()
    assert snapshot(data).keys() == before.keys()
