"""File ▸ Export…, Vault ▸ Back Up Vault… and Restore from Backup… (issue 13).

Thin: the work is ``strongroom.export`` and ``strongroom.vault.backup``, run as
``VaultOp``s so a large vault does not freeze the window. Each text says exactly
what will happen. Export warns before the save dialog that the file will not be
encrypted. Restore checks the whole backup (staged beside the data folder) while
the vault is still open; only then does the window close its vault, swap the
restored one in, and close, so the next start unlocks the restored vault. A backup
opens with what opened its vault when it was made: the passphrase, the keychain
entry, or the recovery code ("Use Recovery Code…" when the others are not at hand).
Dialogs are the private ones from ``filedialogs``: no chosen name is remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu, QMessageBox, QToolBar, QWidget

from strongroom.errors import KeyUnavailable, UserError, WrongKey
from strongroom.export import export
from strongroom.vault import backup

from . import filedialogs
from .error_dialog import error_text, show_error
from .ops import VaultOp
from .passphrase_dialogs import USE_RECOVERY, EnterPassphraseDialog
from .recovery_dialogs import RecoveryUnlockDialog

CSV_FILTER = "CSV spreadsheet (*.csv)"
JSON_FILTER = "JSON (*.json)"
BACKUP_FILTER = "Strongroom backup (*.srbackup)"

EXPORT_WARNING = (
    "The exported file is NOT encrypted. Anyone or anything that can read it — other "
    "programs, other users of a shared folder, cloud sync, e-mail — can read every "
    "document's name, type, date, summary and field values. The documents' text and "
    "original files are not included. Keep the file somewhere safe and delete it when "
    "you no longer need it."
)


def add_actions(window: Any, file_menu: QMenu, vault_menu: QMenu) -> list[QAction]:
    """File ▸ Export… and Vault ▸ Back Up Vault…, Restore from Backup…; kept on the
    window as ``act_export``, ``act_backup`` and ``act_restore``, and returned for
    its ``vault_actions``."""
    window.act_export = file_menu.addAction("Export…")
    window.act_export.setToolTip("Write the documents' fields to an unencrypted CSV or JSON file")
    window.act_export.triggered.connect(lambda: export_fields(window))
    window.act_backup = vault_menu.addAction("Back Up Vault…")
    window.act_backup.setToolTip("Save the whole vault, still encrypted, to one file")
    window.act_backup.triggered.connect(lambda: back_up(window))
    window.act_restore = vault_menu.addAction("Restore from Backup…")
    window.act_restore.setToolTip("Replace the vault with one from a backup file")
    window.act_restore.triggered.connect(lambda: restore_from_backup(window))
    return [window.act_export, window.act_backup, window.act_restore]


def confirm(parent: QWidget, title: str, text: str, info: str, ok: str, *,
            destructive: bool = False) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setInformativeText(info)
    role = (QMessageBox.ButtonRole.DestructiveRole if destructive
            else QMessageBox.ButtonRole.AcceptRole)
    go = box.addButton(ok, role)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is go


def inform(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


# -- export ----------------------------------------------------------------------
def export_fields(window: Any) -> None:
    if not confirm(window, "Export fields", "Export the documents' fields?", EXPORT_WARNING,
                   "Choose File…"):
        return
    picked = filedialogs.ask_save_path(window, "Export fields (not encrypted)",
                                       "strongroom-fields.csv", [CSV_FILTER, JSON_FILTER])
    if picked is None:
        return
    path, name_filter = picked
    fmt = "json" if name_filter == JSON_FILTER or path.suffix.lower() == ".json" else "csv"
    if path.suffix.lower() != f".{fmt}":
        path = path.with_name(f"{path.name}.{fmt}")
    vault = window.vault

    def exported(count: int) -> None:
        window.statusBar().showMessage(
            f"Exported {count} document{'s' if count != 1 else ''}. The file is not "
            "encrypted.", 8000)

    # force: the save dialog has already asked about replacing an existing file
    VaultOp(parent=window, op=lambda: export(vault, path, fmt, force=True),
            success=exported).with_progress("Exporting…").run_in_background()


# -- backup ----------------------------------------------------------------------
def back_up(window: Any) -> None:
    picked = filedialogs.ask_save_path(window, "Back up the vault",
                                       f"strongroom-{date.today().isoformat()}.srbackup",
                                       [BACKUP_FILTER])
    if picked is None:
        return
    path = picked[0]
    if path.suffix.lower() != ".srbackup":
        path = path.with_name(path.name + ".srbackup")
    vault = window.vault

    def written(info: backup.BackupInfo) -> None:
        inform(window, "Vault backed up",
               f"The vault was saved to {path.name} ({info.size / 1e6:.1f} MB), encrypted "
               f"like the vault itself. {backup.describe_methods(info)}")

    VaultOp(parent=window, op=lambda: backup.write_backup(vault, path, force=True),
            success=written).with_progress("Backing up the vault…").run_in_background()


# -- restore ---------------------------------------------------------------------
class BackupPassphraseDialog(EnterPassphraseDialog):
    """The backup's passphrase; ``opener(passphrase)`` checks the backup with it.
    "Use Recovery Code…" (``exec() == USE_RECOVERY``) when the backup has one."""

    ok_text = "Check Backup"
    busy_text = "Checking the backup…"

    def __init__(self, opener: Any, parent: QWidget | None = None, *,
                 has_code: bool = False) -> None:
        super().__init__(opener, "<b>Enter the backup's passphrase.</b><br>It is the vault's "
                         "passphrase at the time the backup was made.", parent)
        self.buttons.button(self.buttons.StandardButton.Cancel).setText("Cancel")
        self.recovery_button = self.buttons.addButton(
            "Use Recovery Code…", QDialogButtonBox.ButtonRole.ActionRole)
        self.recovery_button.clicked.connect(lambda: self.done(USE_RECOVERY))
        self.recovery_button.setVisible(has_code)
        self._show()


class BackupRecoveryDialog(RecoveryUnlockDialog):
    """The backup's recovery code; ``opener(code)`` checks the backup with it."""

    ok_text = "Check Backup"
    busy_text = "Checking the backup…"

    def __init__(self, opener: Callable[[str], Any], reason: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(opener, reason, parent)
        self.intro.setText("<b>Check the backup with its recovery code.</b><br>Type the "
                           "recovery code the vault had when the backup was made (groups of "
                           "four letters and digits; case and dashes do not matter).")


def check_backup(window: Any, path: Path, info: backup.BackupInfo,
                 then: Callable[[backup.StagedRestore], object]) -> None:
    """Check the backup with whatever opens it; ``then(staged)`` once it passed
    every check (the backup staged beside the data folder). Cancelled: nothing."""
    data_dir = window.vault.path

    def prepare(passphrase: str | None = None, code: str | None = None) -> Any:
        return backup.prepare_restore(path, data_dir, passphrase=passphrase,
                                      recovery_code=code, replace=True)

    has_code = "recovery" in info.methods

    def with_code(reason: str = "") -> None:
        dialog = BackupRecoveryDialog(lambda code: prepare(code=code), reason, window)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                then(dialog.value)
        finally:
            dialog.deleteLater()

    if "passphrase" in info.methods:
        dialog = BackupPassphraseDialog(prepare, window, has_code=has_code)
        try:
            result = dialog.exec()
            staged = dialog.value
        finally:
            dialog.deleteLater()
        if result == USE_RECOVERY:
            with_code()
        elif result == QDialog.DialogCode.Accepted:
            then(staged)
        return

    def keychain_failed(exc: BaseException) -> None:  # not this computer's keychain entry
        if has_code and isinstance(exc, KeyUnavailable | WrongKey):
            with_code(error_text(exc))
        else:
            show_error(window, exc)

    VaultOp(parent=window, op=prepare, success=then).failure(keychain_failed) \
        .with_progress("Checking the backup…").run_in_background()


def restore_from_backup(window: Any) -> None:
    if window.model.running_job_ids():
        inform(window, "Restore from backup", "Documents are still being processed. Wait "
               "until they finish, or cancel them, then restore.")
        return
    path = filedialogs.ask_open_path(window, "Restore from a backup", BACKUP_FILTER)
    if path is None:
        return
    try:
        info = backup.inspect(path)
    except UserError as exc:
        show_error(window, exc)
        return
    if not confirm(
            window, "Restore from backup",
            f"Replace the vault with the backup made {info.created.replace('T', ' at ')}?",
            "Every document now in the vault is replaced by those in the backup; documents "
            "added since the backup was made are lost. The backup is checked completely "
            "before anything is replaced; if the restored vault does not open, the current "
            "one is put back. The restored vault opens with the passphrase (or recovery "
            "code) it had when the backup was made. Strongroom then closes: start it again "
            "to open the restored vault.", "Replace Vault", destructive=True):
        return
    check_backup(window, path, info, lambda staged: swap_in(window, staged))


def swap_in(window: Any, staged: backup.StagedRestore) -> None:
    """Close the vault, put the checked backup in its place, and close the window."""
    window.shutdown()  # the vault must be closed before its files are swapped
    for part in (window.menuBar(), window.centralWidget(), *window.findChildren(QToolBar)):
        part.setEnabled(False)  # nothing here works on a closed vault

    def commit() -> None:
        with staged:  # the staged copy is removed whatever happens
            staged.commit()

    def restored(_: None) -> None:
        opens = ("the recovery code you entered (then choose a new passphrase)"
                 if staged.recovery_code is not None else
                 "what opened it when the backup was made")
        inform(window, "Vault restored", "The vault was restored from the backup. Strongroom "
               f"will now close; start it again and open the restored vault with {opens}.")
        window.close()

    def failed(exc: BaseException) -> None:
        show_error(window, exc)
        window.close()

    VaultOp(parent=window, op=commit, success=restored).failure(failed) \
        .with_progress("Restoring the vault…").run_in_background()
