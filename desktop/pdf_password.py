"""Asking for a password-protected PDF's password (issue 22).

A dropped PDF that needs a password fails in the queue with ``needs_password``; the
window hands it to ``PdfPasswordAsker``, which shows ``PdfPasswordDialog`` for it
(one dialog at a time, the file's name made safe by ``shown``). OK hands the
password to ``read_again`` (the queue reads the file again, in the reader's child);
a wrong one fails the same way with ``messages.PDF_WRONG_PASSWORD`` and is asked
for again, with that message in the dialog. Cancel leaves the row failed with its
message. The dialog only asks: it never reads a file, never checks a password and
keeps none (the field is emptied as soon as the password is handed on).

An e-mail's attachment is asked for the same way (its name is the attachment's);
the queue kept its bytes, and ``give_up(job_id)`` on Cancel lets it drop them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from strongroom.reading import messages
from strongroom.shown import shown

from .passphrase_dialogs import fit_height, password_edit


class PdfPasswordDialog(QDialog):
    """One PDF's password: its name, a hidden field, the last attempt's error."""

    def __init__(self, name: str, error: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Strongroom")
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.name_label = QLabel(shown(name))
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)  # a name is not markup
        self.name_label.setObjectName("title")
        intro = QLabel("This PDF is password-protected. Enter its password to read it; "
                       "the password is used once and is not kept.")
        intro.setWordWrap(True)
        self.edit = password_edit("PDF password")
        self.error_label = QLabel()
        self.error_label.setObjectName("unlockError")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for widget in (self.name_label, intro, self.edit, self.error_label, self.buttons):
            layout.addWidget(widget)
        self.show_error(error if error == messages.PDF_WRONG_PASSWORD else "")
        self.setMinimumWidth(420)
        self.edit.setFocus()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        fit_height(self)

    def accept(self) -> None:
        if not self.edit.text():
            self.show_error("Enter the password.")
            return
        super().accept()

    def take_password(self) -> str:
        """The typed password; the field is emptied."""
        password = self.edit.text()
        self.edit.setText("")  # setText, not clear(): no undo history is kept
        return password

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        fit_height(self)


@dataclass(frozen=True)
class _Ask:
    job_id: int
    path: Path
    error: str


class PdfPasswordAsker(QObject):
    """Asks for each PDF that needs a password, one dialog at a time.

    ``read_again(job_id, path, password)`` is called for each password typed,
    ``give_up(job_id)`` when the person cancels; ``can_ask()`` is false while the
    window is locked (nothing is asked then, and the questions waiting are dropped).
    """

    def __init__(self, parent: QWidget, read_again: Callable[[int, Path, str], None],
                 can_ask: Callable[[], bool],
                 give_up: Callable[[int], None] = lambda job_id: None) -> None:
        super().__init__(parent)
        self._parent = parent
        self._read_again = read_again
        self._give_up = give_up
        self._can_ask = can_ask
        self._waiting: list[_Ask] = []
        self.dialog: PdfPasswordDialog | None = None
        self._asking: _Ask | None = None

    def ask(self, job_id: int, path: Path, error: str) -> None:
        """Ask for the password of ``path`` (job ``job_id`` failed with ``error``)."""
        if any(a.job_id == job_id for a in self._waiting) or (
                self._asking is not None and self._asking.job_id == job_id):
            return
        self._waiting.append(_Ask(job_id, Path(path), error))
        if self.dialog is None:
            self._next()

    def forget(self) -> None:
        """Drop every question (the window is locking; its dialogs are closed)."""
        self._waiting.clear()
        if self.dialog is not None:
            self.dialog.done(QDialog.DialogCode.Rejected)

    def _next(self) -> None:
        if not self._can_ask():
            self._waiting.clear()
            return
        if self.dialog is not None or not self._waiting:
            return
        self._asking = self._waiting.pop(0)
        dialog = PdfPasswordDialog(self._asking.path.name, self._asking.error, self._parent)
        dialog.finished.connect(self._finished)
        self.dialog = dialog
        dialog.open()

    def _finished(self, code: int) -> None:
        dialog, asking = self.dialog, self._asking
        self.dialog = self._asking = None
        if dialog is None or asking is None:
            return
        password = dialog.take_password()
        dialog.deleteLater()
        if code == QDialog.DialogCode.Accepted and password and self._can_ask():
            self._read_again(asking.job_id, asking.path, password)
        else:
            self._give_up(asking.job_id)
        del password
        QTimer.singleShot(0, self._next)  # the next one after this dialog has gone
