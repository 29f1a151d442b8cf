"""Drive the real Strongroom window in its own process, as a person would.

    python window_driver.py SPEC_JSON

SPEC: {"drop": [paths], "pick": [paths], "search": "word" | null,
"launcher_args": [...]}. The app starts through ``strongroom.launcher.main``
(network guard, no core dumps, the data folder check, the vault's own unlock
path), so Qt writes its caches, config and settings where it would in real use.
The driver answers the dialogs a person would (the new vault's recovery code,
any notice), drops the ``drop`` files on the window, adds each ``pick`` file
through File ▸ Add Files… and the file dialog, waits until every document is
saved, selects each row so the detail pane shows it, types the search, and
quits through File ▸ Quit. It prints one JSON report on stdout (a pipe: nothing
it shows is written to disk) and exits with the app's exit code.

A repeating timer runs the script as a generator, one step per tick: dialogs
run nested event loops (``exec``), and a script that blocked inside one could
never let it return.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox

from strongroom import jobs, launcher
from strongroom.desktop.recovery_dialogs import RecoveryCodeDialog
from strongroom.desktop.window import MainWindow
from tests.helpers.desktop import drop, file_mime  # PYTHONPATH: the repository

TICK_MS = 50
TIMEOUT_S = 300


def main_window() -> MainWindow | None:
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, MainWindow) and w.isVisible()), None)


class Driver:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.report: dict[str, Any] = {"dialogs": [], "rows": [], "shown": [], "found": []}
        self.deadline = time.monotonic() + TIMEOUT_S
        self.script = self.run()
        self.busy = False
        self.timer = QTimer()
        self.timer.timeout.connect(self.tick)
        self.timer.start(TICK_MS)

    def tick(self) -> None:
        if self.busy:  # a step opened a nested event loop: don't re-enter the script
            return
        self.busy = True
        try:
            if time.monotonic() > self.deadline:
                modal = QApplication.activeModalWidget()
                raise TimeoutError(f"the window script timed out at {self.report}; "
                                   f"open dialog: {type(modal).__name__ if modal else None} "
                                   f"{getattr(modal, 'text', lambda: '')()!r}")
            next(self.script)
        except StopIteration:
            self.timer.stop()
        except BaseException as exc:
            self.timer.stop()
            self.report["error"] = f"{type(exc).__name__}: {exc}"
            QApplication.exit(3)
        finally:
            self.busy = False

    def answer(self, modal: Any) -> None:
        """What a person would do with this dialog."""
        if isinstance(modal, RecoveryCodeDialog):
            self.report["dialogs"].append("recovery code")
            modal.confirm.setChecked(True)
            modal.ok_button.click()
        elif isinstance(modal, QMessageBox):
            self.report["dialogs"].append(modal.text())
            modal.accept()
        else:
            raise RuntimeError(f"unexpected dialog {type(modal).__name__}")

    def settle(self) -> Iterator[None]:
        """Answer dialogs until the main window is up and none is open."""
        while True:
            modal = QApplication.activeModalWidget()
            if modal is not None:
                self.answer(modal)
            elif main_window() is not None:
                return
            yield

    def wait(self, step: str, condition: Callable[[], bool]) -> Iterator[None]:
        self.report["step"] = step  # where a timeout happened
        while not condition():
            yield

    def pick(self, dialog: QFileDialog, path: Path) -> Iterator[None]:
        """Go to the file's folder, type its name, Open. The name is typed into the
        box rather than set with ``selectFile``, which leaves the box alone while it
        has the focus; retried until the dialog accepts exactly this file (it lists
        the folder on a thread, and until then a selection can still move)."""
        self.report["dialogs"].append("file dialog")
        self.report["step"] = "file dialog picks"
        dialog.setDirectory(str(path.parent))
        name_box = dialog.findChild(QLineEdit, "fileNameEdit")
        while shiboken6.isValid(dialog) and dialog.isVisible():  # deleted once done
            if name_box.text() != path.name:
                name_box.setText(path.name)
            if dialog.selectedFiles() == [str(path)]:
                dialog.accept()
            yield

    def run(self) -> Iterator[None]:
        yield from self.settle()
        window = main_window()
        assert window is not None
        dropped = [Path(p) for p in self.spec.get("drop", [])]
        picked = [Path(p) for p in self.spec.get("pick", [])]
        if dropped and not drop(window, file_mime(dropped)):
            raise RuntimeError("the window refused the drop")
        for path in picked:
            # From the event loop: the dialog's exec() must not run inside a tick.
            QTimer.singleShot(0, window.act_add_files.trigger)
            yield from self.wait("file dialog opens", lambda: isinstance(
                QApplication.activeModalWidget(), QFileDialog))
            yield from self.pick(QApplication.activeModalWidget(), path)
        if not dropped and not picked:
            window.act_quit.trigger()
            return
        model = window.model
        count = len(dropped) + len(picked)

        def all_done() -> bool:
            entries = model.entries()
            return len(entries) >= count and all(e.stage in jobs.FINAL_STAGES for e in entries)
        yield from self.wait("documents processed", all_done)
        self.report["rows"] = [{"name": e.name, "stage": e.stage, "type": e.doc_type,
                                "error": e.error} for e in model.entries()]

        detail = window.detail
        for row in range(model.rowCount()):
            entry = model.entry(row)
            if entry.doc_id is None:  # failed: the report's rows say so
                continue
            window.table.selectRow(row)
            yield from self.wait("detail shown", lambda e=entry: detail.document is not None
                                 and detail.document.id == e.doc_id)
            table = detail.fields_table
            self.report["shown"].append({
                "title": detail.title.text(), "summary": detail.summary.text(),
                "fields": [table.item(r, 2).text() for r in range(table.rowCount())],
                "text": detail.text_view.toPlainText()})
            yield

        if self.spec.get("search"):
            window.search_box.setFocus()
            QTest.keyClicks(window.search_box, self.spec["search"])
            yield from self.wait("search", lambda: not window._search_timer.isActive()
                                 and model.rowCount() < count)
            self.report["found"] = [e.name for e in model.entries()]
            window.search_box.clear()
            yield
        window.act_quit.trigger()  # closes the window; the last window closing quits


def main() -> int:
    spec = json.loads(sys.argv[1])
    app = QApplication([sys.argv[0]])  # the launcher's application() reuses it
    driver = Driver(spec)
    code = launcher.main(spec["launcher_args"])
    driver.report["exit_code"] = code
    print(json.dumps(driver.report, ensure_ascii=False), flush=True)
    del driver, app
    return code


if __name__ == "__main__":
    sys.exit(main())
