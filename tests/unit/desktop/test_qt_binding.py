"""The Qt binding keeps Python's reference counts (PySide6 6.12.0 on Python 3.11 did
not: each call returning None or True dropped a reference it never took, and after
~35,000 of them the interpreter aborted with "Fatal Python error: none_dealloc" —
a window left open for a few hours would have crashed). Run in a child process:
the failure is an abort, not an exception."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui

CHILD = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel

class Relay(QObject):
    changed = Signal()

app = QApplication([])
label, relay = QLabel(), Relay()
none, true = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(1000):
    label.setText("x")      # returns None
    relay.changed.emit()    # returns True
print(sys.getrefcount(None) - none, sys.getrefcount(True) - true)
for _ in range(100_000):
    label.setText("x")
    relay.changed.emit()
print("alive")
"""


def test_calls_into_qt_keep_none_and_true_alive() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-400:]
    drift, last = done.stdout.splitlines()
    assert [abs(int(n)) < 50 for n in drift.split()] == [True, True], drift
    assert last == "alive"
