"""Excel workbooks (.xlsx): every sheet's rows as lines, cells joined by a tab.

Bank and card exports come as spreadsheets as often as CSV: here each row becomes
one line of text, as a CSV export's would (cells joined by ``CELL_SEPARATOR``,
the separator a Word table's row gets too), so understanding sees the same shape
and a transaction stays one line its fields can be grounded in. Empty rows are
dropped; a cell reads as a person sees it: dates in ISO 8601, numbers without
float noise (``0.1 + 0.2`` is ``0.3``), with the decimals the cell's format shows.

An .xlsx is a zip: ``zipcap.check_zip`` inflates it under caps first, and
openpyxl (read-only, cached values rather than formulas) reads the uncompressed
copy from memory, through ``defusedxml`` (a dependency for that: openpyxl uses it
when installed, so XML entities, a billion laughs, are refused). Rows and cells are
counted while they stream, against ``limits.MAX_SHEET_ROWS`` and ``MAX_SHEET_CELLS``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl

from ..errors import ReadError
from . import limits, messages, zipcap
from .sniff import OLE2, sniff

#: Between the cells of a row, as in a Word table's row and a tab-separated export.
CELL_SEPARATOR = "\t"
_DECIMALS = re.compile(r"0\.(0+)")
_SPACES = re.compile(r"\s+")


def read(data: bytes) -> str:
    """The text of the workbook in ``data``: a line per non-empty row."""
    if sniff(data) == OLE2:  # Excel saves password-protected .xlsx files this way
        raise ReadError(messages.XLSX_LOCKED)
    stored = zipcap.check_zip(data, damaged=messages.XLSX_DAMAGED,
                              too_big=messages.XLSX_TOO_BIG)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(stored), read_only=True,
                                          data_only=True)
    except Exception:  # any failure inside openpyxl/lxml means a bad file
        raise ReadError(messages.XLSX_DAMAGED) from None
    try:
        text = "\n".join(_lines(workbook))
    except ReadError:
        raise
    except Exception:
        raise ReadError(messages.XLSX_DAMAGED) from None
    finally:
        workbook.close()
    if not text.strip():
        raise ReadError(messages.NO_TEXT)
    limits.check_text_size(len(text))
    return text


def _lines(workbook: Any) -> Iterator[str]:
    rows = cells = 0
    for sheet in workbook.worksheets:
        if not hasattr(sheet, "iter_rows"):  # a chart sheet
            continue
        # A sheet's declared size may be made up (A1:XFD1048576): forget it, so rows
        # are as long as their cells and not padded to it.
        sheet.reset_dimensions()
        for row in sheet.iter_rows():
            rows += 1
            cells += len(row)
            if rows > limits.MAX_SHEET_ROWS or cells > limits.MAX_SHEET_CELLS:
                raise ReadError(messages.XLSX_TOO_MANY_CELLS)
            values = [_shown(cell.value, getattr(cell, "number_format", None))
                      for cell in row]
            while values and not values[-1]:
                values.pop()
            if any(values):
                yield CELL_SEPARATOR.join(values)


def _shown(value: object, number_format: str | None) -> str:
    """A cell's value as a person reads it, on one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        return _number(value, number_format)
    # a line break or tab inside a cell would split its row or its cells
    return _SPACES.sub(" ", str(value)).strip()


def _number(value: float, number_format: str | None) -> str:
    """Excel's 15 significant digits, never in exponent form, with the decimals the
    cell's format asks for (``#,##0.00`` shows 12.5 as 12.50)."""
    try:
        number = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
    except InvalidOperation:  # inf, nan
        return str(value)
    fmt = number_format or ""
    wanted = _DECIMALS.search(fmt)
    exponent = number.as_tuple().exponent
    if wanted and "%" not in fmt and isinstance(exponent, int) \
            and -exponent <= len(wanted.group(1)):
        text = format(number.quantize(Decimal(1).scaleb(-len(wanted.group(1)))), "f")
    else:
        text = format(number.normalize(), "f")
    return "0" if text.lstrip("-").strip("0.") == "" else text
