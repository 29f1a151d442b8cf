"""``strongroom eval``: how well understanding does on a labelled data set.

A data set is JSON lines ``{"id", "text" | "path", "doc_type"?, "source"?, "gold": {FIELD:
VALUE}}`` with gold values as printed (not normalized); ``source`` names where a document
comes from (a store, bank, vendor, hospital or data set: ``collection:finer``), and figures
are reported per source when the rows have one (lab/collect/SOURCES.md). Both sides are
normalized before they are compared: dates as dates (day-first hint from the document's
own dates), amounts as decimals, text by exact match ignoring case, punctuation and
spaces, and by token F1.

``--group-by merchant`` (a gold field) or ``--group-by source`` cross-validates with folds
that never share a store between training and test rows (``--folds 0``: one fold per
group, leave-one-source-out) (issue 12: the dev set repeats stores, so any other split
flatters a learned chooser). A chooser with ``fit(train_rows)`` is refitted per fold;
the rule chooser has nothing to fit and is evaluated once.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..model import Backend
from ..reading import read_path
from ..reading.base import Document
from ..understanding.candidates import document_day_first as document_day_first
from ..understanding.chooser import Chooser
from ..understanding.fields import extract_fields
from ..understanding.normalize import currency_code, normalize_amount, normalize_date
from ..understanding.pipeline import Understander
from ..understanding.result import FieldValue
from ..understanding.router import Router
from ..understanding.schema import DOC_TYPES, schema

TEXT_KINDS = ("name", "address", "labelled", "number")


@dataclass(frozen=True)
class Row:
    id: str
    text: str
    doc_type: str | None
    gold: dict[str, str | None]
    source: str = ""


@runtime_checkable
class Trainable(Protocol):
    """A chooser that learns: refitted on the training rows of every fold."""

    def fit(self, rows: Sequence[Row]) -> None: ...


def load_rows(dataset: Path) -> list[Row]:
    rows = []
    for no, line in enumerate(dataset.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        text = raw["text"] if "text" in raw else read_path(dataset.parent / raw["path"]).text
        rows.append(Row(str(raw.get("id", no)), text, raw.get("doc_type"), dict(raw["gold"]),
                        str(raw.get("source") or "")))
    return rows


# -- comparing a value with the gold one -----------------------------------------
def text_key(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.casefold())


def tokens(s: str) -> list[str]:
    return re.findall(r"[^\W_]+", s.casefold())


def token_f1(predicted: str | None, gold: str) -> float:
    p, g = Counter(tokens(predicted or "")), Counter(tokens(gold))
    common = sum((p & g).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _decimal(s: str | None) -> Decimal | None:
    try:
        return Decimal(s) if s is not None else None
    except InvalidOperation:
        return None


def matches(kind: str, value: str, normalized: str | None, gold: str, *, dayfirst: bool
            ) -> bool:
    """Whether a predicted value (as printed, and normalized) is the gold value."""
    if kind == "date":
        want = normalize_date(gold, dayfirst=dayfirst)
        if want is not None:
            return normalized == want
    elif kind == "amount":
        want_amount = _decimal(normalize_amount(gold))
        if want_amount is not None:
            return _decimal(normalized) == want_amount
    elif kind == "currency":
        return (normalized or "").upper() in {gold.upper(), currency_code(gold)[0]}
    return text_key(value) == text_key(gold) != "" or (
        normalized is not None and text_key(normalized) == text_key(gold) != "")


# -- one document ------------------------------------------------------------------
@dataclass
class Outcome:
    kind: str
    gold: str | None
    predicted: str | None
    correct: bool
    f1: float
    in_candidates: bool


@dataclass
class DocResult:
    id: str
    group: str
    source: str
    gold_type: str | None
    predicted_type: str | None  # None: not routed (no model and no router given)
    fields: dict[str, Outcome]
    values: int  # non-null predicted values
    grounded: int  # ... whose span holds exactly the value
    seconds: float


def _grounded(fv: FieldValue, text: str) -> bool:
    return fv.span is not None and text[fv.span[0] : fv.span[1]] == fv.value


def evaluate_doc(row: Row, chooser: Chooser, understand: Understander | None,
                 router: Router | None = None) -> DocResult:
    """Without the model, fields are read under the file's type (the chooser's own
    figures); the type is still routed (the router needs no model) when given one."""
    gold_type = row.doc_type or "receipt"
    trace: dict[str, list[Any]] = {}
    start = time.perf_counter()
    predicted_type: str | None
    if understand is None:
        predicted_type = router.route(row.text)[0] if router else None
        fields = extract_fields(row.text, schema(gold_type), chooser, trace=trace)
    else:
        doc = Document(name=row.id, kind="text", text=row.text, data=b"")
        ex = understand(doc, cancel=threading.Event(), progress=lambda _f: None)
        predicted_type, fields = ex.doc_type, ex.fields
    seconds = time.perf_counter() - start
    if understand is not None:  # candidates for the gold type, whatever the routing said
        extract_fields(row.text, schema(gold_type), chooser, trace=trace)
    kinds = {f.name: f.kind for f in schema(gold_type).fields}
    dayfirst = document_day_first(row.text)
    outcomes = {}
    for name, gold in row.gold.items():
        kind = kinds.get(name, "labelled")
        fv = fields.get(name, FieldValue())
        if gold is None or gold == "":
            outcomes[name] = Outcome(kind, None, fv.value, fv.value is None, 0.0, False)
            continue
        ok = fv.value is not None and matches(kind, fv.value, fv.normalized, gold,
                                              dayfirst=dayfirst)
        found = any(matches(kind, c.text, c.normalized, gold, dayfirst=dayfirst)
                    for c in trace.get(name, ()))
        outcomes[name] = Outcome(kind, gold, fv.value, ok, token_f1(fv.value, gold), found)
    present = [fv for fv in fields.values() if fv.value is not None]
    return DocResult(row.id, "", row.source, row.doc_type, predicted_type, outcomes, len(present),
                     sum(_grounded(fv, row.text) for fv in present), seconds)


# -- folds ---------------------------------------------------------------------------
def _digest(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


def group_folds(groups: Sequence[str], k: int) -> list[int]:
    """Fold of each row such that no group spans two folds; largest groups first,
    each to the emptiest fold (deterministic)."""
    sizes = Counter(groups)
    load = [0] * k
    fold_of: dict[str, int] = {}
    for g in sorted(sizes, key=lambda g: (-sizes[g], _digest(g))):
        fold_of[g] = min(range(k), key=lambda i: (load[i], i))
        load[fold_of[g]] += sizes[g]
    return [fold_of[g] for g in groups]


def row_folds(ids: Sequence[str], k: int) -> list[int]:
    order = sorted(range(len(ids)), key=lambda i: _digest(ids[i]))
    folds = [0] * len(ids)
    for rank, i in enumerate(order):
        folds[i] = rank % k
    return folds


def cross_validate(rows: Sequence[Row], folds: Sequence[int], make_chooser: Callable[[], Chooser],
                   run: Callable[[Row, Chooser], DocResult]) -> list[DocResult]:
    out: list[DocResult | None] = [None] * len(rows)
    for k in sorted(set(folds)):
        chooser = make_chooser()
        if isinstance(chooser, Trainable):
            chooser.fit([r for r, f in zip(rows, folds, strict=True) if f != k])
        for i, (r, f) in enumerate(zip(rows, folds, strict=True)):
            if f == k:
                out[i] = run(r, chooser)
    return [r for r in out if r is not None]


# -- the whole run -------------------------------------------------------------------
@dataclass
class Options:
    group_by: str | None = None
    folds: int = 5
    chooser_name: str = "rules"
    router: Router | None = None  # routes the documents when there is no model
    progress: Callable[[int, int], None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def field_table(results: Sequence[DocResult]) -> dict[str, dict[str, Any]]:
    names: list[str] = []
    for r in results:
        names += [n for n in r.fields if n not in names]
    table: dict[str, dict[str, Any]] = {}
    for name in names:
        outs = [o for r in results if (o := r.fields.get(name)) and o.gold is not None]
        n = len(outs)
        text = bool(outs) and outs[0].kind in TEXT_KINDS
        table[name] = {
            "n": n,
            "exact": sum(o.correct for o in outs) / n if n else None,
            "token_f1": sum(o.f1 for o in outs) / n if n and text else None,
            "candidate_recall": sum(o.in_candidates for o in outs) / n if n else None,
        }
    return table


def run_eval(rows: Sequence[Row], make_chooser: Callable[[], Chooser],
             load_backend: Callable[[], Backend] | None, options: Options) -> dict[str, Any]:
    backend: list[Backend] = []

    def shared_backend() -> Backend:  # one model for every fold's Understander
        if not backend and load_backend is not None:
            backend.append(load_backend())
        return backend[0]

    done = [0]

    def run(row: Row, chooser: Chooser) -> DocResult:
        understand = (Understander(shared_backend, chooser=chooser)
                      if load_backend is not None else None)
        result = evaluate_doc(row, chooser, understand, options.router)
        done[0] += 1
        if options.progress:
            options.progress(done[0], len(rows))
        return result

    groups = [group_of(r, options.group_by) for r in rows]
    trainable = isinstance(make_chooser(), Trainable)
    k = len(set(groups)) if options.folds == 0 else max(2, min(options.folds, len(set(groups))))
    if options.group_by:
        folds = group_folds(groups, k)
    elif trainable:
        folds = row_folds([r.id for r in rows], k)
    else:
        folds = [0] * len(rows)
    results = cross_validate(rows, folds, make_chooser, run)
    for res, g in zip(results, groups, strict=True):
        res.group = g

    report = summary(results, options, load_backend is not None)
    if options.group_by:
        # Seen stores: ordinary folds by document, test rows whose store is in the training rows.
        seen_folds = row_folds([r.id for r in rows], k)
        seen_results = (cross_validate(rows, seen_folds, make_chooser, run)
                        if trainable else results)
        folds_of: dict[str, set[int]] = {}
        for g, f in zip(groups, seen_folds, strict=True):
            folds_of.setdefault(g, set()).add(f)
        seen = [res for res, g, f in zip(seen_results, groups, seen_folds, strict=True)
                if folds_of[g] - {f}]
        report.update(groups=len(set(groups)), folds=k, seen_documents=len(seen),
                      seen=field_table(seen))
    return report


def group_of(row: Row, by: str | None) -> str:
    """The group a row's folds keep together: its source, or a gold field's value."""
    if by is None:
        return ""
    if by == "source":
        return row.source or f"#{row.id}"
    return text_key(row.gold.get(by) or "") or f"#{row.id}"


def routing_matrix(results: Sequence[DocResult]) -> dict[str, dict[str, int]]:
    """Every routed document: gold type -> predicted type -> count."""
    out: dict[str, dict[str, int]] = {}
    for r in results:
        if r.gold_type and r.predicted_type:
            row = out.setdefault(r.gold_type, {})
            row[r.predicted_type] = row.get(r.predicted_type, 0) + 1
    return out


def by_source(results: Sequence[DocResult]) -> dict[str, dict[str, Any]]:
    """Per source: documents, routing accuracy and each field's exact match."""
    sources: dict[str, list[DocResult]] = {}
    for r in results:
        if r.source:
            sources.setdefault(r.source, []).append(r)
    out = {}
    for source, mine in sorted(sources.items()):
        typed = [r for r in mine if r.gold_type and r.predicted_type]
        out[source] = {
            "n": len(mine),
            "type_accuracy": (sum(r.predicted_type == r.gold_type for r in typed) / len(typed)
                              if typed else None),
            "exact": {name: f["exact"] for name, f in field_table(mine).items()}}
    return out


