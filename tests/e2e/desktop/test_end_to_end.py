"""The whole slice in the window: a real drop, the real model, a real SQLCipher vault.

Drop a text receipt and a two-page PDF on the main window, wait for both to be
saved, select the receipt and see its type, summary, fields and the selected
field's span highlighted; close, reopen from the encrypted vault, see the same.
"""

from __future__ import annotations

import pytest

from strongroom.desktop.models import NAME, STATUS, TYPE
from strongroom.desktop.window import MainWindow
from strongroom.resources import path as resource_path
from strongroom.vault import Vault
from tests.helpers.canary import scan
from tests.helpers.desktop import drop, file_mime
from tests.helpers.documents import make_pdf

pytestmark = [pytest.mark.gui, pytest.mark.model]

CANARY = "QXWCANARYVEGA"


def rows(window: MainWindow) -> dict[str, tuple[str, str]]:
    m = window.model
    return {m.index(r, NAME).data(): (m.index(r, TYPE).data(), m.index(r, STATUS).data())
            for r in range(m.rowCount())}


def test_drop_process_show_and_reopen(qtbot, tmp_path, understander):
    src = tmp_path / "inbox"
    src.mkdir()
    receipt = src / f"receipt-{CANARY}.txt"
    receipt.write_text(resource_path("samples", "receipt.txt").read_text()
                       .replace("Oat milk", f"Oat milk {CANARY}"))
    invoice_text = resource_path("samples", "invoice.txt").read_text()
    lines = invoice_text.splitlines()
    pdf = src / "invoice.pdf"
    pdf.write_bytes(make_pdf(["\n".join(lines[:8]), "\n".join(lines[8:])]))

    data = tmp_path / "data"
    vault = Vault.create(data, passphrase="a long enough passphrase")
    window = MainWindow(vault, understander)
    qtbot.add_widget(window)
    window.show()
    assert drop(window, file_mime([receipt, pdf]))
    qtbot.wait_until(lambda: [s for _t, s in rows(window).values()] == ["Saved", "Saved"],
                     timeout=120_000)
    assert rows(window)[receipt.name][0] == "Receipt"
    assert rows(window)["invoice.pdf"][0] == "Invoice"

    model = window.model
    row = next(r for r in range(model.rowCount()) if model.index(r, NAME).data() == receipt.name)
    window.table.selectRow(row)
    detail = window.detail
    assert detail.title.text() == receipt.name
    assert detail.summary.text()
    table = detail.fields_table
    shown = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert shown["Total"] == "7.25" and shown["Date"] == "2024-03-12"
    assert shown["Merchant"] == "GREENLEAF GROCERS LTD"
    detail.select_field("total")
    (mark,) = detail.text_view.extraSelections()
    text = detail.document.text
    start, end = detail.document.fields["total"].span
    assert mark.cursor.selectedText() == text[start:end] == "7.25"
    window.close()

    # Reopened from the encrypted file: the same documents, nothing re-processed.
    vault = Vault.open(data, passphrase="a long enough passphrase")
    again = MainWindow(vault, understander)
    qtbot.add_widget(again)
    assert rows(again) == {receipt.name: ("Receipt", "Saved"), "invoice.pdf": ("Invoice", "Saved")}
    stored = vault.get(next(r.id for r in vault.list_documents() if r.name == "invoice.pdf"))
    assert stored.page_starts[1] > 0 and "Total Due" in stored.text
    # The PDF's page beside its text, from the vault; its total outlined where printed.
    again.show()
    row = next(r for r in range(again.model.rowCount())
               if again.model.index(r, NAME).data() == "invoice.pdf")
    again.table.selectRow(row)
    pages = again.detail.page_view
    assert pages.isVisible() and pages.page == 1 and not pages.canvas.image.isNull()
    again.detail.select_field("total")
    start, _end = stored.fields["total"].span
    assert start > stored.page_starts[1] and pages.page == 2 and len(pages.marks) == 1
    again.close()

    receipt.unlink()
    hits, scanned = scan([data, tmp_path / "tmp", tmp_path / "xdg"], CANARY)
    assert hits == [] and scanned >= 2
