"""Unlocking the vault: ask for the passphrase, or choose one for a new vault.

The key derivation (Argon2id) is slow on purpose, so each attempt runs off the GUI
thread as an ``ops.VaultOp`` while the dialog shows a busy bar (its own modal loop
keeps turning: at start there is no window yet, after a lock the window behind keeps
painting). A wrong passphrase is shown in the
dialog in the vault's own words and the person simply tries again; Cancel quits
with nothing created or changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from .error_dialog import error_text
from .ops import VaultOp

MIN_LENGTH = 8
#: ``PassphraseDialog.exec()`` result: the person chose "Use Recovery Code…".
USE_RECOVERY = 2


def fit_height(dialog: QWidget) -> None:
    """Height for the dialog's width. Qt sizes a window by its widest label's
    hint, so after ``setMinimumWidth`` wrapped text leaves gaps, and a shown dialog
    does not grow for a new message: a three-line error would be cut off."""
    layout = dialog.layout()
    if layout is not None and dialog.isVisible():
        layout.activate()
        width = dialog.width()
        dialog.resize(width, max(layout.totalHeightForWidth(width),
                                 layout.totalMinimumSize().height()))


def password_edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumWidth(320)
    return edit


class VaultDialog(QDialog):
    """Shared frame: explanation, fields, an error line, OK/Cancel.

    OK runs the dialog's work (``work()``: by default ``opener(passphrase())``) as a
    ``VaultOp``, off the GUI thread; meanwhile the dialog shows ``busy_text`` with a
    busy bar and cannot be closed. A failure is shown in the dialog for another try
    (``_retry``); on success ``self.value`` holds the outcome (``self.vault`` names
    it for the dialogs that open a vault) and the dialog is accepted.
    """

    ok_text = "Unlock"
    busy_text = "Unlocking…"

    def __init__(self, opener: Callable[[str], Any], parent: QWidget | None) -> None:
        super().__init__(parent)
        self._opener = opener
        self.value: Any = None
        self.busy = False
        self.quit_chosen = False  # "Quit" clicked (Esc or the close box only cancel)
        self._busy_row: QWidget | None = None
        self.setWindowTitle("Strongroom")
        self.setModal(True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setSpacing(10)
        self.error_label = QLabel()
        self.error_label.setObjectName("unlockError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.ok_text)
        quit_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        quit_button.setText("Quit")
        quit_button.clicked.connect(self._choose_quit)  # before ``rejected``
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @property
    def vault(self) -> Any:
        """The vault the dialog opened or created (``None`` until accepted)."""
        return self.value

    def _finish_layout(self) -> None:
        self.layout_.addWidget(self.error_label)
        self.layout_.addWidget(self.buttons)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        fit_height(self)

    def passphrase(self) -> str | None:
        """The passphrase to try, or ``None`` after showing why it cannot be used."""
        raise NotImplementedError

    def work(self) -> Callable[[], Any] | None:
        """What to run off the GUI thread, or ``None`` after saying why not."""
        secret = self.passphrase()
        if secret is None:
            return None
        opener = self._opener
        return lambda: opener(secret)

    def accept(self) -> None:
        if self.busy:
            return
        work = self.work()
        if work is None:
            return
        self._set_busy(True)
        VaultOp(parent=self, op=work, success=self._succeeded).failure(
            self._failed).with_progress(self.busy_text).run_in_background()

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def _choose_quit(self) -> None:
        if not self.busy:
            self.quit_chosen = True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.busy:
            event.ignore()
        else:
            super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        fit_height(self)

    def _succeeded(self, value: Any) -> None:
        self._set_busy(False)
        self.value = value
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.show_error(error_text(exc))
        self._retry()

    def _retry(self) -> None:
        pass

    def _set_busy(self, on: bool) -> None:
        self.busy = on
        if self._busy_row is None:
            self._busy_row = QWidget()
            row = QHBoxLayout(self._busy_row)
            row.setContentsMargins(0, 0, 0, 0)
            label = QLabel(self.busy_text)
            label.setObjectName("meta")
            bar = QProgressBar()
            bar.setRange(0, 0)
            bar.setTextVisible(False)
            bar.setFixedHeight(10)
            row.addWidget(label)
            row.addWidget(bar, 1)
            self.layout_.insertWidget(self.layout_.indexOf(self.buttons), self._busy_row)
        self._busy_row.setVisible(on)
        if on:
            self.error_label.hide()
        for widget in [*self.findChildren(QLineEdit), self.buttons]:
            widget.setEnabled(not on)
        fit_height(self)


class EnterPassphraseDialog(VaultDialog):
    """One passphrase field under an introduction; ``opener(passphrase)`` uses it."""

    def __init__(self, opener: Callable[[str], Any], intro_html: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(opener, parent)
        intro = QLabel(intro_html)
        intro.setWordWrap(True)
        self.edit = password_edit("Passphrase")
        self.layout_.addWidget(intro)
        self.layout_.addWidget(self.edit)

    def _show(self) -> None:
        self._finish_layout()
        self.edit.setFocus()

    def passphrase(self) -> str | None:
        if not self.edit.text():
            self.show_error("Enter the passphrase.")
            return None
        return self.edit.text()

    def _retry(self) -> None:
        self.edit.clear()
        self.edit.setFocus()


class PassphraseDialog(EnterPassphraseDialog):
    """For a vault locked with a passphrase: ``opener(passphrase)`` opens it."""

    def __init__(self, opener: Callable[[str], Any], parent: QWidget | None = None) -> None:
        super().__init__(opener, "<b>Your vault is locked.</b><br>Enter its passphrase to "
                         "open it.", parent)
        self.recovery_button = self.buttons.addButton(
            "Use Recovery Code…", QDialogButtonBox.ButtonRole.ActionRole)
        self.recovery_button.clicked.connect(lambda: self.done(USE_RECOVERY))
        self._show()


class CreatePassphraseDialog(VaultDialog):
    """For a new vault when no OS keychain is usable: ``reason`` says why."""

    ok_text = "Create Vault"
    busy_text = "Creating the vault…"

    def __init__(self, opener: Callable[[str], Any], reason: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(opener, parent)
        intro = QLabel("<b>Choose a passphrase for your vault.</b><br>Strongroom keeps your "
                       "documents in an encrypted vault on this computer. The passphrase "
                       "unlocks it each time you start Strongroom.")
        intro.setWordWrap(True)
        self.reason_label = QLabel(f"Why not the system keychain? {reason}".strip())
        self.reason_label.setWordWrap(True)
        self.reason_label.setObjectName("meta")
        warning = QLabel("<b>The passphrase is never stored.</b> If you forget it, only the "
                         "recovery code shown next can open the vault; without either, no "
                         "one — not even Strongroom — can, and the documents in it are lost.")
        warning.setWordWrap(True)
        warning.setObjectName("unlockWarning")
        warning.setTextFormat(Qt.TextFormat.RichText)
        self.edit = password_edit(f"Passphrase (at least {MIN_LENGTH} characters)")
        self.repeat = password_edit("Repeat the passphrase")
        for widget in (intro, self.reason_label, warning, self.edit, self.repeat):
            self.layout_.addWidget(widget)
        self._finish_layout()
        self.setMinimumWidth(460)
        self.edit.setFocus()

    def passphrase(self) -> str | None:
        first, second = self.edit.text(), self.repeat.text()
        if len(first) < MIN_LENGTH:
            self.show_error(f"Use at least {MIN_LENGTH} characters; a few words you can "
                            "remember work well.")
            return None
        if first != second:
            self.show_error("The two passphrases do not match. Type them again.")
            self.repeat.clear()
            self.repeat.setFocus()
            return None
        return first
