"""One running window per vault: a second launch hands over to the first.

The first instance listens on a local socket (a Unix socket or a Windows named
pipe, readable by this user only) named after a hash of the vault's folder, so
the name says nothing about the person. A second launch finds it, asks it to
come to the front, and exits without touching the vault.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket


class SingleInstance(QObject):
    """Signals:
        activation_requested: another launch for the same vault wants this one shown.
    """

    activation_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        digest = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()
        self.name = f"strongroom-{digest[:24]}"
        self._server: QLocalServer | None = None

    def notify_running(self, timeout_ms: int = 500) -> bool:
        """True if another instance holds this vault (it has been asked to show itself)."""
        sock = QLocalSocket()
        sock.connectToServer(self.name)
        if not sock.waitForConnected(timeout_ms):
            return False
        sock.write(b"activate\n")
        sock.waitForBytesWritten(timeout_ms)
        sock.disconnectFromServer()
        return True

    def listen(self) -> None:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)  # a socket left behind by a crash
            server.listen(self.name)
        server.newConnection.connect(self._on_connection)
        self._server = server

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    def _on_connection(self) -> None:
        assert self._server is not None
        while (conn := self._server.nextPendingConnection()) is not None:
            conn.disconnected.connect(conn.deleteLater)
            conn.disconnectFromServer()
            self.activation_requested.emit()
