"""Bank statements: transaction rows found in realistic exports, and the balance check
(opening + rows = closing) passing and failing (#22)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from strongroom.reading import read_bytes
from strongroom.understanding import checks, statement
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.result import FieldValue
from strongroom.understanding.schema import schema

TODAY = date(2026, 12, 7)

#: A German savings bank's CSV: account lines first, semicolons, quoted cells (one with
#: a semicolon inside), German numbers, newest first, a running balance ("Saldo").
GERMAN_CSV = "\n".join([
    '"Kontonummer:";"DE89 3704 0044 0532 0130 00 / Girokonto";',
    '"Von:";"01.01.2024";',
    '"Bis:";"31.01.2024";',
    "",
    '"Buchungstag";"Wertstellung";"Buchungstext";"Auftraggeber / Begünstigter";'
    '"Verwendungszweck";"Betrag (EUR)";"Saldo (EUR)"',
    '"20.01.2024";"20.01.2024";"Dauerauftrag";"Hausverwaltung Meier";"Miete Januar";'
    '"-850,00";"2.604,80"',
    '"15.01.2024";"15.01.2024";"Gutschrift";"ACME GmbH";"Gehalt; Januar";"2.500,00";'
    '"3.454,80"',
    '"03.01.2024";"03.01.2024";"Kartenzahlung";"REWE Markt";"REWE SAGT DANKE 4711";'
    '"-45,20";"954,80"',
    "",
])
#: Oldest first, commas, English numbers, a running balance.
ENGLISH_CSV = """Date,Description,Amount,Balance
2024-01-02,Opening transfer from savings,200.00,1200.00
2024-01-05,"TESCO STORES 3297, LONDON",-23.45,1176.55
2024-01-09,Direct debit - Council Tax,-142.00,1034.55
2024-01-28,Salary ACME LTD,"2,150.00","3,184.55"
"""
#: Debit and credit columns (a UK current account), blank where a row has none.
PAID_OUT_IN = """Date,Type,Description,Paid out,Paid in,Balance
01 Feb 2024,BGC,ACME LTD SALARY,,2150.00,2650.00
03 Feb 2024,DD,THAMES WATER,38.50,,2611.50
10 Feb 2024,POS,SAINSBURYS,61.12,,2550.38
"""
#: A US bank's: summary lines first, then "Running Bal." (a cell may be quoted).
US_CSV = """Description,,Summary Amt.
Beginning balance as of 01/01/2024,,"1,000.00"
Ending balance as of 01/31/2024,,"1,604.80"

