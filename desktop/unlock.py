"""Unlocking the vault: ask for the passphrase, or choose one for a new vault.

The key derivation (Argon2id) is slow on purpose, so each attempt runs off the GUI
thread while the dialog shows "Unlocking…". A wrong passphrase is shown in the
dialog in the vault's own words and the person simply tries again; Cancel quits
with nothing created or changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from strongroom.errors import UserError

from .errors import error_text

T = TypeVar("T")
MIN_LENGTH = 8
#: ``PassphraseDialog.exec()`` result: the person chose "Use Recovery Code…".
USE_RECOVERY = 2


def call_off_thread(fn: Callable[[], T]) -> T:
    """Run ``fn`` on a helper thread, keeping this thread's event loop turning."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="strongroom-unlock", daemon=True).start()
    while not done.wait(0.02):
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 20)
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


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

    ``self.vault`` holds the opened vault once the dialog is accepted.
    """

    ok_text = "Unlock"

    def __init__(self, opener: Callable[[str], Any], parent: QWidget | None) -> None:
        super().__init__(parent)
        self._opener = opener
        self.vault: Any = None
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
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Quit")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

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

    def accept(self) -> None:
        passphrase = self.passphrase()
        if passphrase is None:
            return
        self.show_error("Unlocking…")
        self.setEnabled(False)
        try:
            self.vault = call_off_thread(lambda: self._opener(passphrase))
        except UserError as exc:
            self.show_error(error_text(exc))
            self._retry()
            return
        finally:
            self.setEnabled(True)
        super().accept()

    def _retry(self) -> None:
        pass


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
