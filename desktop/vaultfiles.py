"""File ▸ Export…, Back Up Vault… and Restore from Backup… (issue 13).

Thin: the work is ``strongroom.export`` and ``strongroom.vault.backup``. Each text
says exactly what will happen. Export warns before the save dialog that the file
will not be encrypted. Restore checks the whole backup (staged beside the data
folder) while the vault is still open; only then does the window close its vault,
swap the restored one in, and close, so the next start unlocks the restored vault.
Dialogs are the private ones from ``filedialogs``: no chosen name is remembered.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from strongroom.errors import UserError
from strongroom.export import export
from strongroom.vault import backup

from . import filedialogs
from .errors import show_error
from .unlock import EnterPassphraseDialog, call_off_thread

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


def add_actions(window: Any, menu: QMenu) -> None:
    """The three File menu entries; the actions are kept on the window as
    ``act_export``, ``act_backup`` and ``act_restore``."""
    window.act_export = menu.addAction("Export…")
    window.act_export.setToolTip("Write the documents' fields to an unencrypted CSV or JSON file")
    window.act_export.triggered.connect(lambda: export_fields(window))
    window.act_backup = menu.addAction("Back Up Vault…")
    window.act_backup.setToolTip("Save the whole vault, still encrypted, to one file")
    window.act_backup.triggered.connect(lambda: back_up(window))
    window.act_restore = menu.addAction("Restore from Backup…")
    window.act_restore.setToolTip("Replace the vault with one from a backup file")
    window.act_restore.triggered.connect(lambda: restore_from_backup(window))


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
    try:  # the dialog has already asked about replacing an existing file
        count = export(window.vault, path, fmt, force=True)
    except UserError as exc:
        show_error(window, exc)
        return
    window.statusBar().showMessage(
        f"Exported {count} document{'s' if count != 1 else ''}. The file is not encrypted.",
        8000)


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
    try:
        info = call_off_thread(lambda: backup.write_backup(window.vault, path, force=True))
    except UserError as exc:
        show_error(window, exc)
        return
    inform(window, "Vault backed up",
           f"The vault was saved to {path.name} ({info.size / 1e6:.1f} MB), encrypted like "
           f"the vault itself. {backup.describe_methods(info)}")


# -- restore ---------------------------------------------------------------------
class BackupPassphraseDialog(EnterPassphraseDialog):
    """The backup's passphrase; ``opener(passphrase)`` checks the backup with it."""

    ok_text = "Check Backup"

    def __init__(self, opener: Any, parent: QWidget | None = None) -> None:
        super().__init__(opener, "<b>Enter the backup's passphrase.</b><br>It is the vault's "
                         "passphrase at the time the backup was made.", parent)
        self.buttons.button(self.buttons.StandardButton.Cancel).setText("Cancel")
        self._show()


def check_backup(window: Any, path: Path, info: backup.BackupInfo) -> Any:
    """A ``StagedRestore`` (the backup fully checked), or ``None`` if cancelled."""
    data_dir = window.vault.path

    def prepare(passphrase: str | None) -> Any:
        return backup.prepare_restore(path, data_dir, passphrase=passphrase, replace=True)

    if "passphrase" not in info.methods:
        return call_off_thread(lambda: prepare(None))
    dialog = BackupPassphraseDialog(prepare, window)
    try:
        return dialog.vault if dialog.exec() else None
    finally:
        dialog.deleteLater()


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
            "one is put back. The restored vault opens with the passphrase it had when the "
            "backup was made. Strongroom then closes: start it again to open the restored "
            "vault.", "Replace Vault", destructive=True):
        return
    try:
        staged = check_backup(window, path, info)
    except UserError as exc:
        show_error(window, exc)
        return
    if staged is None:
        return
    with staged:
        window.shutdown()  # the vault must be closed before its files are swapped
        try:
            staged.commit()
        except UserError as exc:
            show_error(window, exc)
            window.close()
            return
    inform(window, "Vault restored", "The vault was restored from the backup. Strongroom "
           "will now close; start it again to open the restored vault.")
    window.close()
