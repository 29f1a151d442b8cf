"""Where a merchant's address may be: runs of lines found by code, and what no address holds.

``address_candidates`` offers the run of address-looking lines below the merchant's
line (``address_lines``, what the rules pick) and every other run of 1–5 lines near
the top, for a ranker to weigh. ``NOT_ADDRESS`` is what an address never holds; the
receipt ranker drops runs matching it before choosing (``ranker.RankerChooser``) and
``checks.address_checks`` flags a stored address that matches it.
"""

from __future__ import annotations

import re

from .candidates import Candidate, Line
from .cues import ADDRESS_WORDS, REGISTRATION, STOP_ADDRESS

#: What an address never holds: a time, a price, a receipt's own words. None of the
#: 626 dev receipts' addresses has one.
NOT_ADDRESS = re.compile(
    r"\b\d{1,2}:\d\d\b|\b\d+\.\d\d\b|\b(total|amount|paid|cash|change|qty|price|ticket|"
    r"invoice|receipt|tel|fax|gst|date)\b", re.IGNORECASE)

#: Address runs: 1–5 consecutive lines among the first lines of the document.
ADDRESS_TOP, ADDRESS_LONGEST = 12, 5


def address_candidates(text: str, all_lines: list[Line], anchor: Line | None
                       ) -> list[Candidate]:
    """The run of address lines below the anchor's line (the field's ``after``, the
    merchant, as chosen), then every other run of 1–5 consecutive lines near the top
    for a ranker to weigh (issue 12: the run below the merchant alone held the answer
    for half the dev receipts; all top runs hold it for 94%)."""
    runs = []
    rule_run = address_lines(anchor, all_lines)
    if rule_run:
        runs.append(rule_run)
    top = all_lines[:ADDRESS_TOP]
    for i in range(len(top)):
        for j in range(i + 1, min(i + ADDRESS_LONGEST, len(top)) + 1):
            runs.append(top[i:j])
    out: list[Candidate] = []
    seen: set[tuple[int, int]] = set()
    for run in runs:
        start, end = run[0].start, run[-1].end
        if (start, end) in seen:
            continue
        seen.add((start, end))
        joined = ", ".join(ln.text.rstrip(",") for ln in run)
        out.append(Candidate("lines", start, end, text[start:end], joined, run[0].no))
    return out


def address_lines(after: Line | None, all_lines: list[Line]) -> list[Line]:
    """The run of address-looking lines right below ``after`` (a name line),
    skipping registration-number lines, at most five."""
    if after is None:
        return []
    run: list[Line] = []
    skipped = 0
    for ln in (x for x in all_lines if x.no > after.no):
        if STOP_ADDRESS.search(ln.text) or len(run) == 5:
            break
        if not run and (REGISTRATION.match(ln.text) or not ADDRESS_WORDS.search(ln.text)):
            skipped += 1
            if skipped > 2:
                break
            continue
        if not (ADDRESS_WORDS.search(ln.text) or (run and len(ln.text) < 40)):
            break
        run.append(ln)
    return run