def confusion(results: Sequence[DocResult]) -> dict[str, dict[str, int]]:
    """Misrouted documents: the routing matrix without its diagonal."""
    wrong = {gold: {t: n for t, n in row.items() if t != gold}
             for gold, row in routing_matrix(results).items()}
    return {gold: row for gold, row in wrong.items() if row}


def summary(results: Sequence[DocResult], options: Options, model: bool) -> dict[str, Any]:
    typed = [r for r in results if r.gold_type is not None and r.predicted_type is not None]
    values = sum(r.values for r in results)
    nulls = [o for r in results for o in r.fields.values() if o.gold is None]
    seconds = sum(r.seconds for r in results)
    return {
        "documents": len(results),
        "model": model,
        "chooser": options.chooser_name,
        "group_by": options.group_by,
        "fields": field_table(results),
        "type_accuracy": (sum(r.predicted_type == r.gold_type for r in typed) / len(typed)
                          if typed else None),
        "typed_documents": len(typed),
        "routed": model or options.router is not None,
        "misrouted": confusion(typed),
        "routing_matrix": routing_matrix(typed),
        "to_other": (sum(r.predicted_type == "other" != r.gold_type for r in typed)
                     / max(1, sum(r.gold_type != "other" for r in typed)) if typed else None),
        "by_source": by_source(results),
        "values": values,
        "grounding_rate": sum(r.grounded for r in results) / values if values else None,
        "gold_null": len(nulls),
        "invented": sum(o.predicted is not None for o in nulls),
        "docs_per_minute": 60 * len(results) / seconds if seconds else None,
        **options.extra,
    }


