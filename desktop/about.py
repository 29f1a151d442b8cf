"""The About box: what Strongroom is and the vault's threat model, in plain words."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from strongroom import __version__
from strongroom.resources import path as resource_path


def about_text() -> str:
    threat_model: str = resource_path("threat_model.md").read_text(encoding="utf-8")
    return (
        f"**Strongroom {__version__}**\n\n"
        "A private assistant for your documents. A small language model (Google's Gemma 3 "
        "270M) runs on this computer; nothing is sent anywhere.\n\n" + threat_model
    )


def show_about(parent: QWidget | None) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle("About Strongroom")
    box.setTextFormat(box.textFormat().MarkdownText)
    box.setText(about_text())
    box.setIcon(QMessageBox.Icon.Information)
    box.exec()
