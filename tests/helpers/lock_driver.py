"""The real app in its own process, driven from stdin, to measure what a lock leaves
in memory (tests/e2e/desktop/test_lock_memory.py).

``python -m tests.helpers.lock_driver DATA_DIR MODEL`` runs
``strongroom.desktop.app.run`` on an existing passphrase vault (passphrase from
STRONGROOM_PASSPHRASE). On "add PATH" it adds that document through the window
with the real model, shows it in the detail pane and prints "ready" (the path
comes on stdin, not the command line, which a relaunch carries into the new
process). On "lock" it triggers the window's Lock action: the real ``relaunch``
replaces this process (same PID) with a fresh run of this same command, which
finds the relaunch variable, waits for the locked window and prints "locked".
"quit" closes the window. The canary is never given to this process: it only
meets it by reading the document.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from strongroom.desktop import app as desktop_app
    from strongroom.desktop.window import MainWindow
    from strongroom.model import backend_class
    from strongroom.understanding.pipeline import Understander

    relaunched = desktop_app.ENV_RELAUNCH_LOCKED in os.environ
    data, model = (Path(a) for a in sys.argv[1:3])
    understand = Understander(lambda: backend_class("llama.cpp").load(model, n_ctx=4096),
                              summary_tokens=16)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x.strip()) for x in sys.stdin],
                     daemon=True).start()
    state = {"step": "locked?" if relaunched else "start"}

    def say(word: str, step: str) -> None:
        print(word, flush=True)
        state["step"] = step

    def tick() -> None:
        window = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, MainWindow) and w.isVisible()), None)
        step = state["step"]
        command = "" if lines.empty() else lines.get()
        if window is None:
            return
        if command == "quit":
            window.close()
        elif step == "start" and command.startswith("add "):
            window.add_paths([Path(command[4:])])
            state["step"] = "saving"
        elif step == "saving" and window.model.rowCount() == 1 \
                and window.model.entry(0).doc_id is not None:
            window.table.selectRow(0)
            state["step"] = "showing"
        elif step == "showing" and window.detail.document is not None:
            say("ready", "shown")
        elif step == "shown" and command == "lock":
            window.act_lock.trigger()  # -> window.relaunch -> exec
        elif step == "locked?" and window.locked:
            say("locked", "done")

    desktop_app.application([sys.argv[0]])  # timers need the application first
    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(50)
    return desktop_app.run(data, understand, argv=[sys.argv[0]])


if __name__ == "__main__":
    sys.exit(main())
