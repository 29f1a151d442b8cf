"""Core job events → Qt signals on the GUI thread, coalesced.

The processor calls ``emit_event`` on its worker thread for every stage change and
progress step. Touching widgets there would crash, and a repaint per step would
drown the event loop, so events are parked (latest per job) and handed to the GUI
thread in one batch at most every ``interval_ms`` (Anki ``qt/aqt/progress.py``
polls the same way; Electrum's ``QtEventListener`` re-emits core events as signals).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from strongroom.jobs import JobEvent


class JobBridge(QObject):
    """Lives on the GUI thread; ``emit_event`` may be called from any thread.

    Signals:
        jobs_did_change(list[JobEvent]): the newest event of each job that changed
            since the last batch. A job's final event is always its last one, so it
            is never lost to coalescing.
    """

    jobs_did_change = Signal(list)
    _did_park = Signal()  # worker → GUI thread: queued, because the receiver lives here

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = 100) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: dict[int, JobEvent] = {}
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._flush)
        self._did_park.connect(self._timer.start)

    def emit_event(self, event: JobEvent) -> None:
        """Park ``event``; wake the GUI thread if nothing was waiting. Any thread."""
        with self._lock:
            if self._closed:
                return
            was_idle = not self._pending
            self._pending[event.job_id] = event
            if was_idle:
                # Emitted under the lock so ``close`` cannot delete us in between.
                self._did_park.emit()

    def close(self) -> None:
        """Stop forwarding: a worker that outlives the window finds a closed door."""
        with self._lock:
            self._closed = True
            self._pending.clear()
        self._timer.stop()

    @Slot()
    def _flush(self) -> None:
        with self._lock:
            events = list(self._pending.values())
            self._pending.clear()
        if events:
            self.jobs_did_change.emit(events)
