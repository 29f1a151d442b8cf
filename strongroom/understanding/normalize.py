"""Canonical forms: ISO 8601 dates, decimal-string amounts, ISO 4217 codes.

Dates go through ``python-dateutil`` (maintained, small, handles numeric and
month-name forms in any order given a day-first hint); CJK ``年月日`` and
民國 (ROC) dates, which it does not know, are parsed here. Amounts go through
``price-parser`` (Zyte), made for exactly this: it settles ``1,234.56`` against
``1.234,56`` and strips currency marks.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from dateutil import parser as dateparser
from price_parser import Price

from strongroom.resources import path as resource_path

_CJK_DATE = re.compile(r"(民國|民国)?\s*(\d{2,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def normalize_date(text: str, *, dayfirst: bool = True) -> str | None:
    """ISO 8601 date for ``text``, or None when it is not a plausible date."""
    m = _CJK_DATE.search(text)
    try:
        if m:
            year = int(m.group(2)) + (1911 if m.group(1) else 0)
            parsed = date(year, int(m.group(3)), int(m.group(4)))
        else:
            compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text.strip())
            if compact:
                parsed = date(*map(int, compact.groups()))
            else:
                # Year first is year-month-day everywhere (ISO 8601, East Asia).
                yearfirst = bool(re.match(r"\s*\d{4}\D", text))
                parsed = dateparser.parse(
                    text, dayfirst=dayfirst and not yearfirst, yearfirst=yearfirst, fuzzy=False,
                    default=None,
                ).date()
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    if not 1900 <= parsed.year <= 2100:
        return None
    return parsed.isoformat()


def normalize_amount(text: str) -> str | None:
    """Decimal string for a printed amount (``"1.234,56 €"`` → ``"1234.56"``)."""
    negative = text.strip().startswith("-") or text.strip().endswith("-")
    amount = Price.fromstring(text).amount
    if amount is None:
        return None
    try:
        value = Decimal(amount)
    except InvalidOperation:
        return None
    return str(-value if negative and value > 0 else value)


@cache
def _currencies() -> dict[str, dict[str, str] | list[str]]:
    data: dict[str, dict[str, str] | list[str]] = json.loads(
        resource_path("currencies.json").read_text(encoding="utf-8")
    )
    return data


def currency_marks() -> list[str]:
    """Every mark we recognise, longest first (so ``HK$`` wins over ``$``)."""
    data = _currencies()
    marks = [*data["codes"], *data["marks"], *data["ambiguous"]]
    return sorted(set(marks), key=len, reverse=True)


def currency_code(mark: str, *, text: str = "") -> tuple[str | None, bool]:
    """(ISO 4217 code, inferred) for a printed mark. ``inferred`` is True when
    the mark is shared by several currencies and the code is a guess."""
    data = _currencies()
    upper = mark.upper()
    if upper in data["codes"]:
        aliases = data["aliases"]
        assert isinstance(aliases, dict)
        return aliases.get(upper, upper), False
    marks = data["marks"]
    assert isinstance(marks, dict)
    if mark in marks:
        return marks[mark], False
    if upper in marks:
        return marks[upper], False
    ambiguous = data["ambiguous"]
    assert isinstance(ambiguous, dict)
    if mark in ambiguous:
        if mark in "¥￥" and re.search(r"[\u4e00-\u9fff]", text) and not re.search(
            r"[\u3040-\u30ff]", text
        ):
            return "CNY", True  # Chinese text without kana: yuan rather than yen
        return ambiguous[mark], True
    return None, False
