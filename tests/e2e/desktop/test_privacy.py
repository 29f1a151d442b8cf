"""File pickers leave no trace of what was picked (names are sensitive).

Each case runs in a fresh interpreter: Qt decides once per process where its
settings live, so only a new process can point it at an empty config folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CANARY = "CANARY7c1f_oncology_results"

SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from strongroom.desktop import filedialogs

mode, target = sys.argv[1], Path(sys.argv[2])
app = QApplication([sys.argv[0]])
app.setApplicationName("Strongroom")

def pick():
    dialog = QApplication.activeModalWidget()
    dialog.setDirectory(str(target.parent))
    dialog.selectFile(str(target))
    dialog.accept()

QTimer.singleShot(0, pick)
if mode == "files":
    print(filedialogs.ask_files(None))
elif mode == "folder":
    print(filedialogs.ask_folder(None))
else:  # the control: a stock Qt dialog, which does remember
    dialog = QFileDialog(None, "x", str(target.parent))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.exec()
    print(dialog.selectedFiles())
    del dialog
QTimer.singleShot(0, app.quit)  # let deleteLater run: that is when Qt saves
app.exec()
"""


def pick_with(mode: str, tmp_path: Path) -> tuple[str, Path]:
    home, config = tmp_path / "home", tmp_path / "config"
    secret = home / f"{CANARY}_folder"
    secret.mkdir(parents=True)
    config.mkdir()
    (secret / f"{CANARY}.txt").write_text("x", encoding="utf-8")
    target = secret if mode == "folder" else secret / f"{CANARY}.txt"
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(config),
               XDG_DATA_HOME=str(home / ".local/share"), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode, str(target)], env=env,
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout, tmp_path


def traces(tmp_path: Path) -> list[Path]:
    """Every file outside the picked folder itself whose name or bytes hold the canary."""
    return [p for p in (tmp_path / "config").rglob("*") if p.is_file()
            and (CANARY in p.name or CANARY.encode() in p.read_bytes())] + [
        p for p in (tmp_path / "home").rglob("*") if p.is_file()
        and CANARY not in str(p.relative_to(tmp_path / "home"))
        and CANARY.encode() in p.read_bytes()]


@pytest.mark.parametrize("mode", ["files", "folder"])
def test_pickers_remember_nothing(mode: str, tmp_path: Path) -> None:
    out, _ = pick_with(mode, tmp_path)
    assert CANARY in out  # the pick itself worked
    assert traces(tmp_path) == []


def test_the_check_would_catch_a_stock_dialog(tmp_path: Path) -> None:
    out, _ = pick_with("stock", tmp_path)
    assert CANARY in out
    assert [p.name for p in traces(tmp_path)] == ["QtProject.conf"]
