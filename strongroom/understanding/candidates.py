"""Candidate spans, found by code: every value we may store starts here.

A candidate is a span of the document text with its kind and normalized form.
The chooser (``chooser.py``) picks one per field, or none; it never invents.
``normalize_span`` gives a span the person chose (in the review) the same forms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from .normalize import (
    OCR_MONTHS,
    currency_code,
    currency_marks,
    month_names,
    normalize_amount,
    normalize_date,
    weekday_names,
)

_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th|er|e|º|°)?\.?"
#: A year: four digits (a time may be glued on: "201810:32"), an apostrophe and two
#: ("Jul19'14"), or two not followed by decimals (not "1 SET 15.90").
_YEAR4 = r"(?:19|20)\d{2}(?=\d{1,2}:\d\d|\D|$)"
_YEAR_APOSTROPHE = r"['’‘`]\s?\d{2}(?!\d)"
_YEAR2 = r"\d{2}(?!\d|[.,:]\d)"
_YEAR = rf"(?:{_YEAR4}|{_YEAR_APOSTROPHE}|{_YEAR2})"
_NUMERIC_DATES = [
    # 14/03/2024, 03-14-24, 2024.03.14 (a time may follow: "03/14/2018 10:32AM")
    r"(?<![\d/.\-])(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2})"
    r"(?![\d/\-]|\.\d)",
    # the same with a time glued on by OCR: "03/14/201810:32AM", "2018-03-1410:32"
    r"(?<![\d/.\-])(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)\d{2}|\d{4}[/.\-]\d{1,2}[/.\-]\d{2})"
    r"(?=\d{1,2}:\d\d)",
    # 20240314
    r"(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)",
    # 2024年3月14日, 民國113年3月14日 (not tried again inside a run of spaces: the
    # match starts at the run's start anyway, and each start made a long run quadratic)
    r"(?:民國|民国)?(?<!\s)\s*\d{2,4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日",
]


_Trie = dict[str, "_Trie"]


def _alternation(words: tuple[str, ...]) -> str:
    """A regex matching any of ``words``, as a trie ("ma(?:i|y|r(?:s|ch)?)"): a flat
    alternation of two hundred month and weekday names, tried at every word, made
    finding dates three times slower."""
    trie: _Trie = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return "(?:" + emit(trie) + ")"


@cache
def date_re(*, ocr_months: bool = True) -> re.Pattern[str]:
    """Every printed date form we read, numeric or with month names in the languages
    of ``normalize.DATE_LANGUAGES`` (names from ``dateparser``'s data), spaces
    optional since OCR often drops them: "14 Mar 2024", "31. Januar 2024",
    "12 de mayo de 2022", "18AVR2014", "Tuesday,March27th2018", "Sep1.2017"; with
    ``ocr_months`` also a month OCR misread ("Ju1/15/2017"). The router's features
    leave those out: they are counted as its shipped weights were fit."""
    names = _alternation(month_names())
    if ocr_months:
        names = f"(?:{names}|{'|'.join(OCR_MONTHS)})"
    month = names + r"(?![^\W\d_])\.?"
    weekday = _alternation(weekday_names()) + r"\.?"
    named = [
        # 14 Mar 2024, 14-MAR-24, 14th March, 2024, 31. Januar 2024, 12 de mayo de 2022
        rf"(?<!\d){_DAY}[\s\-./,]*(?:de\s+)?{month}[\s\-./,]*(?:de(?:l)?\s+)?{_YEAR}",
        # March 14, 2024, Jul19'14, Sep1.2017, and a weekday before it (cut off below)
        # (two-digit years only after a space, a dash or a slash: not "SET 15.90")
        rf"(?<![^\W\d_])(?:{weekday}[\s,.]*)?{month}[\s\-./]*{_DAY}"
        rf"(?:[\s,.\-/]*{_YEAR4}|[\s,]*{_YEAR_APOSTROPHE}|[\s\-/]+{_YEAR2})",
    ]
    return re.compile("|".join(f"(?:{p})" for p in _NUMERIC_DATES + named), re.IGNORECASE)


@cache
def _weekday_lead() -> re.Pattern[str]:
    """A weekday before a month name ("Tuesday,March"), not a month that shares its
    letters with one ("Mar 27": French "mar." is Tuesday)."""
    return re.compile(_alternation(weekday_names())
                      + rf"\.?[\s,.]*(?={_alternation(month_names())}(?![^\W\d_]))",
                      re.IGNORECASE)


_NUMBER = r"\d{1,3}(?:[,.'\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+[.,]\d{2}|\d+"
AMOUNT_RE = re.compile(rf"(?<![\d.,:/\-])-?(?:{_NUMBER})-?(?![\d%:/]|[.,]\d)")
#: An amount OCR split before its decimal point ("$65 .36"): read as one after a mark.
_SPACED_DECIMALS = re.compile(r"(?<![\d.,:/\-])\d{1,7} \.\d{2}(?![\d%:/]|[.,]\d)")


@dataclass(frozen=True)
class Line:
    no: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Candidate:
    kind: str  # "date" | "amount" | "currency" | "line" | "lines" | "text" | "party" | …
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
    """The line holding ``offset`` (one lookup: ``LineIndex`` for many)."""
    return LineIndex(all_lines).at(offset)


class LineIndex:
    """The line holding an offset, by bisection over the lines' starts: a scan of
    every line per candidate made a 20,000-row bank export take minutes (#22)."""

    def __init__(self, all_lines: list[Line]) -> None:
        self.lines = all_lines
        self.starts = [ln.start for ln in all_lines]

    def at(self, offset: int) -> Line | None:
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.lines[i].end:
            return self.lines[i]
        return None

    def no_at(self, offset: int) -> int:
        """The line number at ``offset``, 0 between lines (as the finders count)."""
        ln = self.at(offset)
        return ln.no if ln else 0


class SpanIndex:
    """Whether an offset falls in one of a set of spans, by bisection (#22)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _e in spans]
        self.reach: list[int] = []  # the furthest end of the spans so far
        for _s, e in spans:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def covers(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.reach[i]


def _time_before(text: str, start: int) -> bool:
    r"""A time's colon right before ``start``, spaces allowed ("10: 30"): what
    ``re.search(r"\d:\s*$", text[:start])`` says, without reading the whole prefix."""
    i = start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i >= 2 and text[i - 1] == ":" and text[i - 2].isdecimal()


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


#: Country hints for the order of 03/04 where a document's own dates do not settle it:
#: (pattern, day-first). A North American phone or a US state and ZIP code say
#: month-first; a telephone's country code other than +1, or a tax named as Europe
#: names it (MwSt, TVA, IVA, BTW, VAT), say day-first.
_ORDER_HINTS = (
    (re.compile(r"(?<![\d+])(?:\+?1[\s.\-])?\(\d{3}\)\s?\d{3}[\s.\-]\d{4}(?!\d)"
                r"|(?<![\d+])\+1[\s.\-]?\d{3}[\s.\-]\d{3}[\s.\-]\d{4}(?!\d)"), False),
    (re.compile(r"\b(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]"
                r"|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY]),?\s+\d{5}(?:-\d{4})?\b"), False),
    (re.compile(r"\+(?:[02-9]\d{0,2})[\s.\-]?\(?\d"), True),
    (re.compile(r"\b(?:mwst|ust|tva|iva|btw|vat|moms|alv)\b", re.IGNORECASE), True),
)


def order_hint(text: str) -> bool | None:
    """Day-first (True) or month-first (False) by the country the document points
    at: phone numbers, US addresses, the tax's name, and month names printed
    day first ("27 March") or month first ("March 27"). None when the hints are
    even."""
    votes = [day for pattern, day in _ORDER_HINTS if pattern.search(text)]
    for m in date_re().finditer(text):
        lead = m.group(0).lstrip()
        if lead[:1].isdigit() and re.search(r"[^\W\d_]{3}", lead):
            votes.append(True)  # "27 March 2018", "31. Januar 2024"
        elif lead[:1].isalpha() and not _CJK.search(lead):
            votes.append(False)  # "March 27, 2018"
    day, month = votes.count(True), votes.count(False)
    return None if day == month else day > month


_CJK = re.compile(r"[年月日]")


def day_first(text: str, currency: str | None, *, inferred: bool = False) -> bool:
    """Settle 03/04 as day-first or month-first, by the evidence in this order: the
    document's own dates (a day over 12); its currency when printed as itself
    (dollars month-first); country hints (``order_hint``); a currency guessed from a
    shared mark ("$" taken for dollars: month-first); else day-first as most of the
    world writes it."""
    clue = order_clue(text)
    if clue is not None:
        return clue
    if currency is not None and not inferred:
        return currency != "USD"
    hint = order_hint(text)
    if hint is not None:
        return hint
    return currency != "USD"


def document_day_first(text: str) -> bool:
    """``day_first`` with the document's main currency found here."""
    main = main_currency(find_currencies(text))
    return day_first(text, main.normalized if main else None,
                     inferred=main.inferred if main else False)


def find_dates(text: str, *, dayfirst: bool = True) -> list[Candidate]:
    index = LineIndex(lines(text))
    out = []
    for m in date_re().finditer(text):
        value = m.group(0).strip()
        start = m.start() + m.group(0).index(value)
        if lead := _weekday_lead().match(value):  # "Tuesday, March 27": the date is after
            value, start = value[lead.end():], start + lead.end()
        norm = normalize_date(value, dayfirst=dayfirst)
        if norm:
            out.append(Candidate("date", start, start + len(value), value, norm,
                                 index.no_at(start)))
    return out


def find_amounts(text: str) -> list[Candidate]:
    """Money-looking numbers: two decimals, or an integer printed beside a
    currency mark (also one OCR split before its decimal point, "$65 .36"). Dates,
    times and numbers inside words are left out."""
    index = LineIndex(lines(text))
    date_spans = SpanIndex([(c.start, c.end) for c in find_dates(text)])
    marks = currency_marks()
    out = _spaced_amounts(text, marks, index, date_spans)
    split = {c.start for c in out}
    for m in AMOUNT_RE.finditer(text):
        start, end, value = m.start(), m.end(), m.group(0)
        if start in split or date_spans.covers(start) or _time_before(text, start):
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
        out.append(Candidate("amount", start, end, value, norm, index.no_at(start)))
    out.sort(key=lambda c: c.start)
    return out


def _spaced_amounts(text: str, marks: list[str], index: LineIndex,
                    date_spans: SpanIndex) -> list[Candidate]:
    """Amounts OCR split before the decimal point ("$65 .36"), beside a currency mark."""
    out = []
    for m in _SPACED_DECIMALS.finditer(text):
        start, end, value = m.start(), m.end(), m.group(0)
        if _beside_mark(text, start, end, marks) and not date_spans.covers(start):
            norm = normalize_amount(value.replace(" ", ""))
            if norm is not None:
                out.append(Candidate("amount", start, end, value, norm, index.no_at(start)))
    return out


def _beside_mark(text: str, start: int, end: int, marks: list[str]) -> bool:
    before = text[max(0, start - 6) : start].rstrip()
    after = text[end : end + 6].lstrip()
    return any(_ends_with_mark(before, mk) or _ends_with_mark(after[::-1], mk[::-1])
               for mk in marks)


def _ends_with_mark(s: str, mark: str) -> bool:
    """``s`` ends with ``mark``, and a three-letter code is not the end of a word
    ("TUAH 9" is no hryvnia, "CAKES 2" no shilling)."""
    if not s.endswith(mark):
        return False
    code = len(mark) == 3 and mark.isalpha() and mark.isupper()
    return not (code and len(s) > 3 and s[-4].isalpha())


def find_currencies(text: str) -> list[Candidate]:
    index = LineIndex(lines(text))
    out: list[Candidate] = []
    claimed: set[int] = set()  # offsets inside a mark already found
    for mk in currency_marks():
        word = mk.isalpha() and mk.isascii()
        pattern = rf"(?<![A-Za-z]){re.escape(mk)}(?![A-Za-z])" if word else re.escape(mk)
        found: tuple[str | None, bool] | None = None  # the code reads the whole text: once
        for m in re.finditer(pattern, text):
            if m.start() in claimed:
                continue  # "HK$" already claimed this "$"
            code, inferred = found = found or currency_code(mk, text=text)
            claimed.update(range(m.start(), m.end()))
            out.append(Candidate("currency", m.start(), m.end(), mk, code,
                                 index.no_at(m.start()), inferred))
    return sorted(out, key=lambda c: c.start)


def main_currency(cands: list[Candidate]) -> Candidate | None:
    """The most printed known currency, at its first mark that is not a guess."""
    known = [c for c in cands if c.normalized]
    if not known:
        return None
    top = Counter(c.normalized for c in known).most_common(1)[0][0]
    same = [c for c in known if c.normalized == top]
    return min(same, key=lambda c: (c.inferred, c.start))


#: (Each pattern that sees a whole line starts where no run of its leading characters
#: is under way, ``(?<!\s)``: the leftmost match starts there anyway, and starting
#: again inside a run of 100,000 spaces or dashes made each ``sub`` quadratic; #22.)
_TRAILING_REG = re.compile(r"(?<!\s)\s*[(<\[]\s*(?:co\.?\s*(?:reg\.?)?\s*no\.?\s*:?\s*)?"
                          r"[A-Z]{0,3}\d[\dA-Z\s\-.]*[)>\]]\s*$", re.IGNORECASE)


#: Where another label starts on the same line: "Jane Roe MRN: 0043" ends at "MRN:".
_NEXT_LABEL = re.compile(r"\s+(?=[A-Z][\w.'’]*(?: [a-z][\w.'’]*){0,2}\s?[:：])")
_PAGE_MARK = re.compile(r"(?<![\s\-–|·])[\s\-–|·]*\bpage \d+(?: of \d+)?\s*$", re.IGNORECASE)
COLUMN_GAP = re.compile(r"\s{3,}|\t")
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
                value = _PAGE_MARK.sub("", COLUMN_GAP.split(value)[0]).rstrip()
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
        pattern = _keyword_pattern(kw)
        for ln in all_lines:
            if m := pattern.search(ln.text):
                yield ln, m


@cache
def _keyword_pattern(kw: str) -> re.Pattern[str]:
    """A keyword as a whole word; ``*rechnung`` also ends a compound word
    (Handelsrechnung, Mietrechnung), as German builds its document names."""
    before = "" if kw.startswith("*") else "(?<![A-Za-z])"
    return re.compile(rf"{before}{re.escape(kw.lstrip('*'))}(?![A-Za-z])", re.IGNORECASE)


#: After a document's name, what leads to its number: a form code "(380)", a few
#: words ("des Versicherers"), then a number mark ("Nr.", "No", "n°", "#"), as in
#: "Handelsrechnung (380) Nr. 471102" or "Rechnung # RE-20140519/499". Bounded, so
#: it cannot backtrack far.
_NUMBER_MARK = re.compile(
    r"[\s)]*(?:(?:\([^()\n]{1,40}\)|[^\W\d_]{1,30})[^\S\n]+){0,4}?"
    r"(?:nr|no|n[°º]|nummer|number|num[ée]ro|numer|#)(?![^\W\d_])\.?",
    re.IGNORECASE)
#: A number that is a date, not a document's number ("vom 05.06.2018").
_DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")

#: What separates a label from its value, full-width CJK forms included.
_LABEL_PUNCT = " \t:：#.-–=|\u3000\xa0"
#: The rest of a longer label after the keyword, up to its colon: "PAYER'S name:",
#: "Employee Name:", 纳税人"名称："; a few words, no digits (not "12/01 Time:").
#: A word is taken whole (``++``): split anywhere in two, "Patient " and 150,000
#: letters took 421 s to fail (#22); a word split in two matches nothing more.
_LABEL_TAIL = re.compile(r"(?:['’][sS])?(?:[^\S\n]*[^\W\d_]++){1,2}[^\S\n]*[:：]")


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
        elif number and (mark := _NUMBER_MARK.match(text, rest_at, ln.end)):
            rest_at = mark.end()
        rest = text[rest_at : ln.end]
        lead = len(rest) - len(rest.lstrip(_LABEL_PUNCT))
        start, value = rest_at + lead, rest.lstrip(_LABEL_PUNCT)
        if not value:
            below = value_below(all_lines, ln, names=not number)
            if below is None:
                continue
            start, value = below
        if number:
            tok = _GROUPED_IBAN.match(value) or re.match(r"[A-Za-z0-9][A-Za-z0-9\-/_.]*", value)
            if not tok or not re.search(r"\d", tok.group(0)) or _DATE_LIKE.fullmatch(
                    tok.group(0).rstrip(".")):
                continue
            value = tok.group(0).rstrip(".")
        else:
            value = re.split(r"\s{2,}|\t", value)[0].strip()  # the next column starts
            value = _NEXT_LABEL.split(value)[0].strip()  # or the next label ("MRN: 1")
        if value:
            out.append(Candidate("text", start, start + len(value), value, value, ln.no))
    return out


#: A name's own label inside a party's block ("Verkäufer / Nummer: 549910 /
#: Name: Lieferant GmbH"), in the languages invoices come in.
_NAME_LABEL = re.compile(r"(?:name|nom|naam|nazwa|nome|nombre|firma|company|raison sociale"
                         r"|名称|名稱)[^\S\n]{0,3}[:：][^\S\n]*", re.IGNORECASE)


def value_below(all_lines: list[Line], label: Line, *, names: bool = True
                ) -> tuple[int, str] | None:
    """(start, text) of what a label standing alone on its line heads: the next line,
    or, when one of the next four lines is a "Name: …" line (a block of ids and a
    name), the name on it."""
    block: list[Line] = []
    first = bisect_right(all_lines, label.no, key=lambda y: y.no)
    for x in all_lines[first : first + 4]:  # a block is at most four lines
        if x.no != (block[-1].no if block else label.no) + 1 or len(block) == 4:
            break
        block.append(x)
    if not block:
        return None
    if names:
        for i, x in enumerate(block):
            if m := _NAME_LABEL.match(x.text):
                if m.end() < len(x.text):
                    return x.start + m.end(), x.text[m.end():]
                if i + 1 < len(block):  # "Name:" over the name
                    return block[i + 1].start, block[i + 1].text
    return block[0].start, block[0].text


def normalize_span(kind: str, value: str, text: str) -> tuple[str | None, bool]:
    """(normalized, inferred) for a span the user chose as a field of ``kind``:
    the same forms the finders give (ISO dates with the document's day-first hint,
    decimal amounts, ISO 4217 codes, text with its spaces collapsed)."""
    if kind == "date":
        return normalize_date(value, dayfirst=document_day_first(text)), False
    if kind == "amount":
        return normalize_amount(value), False
    if kind == "currency":
        return currency_code(value, text=text)
    return " ".join(value.split()), False
