"""Canonical forms: ISO 8601 dates, decimal-string amounts, ISO 4217 codes.

Dates go through ``python-dateutil`` (maintained, small, handles numeric and
English month-name forms in any order given a day-first hint); what it refuses
(``31. Januar 2024``, ``12 de mayo de 2022``, ``18AVR2014``) goes to
``dateparser`` (maintained, offline, the month and weekday names of
``DATE_LANGUAGES``; imported with the first document, ~0.4 s). CJK ``年月日`` and
民國 (ROC) dates, which neither knows, are parsed here. Amounts go through
``price-parser`` (Zyte), made for exactly this: it settles ``1,234.56`` against
``1.234,56`` and strips currency marks.
"""

from __future__ import annotations

import importlib
import json
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from dateutil import parser as dateutil_parser
from price_parser import Price

from strongroom.resources import path as resource_path

_CJK_DATE = re.compile(r"(民國|民国)?\s*(\d{2,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


#: Languages whose month and weekday names are read in dates (#21); Chinese,
#: Japanese and Korean dates are the ``年月日`` form below.
DATE_LANGUAGES = ("en", "fr", "de", "es", "it", "nl")
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _plain(word: str) -> str:
    """``word`` without its accents: OCR often drops them ("fevr", "aout")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word)
                   if not unicodedata.combining(ch))


@cache
def _words(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The names ``dateparser`` knows for ``keys`` (months or weekdays) in
    ``DATE_LANGUAGES``, lower-cased, with accent-free forms, longest first. Names of
    fewer than three letters ("mi", "do") are left out: too many words start so."""
    found: set[str] = set()
    for lang in DATE_LANGUAGES:
        info = importlib.import_module(f"dateparser.data.date_translation_data.{lang}").info
        for key in keys:
            for word in info.get(key, []):
                if len(word) >= 3 and word.isalpha():
                    found.update({word.lower(), _plain(word.lower())})
    return tuple(sorted(found, key=lambda w: (-len(w), w)))


def month_names() -> tuple[str, ...]:
    return _words(_MONTH_KEYS)


def weekday_names() -> tuple[str, ...]:
    return _words(_WEEKDAY_KEYS)


def normalize_date(text: str, *, dayfirst: bool = True) -> str | None:
    """ISO 8601 date for ``text``, or None when it is not a plausible date."""
    m = _CJK_DATE.search(text)
    # Year first is year-month-day everywhere (ISO 8601, East Asia).
    yearfirst = bool(re.match(r"\s*\d{4}\D", text))
    try:
        if m:
            year = int(m.group(2)) + (1911 if m.group(1) else 0)
            parsed: date | None = date(year, int(m.group(3)), int(m.group(4)))
        elif compact := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text.strip()):
            parsed = date(*map(int, compact.groups()))
        else:
            text = _OCR_MONTHS.sub(lambda x: _OCR_MONTH_FIX[x.group(0).casefold()], text)
            parsed = _by_dateutil(text, dayfirst and not yearfirst, yearfirst)
            if parsed is None and _LETTER_DIGIT.search(text):  # "Nov11,2011"
                parsed = _by_dateutil(_LETTER_DIGIT.sub(" ", text), dayfirst and not yearfirst,
                                      yearfirst)
            if parsed is None and re.search(r"[^\W\d_]", text):
                parsed = _by_dateparser(text, "YMD" if yearfirst else "DMY" if dayfirst
                                        else "MDY")
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    if parsed is None or not 1900 <= parsed.year <= 2100:
        return None
    return parsed.isoformat()


#: Month abbreviations as OCR misreads them, a digit for a look-alike letter ("Ju1/15/2017",
#: "0ct 3, 2019", "N0v"): read as the month (``candidates.date_re`` finds them too).
_OCR_MONTH_FIX = {"ju1": "Jul", "0ct": "Oct", "n0v": "Nov"}
OCR_MONTHS = tuple(_OCR_MONTH_FIX)
_OCR_MONTHS = re.compile(rf"(?<![^\W_])(?:{'|'.join(OCR_MONTHS)})(?![^\W\d_])", re.IGNORECASE)
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)")


def _by_dateutil(text: str, dayfirst: bool, yearfirst: bool) -> date | None:
    """``dateutil``'s reading, only when the year it gives is printed: it fills a
    missing year with this one ("Mar 27"), and takes the year of "Nov11,2011" for a
    time (20:11) and this year for the date."""
    try:
        parsed = dateutil_parser.parse(text, dayfirst=dayfirst, yearfirst=yearfirst,
                                       fuzzy=False, default=None).date()
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    digits = re.sub(r"\D", "", text)
    year = f"{parsed.year:04d}"
    return parsed if year in digits or year[2:] in digits else None


def _by_dateparser(text: str, order: str) -> date | None:
    """A date with month or weekday names of ``DATE_LANGUAGES``, all of day, month and
    year printed; absolute dates only (never "yesterday" against today's clock)."""
    import dateparser

    parsed = dateparser.parse(text, languages=list(DATE_LANGUAGES), settings={
        "DATE_ORDER": order, "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["absolute-time"], "STRICT_PARSING": True,
    })
    return parsed.date() if parsed is not None else None


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
