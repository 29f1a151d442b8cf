"""``VaultOp``: the work off the GUI thread, the outcome on it, the busy state shown,
conflicting actions disabled, nothing delivered to a widget that is gone."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from strongroom.desktop import ops
from strongroom.desktop.ops import BusyIndicator, VaultOp
from strongroom.errors import VaultError

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]


@pytest.fixture
def window(qtbot) -> QMainWindow:  # type: ignore[no-untyped-def]
    win = QMainWindow()
    win.setCentralWidget(QLabel("body"))
    win.statusBar().addWidget(QLabel("Encrypted vault"))
    win.vault_actions = [QAction("Compact", win), QAction("Back Up", win),  # type: ignore[attr-defined]
                         QAction("Restore", win)]
    win.vault_actions[2].setEnabled(False)  # type: ignore[attr-defined]
    qtbot.add_widget(win)
    win.show()
    return win


def test_op_runs_off_the_gui_thread_and_success_on_it(qtbot, window) -> None:
    """The op waits for a timer on the GUI thread: were it run there, it would wait
    forever (the control: a frozen window never fires the timer)."""
    gui = threading.get_ident()
    seen: dict[str, object] = {}
    ticked = threading.Event()
    QTimer.singleShot(50, ticked.set)

    def op() -> str:
        seen["op"] = threading.get_ident()
        assert ticked.wait(5), "the GUI thread's timer never fired while the op ran"
        return "done"

    def success(value: str) -> None:
        seen["success"] = threading.get_ident()
        seen["value"] = value

    VaultOp(parent=window, op=op, success=success) \
        .failure(lambda exc: seen.setdefault("value", exc)).run_in_background()
    qtbot.wait_until(lambda: "value" in seen, timeout=10_000)
    assert seen["op"] != gui and seen["success"] == gui and seen["value"] == "done"


def test_progress_disables_the_vault_actions_and_brings_back_only_those(qtbot,
                                                                        window) -> None:
    release = threading.Event()
    done: list[object] = []
    window.statusBar().showMessage("Document deleted from the vault.", 8000)
    VaultOp(parent=window, op=lambda: release.wait(5), success=done.append) \
        .with_progress("Compacting the vault…").run_in_background()
    indicator = window.findChild(BusyIndicator)
    assert indicator.isVisible() and indicator.label.text() == "Compacting the vault…"
    assert window.statusBar().currentMessage() == ""  # a message would hide the indicator
    assert [a.isEnabled() for a in window.vault_actions] == [False, False, False]
    assert ops.busy(window)
    release.set()
    qtbot.wait_until(lambda: done == [True])
    assert not indicator.isVisible() and not ops.busy(window)
    assert [a.isEnabled() for a in window.vault_actions] == [True, True, False]


def test_errors_go_to_the_error_dialog(qtbot, window, monkeypatch) -> None:
    shown: list[tuple[QWidget, str]] = []
    monkeypatch.setattr(ops, "show_error", lambda parent, exc: shown.append((parent, str(exc))))

    def op() -> None:
        raise VaultError("Could not compact the vault (OperationalError). Check that the disk "
                         "is not full; the vault was left as it was before.")

    VaultOp(parent=window, op=op, success=lambda _: pytest.fail("success after an error")) \
        .with_progress("Compacting the vault…").run_in_background()
    qtbot.wait_until(lambda: bool(shown))
    assert shown == [(window, "Could not compact the vault (OperationalError). Check that the "
                              "disk is not full; the vault was left as it was before.")]
    assert all(a.isEnabled() for a in window.vault_actions[:2])


def test_failure_overrides_the_dialog(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(ops, "show_error", lambda *a: pytest.fail("error dialog shown"))
    failed: list[str] = []
    VaultOp(parent=window, op=lambda: 1 / 0, success=lambda _: None) \
        .failure(lambda exc: failed.append(type(exc).__name__)).run_in_background()
    qtbot.wait_until(lambda: failed == ["ZeroDivisionError"])


def test_nothing_is_delivered_to_a_deleted_parent(qtbot, window) -> None:
    parent = QWidget(window)
    release = threading.Event()
    finished = threading.Event()
    called: list[object] = []

    def op() -> int:
        release.wait(5)
        finished.set()
        return 1

    VaultOp(parent=parent, op=op, success=called.append).with_progress("Working…") \
        .run_in_background()
    parent.deleteLater()
    qtbot.wait_until(lambda: not ops.shiboken6.isValid(parent))
    release.set()
    assert finished.wait(5)
    qtbot.wait_until(lambda: not ops._running)
    assert called == []
    assert not ops.busy(window)  # the window's indicator still ends
