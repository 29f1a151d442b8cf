"""Choosers pick one candidate per field, or none.

``Chooser`` is the seam: the next issue replaces ``RuleChooser`` with a learned
ranker (and the model's choice among candidates) without touching candidate
finding or grounding. A chooser only ever returns one of the candidates it was
given, so whatever it picks is in the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from typing import Any, Protocol

from .addresses import address_lines
from .candidates import Candidate, Line, main_currency
from .cues import ADDRESS_WORDS, COMPANY_WORDS, HEADING, NOT_NAME, label_pattern, unglue
from .schema import FieldSpec

_LETTER = re.compile(r"[^\W\d_]")
_PRICE = re.compile(r"\d[.,]\d\d(?!\d)")
_PARTIAL_WORD = re.compile(r"^\S*")
#: How far back on its line a value's label is read, in whole words: a line of
#: 100,000 dates had each date's label hold the whole line before it (#22).
LABEL_CHARS = 200


def _tail(text: str) -> str:
    """The last ``LABEL_CHARS`` characters of ``text``, without a cut word."""
    if len(text) <= LABEL_CHARS:
        return text
    tail = text[-LABEL_CHARS:]
    return tail if text[-LABEL_CHARS - 1].isspace() else _PARTIAL_WORD.sub("", tail)
#: Labels of a person's date of birth.
_BIRTH = ("dob", "d.o.b", "date of birth", "birth date", "birthdate", "born", "出生", "生日")


@dataclass
class Context:
    """What a chooser may look at besides the candidates."""

    text: str
    lines: list[Line]
    chosen: dict[str, Candidate | None] = field(default_factory=dict)
    #: The model's states for the first lines (``lmstates.LineStates``), when read.
    states: Any = None
    _found: dict[tuple[re.Pattern[str], int], bool] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def _positions(self) -> dict[int, int]:
        """Line number -> position in ``lines`` (the first, should two share one)."""
        positions: dict[int, int] = {}
        for i, ln in enumerate(self.lines):
            positions.setdefault(ln.no, i)
        return positions

    def line(self, no: int) -> Line | None:
        i = self._positions.get(no)
        return None if i is None else self.lines[i]

    def index_of(self, no: int) -> int:
        """Position of line ``no`` in ``lines`` (0 if there is none)."""
        return self._positions.get(no, 0)

    def label(self, c: Candidate) -> str:
        """The words that label a value: its line up to the value, or the
        previous line when the value's line has no letters of its own; in a column
        of values under a column of labels ("Subtotal/Tax/Total" over
        "24.45/2.32/26.77", as OCR reads two columns), the label in the same place."""
        ln = self.line(c.line)
        before = _tail(self.text[ln.start : c.start]) if ln else ""
        if not _LETTER.search(before):
            prev = self.column_label(c.line) or self.line(c.line - 1)
            before = (_tail(prev.text) if prev else "") + " " + before
        return unglue(before)

    def line_has(self, pattern: re.Pattern[str], ln: Line) -> bool:
        """Whether ``pattern`` is found on line ``ln``, searched once per line (many
        values on one long line each asked it of the whole line; #22)."""
        key = (pattern, ln.start)
        if key not in self._found:
            self._found[key] = pattern.search(ln.text) is not None
        return self._found[key]

    def column_label(self, no: int) -> Line | None:
        """The label of the value line ``no`` when it is one of a run of two or more
        lines without letters under as many label lines without amounts; else None."""
        i = self._positions.get(no)
        if i is None:
            return None
        first, last, top = self._columns
        if first[i] < 0:  # the line has letters
            return None
        n = last[i] - first[i] + 1
        if n < 2 or first[i] - top[first[i]] < n:
            return None
        return self.lines[first[i] - n + (i - first[i])]

    @cached_property
    def _columns(self) -> tuple[list[int], list[int], list[int]]:
        """Per line: the first and last line of its run of lines without letters
        printed one after the other (-1 for a line with letters), and the top of the
        run of label lines (letters, no amount) right above it. Worked out once: a
        walk per value made a column of 4,000 prices quadratic (#22)."""
        lines, n = self.lines, len(self.lines)
        letters = [bool(_LETTER.search(ln.text)) for ln in lines]
        follows = [i > 0 and lines[i].no == lines[i - 1].no + 1 for i in range(n)]
        first, top = [-1] * n, list(range(n))
        for i in range(n):
            if not letters[i]:
                first[i] = first[i - 1] if follows[i] and not letters[i - 1] else i
            if follows[i] and letters[i - 1] and not _PRICE.search(lines[i - 1].text):
                top[i] = top[i - 1]
        last = [-1] * n
        for i in reversed(range(n)):
            if not letters[i]:
                nxt = i + 1 < n and follows[i + 1] and not letters[i + 1]
                last[i] = last[i + 1] if nxt else i
        return first, last, top


class Chooser(Protocol):
    def choose(self, spec: FieldSpec, candidates: list[Candidate], ctx: Context
               ) -> Candidate | None: ...


def _has_word(text: str, words: tuple[str, ...]) -> int | None:
    """Index of the first of ``words`` found in ``text`` (case-insensitive), or None."""
    low = text.lower()
    for i, w in enumerate(words):
        if _whole_word(w.lower()).search(low):
            return i
    return None


@cache
def _whole_word(word: str) -> re.Pattern[str]:
    """Compiled once (the label words of seven languages outgrow re's own cache)."""
    return re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])")


