"""The recovery code in the window (issue 13): shown once, typed back to unlock.

Thin: the code is made, checked and used by ``strongroom.vault``. The dialog that
shows it offers no Copy button and its text cannot be selected: clipboard managers
keep a history (and some sync it to other devices), so a code that passed through
the clipboard could outlive the piece of paper it belongs on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from strongroom.vault import keys
from strongroom.vault.protocol import OpenVault

from .passphrase_dialogs import CreatePassphraseDialog, VaultDialog


class RecoveryCodeDialog(QDialog):
    """Shows a new recovery code once; closes only after "I have written it down"."""

    def __init__(self, code: str, parent: QWidget | None = None, *,
                 new_vault: bool = True,
                 methods: tuple[str, ...] = (keys.PASSPHRASE, keys.KEYCHAIN)) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recovery code")  # Qt adds " — Strongroom"
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        what = ("Your vault is ready. This is its recovery code" if new_vault
                else "This is the vault's new recovery code")
        previous = "" if new_vault else " The previous code no longer does."
        intro = QLabel(f"<b>{what}.</b><br>It opens the vault {_when_needed(methods)}."
                       f"{previous} It is shown only now: Strongroom does not keep it.")
        intro.setWordWrap(True)
        self.code_label = QLabel(code)
        self.code_label.setObjectName("recoveryCode")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(QFont.Weight.Bold)
        self.code_label.setFont(font)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Not selectable, no Copy button: see the module docstring (clipboard history).
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        advice = QLabel("<b>Write it down on paper and store it apart from this computer</b> "
                        "(with your important papers, not in a file or a photo on it). Anyone "
                        "who has the code can open the vault.")
        advice.setWordWrap(True)
        advice.setObjectName("unlockWarning")
        self.confirm = QCheckBox("I have written it down")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Continue")
        self.ok_button.setEnabled(False)
        self.confirm.toggled.connect(self.ok_button.setEnabled)
        self.buttons.accepted.connect(self.accept)
        for widget in (intro, self.code_label, advice, self.confirm, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(460)

    def reject(self) -> None:
        """Esc or the close box: only once the person confirmed (the code is gone after)."""
        if self.confirm.isChecked():
            super().accept()

    def accept(self) -> None:
        if self.confirm.isChecked():
            super().accept()


def _when_needed(methods: tuple[str, ...]) -> str:
    """When the recovery code is needed, in the words of the vault's own locks."""
    lost = []
    if keys.PASSPHRASE in methods:
        lost.append("if the passphrase is forgotten")
    if keys.KEYCHAIN in methods:
        lost.append("if the system keychain entry is lost (a new computer, a reinstalled "
                    "system)" if len(lost) == 0 else "or the system keychain entry is lost")
    return " ".join(lost) or "if its other locks are lost"


def key_methods(vault: OpenVault) -> tuple[str, ...]:
    """The locks that open ``vault`` besides the recovery code (both if unreadable)."""
    try:
        return tuple(m for m in vault.key_methods() if m != keys.RECOVERY)
    except Exception:  # a damaged key file: say the general thing
        return (keys.PASSPHRASE, keys.KEYCHAIN)


def show_code_once(vault: OpenVault, parent: QWidget | None = None, *,
                   new_vault: bool = True) -> None:
    """Show the fresh vault's recovery code, then let the vault object forget it."""
    code = vault.take_recovery_code()
    if code is None:
        return
    dialog = RecoveryCodeDialog(code, parent, new_vault=new_vault, methods=key_methods(vault))
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()


class RecoveryUnlockDialog(VaultDialog):
    """Open the vault with its recovery code: ``opener(code)`` opens it."""

    ok_text = "Open Vault"

    def __init__(self, opener: Callable[[str], Any], reason: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(opener, parent)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Cancel")
        self.intro = QLabel("<b>Open the vault with its recovery code.</b><br>Type the code "
                            "you wrote down (groups of four letters and digits; case and "
                            "dashes do not matter).")
        self.intro.setWordWrap(True)
        self.reason_label = QLabel(reason)
        self.reason_label.setWordWrap(True)
        self.reason_label.setObjectName("meta")
        self.reason_label.setVisible(bool(reason))
        # Shown as typed: it is copied from paper, 28 symbols long, and a hidden field
        # would turn every slip into a retype.
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.edit.setMinimumWidth(360)
        for widget in (self.intro, self.reason_label, self.edit):
            self.layout_.addWidget(widget)
        self._finish_layout()
        self.edit.setFocus()

    def passphrase(self) -> str | None:
        if not self.edit.text().strip():
            self.show_error("Enter the recovery code.")
            return None
        return self.edit.text()

    def _retry(self) -> None:
        self.edit.setFocus()  # kept: the mistake is usually one group


class NewPassphraseDialog(CreatePassphraseDialog):
    """After opening with the recovery code: choose the passphrase used from now on."""

    ok_text = "Set Passphrase"

    def __init__(self, opener: Callable[[str], Any], parent: QWidget | None = None) -> None:
        super().__init__(opener, "", parent)
        self.reason_label.setText("You opened the vault with its recovery code. Choose a new "
                                  "passphrase to open it from now on; the recovery code keeps "
                                  "working too.")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Not Now")
