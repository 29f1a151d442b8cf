"""Slow vault work off the GUI thread: one helper shaped like Anki's ``QueryOp``.

    VaultOp(parent=window, op=vault.compact, success=show_sizes) \\
        .with_progress("Compacting the vault…").run_in_background()

Why: compacting or backing up a large vault, and every Argon2id derivation (a
second or more, on purpose), would freeze the window if run on the GUI thread.
It is the window's one helper for such work (#20): the key dialogs
(``passphrase_dialogs.VaultDialog`` and its kind: unlock, create, recovery code, change the
passphrase, a backup's secret) run their check through it under their own modal loop,
and the job queue's events come through ``bridge.JobBridge``.

- ``op`` runs on its own thread and never touches widgets (they belong to the GUI
  thread). Its outcome comes back through a queued signal, so ``success`` and
  ``failure`` run on the GUI thread.
- ``success`` runs only while ``parent`` is still alive (``shiboken6.isValid``; a
  dialog deleted meanwhile would crash if called). Errors go to ``failure``, by
  default the one error dialog (``error_dialog.show_error``; ``Cancelled`` is silent).
- ``with_progress(label)``: while the op runs, the parent's main window shows the
  label and a busy bar in its status bar and disables its ``vault_actions`` (each
  action that needs the vault to itself: compact, export, backup, restore,
  passphrase, recovery code), so two of them never overlap.
- The thread is not a daemon: quitting waits for an op that is writing a file or
  the vault's key file, rather than killing it half way.

The vault itself serialises its one connection (``Vault._locked``), so an op runs
safely beside the job queue's worker; Argon2id holds no connection lock.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QProgressBar, QWidget

from strongroom.errors import UserError

from .error_dialog import show_error

log = logging.getLogger("strongroom.desktop")

T = TypeVar("T")


@dataclass
class _Outcome:
    value: Any = None
    error: BaseException | None = None


class _Relay(QObject):
    """Lives on the GUI thread; carries one op's outcome there (queued)."""

    finished = Signal(object)

    def __init__(self, deliver: Callable[[_Outcome], None]) -> None:
        super().__init__()
        self._deliver = deliver
        self.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _on_finished(self, outcome: _Outcome) -> None:
        self._deliver(outcome)


_running: set[VaultOp[Any]] = set()  # kept alive until their outcome is delivered


class VaultOp(Generic[T]):
    """``VaultOp(parent=, op=, success=)[.failure(fn)][.with_progress(label)]
    .run_in_background()``."""

    def __init__(self, *, parent: QWidget, op: Callable[[], T],
                 success: Callable[[T], object]) -> None:
        self._parent = parent
        self._op = op
        self._success = success
        self._failure: Callable[[BaseException], object] | None = None
        self._label: str | None = None
        self._relay: _Relay | None = None
        self._window: QMainWindow | None = None

    def failure(self, fn: Callable[[BaseException], object]) -> VaultOp[T]:
        self._failure = fn
        return self

    def with_progress(self, label: str) -> VaultOp[T]:
        self._label = label
        return self

    def run_in_background(self) -> None:
        self._relay = _Relay(self._finish)
        _running.add(self)
        if self._label is not None:
            self._window = main_window(self._parent)
            if self._window is not None:
                BusyIndicator.of(self._window).begin(self._label)
        relay, op = self._relay, self._op

        def work() -> None:
            outcome = _Outcome()
            try:
                outcome.value = op()
            except BaseException as exc:  # handed to the GUI thread, shown there
                outcome.error = exc
            relay.finished.emit(outcome)

        threading.Thread(target=work, name="strongroom-vault-op").start()

    def _finish(self, outcome: _Outcome) -> None:
        _running.discard(self)
        if self._window is not None and shiboken6.isValid(self._window):
            BusyIndicator.of(self._window).end()
        if self._relay is not None:
            self._relay.deleteLater()
        if not shiboken6.isValid(self._parent):
            if outcome.error is not None and not isinstance(outcome.error, UserError):
                _log_bug(outcome.error)
            return  # the dialog or window that asked is gone: nothing to show it in
        if outcome.error is None:
            self._success(outcome.value)
        elif self._failure is not None:
            if not isinstance(outcome.error, UserError):
                _log_bug(outcome.error)
            self._failure(outcome.error)
        else:
            show_error(self._parent, outcome.error)


def _log_bug(exc: BaseException) -> None:
    log.error("bug: %s\n%s", type(exc).__name__,
              "".join(traceback.format_tb(exc.__traceback__)))


def main_window(widget: QWidget | None) -> QMainWindow | None:
    while widget is not None and not isinstance(widget, QMainWindow):
        widget = widget.parentWidget()
    return widget


def busy(window: QWidget) -> bool:
    """True while a ``with_progress`` op of ``window`` runs (a lock must wait for it)."""
    indicator = window.findChild(BusyIndicator)
    return indicator is not None and indicator.count > 0


class BusyIndicator(QWidget):
    """A label and a busy bar in the window's status bar; while shown, the window's
    ``vault_actions`` are disabled (and those that were enabled come back after)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("busyIndicator")
        self._window = window
        self.count = 0
        self._disabled: list[Any] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # no fraction to show: Argon2id and VACUUM don't report one
        self.bar.setTextVisible(False)
        self.bar.setFixedSize(90, 10)
        self.bar.setAccessibleName("Working")
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        # A normal (not permanent) widget sits beside the activity text, left of
        # "Nothing leaves this computer"; a temporary message would hide it, so
        # ``begin`` clears the message.
        window.statusBar().addWidget(self)
        self.hide()

    @classmethod
    def of(cls, window: QMainWindow) -> BusyIndicator:
        found = window.findChild(cls)
        return found if found is not None else cls(window)

    def begin(self, label: str) -> None:
        self.count += 1
        self.label.setText(label)
        self._window.statusBar().clearMessage()
        if self.count == 1:
            self._disabled = [a for a in getattr(self._window, "vault_actions", [])
                              if a.isEnabled()]
            for action in self._disabled:
                action.setEnabled(False)
        self.show()

    def end(self) -> None:
        self.count = max(0, self.count - 1)
        if self.count:
            return
        self.hide()
        for action in self._disabled:
            if shiboken6.isValid(action):
                action.setEnabled(True)
        self._disabled = []
