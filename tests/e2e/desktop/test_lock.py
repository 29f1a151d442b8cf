"""Lock with the real model loaded: the vault closes, the model is unloaded, the
window forgets, and unlocking asks again (issue 13). The rest of locking, on a
fake understander: tests/unit/desktop/test_lock.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from strongroom.desktop.window import LOCKED_TEXT
from strongroom.model import backend_class
from strongroom.understanding.pipeline import Understander
from strongroom.vault import Vault
from tests.helpers.desktop import RECEIPT, drop, file_mime
from tests.unit.desktop.test_lock import shown_text, snapshot, unlock_with

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

RIGHT = "a passphrase for locking"
CANARY = "LOCKCANARYQZX"


@pytest.fixture
def own_understander(model_path: Path):  # type: ignore[no-untyped-def]
    """A pipeline with its own model: a lock unloads it (the session's stays loaded)."""
    u = Understander(lambda: backend_class("llama.cpp").load(model_path, n_ctx=4096),
                     summary_tokens=16)
    yield u
    u.close()


@pytest.mark.model
def test_lock_forgets_everything_and_unlock_asks_again(qtbot, tmp_path, make_window,
                                                       own_understander) -> None:
    data = tmp_path / "data"
    Vault.create(data, passphrase=RIGHT).close()
    doc = tmp_path / "inbox" / f"receipt-{CANARY}.txt"
    doc.parent.mkdir()
    doc.write_text(RECEIPT + f"Member note: {CANARY}\n", encoding="utf-8")
    window = make_window(understand=own_understander,
                         vault=Vault.open(data, passphrase=RIGHT))
    assert drop(window, file_mime([doc]))
    qtbot.wait_until(lambda: window.model.rowCount() == 1
                     and window.model.entry(0).doc_id is not None, timeout=120_000)
    window.table.selectRow(0)
    window.search_box.setText(CANARY.lower())
    qtbot.wait_until(lambda: window.detail.document is not None, timeout=5_000)
    assert CANARY in shown_text(window)  # the check below can see it
    assert own_understander._backend is not None
    vault = window.vault

    window.act_lock.trigger()
    assert window.locked and repr(vault) == "<Vault closed (passphrase)>"
    assert CANARY not in shown_text(window) and CANARY.lower() not in shown_text(window)
    assert window.model.rowCount() == 0 and window.detail.text_view.toPlainText() == ""
    assert not window.search_box.isUndoAvailable()
    assert own_understander._backend is None  # the model and its KV cache are gone
    assert window.pages.currentWidget() is window.locked_page
    assert window.lock_label.text() == LOCKED_TEXT
    enabled = {a.text() for a in window.findChildren(QAction) if a.isEnabled() and not a.menu()}
    assert enabled == {"Quit", "About Strongroom…"}
    assert not drop(window, file_mime([doc]))  # drops are refused while locked

    before = snapshot(data)
    errors = unlock_with(qtbot, window, "not the passphrase")  # wrong, then cancel
    assert window.locked and errors == ["The passphrase is not correct. Nothing was changed."]
    assert snapshot(data) == before

    unlock_with(qtbot, window, RIGHT)
    qtbot.wait_until(lambda: not window.locked, timeout=10_000)
    assert window.pages.currentWidget() is window.splitter
    assert [window.model.entry(r).name for r in range(window.model.rowCount())] == [doc.name]
    assert window.act_lock.isEnabled() and window.act_open_files.isEnabled()
    window.table.selectRow(0)
    assert CANARY in window.detail.text_view.toPlainText()
