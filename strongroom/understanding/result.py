"""What understanding produces: every value grounded in a span of the text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldValue:
    """One extracted field.

    ``value`` is the text exactly as it occurs at ``span`` (``text[start:end]``);
    ``normalized`` is its canonical form (ISO 8601 date, decimal string, ISO 4217).
    A value with no span is never stored as fact: it is either absent
    (``value is None``) or marked ``inferred`` (e.g. a currency implied by a mark).
    """

    value: str | None = None
    normalized: str | None = None
    span: tuple[int, int] | None = None
    inferred: bool = False
    score: float | None = None  # the chooser's confidence: P(this is the answer)
    #: "verified" | "grounded" | "needs_review" (``checks.assess``); None: not assessed
    status: str | None = None
    note: str | None = None  # why, in words (a check's finding)

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "normalized": self.normalized,
            "span": list(self.span) if self.span else None,
            "inferred": self.inferred,
            "confidence": self.score,
            "status": self.status,
            "note": self.note,
        }


@dataclass(frozen=True)
class Extraction:
    doc_type: str
    summary: str
    #: "model" when the model's sentence passed the grounding check, else "template".
    summary_source: str = "template"
    fields: dict[str, FieldValue] = field(default_factory=dict)
    #: The document's own date (ISO 8601): its schema's first date field that was found.
    doc_date: str | None = None
    #: How sure the type is: the router's probability of it; 1.0 for a type the
    #: person's own schema or an e-invoice's XML settled; None if not measured.
    type_confidence: float | None = None

    def fields_json(self) -> dict[str, dict[str, Any]]:
        return {name: fv.to_json() for name, fv in self.fields.items()}
