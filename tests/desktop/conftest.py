"""Window tests: keychain off, no passphrase in the environment, cheap Argon2id.

(tests/conftest.py already gives each test private XDG folders and offscreen Qt.)
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _desktop_env(monkeypatch: pytest.MonkeyPatch, cheap_argon2: None) -> None:
    monkeypatch.delenv("STRONGROOM_PASSPHRASE", raising=False)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A folder with a receipt, a note and an empty file."""
    from desktop_support import RECEIPT

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "receipt.txt").write_text(RECEIPT, encoding="utf-8")
    (folder / "note.txt").write_text("Dr. Lee\nBlood pressure 120/80 on 2024-04-01.\n",
                                     encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


@pytest.fixture
def make_window(qtbot):  # type: ignore[no-untyped-def]
    """``make_window(understand=..., vault=...)``: a shown window, shut down after the test.

    Closed here rather than left to pytest-qt, which only holds a weak reference:
    a window collected without closing would leave its worker thread behind.
    """
    from desktop_support import FakeVault, understand_now

    from strongroom.desktop.window import MainWindow

    windows: list[MainWindow] = []

    def make(understand=understand_now, vault=None):  # type: ignore[no-untyped-def]
        window = MainWindow(vault if vault is not None else FakeVault(), understand)
        qtbot.add_widget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert window.processor._thread is None, "the worker thread outlived its window"
