"""A 1–3 sentence summary: the model writes it, the document vouches for it.

The pretrained model continues the few-shot pattern well but, left free, it
also copies words from the examples or invents them. So its sentence is kept
only if every number and every content word in it occurs in the document;
otherwise the summary is built from the grounded fields (``template``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from strongroom.model import Backend

from .prompting import summary_prompt
from .result import FieldValue
from .schema import schema

MAX_TOKENS = 48
# Words a summary may use although the document does not: how summaries speak.
_CONNECTIVES = frozenset({
    "a", "an", "the", "of", "for", "from", "to", "with", "and", "or", "by", "on", "at", "in",
    "about", "dated", "date", "total", "amount", "due", "receipt", "invoice", "statement",
    "bank", "payslip", "lab", "laboratory", "report", "results", "clinical", "note",
    "prescription", "document", "account", "balance", "net", "gross", "pay", "paid", "tablets",
    "daily", "twice", "visit", "patient", "shows", "showing", "lists", "listing", "issued",
    "closing", "opening", "summary", "other", "this", "that", "its",
})
_WORD = re.compile(r"[^\W_]+(?:[.,'’/:\-][^\W_]+)*", re.UNICODE)


def grounded(sentence: str, text: str, field_values: list[str] | None = None) -> bool:
    """True when every content word of ``sentence`` is in ``text`` and every
    number is in ``text`` and, if ``field_values`` is given, inside one of them:
    a line-item price is in the document too, but it is not the total."""
    haystack = text.lower()
    words = _WORD.findall(sentence.lower())
    if len(words) < 3:
        return False
    for w in words:
        if w in _CONNECTIVES or (len(w) <= 2 and not w.isdigit()):
            continue
        if w not in haystack:
            return False
        if field_values is not None and any(ch.isdigit() for ch in w) and not any(
            w in v.lower() for v in field_values
        ):
            return False
    return True


def template_summary(doc_type: str, fields: dict[str, FieldValue]) -> str:
    """One honest sentence from the grounded fields alone."""
    sch = schema(doc_type)
    label = sch.label
    parts = [label]
    by_kind: dict[str, list[tuple[str, FieldValue]]] = {}
    for spec in sch.fields:
        fv = fields.get(spec.name)
        if fv is not None and fv.value:
            by_kind.setdefault(spec.kind, []).append((spec.label, fv))
    if by_kind.get("name"):
        parts.append(f"from {by_kind['name'][0][1].normalized}")
    elif by_kind.get("labelled"):
        lab, fv = by_kind["labelled"][0]
        parts.append(f"({lab.lower()}: {fv.value})")
    if by_kind.get("date"):
        parts.append(f"dated {by_kind['date'][0][1].normalized}")
    if by_kind.get("amount"):
        lab, fv = by_kind["amount"][0]
        currency = fields.get("currency")
        code = f"{currency.normalized} " if currency and currency.normalized else ""
        parts.append(f"{lab.lower()} {code}{fv.normalized}")
    if len(parts) == 1:
        return f"{label}; no details could be found in its text."
    return " ".join(parts[:2]) + (", " + ", ".join(parts[2:]) if parts[2:] else "") + "."


def summarize(
    backend: Backend,
    text: str,
    doc_type: str,
    fields: dict[str, FieldValue],
    *,
    max_tokens: int = MAX_TOKENS,
    cancel: threading.Event | None = None,
    on_token: Callable[[int], None] | None = None,
) -> tuple[str, str]:
    """(summary, source) where source is "model" or "template"."""
    out = ""
    for chunk in backend.generate(summary_prompt(text, doc_type), max_tokens=max_tokens,
                                  stop=["\n"], cancel=cancel):
        out += chunk.text
        if on_token:
            on_token(chunk.generation_tokens)
    sentence = " ".join(out.split())
    # Keep whole sentences only: a cut-off fragment reads as a mistake.
    if sentence and not sentence.endswith((".", "!", "?")):
        sentence = sentence[: sentence.rfind(".") + 1] if "." in sentence else ""
    values = [fv.value for fv in fields.values() if fv.value]
    if sentence and grounded(sentence, text, values):
        return sentence, "model"
    return template_summary(doc_type, fields), "template"
