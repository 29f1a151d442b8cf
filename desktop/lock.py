"""Locking: what "locked" looks like, when it happens, and how the vault comes back.

Locking is done in this process (not by moving the vault to a worker process):
the window closes the database connection (SQLCipher wipes its key), wipes the
vault's copy of the key, unloads the model (its KV cache encodes the last
documents), drops every model row and widget text, and lets Python and the C
allocator give the freed memory back. What can still linger is freed-but-not-
reused heap memory; ``tests/e2e/desktop/test_lock_memory.py`` measures it by scanning
a real window process for canaries before and after a lock (docs/MEASUREMENTS.md has
the figure). A worker process would not help with that: the window itself shows
the text, so the window's process would still have held it.

Unlocking always asks for a secret when the vault has one: after a lock, a vault
that the keychain opened at start asks for its passphrase. A keychain-only vault
reopens from the keychain (anyone at this computer account could do that), and
the locked page says so. ``unlocking.open_vault(after_lock=True)`` does the asking.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import os
import sys

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from . import theme

#: Minutes without keyboard or mouse input before the window locks; 0 turns it off.
ENV_AUTO_LOCK = "STRONGROOM_AUTO_LOCK_MINUTES"
DEFAULT_AUTO_LOCK_MINUTES = 5.0

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
    QEvent.Type.DragEnter, QEvent.Type.Drop,
})


def auto_lock_minutes() -> float:
    """The idle time before an automatic lock: 5 minutes unless set (0 = never)."""
    raw = os.environ.get(ENV_AUTO_LOCK, "").strip()
    try:
        minutes = float(raw) if raw else DEFAULT_AUTO_LOCK_MINUTES
    except ValueError:
        minutes = DEFAULT_AUTO_LOCK_MINUTES
    return max(minutes, 0.0)


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without input to any window of the app."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.minutes = minutes
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def minutes(self) -> float:
        return self._minutes

    @minutes.setter
    def minutes(self, minutes: float) -> None:
        self._minutes = minutes
        self._timer.setInterval(max(int(minutes * 60_000), 1))
        self.restart()

    def restart(self) -> None:
        if self._minutes > 0:
            self._timer.start()
        else:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()

    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()  # restarts the countdown
        return False


class LockedPage(QWidget):
    """What the window shows while locked: no document data, one way back in."""

    unlock_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockedPage")
        icon = QLabel()
        icon.setPixmap(theme.padlock(48))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Strongroom is locked")
        title.setObjectName("docTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason = QLabel()
        self.reason.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.unlock_button = QPushButton("Unlock…")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock_requested)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for widget in (icon, title, self.reason):
            layout.addWidget(widget)
        layout.addSpacing(12)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addWidget(self.note)
        layout.addStretch(3)

    def show_reason(self, reason: str, note: str) -> None:
        self.reason.setText(reason)
        self.note.setText(note)
        self.note.setVisible(bool(note))


def release_memory() -> None:
    """Collect garbage and hand freed heap memory back to the system where possible.

    Best effort: glibc's ``malloc_trim`` returns free pages (the kernel zeroes them
    before any reuse); elsewhere only Python's own collection runs.
    """
    gc.collect()
    if sys.platform.startswith("linux"):
        name = ctypes.util.find_library("c")
        if name:
            with contextlib.suppress(OSError, AttributeError):  # musl: no malloc_trim
                ctypes.CDLL(name).malloc_trim(0)
