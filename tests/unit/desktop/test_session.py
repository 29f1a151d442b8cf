"""``session.Session``: the window's session lifecycle without a widget (#20)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from strongroom.desktop import session as session_module
from strongroom.desktop.session import Session
from tests.helpers.desktop import FakeVault, understand_now

pytestmark = [pytest.mark.gui]


def test_the_session_module_uses_no_widgets() -> None:
    tree = ast.parse(Path(session_module.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "PySide6.QtWidgets" not in imported and "PySide6.QtGui" not in imported


def test_attach_lock_attach_again_and_shut_down(qtbot, docs: Path, tmp_path: Path) -> None:
    unloaded: list[bool] = []

    class Understand:
        def __call__(self, doc, *, cancel, progress):  # type: ignore[no-untyped-def]
            return understand_now(doc, cancel=cancel, progress=progress)

        def close(self) -> None:
            unloaded.append(True)

    session = Session(Understand(), tmp_path)
    attached: list[object] = []
    events: list[object] = []
    session.attached.connect(attached.append)
    session.jobs_did_change.connect(events.extend)
    assert session.locked and session.vault is None

    first = FakeVault()
    session.attach(first)
    assert attached == [first] and not session.locked
    assert session.processor is not None
    session.processor.submit([docs / "receipt.txt"])
    qtbot.wait_until(lambda: len(first.list_documents()) == 1, timeout=5_000)
    qtbot.wait_until(lambda: bool(events), timeout=2_000)  # through the bridge

    session.close_vault()
    assert session.locked and first.closed and unloaded == [True]
    assert session.unlock_methods() == first.unlock_methods(tmp_path)

    second = FakeVault()
    session.attach(second)
    assert attached == [first, second] and not session.locked
    session.shutdown()
    session.shutdown()  # twice is fine
    assert second.closed and session.closed
