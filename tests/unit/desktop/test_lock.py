"""Lock now, auto-lock after idle time and with the screen: the vault closes, the
window forgets, and unlocking asks again (issue 13). Real SQLCipher vault, real
model, real Qt events; the screen-lock signal is a real D-Bus signal."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from strongroom.desktop import lock as desktop_lock
from strongroom.desktop.passphrase_dialogs import PassphraseDialog
from strongroom.desktop.window import MainWindow
from strongroom.vault import Vault
from tests.helpers.desktop import FakeVault, understand_now

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

RIGHT = "a passphrase for locking"
CANARY = "LOCKCANARYQZX"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def shown_text(window: QWidget) -> str:
    """Every piece of text the window's widgets and item models hold."""
    parts = [window.windowTitle(), window.statusBar().currentMessage()]
    for w in window.findChildren(QWidget):
        parts.append(w.toolTip())
        if isinstance(w, QLabel | QLineEdit):
            parts.append(w.text())
        if isinstance(w, QLineEdit):
            parts.append(w.placeholderText())
        if isinstance(w, QPlainTextEdit):
            parts.append(w.toPlainText())
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            parts += [str(m.index(r, c).data() or "") for r in range(m.rowCount())
                      for c in range(m.columnCount())]
    return "\n".join(parts)


def unlock_with(qtbot, window: MainWindow, *passphrases: str) -> list[str]:
    """Click Unlock and type each passphrase into the real dialog; the errors shown."""
    errors: list[str] = []
    todo = list(passphrases)
    answered: list[PassphraseDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog) or dialog.busy:  # busy: Argon2id
            if answered and (not shiboken6.isValid(answered[-1]) or not answered[-1].isVisible()):
                return  # the dialog took the last passphrase and closed: stop polling, or
                # this loop would outlive the test and answer a later test's dialog
            QTimer.singleShot(20, answer)
            return
        answered.append(dialog)
        if dialog.error_label.text():
            errors.append(dialog.error_label.text())
        if not todo:
            dialog.reject()
            return
        dialog.edit.setText(todo.pop(0))
        dialog.accept()
        QTimer.singleShot(50, answer)  # a wrong one: the dialog stays open

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(window.locked_page.unlock_button, Qt.MouseButton.LeftButton)
    return errors


def test_idle_locks_and_input_postpones_it(qtbot, make_window) -> None:
    window = make_window(understand=understand_now, vault=FakeVault())
    window.idle.minutes = 0.4 / 60  # 400 ms
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:  # keep "using" the window for 1 s
        qtbot.mouseMove(window.table.viewport(), QPoint(5 + int(time.monotonic() * 10) % 20, 5))
        qtbot.wait(100)
    assert not window.locked
    qtbot.wait_until(lambda: window.locked, timeout=3_000)
    assert "without use" in window.locked_page.reason.text()
    assert not window.idle.active()  # no countdown while locked


def test_auto_lock_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(desktop_lock.ENV_AUTO_LOCK, raising=False)
    assert desktop_lock.auto_lock_minutes() == 5
    for raw, minutes in [("0", 0), ("15", 15), ("junk", 5), ("-3", 0)]:
        monkeypatch.setenv(desktop_lock.ENV_AUTO_LOCK, raw)
        assert desktop_lock.auto_lock_minutes() == minutes


def test_lock_closes_open_dialogs_and_cancels_work(qtbot, make_window, docs) -> None:
    import threading

    release = threading.Event()

    def slow(doc, *, cancel, progress):  # type: ignore[no-untyped-def]
        while not cancel.is_set() and not release.is_set():
            time.sleep(0.01)
        return understand_now(doc, cancel=cancel, progress=progress)

    vault = FakeVault()
    window = make_window(understand=slow, vault=vault)
    window.add_paths([docs / "receipt.txt", docs / "note.txt"])
    qtbot.wait_until(lambda: len(window.model.running_job_ids()) == 2, timeout=5_000)
    seen: list[bool] = []

    def lock_under_dialog() -> None:
        seen.append(isinstance(QApplication.activeModalWidget(), QDialog))
        window.lock("Test.")

    QTimer.singleShot(100, lock_under_dialog)
    assert not window.confirm_delete("receipt.txt")  # the lock answered "Cancel"
    assert seen == [True] and window.locked
    assert "2 documents were still being added and not saved" in window.locked_page.reason.text()
    assert vault.closed and vault.list_documents() == []
    assert window.processor._thread is None


