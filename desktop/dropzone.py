"""The drop area, and what counts as a dropped document: local files and folders."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


def local_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders in a drag; remote URLs are ignored, never fetched."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class DropZone(QFrame):
    """A friendly target. The window handles the drop itself (the whole window
    accepts drops); this only shows where, and lights up while dragging.

    Signals:
        open_files_requested(), open_folder_requested(): its two buttons.
    """

    open_files_requested = Signal()
    open_folder_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.title = QLabel("Drop documents or folders here")
        self.title.setObjectName("dropTitle")
        self.hint = QLabel(
            "Receipts, invoices, statements, lab reports, notes: PDF, Word, text. "
            "They are read on this computer and kept in your encrypted vault."
        )
        self.hint.setObjectName("dropHint")
        self.hint.setWordWrap(True)
        self.hint.setMaximumWidth(460)
        files = QPushButton("Add Files…")
        folder = QPushButton("Add Folder…")
        files.clicked.connect(self.open_files_requested)
        folder.clicked.connect(self.open_folder_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(files)
        buttons.addWidget(folder)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addStretch(1)
        for label in (self.title, self.hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._buttons = (files, folder)
        self.set_active(False)

    def set_active(self, active: bool) -> None:
        """Highlighted while something droppable hovers over the window."""
        self.setProperty("active", active)
        self.style().unpolish(self)
        self.style().polish(self)

    def set_compact(self, compact: bool) -> None:
        """A slim strip above a list; the whole pane when there is nothing yet."""
        self.hint.setVisible(not compact)
        for button in self._buttons:
            button.setVisible(not compact)
        self.title.setText("Drop more documents or folders anywhere in this window"
                           if compact else "Drop documents or folders here")
        self.setMaximumHeight(40 if compact else 16777215)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(*((12, 4, 12, 4) if compact else (16, 12, 16, 12)))
        self.setProperty("compact", compact)
        for widget in (self, self.title):  # descendant selectors need both re-polished
            widget.style().unpolish(widget)
            widget.style().polish(widget)
