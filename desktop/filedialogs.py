"""File pickers that remember nothing.

File and folder names are sensitive. A stock ``QFileDialog`` writes its history and
last visited folder to ``QtProject.conf`` in the user's config folder when it is
destroyed, and native GTK dialogs add picks to ``recently-used.xbel``. So: Qt's own
dialog (never the native one), no history, and before it goes away it is pointed
back at the home folder with an empty history, so what it saves names nothing the
person chose. ``tests/e2e/desktop/test_privacy.py`` checks this with a canary name.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from strongroom.reading import SUPPORTED_SUFFIXES

#: Every format the readers take, so a new reader shows up here by itself.
DOCUMENT_FILTER = (
    "Documents (" + " ".join(f"*{s}" for s in SUPPORTED_SUFFIXES) + ");;All files (*)"
)


class PrivateFileDialog(QFileDialog):
    """A non-native ``QFileDialog`` that forgets where it has been."""

    def __init__(self, parent: QWidget | None, caption: str, *, folders: bool) -> None:
        super().__init__(parent, caption, str(Path.home()))
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
        if folders:
            self.setFileMode(QFileDialog.FileMode.Directory)
            self.setOption(QFileDialog.Option.ShowDirsOnly, True)
        else:
            self.setFileMode(QFileDialog.FileMode.ExistingFiles)
            self.setNameFilter(DOCUMENT_FILTER)
        self.forget()

    def forget(self) -> None:
        """Leave nothing of the person's picks in what Qt saves on destruction."""
        home = str(Path.home())
        self.setHistory([])
        self.setDirectory(home)
        self.setSidebarUrls([QUrl.fromLocalFile(home)])
        # The "last visited" folder is a process-wide value Qt sets on accept;
        # visiting home as the current directory resets it before the save.
        self.setDirectoryUrl(QUrl.fromLocalFile(home))


def _ask(parent: QWidget | None, caption: str, *, folders: bool) -> list[Path]:
    dialog = PrivateFileDialog(parent, caption, folders=folders)
    try:
        chosen = dialog.exec() == QDialog.DialogCode.Accepted
        paths = [Path(p) for p in dialog.selectedFiles()] if chosen else []
    finally:
        dialog.forget()
        dialog.deleteLater()
    return paths


def ask_files(parent: QWidget | None) -> list[Path]:
    return _ask(parent, "Add documents", folders=False)


def ask_folder(parent: QWidget | None) -> list[Path]:
    return _ask(parent, "Add a folder of documents", folders=True)


# -- export and backup files (issue 13) ------------------------------------------
def ask_save_path(parent: QWidget | None, caption: str, name: str,
                  name_filters: list[str]) -> tuple[Path, str] | None:
    """Where to write a new file, and the name filter chosen; ``None`` if cancelled.

    Qt's own dialog asks before replacing an existing file.
    """
    dialog = PrivateFileDialog(parent, caption, folders=False)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setNameFilters(name_filters)
    dialog.selectFile(name)
    try:
        chosen = dialog.exec() == QDialog.DialogCode.Accepted and dialog.selectedFiles()
        result = (Path(dialog.selectedFiles()[0]), dialog.selectedNameFilter()) if chosen else None
    finally:
        dialog.forget()
        dialog.deleteLater()
    return result


def ask_open_path(parent: QWidget | None, caption: str, name_filter: str) -> Path | None:
    """One existing file to read; ``None`` if cancelled."""
    dialog = PrivateFileDialog(parent, caption, folders=False)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(name_filter)
    try:
        chosen = dialog.exec() == QDialog.DialogCode.Accepted and dialog.selectedFiles()
        result = Path(dialog.selectedFiles()[0]) if chosen else None
    finally:
        dialog.forget()
        dialog.deleteLater()
    return result
