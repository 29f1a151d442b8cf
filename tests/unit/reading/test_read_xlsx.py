"""Excel: rows as lines, cells as a person reads them, zip bombs and junk refused."""

from __future__ import annotations

import os
import time
from datetime import date, datetime

import pytest

from strongroom.errors import ReadError
from strongroom.reading import limits, messages, read_bytes
from strongroom.reading.sniff import OLE2_MAGIC
from tests.helpers.documents import CANARY, make_docx, make_xlsx, make_xlsx_bomb, make_zip


def test_rows_become_tab_separated_lines_and_empty_rows_are_dropped():
    data = make_xlsx({"Umsätze": [
        ["Buchungstag", "Verwendungszweck", "Betrag (EUR)"],
        [datetime(2024, 1, 3), "REWE SAGT DANKE\n4711", -45.2],
        [None, None, None],
        [date(2024, 1, 15), "Gehalt Januar", 2500],
        ["", "   ", None],
    ]}, formats={("Umsätze", 2, 3): "#,##0.00", ("Umsätze", 4, 3): "#,##0.00"})
    doc = read_bytes("umsaetze.xlsx", data)
    assert doc.kind == "xlsx" and doc.data == data and doc.page_starts == (0,)
    assert doc.text == ("Buchungstag\tVerwendungszweck\tBetrag (EUR)\n"
                        "2024-01-03\tREWE SAGT DANKE 4711\t-45.20\n"
                        "2024-01-15\tGehalt Januar\t2500.00")


@pytest.mark.parametrize(("value", "number_format", "shown"), [
    (0.1 + 0.2, "General", "0.3"),  # no float noise
    (1234.5, "#,##0.00", "1234.50"),  # the decimals the format shows
    (1234.567, "#,##0.00", "1234.567"),  # but never fewer than the value has
    (1e16, "General", "10000000000000000"),  # never in exponent form
    (-0.0, "General", "0"),
    (42, "General", "42"),
    (0.25, "0.00%", "0.25"),  # a percentage keeps the value
    (datetime(2024, 3, 5, 14, 30), "dd.mm.yyyy hh:mm", "2024-03-05 14:30"),
    (True, "General", "TRUE"),
    ("Miete\tMärz", "General", "Miete März"),  # a tab in a cell would split it
])
def test_cells_read_as_a_person_reads_them(value, number_format, shown):
    data = make_xlsx({"S": [["x", value]]}, formats={("S", 1, 2): number_format})
    assert read_bytes("a.xlsx", data).text == f"x\t{shown}"


def test_every_sheet_is_read_in_order():
    data = make_xlsx({"Jan": [["Date", "Amount"], ["2024-01-02", 1]],
                      "Empty": [],
                      "Feb": [["Date", "Amount"], ["2024-02-02", 2]]})
    assert read_bytes("a.xlsx", data).text == (
        "Date\tAmount\n2024-01-02\t1\nDate\tAmount\n2024-02-02\t2")


def test_a_zip_named_docx_holding_a_workbook_is_read_as_one_and_back():
    workbook = make_xlsx({"S": [["Date", "Amount"]]})
    assert read_bytes("export.docx", workbook).kind == "xlsx"
    assert read_bytes("letter.xlsx", make_docx(["Dear"])).kind == "docx"


def test_a_zip_that_is_neither_word_nor_excel_is_told_apart():
    for name in ("a.xlsx", "a.docx", "a.txt"):
        with pytest.raises(ReadError) as err:
            read_bytes(name, make_zip({"notes.txt": CANARY.encode()}))
        assert str(err.value) == messages.OTHER_ZIP


def test_zip_bomb_is_refused_before_openpyxl_sees_it():
    bomb = make_xlsx_bomb(120)
    assert len(bomb) < 2 * 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(ReadError) as err:
        read_bytes("bomb.xlsx", bomb)
    assert time.perf_counter() - start < 1.0
    assert str(err.value) == messages.XLSX_TOO_BIG


@pytest.mark.parametrize("data", [
    os.urandom(4096),
    b"PK\x03\x04" + os.urandom(4096),  # a zip signature, then junk
    make_xlsx({"S": [[CANARY]]})[:-300],  # truncated
    make_zip({"[Content_Types].xml": b"<not-xml", "xl/workbook.xml": CANARY.encode()}),
])
def test_random_or_damaged_bytes_named_xlsx_are_refused(data):
    with pytest.raises(ReadError) as err:
        read_bytes("export.xlsx", data)
    assert str(err.value) in (messages.XLSX_DAMAGED, messages.NOT_TEXT)
    assert CANARY not in str(err.value)


def test_random_bytes_named_xlsx_say_it_is_not_a_workbook():
    data = b"\x13\x37" + bytes(range(256)) * 16  # no signature of any format
    with pytest.raises(ReadError) as err:
        read_bytes("export.xlsx", data)
    assert str(err.value) == messages.XLSX_DAMAGED


def test_password_protected_or_legacy_workbook():
    with pytest.raises(ReadError) as err:
        read_bytes("a.xlsx", OLE2_MAGIC + CANARY.encode() * 100)
    assert str(err.value) == messages.XLSX_LOCKED


@pytest.mark.parametrize(("limit", "value"), [("MAX_SHEET_ROWS", 5), ("MAX_SHEET_CELLS", 11)])
def test_too_many_rows_or_cells(monkeypatch, limit, value):
    data = make_xlsx({"S": [["2024-01-01", "x", i] for i in range(6)]})
    monkeypatch.setattr(limits, limit, value)
    with pytest.raises(ReadError) as err:
        read_bytes("a.xlsx", data)
    assert str(err.value) == messages.XLSX_TOO_MANY_CELLS


def test_a_made_up_sheet_size_does_not_pad_rows():
    """A sheet may declare A1:XFD1048576; rows are as long as their cells."""
    import io
    import zipfile

    data = make_xlsx({"S": [["a", "b"]]})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b'<dimension ref="A1:B1"/>',
                                    b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in body
            dst.writestr(info.filename, body)
    assert read_bytes("a.xlsx", out.getvalue()).text == "a\tb"


def test_a_workbook_without_text():
    with pytest.raises(ReadError) as err:
        read_bytes("a.xlsx", make_xlsx({"S": [[None, ""]]}))
    assert str(err.value) == messages.NO_TEXT


def test_xml_entities_are_refused_billion_laughs():
    """openpyxl parses through defusedxml (a dependency): a sheet declaring entities,
    each ten of the one before, is refused at once instead of expanding to 3 GB."""
    import io
    import zipfile

    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML
    ents = b'<!ENTITY lol "lollollollollollollollollollol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(make_xlsx({"S": [["a", "b"]]}))) as src, \
            zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = (b'<?xml version="1.0"?><!DOCTYPE worksheet [' + ents + b"]>"
                        + body.replace(b"<t>a</t>", b"<t>&lol9;</t>"))
            dst.writestr(info.filename, body)
    start = time.perf_counter()
    with pytest.raises(ReadError) as err:
        read_bytes("laughs.xlsx", out.getvalue())
    assert str(err.value) == messages.XLSX_DAMAGED
    assert time.perf_counter() - start < 1.0
