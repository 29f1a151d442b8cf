"""Vault ▸ Change Passphrase… (or Set a Passphrase…) and New Recovery Code… (issue 13).

Thin: ``Vault.change_passphrase`` and ``Vault.new_recovery_code`` rewrite only the
key file, atomically; the documents are not touched. Both run Argon2id (a second
or more, on purpose) as a ``VaultOp`` while the dialog shows a busy bar.

The current passphrase is asked for exactly when the core needs it: when the
vault was opened *with* its passphrase (someone at an unlocked, unattended
computer must not be able to change it). Opened with the keychain or the
recovery code, that proof was given at opening.

Both dialogs say what a change does not reach: backups made earlier keep the key
file they were made with, so they still open with the old passphrase and the old
recovery code.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMenu, QMessageBox, QWidget

from strongroom.vault.protocol import OpenVault

from .passphrase_dialogs import MIN_LENGTH, VaultDialog, password_edit
from .recovery_dialogs import RecoveryCodeDialog, key_methods

CHANGE_TEXT = "Change Passphrase…"
SET_TEXT = "Set a Passphrase…"
OLD_PASSPHRASE = "Backups made before now keep opening with the old passphrase."  # noqa: S105 - words
OLD_CODE = "Backups made before now keep opening with the old recovery code."


def add_actions(window: Any, menu: QMenu) -> list[QAction]:
    """The two Vault menu entries, kept on the window as ``act_passphrase`` and
    ``act_recovery_code``; returned for the window's ``vault_actions``."""
    window.act_passphrase = menu.addAction(CHANGE_TEXT)
    window.act_passphrase.triggered.connect(lambda: change_passphrase(window))
    window.act_recovery_code = menu.addAction("New Recovery Code…")
    window.act_recovery_code.setToolTip("Replace the recovery code; the old one stops working")
    window.act_recovery_code.triggered.connect(lambda: new_recovery_code(window))
    menu.aboutToShow.connect(lambda: update_texts(window))
    update_texts(window)
    return [window.act_passphrase, window.act_recovery_code]


def update_texts(window: Any) -> None:
    """"Set a Passphrase…" until the vault has one (a keychain vault), then "Change…"."""
    has = _has_passphrase(window.vault)
    window.act_passphrase.setText(CHANGE_TEXT if has else SET_TEXT)
    window.act_passphrase.setToolTip(
        "Change the passphrase that opens the vault" if has else
        "Add a passphrase, so the vault also opens where its keychain entry is missing")


def _has_passphrase(vault: OpenVault | None) -> bool:
    if vault is None:  # a window that started locked: the entry is disabled anyway
        return False
    try:
        return "passphrase" in vault.key_methods()
    except Exception:  # a closed or damaged key file: the action's own error says more
        return bool(vault.key_method == "passphrase")


def _needs_current(vault: OpenVault) -> bool:
    return bool(vault.key_method == "passphrase")


