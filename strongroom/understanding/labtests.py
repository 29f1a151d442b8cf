"""Lab tests as a list (issue 12): name, value, unit, reference range, flag.

A lab report prints one test per line in columns ("Glucose (fasting)  6.4  mmol/L
3.9 - 5.6  H", "空腹血糖 6.8 mmol/L 3.9-6.1 ↑", "Ferritin 9 ug/L (15-300) LOW"). Each
row becomes cells stored as ordinary fields named ``tests.<n>.<column>``, so every
cell keeps its own span (the grounding invariant), search finds test names, and
nothing in the vault changes shape. A flag the report does not print is computed
from the value and its range (``checks.lab_flag``) and marked inferred: no span,
never presented as printed.
"""

from __future__ import annotations

import re

from .candidates import lines
from .checks import lab_flag
from .result import FieldValue

COLUMNS = ("name", "value", "unit", "range", "flag")
_NUMBER = r"-?\d+(?:[.,]\d+)?"
#: (The name never ends in a space and the gaps are taken whole, ``\s++``: the
#: first match is the same, but a long run of spaces on a line is no longer
#: scanned again from each of its places, quadratic in the run; #22.)
_ROW = re.compile(
    rf"""^\s*(?P<name>[^\W\d_][^\t]*?)(?<!\s)
    \s++(?P<value>[<>]?\s?{_NUMBER})
    (?:\s++(?P<unit>(?![(<>≤≥\d])\S+))?
    \s++(?P<range>\(?\s*(?:[<>≤≥]=?\s?{_NUMBER}|{_NUMBER}\s*[-–~]\s*{_NUMBER})(?:\s*\))?)
    (?:\s++(?P<flag>HH|LL|H|L|HIGH|LOW|High|Low|\*|↑|↓|偏高|偏低|异常|異常))?\s*$""",
    re.VERBOSE,
)
_FLAG = {"h": "high", "hh": "high", "high": "high", "↑": "high", "偏高": "high",
         "l": "low", "ll": "low", "low": "low", "↓": "low", "偏低": "low",
         "*": "abnormal", "异常": "abnormal", "異常": "abnormal"}


def lab_rows(text: str, field: str = "tests") -> dict[str, FieldValue]:
    """Every test row of ``text`` as ``{"tests.1.name": FieldValue, ...}``."""
    out: dict[str, FieldValue] = {}
    n = 0
    for ln in lines(text):
        m = _ROW.match(ln.text)
        if m is None:
            continue
        n += 1
        for column in COLUMNS:
            if m.group(column) is None:
                continue
            start, end = ln.start + m.start(column), ln.start + m.end(column)
            value = text[start:end]
            normalized = {
                "value": value.replace(",", ".").replace(" ", ""),
                "range": value.strip("() "),
                "flag": _FLAG.get(value.lower(), value),
            }.get(column, " ".join(value.split()))
            out[f"{field}.{n}.{column}"] = FieldValue(value, normalized, (start, end))
        if m.group("flag") is None:
            computed = lab_flag(m.group("value"), m.group("range").strip("() "))
            if computed is not None:
                out[f"{field}.{n}.flag"] = FieldValue(
                    None, computed, None, inferred=True,
                    note="Computed from the value and its reference range; not printed.")
    return out
