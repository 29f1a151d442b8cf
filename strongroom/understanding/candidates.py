"""Candidate spans, found by code: every value we may store starts here.

A candidate is a span of the document text with its kind and normalized form.
The chooser (``chooser.py``) picks one per field, or none; it never invents.
``normalize_span`` gives a span the person chose (in the review) the same forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .normalize import currency_code, currency_marks, normalize_amount, normalize_date

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_PATTERNS = [
    # 14/03/2024, 03-14-24, 2024.03.14
    r"(?<![\d/.\-])(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2})"
    r"(?![\d/\-]|\.\d)",
    # 14 Mar 2024, 14-MAR-24, 14th March, 2024
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?[\s\-./]*{MONTHS}\.?[\s\-./,]*(?:\d{{4}}|\d{{2}})\b",
    # March 14, 2024
    rf"\b{MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
    # 20240314
    r"(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)",
    # 2024年3月14日, 民國113年3月14日
    r"(?:民國|民国)?\s*\d{2,4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日",
]
DATE_RE = re.compile("|".join(f"(?:{p})" for p in _DATE_PATTERNS), re.IGNORECASE)

_NUMBER = r"\d{1,3}(?:[,.'\u00a0 ]\d{3})+(?:[.,]\d{1,2})?|\d+[.,]\d{2}|\d+"
AMOUNT_RE = re.compile(rf"(?<![\d.,:/\-])-?(?:{_NUMBER})-?(?![\d%:/]|[.,]\d)")
_TIME_BEFORE = re.compile(r"\d:\s*$")


@dataclass(frozen=True)
class Line:
    no: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Candidate:
    kind: str  # "date" | "amount" | "currency" | "line" | "lines" | "text"
    start: int
    end: int
    text: str  # == document text[start:end]
    normalized: str | None
    line: int  # line number of the start
    inferred: bool = False  # the normalization is a guess (e.g. "$" → USD)
    confidence: float | None = None  # set by a chooser that can say how sure it is


def lines(text: str) -> list[Line]:
    out, pos = [], 0
    for no, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.index(stripped)
            out.append(Line(no, start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def line_at(all_lines: list[Line], offset: int) -> Line | None:
    for ln in all_lines:
        if ln.start <= offset < ln.end:
            return ln
    return None


def order_clue(text: str) -> bool | None:
    """Whether the document's own dates settle 03/04 as day-first (True) or
    month-first (False): one of them has a day over 12. None when none does."""
    for m in re.finditer(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}", text):
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            return True
        if b > 12 >= a:
            return False
    return None


def day_first(text: str, currency: str | None) -> bool:
    """Settle 03/04 as day-first or month-first: the document's own dates, else its
    currency (dollars month-first), else day-first as most of the world writes it."""
    clue = order_clue(text)
    return clue if clue is not None else currency != "USD"


def find_dates(text: str, *, dayfirst: bool = True) -> list[Candidate]:
    all_lines = lines(text)
    out = []
    for m in DATE_RE.finditer(text):
        value = m.group(0).strip()
        start = m.start() + m.group(0).index(value)
        norm = normalize_date(value, dayfirst=dayfirst)
        if norm:
            ln = line_at(all_lines, start)
            out.append(Candidate("date", start, start + len(value), value, norm,
                                 ln.no if ln else 0))
    return out


def find_amounts(text: str) -> list[Candidate]:
    """Money-looking numbers: two decimals, or an integer printed beside a
    currency mark. Dates, times and numbers inside words are left out."""
    all_lines = lines(text)
    date_spans = [(c.start, c.end) for c in find_dates(text)]
    marks = currency_marks()
    out = []
    for m in AMOUNT_RE.finditer(text):
        start, end, value = m.start(), m.end(), m.group(0)
        if any(s <= start < e for s, e in date_spans) or _TIME_BEFORE.search(text[:start]):
            continue
        in_word = (start > 0 and text[start - 1].isalpha()) or (
            end < len(text) and text[end].isalpha())
        if in_word and not _beside_mark(text, start, end, marks):
            continue
        has_decimals = re.search(r"[.,]\d{2}-?$", value) is not None
        if not has_decimals and not _beside_mark(text, start, end, marks):
            continue
        if not has_decimals and re.fullmatch(r"\d{7,}", value):
            continue  # an item or registration code, not a price
        norm = normalize_amount(value)
        if norm is None:
            continue
        ln = line_at(all_lines, start)
        out.append(Candidate("amount", start, end, value, norm, ln.no if ln else 0))
    return out


def _beside_mark(text: str, start: int, end: int, marks: list[str]) -> bool:
    before = text[max(0, start - 5) : start].rstrip()
    after = text[end : end + 5].lstrip()
    return any(before.endswith(mk) or after.startswith(mk) for mk in marks)


def find_currencies(text: str) -> list[Candidate]:
    all_lines = lines(text)
    out: list[Candidate] = []
    for mk in currency_marks():
        word = mk.isalpha() and mk.isascii()
        pattern = rf"(?<![A-Za-z]){re.escape(mk)}(?![A-Za-z])" if word else re.escape(mk)
        for m in re.finditer(pattern, text):
            if any(c.start <= m.start() < c.end for c in out):
                continue  # "HK$" already claimed this "$"
            code, inferred = currency_code(mk, text=text)
            ln = line_at(all_lines, m.start())
            out.append(Candidate("currency", m.start(), m.end(), mk, code,
                                 ln.no if ln else 0, inferred))
    return sorted(out, key=lambda c: c.start)


_TRAILING_REG = re.compile(r"\s*[(<\[]\s*(?:co\.?\s*(?:reg\.?)?\s*no\.?\s*:?\s*)?"
                          r"[A-Z]{0,3}\d[\dA-Z\s\-.]*[)>\]]\s*$", re.IGNORECASE)


#: Where another label starts on the same line: "Jane Roe MRN: 0043" ends at "MRN:".
_NEXT_LABEL = re.compile(r"\s+(?=[A-Z][\w.'’]*(?: [a-z][\w.'’]*){0,2}\s?[:：])")
_PAGE_MARK = re.compile(r"[\s\-–|·]*\bpage \d+(?: of \d+)?\s*$", re.IGNORECASE)
_COLUMN_GAP = re.compile(r"\s{3,}|\t")
#: An IBAN printed in groups of four ("GB29 NWBK 6016 1331 9268 19"): one number.
_GROUPED_IBAN = re.compile(r"[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?(?![A-Z0-9])")


def line_candidates(text: str, *, first: int = 10) -> list[Candidate]:
    """Lines near the top, and pairs of them (names printed over two lines),
    without a trailing registration number such as "(123456-X)"."""
    top = lines(text)[:first]
    out = []
    for i, ln in enumerate(top):
        spans = [(ln.start, ln.end)]
        if i + 1 < len(top) and top[i + 1].no == ln.no + 1:
            spans.append((ln.start, top[i + 1].end))
        for start, end in spans:
            value = text[start:end]
            if "\n" not in value:  # a wide gap starts the next column ("Bank    Page 1")
                value = _PAGE_MARK.sub("", _COLUMN_GAP.split(value)[0]).rstrip()
            trimmed = _TRAILING_REG.sub("", value)
            if trimmed.strip():
                end = start + len(trimmed)
                out.append(Candidate("line", start, end, text[start:end],
                                     " ".join(text[start:end].split()), ln.no))
    return out


def keyword_spans(text: str, keywords: list[str]) -> Iterator[tuple[Line, re.Match[str]]]:
    """(line, where the keyword is on it) for each line holding a keyword, in
    keyword order."""
    all_lines = lines(text)
    for kw in keywords:
        pattern = re.compile(rf"(?<![A-Za-z]){re.escape(kw)}(?![A-Za-z])", re.IGNORECASE)
        for ln in all_lines:
            if m := pattern.search(ln.text):
                yield ln, m


#: What separates a label from its value, full-width CJK forms included.
_LABEL_PUNCT = " \t:：#.-–=|\u3000"
#: The rest of a longer label after the keyword, up to its colon: "PAYER'S name:",
#: "Employee Name:", 纳税人"名称："; a few words, no digits (not "12/01 Time:").
_LABEL_TAIL = re.compile(r"(?:['’][sS])?(?:[^\S\n]*[^\W\d_]+){1,2}[^\S\n]*[:：]")


def labelled_candidates(text: str, keywords: list[str], *, number: bool = False
                        ) -> list[Candidate]:
    """The text printed after a label ("Patient: Jane Roe", "Invoice no. 123"),
    on the same line, or on the next line when the label stands alone."""
    all_lines = lines(text)
    out: list[Candidate] = []
    for ln, m in keyword_spans(text, keywords):
        rest_at = ln.start + m.end()
        if tail := _LABEL_TAIL.match(text, rest_at, ln.end):
            rest_at = tail.end()
        rest = text[rest_at : ln.end]
        lead = len(rest) - len(rest.lstrip(_LABEL_PUNCT))
        start, value = rest_at + lead, rest.lstrip(_LABEL_PUNCT)
        if not value:
            nxt = next((x for x in all_lines if x.no > ln.no), None)
            if nxt is None or nxt.no > ln.no + 1:
                continue
            start, value = nxt.start, nxt.text
        if number:
            tok = _GROUPED_IBAN.match(value) or re.match(r"[A-Za-z0-9][A-Za-z0-9\-/_.]*", value)
            if not tok or not re.search(r"\d", tok.group(0)):
                continue
            value = tok.group(0).rstrip(".")
        else:
            value = re.split(r"\s{2,}|\t", value)[0].strip()  # the next column starts
            value = _NEXT_LABEL.split(value)[0].strip()  # or the next label ("MRN: 1")
        if value:
            out.append(Candidate("text", start, start + len(value), value, value, ln.no))
    return out


def normalize_span(kind: str, value: str, text: str) -> tuple[str | None, bool]:
    """(normalized, inferred) for a span the user chose as a field of ``kind``:
    the same forms the finders give (ISO dates with the document's day-first hint,
    decimal amounts, ISO 4217 codes, text with its spaces collapsed)."""
    if kind == "date":
        codes = [c.normalized for c in find_currencies(text) if c.normalized]
        return normalize_date(value, dayfirst=day_first(text, codes[0] if codes else None)), False
    if kind == "amount":
        return normalize_amount(value), False
    if kind == "currency":
        return currency_code(value, text=text)
    return " ".join(value.split()), False