def test_keychain_only_vault_says_a_click_unlocks_it(make_window) -> None:
    window = make_window(understand=understand_now, vault=FakeVault("keychain"))
    window.lock("You locked it.")
    assert "anyone using this computer account can unlock it" in window.locked_page.note.text()
    other = make_window(understand=understand_now, vault=FakeVault("passphrase"))
    other.lock("You locked it.")
    assert other.locked_page.note.text() == "" and other.locked_page.note.isHidden()


def test_screen_lock_signal_locks(qtbot, make_window) -> None:
    """The freedesktop screen savers' D-Bus signal, sent for real on the session bus."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") or not shutil.which("dbus-send"):
        if os.environ.get("STRONGROOM_TEST_REQUIRE_KEYCHAIN") == "1":
            pytest.fail("no D-Bus session bus: run under dbus-run-session (bash .ci/test)")
        pytest.skip("no D-Bus session bus")
    window = make_window(understand=understand_now, vault=FakeVault())
    assert window.screen_lock.listening

    def send(path: str, interface: str, active: str) -> None:
        subprocess.run(["dbus-send", "--session", "--type=signal", path,
                        f"{interface}.ActiveChanged", f"boolean:{active}"], check=True)

    send("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "false")  # unlocking
    qtbot.wait(300)
    assert not window.locked
    send("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "true")
    qtbot.wait_until(lambda: window.locked, timeout=5_000)
    assert "screen was locked" in window.locked_page.reason.text()


def test_lock_hands_over_to_relaunch(qtbot, make_window) -> None:
    window = make_window(understand=understand_now, vault=FakeVault())
    reasons: list[str] = []
    window.relaunch = reasons.append
    window.act_lock.trigger()
    qtbot.wait_until(lambda: reasons == ["You locked it."], timeout=2_000)


def test_a_relaunched_window_starts_locked_and_unlocks(qtbot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Vault.create(data, passphrase=RIGHT) as vault:
        from tests.helpers.vault import make_doc, make_extraction

        vault.add_document(make_doc(), make_extraction())
    window = MainWindow(None, understand_now, data_dir=data, locked_reason="You locked it.")
    qtbot.add_widget(window)
    window.show()
    assert window.locked and window.locked_page.reason.text() == "You locked it."
    assert not window.act_open_files.isEnabled() and window.model.rowCount() == 0
    unlock_with(qtbot, window, RIGHT)
    qtbot.wait_until(lambda: not window.locked, timeout=10_000)
    assert [window.model.entry(r).name for r in range(window.model.rowCount())] == ["letter.txt"]
    window.close()


def test_a_lock_waits_for_a_running_vault_operation(qtbot, make_window) -> None:
    import threading

    from strongroom.desktop.ops import VaultOp

    window = make_window(understand=understand_now, vault=FakeVault())
    release = threading.Event()
    VaultOp(parent=window, op=lambda: release.wait(10), success=lambda _r: None) \
        .with_progress("Backing up…").run_in_background()
    qtbot.wait(100)
    window.lock("You locked it.")
    qtbot.wait(400)
    assert not window.locked and not window.vault.closed  # the backup still has the vault
    release.set()
    qtbot.wait_until(lambda: window.locked, timeout=5_000)
    assert window.vault.closed


def test_the_unlock_dialogs_quit_closes_a_locked_window(qtbot, tmp_path: Path) -> None:
    """After a lock, "Quit" in the unlock dialog quits (issue 24); Esc only cancels."""
    data = tmp_path / "data"
    Vault.create(data, passphrase=RIGHT).close()
    window = MainWindow(None, understand_now, data_dir=data, locked_reason="You locked it.")
    qtbot.add_widget(window)
    window.show()
    unlock_with(qtbot, window)  # the dialog rejected (Esc): still there, locked
    assert window.isVisible() and window.locked
    clicked: list[bool] = []

    def quit_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):
            QTimer.singleShot(20, quit_dialog)
            return
        button = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
        assert button.text() == "Quit"
        clicked.append(True)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, quit_dialog)
    qtbot.mouseClick(window.locked_page.unlock_button, Qt.MouseButton.LeftButton)
    assert clicked == [True]
    qtbot.wait_until(lambda: not window.isVisible(), timeout=5_000)
    assert window.session.closed
