"""Notice when the computer's screen locks, so the vault locks with it.

Each system announces it differently:

- Linux and other freedesktop systems: the session bus signal ``ActiveChanged(true)``
  of ``org.freedesktop.ScreenSaver`` (KDE, Xfce, Cinnamon...) or
  ``org.gnome.ScreenSaver`` (GNOME), received through QtDBus. Tested in CI inside
  ``dbus-run-session``.
- Windows: ``WM_WTSSESSION_CHANGE`` / ``WTS_SESSION_LOCK``, after asking for
  session notifications with ``WTSRegisterSessionNotification``.
- macOS: the session dictionary's ``CGSSessionScreenIsLocked`` key, polled every
  few seconds through CoreGraphics (no PyObjC needed).

The Windows and macOS paths cannot run on the Linux CI machine; each fails
quietly (the idle auto-lock still works) rather than stopping the app.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QObject, QTimer, Signal, Slot

log = logging.getLogger("strongroom.desktop")

#: (service, object path, interface) of the freedesktop screen savers.
DBUS_SCREENSAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.freedesktop.ScreenSaver", "/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)
MAC_POLL_MS = 3000
_WM_WTSSESSION_CHANGE = 0x02B1
_WTS_SESSION_LOCK = 0x7


class ScreenLockWatcher(QObject):
    """Emits ``screen_locked`` when the system's screen lock comes on."""

    screen_locked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listening: list[str] = []  # what is being watched, for tests and logs
        self._keep: list[Any] = []  # filters and timers that must outlive __init__
        try:
            if sys.platform.startswith("win"):
                self._watch_windows()
            elif sys.platform == "darwin":
                self._watch_macos()
            else:
                self._watch_dbus()
        except Exception as exc:  # never stop the app over a missing notification
            log.warning("screen lock watch unavailable: %s", type(exc).__name__)

    @Slot(bool)
    def _active_changed(self, active: bool) -> None:
        if active:
            self.screen_locked.emit()

    # -- freedesktop ---------------------------------------------------------------
    def _watch_dbus(self) -> None:
        from PySide6.QtDBus import QDBusConnection

        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            return
        for _service, path, interface in DBUS_SCREENSAVERS:
            # An empty service matches the signal from whichever name owns it.
            # PySide6 takes the slot's signature as a str (its stubs say bytes).
            if bus.connect("", path, interface, "ActiveChanged", self,  # type: ignore[call-overload]
                           "1_active_changed(bool)"):
                self.listening.append(f"{interface} at {path}")

    # -- Windows ---------------------------------------------------------------
    def _watch_windows(self) -> None:  # pragma: no cover - Windows only
        from PySide6.QtWidgets import QApplication, QWidget

        app = QApplication.instance()
        anchor = QWidget()  # a hidden native window to receive session messages
        hwnd = int(anchor.winId())
        wtsapi = ctypes.WinDLL("wtsapi32")  # type: ignore[attr-defined,unused-ignore]
        if not wtsapi.WTSRegisterSessionNotification(hwnd, 0):
            return
        watcher = self

        class _Filter(QAbstractNativeEventFilter):
            def nativeEventFilter(self, event_type: Any, message: Any) -> Any:  # noqa: N802
                msg = ctypes.cast(int(message), ctypes.POINTER(_MSG)).contents
                if msg.message == _WM_WTSSESSION_CHANGE and msg.wParam == _WTS_SESSION_LOCK:
                    watcher.screen_locked.emit()
                return False, 0

        event_filter = _Filter()
        assert app is not None
        app.installNativeEventFilter(event_filter)
        self._keep += [anchor, event_filter]
        self.listening.append("WTS session notifications")

    # -- macOS -----------------------------------------------------------------
    def _watch_macos(self) -> None:  # pragma: no cover - macOS only
        locked = _mac_screen_locked_probe()
        if locked is None:
            return
        was = [locked()]

        def poll() -> None:
            now = locked()
            if now and not was[0]:
                self.screen_locked.emit()
            was[0] = bool(now)

        timer = QTimer(self)
        timer.timeout.connect(poll)
        timer.start(MAC_POLL_MS)
        self._keep.append(timer)
        self.listening.append("CGSessionCopyCurrentDictionary")


class _MSG(ctypes.Structure):  # pragma: no cover - Windows only
    _fields_ = [("hwnd", ctypes.c_void_p), ("message", ctypes.c_uint),
                ("wParam", ctypes.c_size_t), ("lParam", ctypes.c_ssize_t),
                ("time", ctypes.c_uint32), ("pt_x", ctypes.c_long), ("pt_y", ctypes.c_long)]


def _mac_screen_locked_probe() -> Any:  # pragma: no cover - macOS only
    """A function telling whether the screen is locked, or None if unavailable."""
    cg_path = ctypes.util.find_library("CoreGraphics")
    cf_path = ctypes.util.find_library("CoreFoundation")
    if not cg_path or not cf_path:
        return None
    cg, cf = ctypes.CDLL(cg_path), ctypes.CDLL(cf_path)
    cg.CGSessionCopyCurrentDictionary.restype = ctypes.c_void_p
    cf.CFStringCreateWithCString.restype = ctypes.c_void_p
    cf.CFStringCreateWithCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32]
    cf.CFDictionaryGetValue.restype = ctypes.c_void_p
    cf.CFDictionaryGetValue.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    cf.CFBooleanGetValue.argtypes = [ctypes.c_void_p]
    cf.CFRelease.argtypes = [ctypes.c_void_p]
    key = cf.CFStringCreateWithCString(None, b"CGSSessionScreenIsLocked", 0x08000100)

    def locked() -> bool:
        info = cg.CGSessionCopyCurrentDictionary()
        if not info:
            return False
        try:
            value = cf.CFDictionaryGetValue(info, key)
            return bool(value) and bool(cf.CFBooleanGetValue(value))
        finally:
            cf.CFRelease(info)

    return locked
