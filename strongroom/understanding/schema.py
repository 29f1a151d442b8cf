"""Document types and their fields, loaded from ``resources/schemas/*.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache

from strongroom.resources import path as resource_path

#: Routing order; "other" is the fallback.
DOC_TYPES = ("receipt", "invoice", "bank_statement", "payslip", "tax_form", "lab_report",
             "clinical_note", "prescription", "discharge_summary", "other")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # name | labelled | address | date | amount | number | currency | lab_tests
    keywords: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    prefer: str | None = None  # "largest" | "keyword_only"
    after: str | None = None  # address: the field whose line it follows
    required: bool = False  # a document of this type without it needs review


@dataclass(frozen=True)
class DocSchema:
    type: str
    label: str
    describe: str
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)


@cache
def schema(doc_type: str) -> DocSchema:
    raw = json.loads(resource_path("schemas", f"{doc_type}.json").read_text(encoding="utf-8"))
    fields = tuple(
        FieldSpec(
            name=f["name"], label=f["label"], kind=f["kind"],
            keywords=tuple(f.get("keywords", ())), avoid=tuple(f.get("avoid", ())),
            prefer=f.get("prefer"), after=f.get("after"), required=f.get("required", False),
        )
        for f in raw["fields"]
    )
    return DocSchema(raw["type"], raw["label"], raw["describe"], fields)