def inform(parent: QWidget, title: str, text: str, info: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    box.setInformativeText(info)
    box.exec()


# -- change or set the passphrase ---------------------------------------------------
class ChangePassphraseDialog(VaultDialog):
    """Current (when needed), new and repeated passphrase; ``vault.change_passphrase``."""

    def __init__(self, vault: OpenVault, parent: QWidget | None = None) -> None:
        super().__init__(lambda _: None, parent)
        self._vault = vault
        self.had_passphrase = _has_passphrase(vault)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Change Passphrase" if self.had_passphrase else "Set Passphrase")
        self.busy_text = ("Changing the passphrase…" if self.had_passphrase
                          else "Setting the passphrase…")
        self.setWindowTitle("Change passphrase" if self.had_passphrase else "Set a passphrase")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Cancel")
        if self.had_passphrase:
            intro = ("<b>Change the vault's passphrase.</b><br>From now on, the vault opens "
                     "with the new passphrase; the old one stops working.")
        else:
            intro = ("<b>Add a passphrase to the vault.</b><br>It opens with the system "
                     "keychain on this computer and keeps doing so. A passphrase also opens "
                     "it where that keychain entry is missing: on another computer, or after "
                     "the system is reinstalled.")
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        warning = QLabel("<b>The passphrase is never stored.</b> If you forget it, only the "
                         "recovery code opens the vault."
                         + (f" {OLD_PASSPHRASE}" if self.had_passphrase else ""))
        warning.setWordWrap(True)
        warning.setObjectName("unlockWarning")
        self.current = password_edit("Current passphrase")
        self.current.setAccessibleName("Current passphrase")
        self.current.setVisible(_needs_current(vault))
        self.edit = password_edit(f"New passphrase (at least {MIN_LENGTH} characters)")
        self.edit.setAccessibleName("New passphrase")
        self.repeat = password_edit("Repeat the new passphrase")
        self.repeat.setAccessibleName("Repeat the new passphrase")
        for widget in (intro_label, warning, self.current, self.edit, self.repeat):
            self.layout_.addWidget(widget)
        self._finish_layout()
        self.setMinimumWidth(480)
        (self.current if self.current.isVisibleTo(self) else self.edit).setFocus()

    def work(self) -> Any:
        current = self.current.text() if _needs_current(self._vault) else None
        new, repeat = self.edit.text(), self.repeat.text()
        if current is not None and not current:
            return self._refuse("Enter the current passphrase.", self.current)
        if len(new) < MIN_LENGTH:
            return self._refuse(f"Use at least {MIN_LENGTH} characters for the new passphrase; "
                                "a few words you can remember work well.", self.edit)
        if new != repeat:
            self.repeat.clear()
            return self._refuse("The two new passphrases do not match. Type the new one "
                                "again.", self.repeat)
        vault = self._vault
        return lambda: vault.change_passphrase(new, current=current)

    def _refuse(self, message: str, field: Any) -> None:
        self.show_error(message)
        field.setFocus()
        return None

    def _retry(self) -> None:
        # The usual failure is the current passphrase: clear it, keep the new one typed.
        target = self.current if self.current.isVisibleTo(self) else self.edit
        target.clear()
        target.setFocus()


def change_passphrase(window: Any) -> None:
    dialog = ChangePassphraseDialog(window.vault, window)
    try:
        if not dialog.exec():
            return
    finally:
        dialog.deleteLater()
    update_texts(window)
    if dialog.had_passphrase:
        inform(window, "Passphrase changed", "The passphrase was changed.",
               f"From now on, the vault opens with the new passphrase. {OLD_PASSPHRASE}")
    else:
        inform(window, "Passphrase set", "The vault now also opens with the passphrase.",
               "The system keychain keeps opening it on this computer.")


# -- a new recovery code ---------------------------------------------------------------
class NewRecoveryCodeDialog(VaultDialog):
    """Explains what a new code does; asks for the current passphrase when needed;
    ``value`` is the new code."""

    ok_text = "Make New Code"
    busy_text = "Making a new recovery code…"

    def __init__(self, vault: OpenVault, parent: QWidget | None = None) -> None:
        super().__init__(lambda _: None, parent)
        self._vault = vault
        self.setWindowTitle("New recovery code")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Cancel")
        try:
            had = "recovery" in vault.key_methods()
        except Exception:
            had = True
        if had:
            intro = ("<b>Make a new recovery code?</b><br>The vault's current recovery code "
                     "stops working as soon as the new one is made. Use this when the old "
                     "code is lost or someone else may have seen it.")
        else:
            intro = ("<b>Make a recovery code for this vault?</b><br>This vault was made "
                     "before Strongroom had recovery codes. A recovery code opens it if the "
                     "passphrase is forgotten or the keychain entry is lost.")
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        note = QLabel("The new code is shown once, next: have paper and a pen ready. "
                      + (OLD_CODE if had else ""))
        note.setWordWrap(True)
        note.setObjectName("meta")
        self.edit = password_edit("Current passphrase")
        self.edit.setAccessibleName("Current passphrase")
        self.edit.setVisible(_needs_current(vault))
        for widget in (intro_label, note, self.edit):
            self.layout_.addWidget(widget)
        self._finish_layout()
        self.setMinimumWidth(480)
        self.edit.setFocus()

    def work(self) -> Any:
        current = self.edit.text() if _needs_current(self._vault) else None
        if current is not None and not current:
            self.show_error("Enter the current passphrase.")
            self.edit.setFocus()
            return None
        vault = self._vault
        return lambda: vault.new_recovery_code(current=current)

    def _retry(self) -> None:
        self.edit.clear()
        self.edit.setFocus()


def new_recovery_code(window: Any) -> None:
    dialog = NewRecoveryCodeDialog(window.vault, window)
    try:
        if not dialog.exec():
            return
        code = dialog.value
    finally:
        dialog.deleteLater()
    shown = RecoveryCodeDialog(code, window, new_vault=False, methods=key_methods(window.vault))
    try:
        shown.exec()
    finally:
        shown.deleteLater()
    window.statusBar().showMessage("New recovery code made; the previous one no longer opens "
                                   "the vault.", 8000)
