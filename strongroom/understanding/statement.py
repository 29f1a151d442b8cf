"""Bank statements and exports: the transactions, and whether they add up (#22).

A statement's text, from a CSV export, an Excel workbook (``reading/xlsx.py``) or an
OFX file (``reading/ofx.py``), holds its transactions as rows: one line each, cells
split by a tab, a semicolon or a comma. ``transactions`` finds the header row by its
column names (English, German, French, Spanish, Dutch, Chinese; ``_COLUMNS``) and
reads each row's amount: one signed amount column ("Betrag", "Amount"), or a debit and
a credit column ("Soll"/"Haben", "Paid out"/"Paid in") — the two layouts exports use.
A running balance column ("Saldo", "Balance"), where there is one, gives the balance
before the first and after the last row, whichever way the rows are sorted.

``balance_check`` then says whether opening balance + the sum of the rows is the
closing balance, and by how much it is not. ``ground`` finds the two balances in the
text (a labelled line, else the running balance column) as grounded values, for a
statement whose fields were not otherwise found.

Every cell is located by its offsets in the text, so a value taken from it keeps the
vault's rule: it is exactly the text at its span.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .candidates import AMOUNT_RE, Line, lines
from .normalize import normalize_amount
from .result import FieldValue

OPENING, CLOSING = "opening_balance", "closing_balance"
#: Lines looked at for the header row (exports put a few lines of account data first).
_HEADER_WITHIN = 60
_SEPARATORS = ("\t", ";", ",")

_AMOUNT, _DEBIT, _CREDIT, _BALANCE = "amount", "debit", "credit", "balance"
#: Column names, lower-cased, with any unit in brackets and currency codes taken off.
_COLUMNS = {
    _AMOUNT: {"amount", "transaction amount", "betrag", "umsatz", "buchungsbetrag",
              "montant", "importe", "bedrag", "金额", "交易金额", "金額"},
    _DEBIT: {"debit", "debits", "debit amount", "withdrawal", "withdrawals", "paid out",
             "money out", "soll", "lastschrift", "belastung", "ausgang", "débit",
             "cargo", "af", "支出", "借方金额"},
    _CREDIT: {"credit", "credits", "credit amount", "deposit", "deposits", "paid in",
              "money in", "haben", "gutschrift", "eingang", "crédit", "abono", "bij",
              "收入", "贷方金额"},
    _BALANCE: {"balance", "running balance", "running bal", "saldo", "kontostand", "solde",
               "余额", "餘額", "balance after"},
}
_UNIT = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\b(?:in\s+)?(?:eur|usd|gbp|chf|cny|rmb)\b|[€$£¥:]",
                   re.IGNORECASE)
_OPENING_LABEL = re.compile(
    r"opening balance|previous balance|balance brought forward|beginning balance|"
    r"starting balance|anfangssaldo|alter (?:konto)?stand|saldo alt|startsaldo|"
    r"solde (?:initial|précédent)|ancien solde|期初余额|上期余额|上期餘額", re.IGNORECASE)
_CLOSING_LABEL = re.compile(
    r"closing balance|ending balance|new balance|balance carried forward|final balance|"
    r"endsaldo|schlusssaldo|neuer (?:konto)?stand|saldo neu|solde final|nouveau solde|"
    r"期末余额|本期余额|本期餘額", re.IGNORECASE)
#: What a money cell may hold beside its number: currency, sign and debit/credit marks.
_AROUND = re.compile(r"^[\s()+\-−€$£¥]*(?:[A-Z]{3})?[\s()+\-−€$£¥]*"
                     r"(?:[A-Z]{3}|CR|DR|S|H)?[\s()+\-−]*$")
#: No column name or money cell is longer (and the patterns never see longer ones).
_LONGEST_NAME, _LONGEST_MONEY = 60, 40
_TWO_DECIMALS = re.compile(r"[.,]\d{2}-?$")
_PLAIN = re.compile(r"-?\d+(?:[.,]\d{1,2})?")


@dataclass(frozen=True)
class Money:
    """An amount in the text: its value and where it is printed."""

    value: Decimal
    span: tuple[int, int]


@dataclass(frozen=True)
class Transactions:
    """The rows of a statement, in the order the text prints them."""

    amounts: list[Decimal]
    #: The running balance after each row, where the export has a balance column.
    balances: list[Money] | None

    def ends(self) -> tuple[Money, Money, Decimal] | None:
        """(the balance after the first row in time, after the last, the first row's
        amount) when the balance column is a running balance: each row's balance is
        the one before it plus its amount, oldest first or newest first."""
        b, a = self.balances, self.amounts
        if not b or len(b) != len(a) or len(a) < 2:
            return None
        up = sum(1 for i in range(1, len(a)) if b[i - 1].value + a[i] == b[i].value)
        down = sum(1 for i in range(1, len(a)) if b[i].value + a[i - 1] == b[i - 1].value)
        if max(up, down) < (len(a) - 1) / 2:  # not a running balance
            return None
        return (b[0], b[-1], a[0]) if up >= down else (b[-1], b[0], a[-1])


def transactions(text: str) -> Transactions | None:
    """The transaction rows under the first header row that names an amount
    column (or a debit and a credit column); None when there is none."""
    all_lines = lines(text)
    for ln in all_lines[:_HEADER_WITHIN]:
        for sep in _SEPARATORS:
            if sep not in ln.text:
                continue
            columns = _header(ln.text, sep)
            if columns is not None:
                return _rows(text, all_lines, ln.no, sep, columns)
    return None


def _header(line: str, sep: str) -> dict[str, int] | None:
    names = [_UNIT.sub(" ", cell).strip().lower() if len(cell) <= _LONGEST_NAME else ""
             for cell, _s, _e in _cells(line, sep)]
    names = [" ".join(n.rstrip(".").split()) for n in names]
    columns: dict[str, int] = {}
    for role, words in _COLUMNS.items():
        at = next((i for i, n in enumerate(names) if n in words), None)
        if at is not None:
            columns[role] = at
    if _AMOUNT in columns or (_DEBIT in columns and _CREDIT in columns):
        return columns
    return None


def _rows(text: str, all_lines: list[Line], header_no: int, sep: str,
          columns: dict[str, int]) -> Transactions | None:
    amounts: list[Decimal] = []
    balances: list[Money] = []
    for ln in all_lines:
        if ln.no <= header_no or sep not in ln.text:
            continue
        cells = [(c, ln.start + s, ln.start + e) for c, s, e in _cells(ln.text, sep)]
        amount = _row_amount(cells, columns)
        if amount is None:
            continue
        amounts.append(amount)
        if _BALANCE in columns and columns[_BALANCE] < len(cells):
            balance = money(*cells[columns[_BALANCE]])
            if balance is not None:
                balances.append(balance)
    if not amounts:
        return None
    return Transactions(amounts, balances if len(balances) == len(amounts) else None)


def _row_amount(cells: list[tuple[str, int, int]], columns: dict[str, int]) -> Decimal | None:
    def at(role: str) -> Money | None:
        i = columns.get(role)
        return money(*cells[i]) if i is not None and i < len(cells) else None

    if _AMOUNT in columns:
        signed = at(_AMOUNT)
        return signed.value if signed is not None else None
    debit, credit = at(_DEBIT), at(_CREDIT)
    if debit is None and credit is None:
        return None
    return (credit.value if credit else Decimal(0)) - (abs(debit.value) if debit else 0)


def money(cell: str, start: int, end: int) -> Money | None:
    """The amount a cell holds ("-1.234,56 €", "(12.50)", "45,20 S", "2500"), or None
    for a cell that holds anything else (a date, a word, two numbers)."""
    if len(cell) > _LONGEST_MONEY:
        return None
    found = list(AMOUNT_RE.finditer(cell))
    if len(found) != 1:
        return None
    m = found[0]
    around = cell[:m.start()] + " " + cell[m.end():]
    if not _AROUND.match(around):
        return None
    value = _plain(m.group(0))
    if value is None:
        return None
    before, after = cell[:m.start()], cell[m.end():].strip()
    negative = value < 0 or "−" in before or "-" in before or (
        "(" in before and ")" in after) or after.endswith(("DR", "S")) or after == "-"
    return Money(-abs(value) if negative else abs(value), (start + m.start(), start + m.end()))


def _plain(number: str) -> Decimal | None:
    """A number's value: plain ones ("-45.20", "2500", "45,20") directly, any other
    ("1.234,56", "1,234.56") by ``normalize_amount``, forty times slower."""
    plain = _PLAIN.fullmatch(number)
    try:
        if plain is not None:
            return Decimal(number.replace(",", "."))
        normalized = normalize_amount(number)
        return Decimal(normalized) if normalized else None
    except InvalidOperation:
        return None


def _cells(line: str, sep: str) -> Iterator[tuple[str, int, int]]:
    """A row's cells with their offsets in ``line``, quotes taken off ("a;b" in
    quotes is one cell). Linear: each character is looked at once."""
    i, n = 0, len(line)
    while i <= n:
        if i < n and line[i] == '"':
            j = i + 1
            while j < n:
                if line[j] == '"' and (j + 1 >= n or line[j + 1] != '"'):
                    break
                j += 2 if line[j] == '"' else 1
            yield line[i + 1:j], i + 1, j
            nxt = line.find(sep, j)
        else:
            nxt = line.find(sep, i)
            stop = n if nxt < 0 else nxt
            yield line[i:stop], i, stop
        if nxt < 0:
            return
        i = nxt + len(sep)


def _labelled(text: str, label: re.Pattern[str]) -> Money | None:
    """The first two-decimal amount after the last ``label`` on its line (one pass of
    the pattern over the text, not one per line)."""
    found = None
    for m in label.finditer(text):
        end = text.find("\n", m.end())
        for a in AMOUNT_RE.finditer(text, m.end(), len(text) if end < 0 else end):
            if _TWO_DECIMALS.search(a.group(0)):
                value = money(a.group(0), a.start(), a.end())
                if value is not None:
                    found = value
                break
    return found


def ground(text: str) -> dict[str, FieldValue]:
    """The opening and closing balance where the text prints them: on a labelled line
    ("Opening balance: 1,000.00", "Endsaldo;2.604,80"), else the running balance
    column (before the first row in time: that row's balance less its amount, which
    is not printed, so only the closing balance comes from the column)."""
    out: dict[str, FieldValue] = {}
    table = transactions(text)
    ends = table.ends() if table is not None else None
    for name, label in ((OPENING, _OPENING_LABEL), (CLOSING, _CLOSING_LABEL)):
        found = _labelled(text, label)
        if found is None and name == CLOSING and ends is not None:
            found = ends[1]
        if found is not None:
            start, end = found.span
            out[name] = FieldValue(value=text[start:end], normalized=str(found.value),
                                   span=found.span)
    return out


def balance_check(text: str, fields: Mapping[str, FieldValue]) -> Iterator[tuple[bool, str]]:
    """Whether opening balance + the rows is the closing balance: (agrees, in words).

    The balances are the fields' (or, for the opening one, the balance before the
    first row of a running balance column); nothing is said without a table of
    transactions or without both balances."""
    table = transactions(text)
    if table is None:
        return
    ends = table.ends()
    opening = _value(fields.get(OPENING))
    if opening is None and ends is not None:
        opening = ends[0].value - ends[2]
    closing = _value(fields.get(CLOSING))
    if closing is None and ends is not None:
        closing = ends[1].value
    if opening is None or closing is None:
        return
    n, total = len(table.amounts), sum(table.amounts, Decimal(0))
    rows = f"the {n} transaction{'s' if n != 1 else ''} ({_signed(total)})"
    reached = opening + total
    if reached == closing:
        yield True, f"Opening balance {opening} plus {rows} is the closing balance {closing}."
    else:
        yield False, (f"Does not add up: opening balance {opening} plus {rows} is {reached}, "
                      f"not the closing balance {closing} (off by {abs(reached - closing)}).")


def _value(fv: FieldValue | None) -> Decimal | None:
    if fv is None or not fv.normalized:
        return None
    try:
        return Decimal(fv.normalized)
    except InvalidOperation:
        return None


def _signed(d: Decimal) -> str:
    return f"+{d}" if d > 0 else str(d)
