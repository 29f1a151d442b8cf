"""OFX/QFX: SGML and XML statements read into lines, a transaction per line."""

from __future__ import annotations

import os

import pytest

from strongroom.errors import ReadError
from strongroom.reading import limits, messages, read_bytes
from tests.helpers.documents import CANARY, make_ofx_sgml, make_ofx_xml

ROWS = [("20240103", "-45.20", "REWE Markt", "Kartenzahlung"),
        ("20240115", "2500.00", "ACME GmbH", "Gehalt Januar"),
        ("20240120", "-850.00", "Hausverwaltung Meier", "Miete Januar")]


def test_ofx1_sgml_bank_statement():
    doc = read_bytes("umsaetze.ofx", make_ofx_sgml(ROWS, ledger="2604.80", opening="1000.00"))
    assert doc.kind == "ofx" and doc.page_starts == (0,)
    assert doc.text == (
        "Bank statement\n"
        "Bank ID: 12030000\n"
        "Account: XXXXXX4321 (Checking)\n"
        "Currency: EUR\n"
        "Period: 2024-01-01 to 2024-01-31\n"
        "Opening balance: 1000.00 on 2024-01-01\n"
        "Date\tAmount\tPayee\tMemo\n"
        "2024-01-03\t-45.20\tREWE Markt\tKartenzahlung\n"
        "2024-01-15\t2500.00\tACME GmbH\tGehalt Januar\n"
        "2024-01-20\t-850.00\tHausverwaltung Meier\tMiete Januar\n"
        "Closing balance: 2604.80 on 2024-01-31\n"
        "Available balance: 2604.80 on 2024-01-31")


def test_ofx2_xml_card_statement_named_qfx():
    data = make_ofx_xml([("20240203", "-12.50", "Corner Cafe", "Latte"),
                         ("20240210", "100.00", "PAYMENT - THANK YOU", "")], ledger="-87.50")
    text = read_bytes("card.qfx", data).text
    lines = text.split("\n")
    assert lines[:4] == ["Credit card statement", "Account: ****9876", "Currency: USD",
                         "Period: 2024-02-01 to 2024-02-29"]
    assert "2024-02-03\t-12.50\tCorner Cafe\tLatte" in lines
    assert "2024-02-10\t100.00\tPAYMENT - THANK YOU\t" in lines
    assert lines[-1] == "Closing balance: -87.50 on 2024-02-29"


def test_each_transaction_is_one_line_even_with_line_breaks_in_a_memo():
    rows = [("20240103", "-9.99", "Shop", "first\r\nsecond")]
    text = read_bytes("a.ofx", make_ofx_sgml(rows, ledger="1", opening=None)).text
    assert "2024-01-03\t-9.99\tShop\tfirst second" in text.split("\n")


@pytest.mark.parametrize("data", [
    os.urandom(4096),
    CANARY.encode() * 50,  # text, but not OFX
    make_ofx_sgml(ROWS, ledger="1", opening=None)[:400] + CANARY.encode(),  # cut short
    b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><FOO>" + CANARY.encode() + b"</OFX>",
])
def test_random_or_damaged_bytes_named_ofx_are_refused_in_words(data):
    with pytest.raises(ReadError) as err:
        read_bytes("export.ofx", data)
    assert str(err.value) == messages.OFX_DAMAGED
    assert CANARY not in str(err.value)


def test_too_many_transactions(monkeypatch):
    monkeypatch.setattr(limits, "MAX_OFX_TRANSACTIONS", 2)
    with pytest.raises(ReadError) as err:
        read_bytes("a.ofx", make_ofx_sgml(ROWS, ledger="1", opening=None))
    assert str(err.value) == messages.OFX_TOO_MANY


def test_an_ofx_without_a_bank_or_card_statement():
    data = (b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
            b"CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
            b"<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
            b"<DTSERVER>20240201<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1></OFX>")
    with pytest.raises(ReadError) as err:
        read_bytes("a.ofx", data)
    assert str(err.value) == messages.OFX_NO_STATEMENT


def test_dates_are_the_days_the_bank_printed_whatever_the_time_zone():
    data = make_ofx_sgml([("20240103000000[+1:CET]", "-9.99", "Shop", "x"),
                          ("20240104235900[-8:PST]", "-1.00", "Shop", "y")],
                         ledger="1", opening=None)
    lines = read_bytes("a.ofx", data).text.split("\n")
    assert "2024-01-03\t-9.99\tShop\tx" in lines
    assert "2024-01-04\t-1.00\tShop\ty" in lines


def test_the_bank_named_in_the_sign_on_is_printed():
    data = make_ofx_sgml(ROWS, ledger="1", opening=None).replace(
        b"<LANGUAGE>ENG</SONRS>", b"<LANGUAGE>ENG<FI><ORG>Musterbank AG<FID>1234</FI></SONRS>")
    assert read_bytes("a.ofx", data).text.split("\n")[:3] == [
        "Bank statement", "Bank: Musterbank AG", "Bank ID: 12030000"]