Date,Description,Amount,Running Bal.
01/03/2024,"SAFEWAY #1234",-45.20,954.80
01/15/2024,"ACME INC DES:PAYROLL","1,500.00","2,454.80"
01/20/2024,"RENT PAYMENT",-850.00,"1,604.80"
"""
#: Labelled balances around a table with no running balance (Soll/Haben columns).
SOLL_HABEN = """Kontoauszug Januar 2024
Anfangssaldo;1.000,00 EUR
Buchungstag;Verwendungszweck;Soll;Haben
03.01.2024;Kartenzahlung REWE;45,20;
15.01.2024;Gehalt Januar;;2.500,00
20.01.2024;Miete Januar;850,00;
Endsaldo;2.604,80 EUR
"""


def _check(text: str, fields: dict[str, FieldValue] | None = None) -> list[tuple[bool, str]]:
    return list(statement.balance_check(text, fields or statement.ground(text)))


@pytest.mark.parametrize(("text", "amounts"), [
    (GERMAN_CSV, ["-850.00", "2500.00", "-45.20"]),
    (ENGLISH_CSV, ["200.00", "-23.45", "-142.00", "2150.00"]),
    (PAID_OUT_IN, ["2150.00", "-38.50", "-61.12"]),
    (SOLL_HABEN, ["-45.20", "2500.00", "-850.00"]),
    (US_CSV, ["-45.20", "1500.00", "-850.00"]),
])
def test_each_row_of_an_export_is_one_transaction(text, amounts):
    table = statement.transactions(text)
    assert table is not None
    assert table.amounts == [Decimal(a) for a in amounts]


@pytest.mark.parametrize(("text", "opening", "closing"), [
    (GERMAN_CSV, "1000.00", "2604.80"),  # newest first: the first row is the last
    (ENGLISH_CSV, "1000.00", "3184.55"),
    (PAID_OUT_IN, "500.00", "2550.38"),
    (SOLL_HABEN, "1000.00", "2604.80"),  # labelled lines
    (US_CSV, "1000.00", "1604.80"),  # "Ending balance": the running balance's last
])
def test_the_balance_check_passes_on_exports_that_add_up(text, opening, closing):
    [(ok, message)] = _check(text)
    assert ok, message
    assert f"opening balance {opening}" in message.lower()
    assert f"closing balance {closing}" in message


def test_a_missing_row_does_not_add_up_and_says_by_how_much():
    lines = ENGLISH_CSV.splitlines()
    del lines[3]  # the council tax: the balances after it no longer follow
    [(ok, message)] = _check("\n".join(lines), {
        "opening_balance": FieldValue("1000.00", "1000.00", (0, 0)),
        "closing_balance": FieldValue("3184.55", "3184.55", (0, 0))})
    assert not ok
    assert message.startswith("Does not add up") and "off by 142.00" in message


def test_labelled_balances_that_disagree_with_the_rows():
    text = SOLL_HABEN.replace("Endsaldo;2.604,80", "Endsaldo;2.614,80")
    [(ok, message)] = _check(text)
    assert not ok and "off by 10.00" in message


def test_ground_keeps_every_value_exactly_the_text_at_its_span():
    for text in (GERMAN_CSV, ENGLISH_CSV, PAID_OUT_IN, SOLL_HABEN):
        for fv in statement.ground(text).values():
            assert fv.span is not None and text[fv.span[0]:fv.span[1]] == fv.value
    assert statement.ground(GERMAN_CSV)["closing_balance"].value == "2.604,80"
    assert statement.ground(SOLL_HABEN)["opening_balance"].value == "1.000,00"


def test_nothing_is_said_without_a_table_or_without_balances():
    assert _check("Dear customer,\nyour new balance is 12.00.\n") == []
    no_balance = "Date,Description,Amount\n2024-01-02,Coffee,-3.20\n2024-01-03,Tea,-2.10\n"
    assert statement.transactions(no_balance) is not None
    assert _check(no_balance) == []


def test_a_balance_column_that_is_not_a_running_balance_is_not_used():
    text = "Date;Betrag;Saldo\n01.01.2024;-10,00;500,00\n02.01.2024;-20,00;900,00\n" \
           "03.01.2024;-5,00;100,00\n"
    assert statement.transactions(text).ends() is None  # type: ignore[union-attr]
    assert _check(text) == []


@pytest.mark.parametrize(("cell", "value"), [
    ("-1.234,56 €", "-1234.56"), ("(12.50)", "-12.50"), ("45,20 S", "-45.20"),
    ("45,20 H", "45.20"), ("EUR 2,150.00", "2150.00"), ("2500", "2500"),
    ("−7.00", "-7.00"), ("12.00 DR", "-12.00"),
])
def test_money_cells(cell, value):
    found = statement.money(cell, 0, len(cell))
    assert found is not None and found.value == Decimal(value)


@pytest.mark.parametrize("cell", ["03.01.2024", "REWE 4711", "Miete Januar", "", "1,00 2,00"])
def test_cells_that_are_not_money(cell):
    assert statement.money(cell, 0, len(cell)) is None


def _assess(text: str) -> dict[str, FieldValue]:
    """What the pipeline does for a bank statement, without the model."""
    doc_schema = schema("bank_statement")
    fields = extract_fields(text, doc_schema)
    fields.update({k: v for k, v in statement.ground(text).items()
                   if fields.get(k) is None or fields[k].value is None})
    return checks.assess(doc_schema, text, fields, today=TODAY)


def test_an_ofx_statement_is_verified_by_its_rows():
    from tests.helpers.documents import make_ofx_sgml

    rows = [("20240103", "-45.20", "REWE Markt", "Kartenzahlung"),
            ("20240115", "2500.00", "ACME GmbH", "Gehalt Januar")]
    text = read_bytes("a.ofx", make_ofx_sgml(rows, ledger="3454.80", opening="1000.00")).text
    closing = _assess(text)["closing_balance"]
    assert closing.status == checks.VERIFIED and closing.value == "3454.80"
    assert "plus the 2 transactions (+2454.80)" in (closing.note or "")

    wrong = read_bytes("a.ofx", make_ofx_sgml(rows, ledger="3444.80", opening="1000.00")).text
    closing = _assess(wrong)["closing_balance"]
    assert closing.status == checks.NEEDS_REVIEW and "off by 10.00" in (closing.note or "")


def test_an_xlsx_export_is_verified_by_its_running_balance():
    from tests.helpers.documents import make_xlsx

    money_format = "#,##0.00"
    data = make_xlsx({"Umsätze": [
        ["Buchungstag", "Verwendungszweck", "Betrag", "Saldo"],
        [datetime(2024, 1, 3), "REWE Markt", -45.2, 954.8],
        [datetime(2024, 1, 15), "Gehalt Januar", 2500, 3454.8],
        [datetime(2024, 1, 20), "Miete Januar", -850, 2604.8],
    ]}, formats={("Umsätze", r, c): money_format for r in range(2, 5) for c in (3, 4)})
    text = read_bytes("umsaetze.xlsx", data).text
    closing = _assess(text)["closing_balance"]
    assert closing.value == "2604.80" and closing.status == checks.VERIFIED, closing.note
    assert "Opening balance 1000.00 plus the 3 transactions" in (closing.note or "")
