"""The search box above the document list, on a real SQLCipher vault (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from strongroom.desktop.models import NAME, STATUS
from strongroom.desktop.window import MainWindow
from strongroom.reading.base import Document
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault import Vault
from tests.helpers.desktop import drop, file_mime

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]


def names(window: MainWindow) -> list[str]:
    model = window.model
    return [model.index(r, NAME).data() for r in range(model.rowCount())]


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    vault = Vault.create(tmp_path / "vault", passphrase="search box test")
    for name, text, doc_type, total in [
        ("dental.txt", "Harbour Dental Clinic\nRoot canal 2024-02-14", "receipt", "480.00"),
        ("power.txt", "Northwind Electricity usage 312 kWh", "invoice", "96.40"),
        ("dentist-letter.txt", "Your dental appointment", "letter", None),
    ]:
        fields = {"total": FieldValue(total, total, (0, 1)) if total else FieldValue()}
        vault.add_document(Document(name, "text", text, text.encode(), (0,)),
                           Extraction(doc_type, "A document.", fields=fields))
    return vault  # closed by the window


def test_typing_filters_the_list_and_escape_restores_it(qtbot, make_window, vault) -> None:
    window = make_window(vault=vault)
    everything = names(window)
    assert sorted(everything) == ["dental.txt", "dentist-letter.txt", "power.txt"]
    assert window.search_box.isVisible()

    qtbot.keyClicks(window.search_box, "denta")  # the last word is a prefix
    qtbot.wait_until(lambda: sorted(names(window)) == ["dental.txt", "dentist-letter.txt"])
    qtbot.keyClicks(window.search_box, "l canal")
    qtbot.wait_until(lambda: names(window) == ["dental.txt"])
    window.search_box.setText("96.40")  # a field value
    qtbot.wait_until(lambda: names(window) == ["power.txt"])
    window.search_box.setText('"unbalanced OR name:* NEAR(')  # any text is a valid search
    qtbot.wait_until(lambda: names(window) == [])
    assert window.table.isVisible() and window.search_box.isVisible()  # not the empty vault

    window.search_box.setFocus()
    qtbot.wait_until(window.search_box.hasFocus)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.search_box.text() == ""
    qtbot.wait_until(lambda: names(window) == everything)


def test_typing_is_debounced(qtbot, make_window, vault, monkeypatch) -> None:
    window = make_window(vault=vault)
    calls: list[str] = []
    real = vault.search
    monkeypatch.setattr(vault, "search", lambda q, **kw: calls.append(q) or real(q, **kw))
    qtbot.keyClicks(window.search_box, "northwind")
    qtbot.wait_until(lambda: names(window) == ["power.txt"])
    assert calls == ["northwind"]  # one search after the typing paused, not one per key


def test_session_rows_stay_listed_while_searching(qtbot, make_window, vault,
                                                  tmp_path: Path) -> None:
    window = make_window(vault=vault)
    (tmp_path / "empty.txt").write_text("")
    drop(window, file_mime([tmp_path / "empty.txt"]))
    qtbot.wait_until(lambda: window.model.index(0, STATUS).data().startswith("Failed"))
    window.search_box.setText("northwind")
    qtbot.wait_until(lambda: names(window) == ["empty.txt", "power.txt"])
    window.search_box.clear()
    qtbot.wait_until(lambda: len(names(window)) == 4)


def test_delete_then_compact(qtbot, make_window, vault, monkeypatch) -> None:
    window = make_window(vault=vault)
    window.search_box.setText("northwind")
    qtbot.wait_until(lambda: names(window) == ["power.txt"])
    window.table.selectRow(0)
    monkeypatch.setattr(window, "confirm_delete", lambda name, note="": True)
    window.act_delete.trigger()
    assert names(window) == []
    assert "Compact Vault" in window.statusBar().currentMessage()
    window.act_compact.trigger()
    qtbot.wait_until(lambda: window.statusBar().currentMessage().startswith("Vault compacted: "))
    window.search_box.clear()
    qtbot.wait_until(lambda: sorted(names(window)) == ["dental.txt", "dentist-letter.txt"])