class RuleChooser:
    """Readable rules over generic cues: label words, position, magnitude."""

    def choose(self, spec: FieldSpec, candidates: list[Candidate], ctx: Context
               ) -> Candidate | None:
        method = getattr(self, f"_choose_{spec.kind}")
        result: Candidate | None = method(spec, candidates, ctx)
        return result

    # -- kinds --------------------------------------------------------------
    def _choose_date(self, spec: FieldSpec, cands: list[Candidate], ctx: Context
                     ) -> Candidate | None:
        scored = []
        about_birth = _has_word(" ".join(spec.keywords), _BIRTH) is not None
        for c in cands:
            label = ctx.label(c)
            if spec.avoid and _has_word(label, spec.avoid) is not None:
                continue
            # A birth date is a person's, never the document's (a "DOB 1978-11-02"
            # beside the patient's name is not when the sample was collected).
            if not about_birth and _has_word(label, _BIRTH) is not None:
                continue
            kw = _has_word(label, spec.keywords)
            scored.append((kw if kw is not None else len(spec.keywords), c.start, c))
        if not scored:
            return None
        best = min(scored, key=lambda t: (t[0], t[1]))
        if spec.prefer == "keyword_only" and best[0] == len(spec.keywords):
            return None
        return best[2]

    def _choose_amount(self, spec: FieldSpec, cands: list[Candidate], ctx: Context
                       ) -> Candidate | None:
        keyed: list[tuple[Decimal, int, Candidate]] = []
        loose: list[tuple[Decimal, int, Candidate]] = []
        for c in cands:
            label = ctx.label(c)
            if spec.avoid and _has_word(label, spec.avoid) is not None:
                continue
            value = Decimal(c.normalized or "0")
            if value < 0:
                continue
            kw = _has_word(label, spec.keywords)
            (keyed if kw is not None else loose).append((value, c.start, c))
        if spec.prefer == "largest":
            paid = cash_minus_change(cands, ctx)
            for value, _start, c in keyed + loose:
                if paid is not None and value == paid:
                    return c  # what was handed over less the change: the amount paid
            pool = keyed or loose
            if not pool:
                return None
            top = max(pool, key=lambda t: (t[0], t[1]))
            # A rounded total sits a few cents from the exact one, on a "round..." line.
            rounded = [t for t in pool if abs(t[0] - top[0]) <= Decimal("0.05")
                       and re.search(r"round", ctx.label(t[2]), re.IGNORECASE)]
            return (rounded[-1] if rounded else top)[2]
        return keyed[0][2] if keyed else None

    def _choose_currency(self, spec: FieldSpec, cands: list[Candidate], ctx: Context
                         ) -> Candidate | None:
        return main_currency(cands)

    def _choose_name(self, spec: FieldSpec, cands: list[Candidate], ctx: Context
                     ) -> Candidate | None:
        for kind in ("party", "sender", "legal"):  # an issuer's name (parties.py)
            if found := next((c for c in cands if c.kind == kind), None):
                return found
        best, best_score = None, float("-inf")
        for c in cands:
            two_lines = "\n" in c.text
            t = c.text.split("\n")[-1] if two_lines else c.text
            if two_lines and not COMPANY_WORDS.match(t.lstrip("(&-, ")):
                continue  # a second line joins a name only when it continues one
            if two_lines and HEADING.match(c.text.split("\n")[0]):
                continue
            letters = sum(ch.isalpha() for ch in t)
            if letters < 3 or letters < len(t) * 0.5 or HEADING.match(t) or NOT_NAME.search(t):
                continue
            if ADDRESS_WORDS.search(t) and not COMPANY_WORDS.search(t):
                continue
            score = -0.6 * c.line + (3.0 if COMPANY_WORDS.search(t) else 0.0) + 0.5 * two_lines
            if score > best_score:
                best, best_score = c, score
        return best

    def _choose_address(self, spec: FieldSpec, cands: list[Candidate], ctx: Context
                        ) -> Candidate | None:
        # The run of address lines right below the anchor (the merchant), if offered.
        anchor = ctx.chosen.get(spec.after or "")
        run = address_lines(ctx.line(anchor.line) if anchor else None, ctx.lines)
        if not run:
            return None
        return next((c for c in cands if (c.start, c.end) == (run[0].start, run[-1].end)),
                    None)

    def _choose_labelled(self, spec: FieldSpec, cands: list[Candidate], ctx: Context
                         ) -> Candidate | None:
        for c in cands:
            if 1 < len(c.text) <= 80 and re.search(r"[^\W\d_]{2}", c.text):
                return c
        return None

    def _choose_number(self, spec: FieldSpec, cands: list[Candidate], ctx: Context
                       ) -> Candidate | None:
        return cands[0] if cands else None


def cash_minus_change(cands: list[Candidate], ctx: Context) -> Decimal | None:
    """What was handed over less the change (both labelled), or None: the amount paid."""
    def by_label(role: str) -> Decimal | None:
        for c in cands:
            if label_pattern(role).search(ctx.label(c)):
                return Decimal(c.normalized or "0")
        return None

    cash, change = by_label("tendered"), by_label("change")
    if cash is None or change is None or cash <= change:
        return None
    return cash - change
