"""candidates → chooser → grounded value, for every field of a schema."""

from __future__ import annotations

from typing import Any

from .candidates import (
    Candidate,
    day_first,
    find_amounts,
    find_currencies,
    find_dates,
    labelled_candidates,
    line_candidates,
    lines,
)
from .chooser import Chooser, Context, RuleChooser, address_lines
from .labtests import lab_rows
from .result import FieldValue
from .schema import DocSchema, FieldSpec

#: Address runs: 1–5 consecutive lines among the first lines of the document.
ADDRESS_TOP, ADDRESS_LONGEST = 12, 5


def _address_candidates(spec: FieldSpec, ctx: Context) -> list[Candidate]:
    """The run of address lines below the chosen anchor (the rules' pick), then
    every other run of 1–5 consecutive lines near the top for a ranker to weigh
    (issue 12: the run below the merchant alone held the answer for half the
    dev receipts; all top runs hold it for 94%)."""
    anchor = ctx.chosen.get(spec.after or "")
    runs = []
    rule_run = address_lines(ctx.line(anchor.line) if anchor else None, ctx.lines)
    if rule_run:
        runs.append(rule_run)
    top = ctx.lines[:ADDRESS_TOP]
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
        out.append(Candidate("lines", start, end, ctx.text[start:end], joined, run[0].no))
    return out


def extract_fields(text: str, doc_schema: DocSchema, chooser: Chooser | None = None,
                   *, trace: dict[str, list[Candidate]] | None = None,
                   states: Any = None) -> dict[str, FieldValue]:
    """Every field of ``doc_schema``; a field without a grounded choice is empty.

    ``trace``, when given, receives the candidates offered to the chooser per
    field (``strongroom eval`` measures candidate recall from it); ``states``
    (``lmstates.LineStates``) are the model's read of the first lines, for a
    chooser that weighs them.
    """
    chooser = chooser or RuleChooser()
    ctx = Context(text=text, lines=lines(text), states=states)
    currencies = find_currencies(text)
    currency = RuleChooser()._choose_currency(FieldSpec("currency", "", "currency"),
                                              currencies, ctx)
    dates = find_dates(text, dayfirst=day_first(text, currency.normalized if currency else None))
    amounts = find_amounts(text)
    names = line_candidates(text)

    out: dict[str, FieldValue] = {}
    for spec in doc_schema.fields:
        if spec.kind == "lab_tests":  # a list: every row's cells, no choice to make
            out.update(lab_rows(text, spec.name))
            continue
        if spec.kind == "date":
            cands = dates
        elif spec.kind == "amount":
            cands = amounts
        elif spec.kind == "currency":
            cands = currencies
        elif spec.kind == "name":
            cands = names
        elif spec.kind == "address":
            cands = _address_candidates(spec, ctx)
        elif spec.kind in ("labelled", "number"):
            cands = labelled_candidates(text, list(spec.keywords), number=spec.kind == "number")
        else:
            raise ValueError(f"unknown field kind {spec.kind!r} in schema {doc_schema.type}")
        if trace is not None:
            trace[spec.name] = list(cands)
        chosen = chooser.choose(spec, cands, ctx)
        ctx.chosen[spec.name] = chosen
        out[spec.name] = _grounded(chosen, text)
    return out


def _grounded(c: Candidate | None, text: str) -> FieldValue:
    if c is None:
        return FieldValue()
    # The invariant every stored value keeps: it is exactly the text at its span.
    if text[c.start : c.end] != c.text:
        raise AssertionError("candidate text does not match its span")
    return FieldValue(value=c.text, normalized=c.normalized, span=(c.start, c.end),
                      inferred=c.inferred, score=c.confidence)
