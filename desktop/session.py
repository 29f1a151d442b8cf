"""The window's session lifecycle, free of widgets (#20): one open vault at a time,
the job queue working on it, lock and unlock, shutdown.

``MainWindow`` keeps the views and drives a ``Session``: ``attach`` an open vault
(at start and after every unlock), ``close_vault`` for a lock, ``shutdown`` on quit.
The session starts the job queue's worker (``jobs.Processor``) on the vault and
forwards its events through the ``JobBridge`` as ``jobs_did_change``, on the GUI
thread. What a lock shows, which dialogs it closes and when it waits for a running
vault operation are the window's business.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from strongroom.errors import UserError, VaultError
from strongroom.jobs import Processor, Understand
from strongroom.vault.protocol import OpenVault

from .bridge import JobBridge

log = logging.getLogger("strongroom.desktop")

#: How long a lock waits for the document being processed to stop (it is cancelled).
LOCK_JOIN_SECONDS = 30.0


class Session(QObject):
    """An open vault, or none while locked; the worker on it; the understander.

    Signals:
        attached(OpenVault): a vault was opened and the worker started on it.
        jobs_did_change(list[JobEvent]): the job queue's coalesced events.
    """

    attached = Signal(object)
    jobs_did_change = Signal(list)

    def __init__(self, understand: Understand, data_dir: Path,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.understand = understand
        self.data_dir = Path(data_dir)
        self.vault: OpenVault | None = None
        self.processor: Processor | None = None
        self.bridge: JobBridge | None = None
        self.locked = True  # no vault yet
        self.closed = False

    def attach(self, vault: OpenVault) -> None:
        """Start working on an open vault: at start and after every unlock."""
        self.vault = vault
        if self.bridge is not None:
            self.bridge.deleteLater()
        self.bridge = JobBridge(self)
        self.bridge.jobs_did_change.connect(self.jobs_did_change)
        self.processor = Processor(self.understand, store=vault,
                                   on_event=self.bridge.emit_event)
        self.locked = False
        self.attached.emit(vault)

    def require_vault(self) -> OpenVault:
        """The vault (closed after a lock: its own errors say so); ``VaultError`` in a
        window that started locked and was not unlocked yet (the views' actions that
        use it are disabled then, so a person never sees this)."""
        if self.vault is None:
            raise VaultError("The vault is locked. Unlock it first.")
        return self.vault

    def learn(self) -> None:
        """Hand the vault's labels to the understander (when it can learn).
        Raises ``UserError`` when the vault cannot give them."""
        learn = getattr(self.understand, "learn", None)
        if learn is None or self.vault is None:
            return
        learn(self.vault.labels())

    def close_vault(self) -> None:
        """The lock's part without widgets: cancel and stop the worker, close the
        door behind it, close the vault (SQLCipher and the vault wipe their copies of
        the key) and unload the model (its KV cache encodes the last documents)."""
        assert self.processor is not None and self.bridge is not None and self.vault
        worker_stopped = self.processor.shutdown(timeout=LOCK_JOIN_SECONDS)
        self.bridge.close()  # a closed door for anything the old worker still sends
        self.vault.close()
        if worker_stopped:
            forget = getattr(self.understand, "close", None)
            if callable(forget):
                forget()  # unloads the model and its KV cache; reloaded on the next document
        else:
            log.warning("lock: the worker did not stop in time; the model stays loaded")
        self.locked = True

    def unlock_methods(self) -> tuple[str, ...]:
        """Every method that opens the vault (empty when its key file cannot be read)."""
        from strongroom.vault import Vault

        # A test's stand-in vault answers for its folder; a real one reads the key file.
        find = getattr(self.vault, "unlock_methods", Vault.unlock_methods)
        try:
            return tuple(find(self.data_dir))
        except UserError:
            return ()

    def shutdown(self) -> None:
        """Cancel running jobs, stop the worker, lock the vault. Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        if self.processor is not None:
            self.processor.shutdown(timeout=10)
        if self.bridge is not None:
            self.bridge.close()
        if self.vault is not None:
            self.vault.close()
