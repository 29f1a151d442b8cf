"""The one place the window shows an error (Anki ``qt/aqt/errors.py``).

``UserError`` text is written for people and shown as is; ``Cancelled`` is not an
error and shows nothing; anything else is a bug, named by its class only, because
its text may quote a document.
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from strongroom.errors import Cancelled, UserError

log = logging.getLogger("strongroom.desktop")


def error_text(exc: BaseException) -> str:
    if isinstance(exc, UserError):
        return str(exc)
    return f"Internal error ({type(exc).__name__}). Nothing was changed."


def show_error(parent: QWidget | None, exc: BaseException, *, title: str = "Strongroom") -> None:
    if isinstance(exc, Cancelled):
        return
    if not isinstance(exc, UserError):
        log.error("bug: %s\n%s", type(exc).__name__,
                  "".join(traceback.format_tb(exc.__traceback__)))
    QMessageBox.warning(parent, title, error_text(exc))
