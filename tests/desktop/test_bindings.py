"""The Qt bindings keep Python's reference counts right (found by the real window run).

PySide6 6.12.0 on Python 3.11 returned ``None`` from every Qt method that returns
nothing without taking a reference to it; each call dropped None's count by one,
and after some thousands of calls (a drag over the window makes hundreds) the
interpreter aborted with "Fatal Python error: none_dealloc", mid-session or at
exit. pyproject.toml keeps that version off Python 3.11; this test says whether
an installed version has the bug (from 3.12 None is immortal and cannot run out).
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.gui

CALLS = 500


def count_change(call) -> int:  # type: ignore[no-untyped-def]
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        call()
    return sys.getrefcount(None) - before


def test_methods_returning_nothing_keep_none_alive(qapp) -> None:
    label = QLabel()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile("/tmp/x.txt")])  # noqa: S108 - never opened
    event = QDropEvent(QPointF(1, 1), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    # What the window does on every drag-move and drop, and on every label update.
    for call in (lambda: label.setText("x"), event.acceptProposedAction):
        assert count_change(call) > -CALLS // 2, (
            "the installed PySide6 drops a reference to None on each call: the app would "
            "abort after a while (see pyproject.toml)")
