"""The main window, driven as a person would: drop files, watch, select, read."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QTimer, QUrl

from strongroom.desktop.models import NAME, STATUS
from strongroom.desktop.window import MainWindow
from tests.helpers.desktop import (
    RECEIPT,
    FakeVault,
    drop,
    file_mime,
    understand_now,
    understand_slowly,
    understand_until_cancelled,
)

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform says this on every show(); it is not about our code.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


def statuses(window: MainWindow) -> dict[str, str]:
    model = window.model
    return {model.index(r, NAME).data(): model.index(r, STATUS).data()
            for r in range(model.rowCount())}


def select(window: MainWindow, name: str) -> None:
    model = window.model
    row = next(r for r in range(model.rowCount()) if model.index(r, NAME).data() == name)
    window.table.selectRow(row)


def test_drop_understand_select_and_see_the_span(qtbot, make_window, docs: Path) -> None:
    window = make_window()
    assert not window.table.isVisible()  # empty vault: the drop area is the whole pane

    assert drop(window, file_mime([docs / "receipt.txt", docs / "note.txt"]))

    qtbot.wait_until(lambda: statuses(window) == {"receipt.txt": "Saved",
                                                  "note.txt": "Saved"})
    assert window.table.isVisible()
    select(window, "receipt.txt")
    detail = window.detail
    assert detail.title.text() == "receipt.txt"
    assert detail.summary.text() == "A pharmacy receipt for 12.50 EUR."
    table = detail.fields_table
    shown = {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
             for r in range(table.rowCount())}
    assert shown["Total"] == ("12.50", "12.50")
    assert shown["Date"] == ("2024-03-05", "2024-03-05")
    assert shown["Tax id"] == ("—", "not found")
    assert detail.text_view.toPlainText() == RECEIPT
    assert detail.text_view.isReadOnly()

    detail.select_field("total")
    (mark,) = detail.text_view.extraSelections()
    start, end = detail.document.fields["total"].span
    assert mark.cursor.selectedText() == RECEIPT[start:end] == "12.50"
    assert detail.hint.text() == "Found on line 5 (highlighted below)."

    detail.select_field("tax_id")
    assert detail.text_view.extraSelections() == []
    assert detail.hint.text() == "Not found in this document."


def test_a_failed_document_shows_why_and_the_others_go_on(
    qtbot, make_window, docs: Path
) -> None:
    window = make_window()
    drop(window, file_mime([docs]))  # a folder: every file in it
    qtbot.wait_until(lambda: all(s in ("Saved",) or s.startswith("Failed: ")
                                 for s in statuses(window).values())
                     and len(statuses(window)) == 3)
    got = statuses(window)
    assert got["receipt.txt"] == got["note.txt"] == "Saved"
    assert got["empty.txt"].startswith("Failed: ")
    select(window, "empty.txt")
    assert window.detail.currentWidget() is window.detail.message_page
    assert window.detail.message_title.text() == "Strongroom could not process this document"
    assert got["empty.txt"].removeprefix("Failed: ") in window.detail.message_text.text()
    assert window.act_delete.text() == "Remove from List"
    window.delete_selected()  # nothing stored: the row just goes
    assert "empty.txt" not in statuses(window)


def test_cancel_the_selected_job(qtbot, make_window, docs: Path) -> None:
    window = make_window(understand=understand_until_cancelled)
    drop(window, file_mime([docs / "receipt.txt"]))
    qtbot.wait_until(lambda: statuses(window).get("receipt.txt") == "Understanding… 46%")
    select(window, "receipt.txt")
    assert window.detail.message_title.text() == "Understanding… 46%"
    assert window.act_cancel.isEnabled()
    window.act_cancel.trigger()
    qtbot.wait_until(lambda: statuses(window).get("receipt.txt") == "Cancelled")
    assert window.detail.message_title.text() == "Cancelled"
    assert window.vault.list_documents() == []
    assert not window.act_cancel.isEnabled()


def test_the_window_stays_responsive_while_a_document_is_understood(
    qtbot, make_window, docs: Path
) -> None:
    window = make_window(understand=understand_slowly(1.0))
    ticks: list[float] = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    started = time.monotonic()
    drop(window, file_mime([docs / "receipt.txt"]))
    qtbot.wait_until(lambda: statuses(window).get("receipt.txt") == "Saved", timeout=5000)
    timer.stop()
    assert time.monotonic() - started >= 1.0
    assert len(ticks) >= 25
    assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 0.25


def test_already_in_vault(qtbot, make_window, docs: Path) -> None:
    window = make_window()
    drop(window, file_mime([docs / "receipt.txt"]))
    qtbot.wait_until(lambda: statuses(window).get("receipt.txt") == "Saved")
    drop(window, file_mime([docs / "receipt.txt"]))
    qtbot.wait_until(lambda: window.model.index(0, STATUS).data() == "Already in vault")
    assert window.model.index(0, 1).data() == "Receipt"
    assert len(window.vault.list_documents()) == 1


def test_delete_asks_then_removes_from_vault_and_list(
    qtbot, make_window, docs: Path, monkeypatch
) -> None:
    window = make_window()
    drop(window, file_mime([docs / "receipt.txt"]))
    qtbot.wait_until(lambda: statuses(window).get("receipt.txt") == "Saved")
    select(window, "receipt.txt")
    asked: list[str] = []
    monkeypatch.setattr(window, "confirm_delete",
                        lambda name, note="": asked.append(name) or False)
    window.act_delete.trigger()
    assert asked == ["receipt.txt"] and len(window.vault.list_documents()) == 1
    monkeypatch.setattr(window, "confirm_delete", lambda name, note="": True)
    window.act_delete.trigger()
    assert window.vault.list_documents() == []
    assert statuses(window) == {}
    assert window.detail.currentWidget() is window.detail.placeholder


def test_only_local_files_are_taken(qtbot, make_window) -> None:
    window = make_window()
    remote = QMimeData()
    remote.setUrls([QUrl("https://example.com/statement.pdf")])
    assert not drop(window, remote)
    text = QMimeData()
    text.setText("/etc/passwd")
    assert not drop(window, text)
    assert window.model.rowCount() == 0


def test_a_bug_is_reported_without_document_text(
    qtbot, make_window, docs: Path, caplog
) -> None:
    def broken(doc, *, cancel, progress):
        raise RuntimeError(f"parser choked on {doc.text!r}")

    window = make_window(understand=broken)
    with caplog.at_level(logging.DEBUG):
        drop(window, file_mime([docs / "receipt.txt"]))
        qtbot.wait_until(lambda: statuses(window).get("receipt.txt", "").startswith("Failed"))
    assert statuses(window)["receipt.txt"] == (
        "Failed: Internal error (RuntimeError); the document was not saved.")
    assert "Pharmacy" not in caplog.text and "12.50" not in caplog.text


def test_closing_cancels_work_and_closes_the_vault(qtbot, make_window, docs: Path) -> None:
    vault = FakeVault()
    window = make_window(understand=understand_until_cancelled, vault=vault)
    drop(window, file_mime([docs / "receipt.txt"]))
    qtbot.wait_until(lambda: statuses(window).get("receipt.txt", "").startswith("Understanding"))
    window.close()
    assert vault.closed
    assert window.processor._thread is None, threading.enumerate()


def test_status_bar_says_how_the_vault_is_locked(qtbot, make_window) -> None:
    window = make_window(vault=FakeVault(key_method="keychain"))
    assert window.lock_label.text() == "Encrypted vault · unlocked with OS keychain"
    assert window.local_label.text() == "Nothing leaves this computer"
    from strongroom import netguard

    assert window.network_label.text() == (
        f"· network attempts since start: {netguard.attempts()}")
    other = make_window(vault=FakeVault(key_method="passphrase"))
    assert other.lock_label.text() == "Encrypted vault · unlocked with passphrase"


def test_a_passing_message_keeps_the_lock_state_and_the_counter_clear_of_the_edge(
        qtbot, make_window) -> None:
    """Issue 24: temporary messages hid the lock state; the counter touched the edge."""
    window = make_window(vault=FakeVault(key_method="passphrase"))
    window.resize(1024, 700)
    window.show()
    qtbot.wait_exposed(window)
    window.statusBar().showMessage("Document deleted from the vault.", 5000)
    qtbot.wait(50)
    assert window.lock_label.isVisible() and window.lock_icon.isVisible()
    assert window.statusBar().currentMessage() == "Document deleted from the vault."
    label = window.network_label
    text_right = label.contentsRect().left() + label.fontMetrics().horizontalAdvance(label.text())
    edge = label.mapTo(window.statusBar(), label.rect().topLeft()).x()
    assert window.statusBar().width() - (edge + text_right) >= 8


def test_ctrl_f_goes_to_the_search_box(qtbot, make_window, docs) -> None:
    window = make_window()
    window.show()
    qtbot.wait_exposed(window)
    window.add_paths([docs / "receipt.txt"])
    qtbot.wait_until(lambda: window.search_box.isVisible(), timeout=10_000)
    window.search_box.setText("oat")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus() and window.search_box.selectedText() == "oat"


def test_an_empty_folder_says_nothing_was_found(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    (tmp_path / "nothing").mkdir()
    assert drop(window, file_mime([tmp_path / "nothing"]))
    qtbot.wait_until(lambda: window.statusBar().currentMessage() == "No documents found to add.")
    assert window.model.rowCount() == 0


def test_quit_asks_while_documents_are_still_being_added(qtbot, make_window, docs) -> None:
    """Issue 24: Quit had no guard while documents were being processed."""
    import time as _time

    from PySide6.QtWidgets import QApplication, QMessageBox

    release = threading.Event()

    def slow(doc, *, cancel, progress):  # type: ignore[no-untyped-def]
        while not cancel.is_set() and not release.is_set():
            _time.sleep(0.01)
        return understand_now(doc, cancel=cancel, progress=progress)

    window = make_window(understand=slow)
    window.show()
    window.add_paths([docs / "receipt.txt"])
    qtbot.wait_until(lambda: len(window.model.running_job_ids()) == 1, timeout=5_000)
    asked: list[str] = []

    def answer(button: str) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, lambda: answer(button))
            return
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, lambda: answer("Keep Working"))
    window.act_quit.trigger()
    assert asked == ["1 document is still being added."]
    assert window.isVisible() and window.model.running_job_ids()
    QTimer.singleShot(0, lambda: answer("Quit Anyway"))
    window.act_quit.trigger()
    assert len(asked) == 2 and not window.isVisible()
    assert window.processor._thread is None
    release.set()