# -- printing --------------------------------------------------------------------------
def _f(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def format_report(report: dict[str, Any]) -> str:
    how = "with the model" if report["model"] else "no model (types from the file)"
    out = [f"strongroom eval: {report['documents']} documents, chooser {report['chooser']}, "
           f"{how}"]
    grouped = report["group_by"] is not None
    if grouped:
        out.append(f"store-disjoint {report['folds']}-fold by {report['group_by']}: "
                   f"{report['groups']} groups; seen = ordinary folds, "
                   f"{report['seen_documents']} documents whose {report['group_by']} "
                   "was in training")
    head = f"{'field':<20}{'n':>6}{'exact':>8}{'token F1':>10}{'cand. recall':>14}"
    out += ["", head + (f"{'seen exact':>12}" if grouped else "")]
    for name, f in report["fields"].items():
        line = (f"{name:<20}{f['n']:>6}{_f(f['exact']):>8}{_f(f['token_f1']):>10}"
                f"{_f(f['candidate_recall']):>14}")
        if grouped:
            line += f"{_f(report['seen'].get(name, {}).get('exact')):>12}"
        out.append(line)
    out.append("")
    if report["type_accuracy"] is None:
        out.append("type accuracy       n/a (not routed)" if not report["routed"]
                   else "type accuracy       n/a (no doc_type in the file)")
    else:
        right = round(report["type_accuracy"] * report["typed_documents"])
        how = "" if report["model"] else "; routed without the model, fields read as typed"
        out.append(f"type accuracy       {report['type_accuracy']:.3f} "
                   f"({right}/{report['typed_documents']}{how})")
        wrong = [f"{gold} -> {pred} {n}" for gold, row in report["misrouted"].items()
                 for pred, n in row.items()]
        if wrong:
            out.append(f"misrouted           {', '.join(wrong)}")
            out.append(f"sent to other       {report['to_other']:.3f} of typed documents")
            out += ["", *format_matrix(report["routing_matrix"]), ""]
    rate = report["grounding_rate"]
    out.append(f"grounding           {'—' if rate is None else f'{100 * rate:.1f}%'} "
               f"of {report['values']} values")
    out.append(f"invented            {report['invented']} of {report['gold_null']} "
               "gold-null fields answered")
    speed = report["docs_per_minute"]
    out.append(f"speed               {'—' if speed is None else f'{speed:.0f}'} documents/minute")
    if len(report["by_source"]) > 1:
        out += ["", "by source (exact match)"]
        for source, f in report["by_source"].items():
            fields = "  ".join(f"{name} {_f(x)}" for name, x in f["exact"].items())
            out.append(f"  {source:<34}{f['n']:>5}  type {_f(f['type_accuracy'])}  {fields}")
    return "\n".join(out)


def format_matrix(matrix: dict[str, dict[str, int]]) -> list[str]:
    """Routing as a table: a row per gold type, a column per predicted type."""
    types = [t for t in DOC_TYPES if t in matrix or any(t in r for r in matrix.values())]
    short = {t: t[:8] for t in types}
    out = ["gold \\ routed        " + "".join(f"{short[t]:>9}" for t in types)]
    for gold in types:
        if gold in matrix:
            out.append(f"{gold:<22}" + "".join(f"{matrix[gold].get(t, 0) or '.':>9}"
                                               for t in types))
    return out
