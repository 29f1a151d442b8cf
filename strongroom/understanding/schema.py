"""Document types and their fields, loaded from ``resources/schemas/*.json``."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import platformdirs

from strongroom.resources import path as resource_path

from .cues import expand_labels

log = logging.getLogger("strongroom.understanding")

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
    #: Labels of the lines that carry the document's gist ("Assessment:", 结论：):
    #: the summary quotes the first such line verbatim.
    gist: tuple[str, ...] = ()


KINDS = frozenset({"name", "labelled", "address", "date", "amount", "number", "currency",
                   "lab_tests"})
#: Where a person's own schema files live (the folder named by STRONGROOM_SCHEMA_DIR,
#: else ``schemas`` in Strongroom's config folder). Read once, at the first use.
ENV_SCHEMA_DIR = "STRONGROOM_SCHEMA_DIR"


def user_schema_dir() -> Path:
    if os.environ.get(ENV_SCHEMA_DIR):
        return Path(os.environ[ENV_SCHEMA_DIR])
    return Path(platformdirs.user_config_dir("Strongroom", appauthor=False)) / "schemas"


@cache
def _user_schemas() -> tuple[dict[str, dict[str, Any]], tuple[str, ...]]:
    """(raw schemas by type, problems in words). A file that cannot be used is
    named and skipped: it never stops the app."""
    folder, found, problems = user_schema_dir(), {}, []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
                raise ValueError('it needs a "type" name')
            for f in raw.get("fields", []):
                if not isinstance(f, dict) or not isinstance(f.get("name"), str):
                    raise ValueError('every field needs a "name"')
                if f.get("kind", "labelled") not in KINDS:
                    raise ValueError(f"field {f['name']!r} has an unknown kind {f.get('kind')!r}"
                                     f" (one of {', '.join(sorted(KINDS))})")
            found[raw["type"]] = raw
        except (OSError, UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError too
            problems.append(f"The schema file {path.name} was skipped: {exc}.")
            log.warning("schema file %s skipped", path.name)
    return found, tuple(problems)


def reload_schemas() -> None:
    """Read the person's schema files again (they are read once per process)."""
    _user_schemas.cache_clear()
    schema.cache_clear()


def schema_problems() -> tuple[str, ...]:
    """What was wrong with the person's schema files, in words (to show them)."""
    return _user_schemas()[1]


def doc_types() -> tuple[str, ...]:
    """The built-in types, then the person's own."""
    return DOC_TYPES + tuple(t for t in _user_schemas()[0] if t not in DOC_TYPES)


def user_type(text: str) -> str | None:
    """A person's type whose ``"match"`` phrase is in the document's first lines:
    how a type added by a schema file is routed without retraining the router."""
    head = "\n".join(text.splitlines()[:8]).casefold()
    for doc_type, raw in _user_schemas()[0].items():
        if any(str(p).casefold() in head for p in raw.get("match", ()) if str(p).strip()):
            return doc_type
    return None


def _spec(f: dict[str, Any]) -> FieldSpec:
    keywords = expand_labels(f.get("keywords", ()))
    # A word the field names as its own is not avoided: 实收 ("received") is the
    # total on a restaurant bill and the cash handed over at a till (labels.json
    # has it both ways).
    avoid = tuple(w for w in expand_labels(f.get("avoid", ())) if w not in keywords)
    return FieldSpec(
        name=f["name"], label=f.get("label", f["name"].replace("_", " ").capitalize()),
        kind=f.get("kind", "labelled"), keywords=keywords, avoid=avoid,
        prefer=f.get("prefer"), after=f.get("after"),
        required=f.get("required", False),
    )


@cache
def schema(doc_type: str) -> DocSchema:
    """A built-in schema with the person's file for that type over it (its fields
    replace those of the same name and add the others), or the person's own type."""
    path = resource_path("schemas", f"{doc_type}.json")
    raw: dict[str, Any] = (json.loads(path.read_text(encoding="utf-8")) if path.is_file()
                           else {"type": doc_type, "fields": []})
    mine = _user_schemas()[0].get(doc_type)
    if mine is None and not path.is_file():
        raise KeyError(f"no schema for the document type {doc_type!r}")
    fields = {f["name"]: f for f in raw["fields"]}
    if mine is not None:
        fields.update({f["name"]: f for f in mine.get("fields", [])})
        raw = {**raw, **{k: v for k, v in mine.items() if k in ("label", "describe", "gist")}}
    label = raw.get("label", doc_type.replace("_", " ").capitalize())
    return DocSchema(doc_type, label, raw.get("describe", label.lower()),
                     tuple(_spec(f) for f in fields.values()), tuple(raw.get("gist", ())))
