"""OFX/QFX bank and card exports: the statement as lines a person would read.

OFX 1.x (SGML) and 2.x (XML) are both parsed by ``ofxtools``, whose tokenizer is
a regular expression over the tags: no DTD, no entities, nothing fetched. What
comes out is written as text: the bank (its name from the sign-on, where the
file gives one), the account (as the file prints it: banks mask it
themselves), the currency, the period, any balances the bank lists (an opening
balance among them, where it gives one), a header line and one line per
transaction (date, amount, payee, memo, joined by tabs as an export's cells
are), then the closing (ledger) and available balances. Each transaction stays
one line, so its fields can be grounded in it.

Refused before parsing: anything without an OFX header, and more than
``limits.MAX_OFX_TRANSACTIONS`` transactions. ofxtools' own errors and logs
quote the file, so neither is let through.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from ofxtools.Parser import OFXTree

from ..errors import ReadError
from . import limits, messages

CELL_SEPARATOR = "\t"
#: Column names of the transaction lines.
HEADER = CELL_SEPARATOR.join(("Date", "Amount", "Payee", "Memo"))
_OFX_START = re.compile(rb"OFXHEADER|<OFX>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_TITLES = {"STMTRS": "Bank statement", "CCSTMTRS": "Credit card statement"}

# ofxtools logs tags and their text at DEBUG: document content never reaches a log.
logging.getLogger("ofxtools").setLevel(logging.CRITICAL + 1)


def read(data: bytes) -> str:
    """The statements in the OFX/QFX file ``data`` as text."""
    if not _OFX_START.search(data[:4096]):
        raise ReadError(messages.OFX_DAMAGED)
    if data.count(b"<STMTTRN>") > limits.MAX_OFX_TRANSACTIONS:
        raise ReadError(messages.OFX_TOO_MANY)
    try:
        tree = OFXTree()
        root = tree.parse(io.BytesIO(data))
        for element in root.iter():
            # the day as the bank printed it: ofxtools turns "20240103000000[+1:CET]"
            # into UTC, 2 January 23:00; only the day is shown, so keep only the day
            if element.tag.startswith("DT") and element.text:
                element.text = element.text.strip()[:8]
        converted = tree.convert()
        statements = list(converted.statements)
        sonrs = getattr(getattr(converted, "signonmsgsrsv1", None), "sonrs", None)
        institution = getattr(getattr(sonrs, "fi", None), "org", None)
    except Exception:  # ofxtools raises parse, header and validation errors that quote the file
        raise ReadError(messages.OFX_DAMAGED) from None
    statements = [s for s in statements if type(s).__name__ in _TITLES]
    if not statements:
        raise ReadError(messages.OFX_NO_STATEMENT)
    text = "\n\n".join("\n".join(_statement(s, institution)) for s in statements)
    limits.check_text_size(len(text))
    return text


def _statement(stmt: Any, institution: str | None) -> Iterator[str]:
    yield _TITLES[type(stmt).__name__]
    if institution:
        yield f"Bank: {_one_line(institution)}"
    account = stmt.account
    if getattr(account, "bankid", None):
        yield f"Bank ID: {_one_line(account.bankid)}"
    kind = getattr(account, "accttype", None)
    yield f"Account: {_one_line(account.acctid)}" + (f" ({kind.title()})" if kind else "")
    yield f"Currency: {stmt.curdef}"
    transactions = stmt.banktranlist
    if transactions is not None:
        yield f"Period: {_day(transactions.dtstart)} to {_day(transactions.dtend)}"
    for balance in stmt.ballist or ():
        yield f"{_one_line(balance.name)}: {_decimal(balance.value)}" + _as_of(balance.dtasof)
    if transactions is not None and len(transactions):
        yield HEADER
        for trn in transactions:
            payee = trn.name or (trn.payee.name if trn.payee is not None else "") or ""
            yield CELL_SEPARATOR.join((_day(trn.dtposted), _decimal(trn.trnamt),
                                       _one_line(payee), _one_line(trn.memo or "")))
    if stmt.ledgerbal is not None:
        yield f"Closing balance: {_decimal(stmt.ledgerbal.balamt)}" + _as_of(
            stmt.ledgerbal.dtasof)
    if stmt.availbal is not None:
        yield f"Available balance: {_decimal(stmt.availbal.balamt)}" + _as_of(
            stmt.availbal.dtasof)


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment is not None else ""


def _as_of(moment: datetime | None) -> str:
    return f" on {_day(moment)}" if moment is not None else ""


def _decimal(value: Decimal | None) -> str:
    return format(value, "f") if value is not None else ""


def _one_line(value: object) -> str:
    return _SPACES.sub(" ", str(value)).strip()
