"""candidates → chooser → grounded value, for every field of a schema."""

from __future__ import annotations

from typing import Any

from .addresses import address_candidates
from .candidates import (
    Candidate,
    day_first,
    find_amounts,
    find_currencies,
    find_dates,
    labelled_candidates,
    line_candidates,
    lines,
    main_currency,
)
from .chooser import Chooser, Context, RuleChooser
from .labtests import lab_rows
from .parties import vendor_candidates
from .result import FieldValue
from .schema import DocSchema


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
    currency = main_currency(currencies)
    dates = find_dates(text, dayfirst=day_first(text, currency.normalized if currency else None,
                                                inferred=currency.inferred if currency else False))
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
            # An invoice's vendor: under its heading, in the sender line, by legal form.
            cands = (vendor_candidates(text, ctx.lines, list(spec.keywords)) + names
                     if spec.keywords else names)
        elif spec.kind == "address":
            anchor = ctx.chosen.get(spec.after or "")
            cands = address_candidates(text, ctx.lines,
                                       ctx.line(anchor.line) if anchor else None)
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
