"""Bank exports end to end (#22): an Excel workbook and an OFX file through
``strongroom extract``, read in the reader's child, with the real model: each is a
bank statement whose balances are checked against its rows."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from strongroom.reading import read_path
from tests.helpers.documents import make_ofx_sgml, make_xlsx
from tests.unit.cli.test_cli import run_cli

pytestmark = pytest.mark.model

MONEY = "#,##0.00"


def test_extract_reads_xlsx_and_ofx_statements_and_checks_their_balances(
        tmp_path, capsys, model_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "umsaetze.xlsx").write_bytes(make_xlsx({"Umsätze": [
        ["Buchungstag", "Verwendungszweck", "Betrag", "Saldo"],
        [datetime(2024, 1, 3), "REWE Markt Kartenzahlung", -45.2, 954.8],
        [datetime(2024, 1, 15), "ACME GmbH Gehalt Januar", 2500, 3454.8],
        [datetime(2024, 1, 20), "Hausverwaltung Miete Januar", -850, 2604.8],
    ]}, formats={("Umsätze", r, c): MONEY for r in range(2, 5) for c in (3, 4)}))
    rows = [("20240103", "-45.20", "REWE Markt", "Kartenzahlung"),
            ("20240115", "2500.00", "ACME GmbH", "Gehalt Januar"),
            ("20240120", "-850.00", "Hausverwaltung Meier", "Miete Januar")]
    (folder / "statement.ofx").write_bytes(make_ofx_sgml(rows, ledger="2604.80",
                                                         opening="1000.00"))
    (folder / "wrong.ofx").write_bytes(make_ofx_sgml(rows, ledger="2614.80",
                                                     opening="1000.00"))

    code, out, err = run_cli(capsys, "extract", str(folder), "--json",
                             "--model", str(model_path))
    assert code == 0, err
    got = {Path(r["path"]).name: r for r in map(json.loads, out.splitlines())}
    assert set(got) == {"umsaetze.xlsx", "statement.ofx", "wrong.ofx"}
    for name, r in got.items():
        assert r["ok"] and r["doc_type"] == "bank_statement", (name, r["doc_type"])
        text = read_path(folder / name).text
        for field, fv in r["fields"].items():
            if fv["span"] is not None:
                assert text[fv["span"][0]:fv["span"][1]] == fv["value"], (name, field)

    closing = got["umsaetze.xlsx"]["fields"]["closing_balance"]
    assert closing["normalized"] == "2604.80" and closing["status"] == "verified"
    assert "Opening balance 1000.00 plus the 3 transactions" in closing["note"]

    closing = got["statement.ofx"]["fields"]["closing_balance"]
    assert closing["normalized"] == "2604.80" and closing["status"] == "verified"
    assert got["statement.ofx"]["fields"]["opening_balance"]["normalized"] == "1000.00"

    closing = got["wrong.ofx"]["fields"]["closing_balance"]
    assert closing["status"] == "needs_review" and "off by 10.00" in closing["note"]
