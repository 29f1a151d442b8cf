"""A dropped password-protected PDF (issue 22): the window asks for its password in a
dialog naming the file (safely), reads it again with it, asks again after a wrong
one, and Cancel leaves the row failed with the clear message. Real Qt events."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from strongroom.desktop.pdf_password import PdfPasswordDialog
from strongroom.desktop.window import MainWindow
from strongroom.reading import messages
from strongroom.shown import shown
from tests.helpers.desktop import drop, file_mime
from tests.helpers.documents import make_pdf
from tests.unit.desktop.test_window import select, statuses

PASSWORD = "pdf-pw-41d3"  # noqa: S105 - a test's password
TEXT = "Corner Pharmacy\nTotal 12.50 EUR"


def locked_pdf(folder: Path, name: str = "locked.pdf", text: str = TEXT) -> Path:
    path = folder / name
    path.write_bytes(make_pdf([text], user_password=PASSWORD))
    return path


def wait_for_dialog(qtbot, window: MainWindow) -> PdfPasswordDialog:
    qtbot.wait_until(lambda: window.pdf_passwords.dialog is not None
                     and window.pdf_passwords.dialog.isVisible())
    dialog = window.pdf_passwords.dialog
    assert dialog is not None
    return dialog


def answer(qtbot, dialog: PdfPasswordDialog, password: str | None) -> None:
    """Type ``password`` and click Open, or click Cancel for ``None``."""
    if password is None:
        button = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    else:
        qtbot.keyClicks(dialog.edit, password)
        button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_wrong_password_says_so_and_the_right_one_reads_it(qtbot, make_window,
                                                            tmp_path: Path) -> None:
    window = make_window()
    path = locked_pdf(tmp_path)
    assert drop(window, file_mime([path]))

    dialog = wait_for_dialog(qtbot, window)
    assert dialog.name_label.text() == "locked.pdf"
    assert dialog.edit.echoMode() == dialog.edit.EchoMode.Password
    assert dialog.error_label.isHidden()  # the first question: no error yet
    assert statuses(window) == {"locked.pdf": f"Failed: {messages.PDF_LOCKED}"}

    answer(qtbot, dialog, "wrong-guess")
    again = wait_for_dialog(qtbot, window)
    assert again is not dialog  # asked again, after the wrong one was tried
    assert again.error_label.text() == messages.PDF_WRONG_PASSWORD
    assert again.edit.text() == ""

    answer(qtbot, again, PASSWORD)
    qtbot.wait_until(lambda: statuses(window) == {"locked.pdf": "Saved"})
    assert window.pdf_passwords.dialog is None
    stored = window.vault.list_documents()
    assert len(stored) == 1
    assert window.vault.get(stored[0].id).text == TEXT
    assert len(window.model.entries()) == 1  # the same row moved on, no second one


def test_cancel_leaves_the_document_failed_with_the_clear_message(qtbot, make_window,
                                                                  tmp_path: Path) -> None:
    window = make_window()
    assert drop(window, file_mime([locked_pdf(tmp_path)]))
    answer(qtbot, wait_for_dialog(qtbot, window), None)
    qtbot.wait_until(lambda: window.pdf_passwords.dialog is None)
    qtbot.wait(150)  # a bridge batch's time: nothing is read again, nothing asked
    assert window.pdf_passwords.dialog is None
    assert statuses(window) == {"locked.pdf": f"Failed: {messages.PDF_LOCKED}"}
    select(window, "locked.pdf")
    assert messages.PDF_LOCKED in window.detail.message_text.text()
    assert window.vault.list_documents() == []


def test_an_empty_password_is_not_tried(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    assert drop(window, file_mime([locked_pdf(tmp_path)]))
    dialog = wait_for_dialog(qtbot, window)
    answer(qtbot, dialog, "")
    assert dialog.isVisible() and dialog.error_label.text() == "Enter the password."
    answer(qtbot, dialog, None)


def test_two_locked_pdfs_are_asked_for_one_at_a_time_by_their_shown_names(
        qtbot, make_window, tmp_path: Path) -> None:
    window = make_window()
    odd = "bill\x1b[2J\u202efdp.pdf"
    paths = [locked_pdf(tmp_path, "a.pdf"),
             locked_pdf(tmp_path, odd, "Night Taxi to the airport\nTotal 30.00")]
    assert drop(window, file_mime(paths))
    first = wait_for_dialog(qtbot, window)
    names = {first.name_label.text()}
    qtbot.wait_until(lambda: len(statuses(window)) == 2
                     and all(s.startswith("Failed") for s in statuses(window).values()))
    assert window.pdf_passwords.dialog is first  # the second waits its turn
    answer(qtbot, first, PASSWORD)
    second = wait_for_dialog(qtbot, window)
    names.add(second.name_label.text())
    assert names == {"a.pdf", shown(odd)} and "\x1b" not in shown(odd)
    answer(qtbot, second, PASSWORD)
    qtbot.wait_until(lambda: sorted(statuses(window).values()) == ["Saved", "Saved"])


def test_a_lock_closes_the_question_and_reads_nothing(qtbot, make_window,
                                                      tmp_path: Path) -> None:
    window = make_window()
    assert drop(window, file_mime([locked_pdf(tmp_path)]))
    dialog = wait_for_dialog(qtbot, window)
    asked_again: list[object] = []
    window.processor.read_again = lambda *args: asked_again.append(args)
    qtbot.keyClicks(dialog.edit, PASSWORD)
    window.lock("You locked it.")
    assert asked_again == [] and dialog.edit.text() == ""
    assert window.pdf_passwords.dialog is None and not dialog.isVisible()
    qtbot.wait(150)
    assert window.pdf_passwords.dialog is None and window.locked
    assert window.model.entries() == []
