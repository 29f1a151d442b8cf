"""Learning from the user's own corrections (issue 12).

A field the user confirmed, or corrected by pointing at another span of the
document, is a labelled example: the document's text and the span they vouched
for. The vault keeps those labels (never outside it); from them the chooser
adapts on the user's machine, in two ways that each need only a few labels:

* **Memory.** A value the user vouched for is looked for again: where a later
  document holds it verbatim (a shop's name, its address, an account number),
  that span is offered as a candidate and the choice is made among the
  remembered values first. This is what turns an unseen shop into a seen one.
* **Personal weights.** For names and addresses (where layouts differ from shop to
  shop), the shipped weights plus a small delta, fitted on the
  user's labels by a listwise softmax (the labelled candidate against the others
  offered with it) with an L2 pull of the delta towards zero, so a handful of
  labels nudges the shipped model and never overturns it.

Both are recomputed from the labels, never stored beside them: the features are
recomputed from the document text already in the vault. Fitting is numpy only,
milliseconds for hundreds of labels (measured in docs/MEASUREMENTS.md), so it runs
whenever a label is added.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .candidates import Candidate
from .chooser import Chooser, Context, RuleChooser
from .fields import extract_fields
from .ranker import LmRanker, RankerChooser, Temperatures, Weights, features_of_all
from .schema import FieldSpec, schema

#: Kinds whose values recur from one document to the next (a shop's name, an
#: account number), so a remembered value is evidence; dates and amounts are not.
REMEMBERED_KINDS = frozenset({"name", "address", "labelled", "number"})
L2 = 3.0  # pull of the delta towards zero; chosen on the dev set (docs/MEASUREMENTS.md)
STEPS = 300


def key(s: str) -> str:
    """Text compared ignoring case, punctuation and spaces (as the eval does)."""
    return re.sub(r"[\W_]+", "", s.casefold())


@dataclass(frozen=True)
class Label:
    """One confirmed field: ``text[start:end]`` is what the user vouched for."""

    doc_type: str
    field: str
    text: str
    start: int
    end: int

    @property
    def value(self) -> str:
        return self.text[self.start : self.end]


@dataclass
class _Offer:
    """What one field was offered in one document, as features per candidate."""

    feats: list[dict[str, float]]
    gold: int  # index of the labelled candidate


#: Each label's offer, kept between fits so adding a label reads one document.
OfferCache = dict[Label, _Offer | None]


class _Recording:
    """Passes choices through to ``chooser`` and keeps what ``field`` was offered,
    with the context it was offered in (the fields chosen before it)."""

    def __init__(self, chooser: Chooser, field: str) -> None:
        self.chooser, self.field = chooser, field
        self.seen: tuple[list[Candidate], Context, Candidate | None] | None = None

    def choose(self, spec: FieldSpec, candidates: list[Candidate], ctx: Context
               ) -> Candidate | None:
        pick = self.chooser.choose(spec, candidates, ctx)
        if spec.name == self.field:
            rule_pick = RuleChooser().choose(spec, candidates, ctx)
            snapshot = Context(ctx.text, ctx.lines, dict(ctx.chosen))
            self.seen = (list(candidates), snapshot, rule_pick)
        return pick


def offered(text: str, doc_type: str, field: str, chooser: Chooser
            ) -> tuple[FieldSpec, list[Candidate], Context, Candidate | None]:
    """The candidates ``field`` is offered in ``text``, the context they are offered
    in (the fields before it chosen by ``chooser``) and the rules' pick."""
    spec = next(f for f in schema(doc_type).fields if f.name == field)
    rec = _Recording(chooser, field)
    extract_fields(text, schema(doc_type), rec)
    assert rec.seen is not None
    return spec, *rec.seen


def _offer(label: Label, chooser: Chooser) -> _Offer | None:
    spec, cands, ctx, pick = offered(label.text, label.doc_type, label.field, chooser)
    at = [i for i, c in enumerate(cands) if (c.start, c.end) == (label.start, label.end)]
    if not at:  # the user's span was not offered: memory learns it, the weights cannot
        return None
    return _Offer(features_of_all(spec, cands, ctx, pick), at[0])


def fit(base: Weights, labels: Sequence[Label], *, doc_type: str = "receipt",
        l2: float | None = None, cache: OfferCache | None = None
        ) -> Weights:
    """The shipped weights plus a delta fitted on ``labels`` (see the module text).

    Gradient descent on the mean listwise log-loss plus ``l2 / n`` times the squared
    delta: with few labels the pull dominates and the delta stays small. ``cache``
    keeps each label's offer between fits, so adding a label costs one document.
    """
    l2 = L2 if l2 is None else l2
    out: Weights = {f: dict(w) for f, w in base.items()}
    chooser = RankerChooser(base, doc_type)
    cache = {} if cache is None else cache
    kinds = {f.name: f.kind for f in schema(doc_type).fields}
    for fname, w in base.items():
        if kinds.get(fname) not in REMEMBERED_KINDS:
            continue  # dates and amounts: the shipped weights read them better (measured)
        offers = []
        for lb in labels:
            if lb.field != fname or lb.doc_type != doc_type:
                continue
            if lb not in cache:
                cache[lb] = _offer(lb, chooser)
            o = cache[lb]
            if o is not None and len(o.feats) > 1:
                offers.append(o)
        if offers:
            out[fname] = _fit_field(w, offers, l2)
    return out


def _fit_field(w: dict[str, float], offers: list[_Offer], l2: float) -> dict[str, float]:
    names = sorted({k for o in offers for f in o.feats for k in f})
    index = {k: i for i, k in enumerate(names)}
    rows = [f for o in offers for f in o.feats]
    m = np.zeros((len(rows), len(names)))
    for r, f in enumerate(rows):
        for k, v in f.items():
            m[r, index[k]] = v
    sizes = np.array([len(o.feats) for o in offers])
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    gold = m[starts + np.array([o.gold for o in offers])].sum(axis=0)
    w0 = np.array([w.get(k, 0.0) for k in names])
    delta = np.zeros(len(names))
    n = len(offers)
    # A step no longer than the loss's curvature allows (the log-loss's Hessian is at
    # most the largest squared feature norm; the pull adds 2·l2/n): never diverges.
    rate = 1.0 / (float((m * m).sum(axis=1).max()) + 2 * l2 / n)
    for _ in range(STEPS):  # softmax within each document's candidates, all at once
        s = m @ (w0 + delta)
        s -= np.repeat(np.maximum.reduceat(s, starts), sizes)
        p = np.exp(s)
        p /= np.repeat(np.add.reduceat(p, starts), sizes)
        delta -= rate * ((p @ m - gold) / n + 2 * l2 / n * delta)
    out = dict(w)
    for k, d in zip(names, delta, strict=True):
        if abs(d) > 1e-6:
            out[k] = round(out.get(k, 0.0) + float(d), 6)
    return out


@dataclass
class Memory:
    """Values the user vouched for, per field of a type, in the order they came.

    Keyed by the field's spec, so a receipt's merchant and an invoice's vendor are
    remembered apart while one chooser serves every type."""

    values: dict[FieldSpec, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, labels: Iterable[Label]) -> Memory:
        mem = cls()
        for lb in labels:
            spec = next((f for f in schema(lb.doc_type).fields if f.name == lb.field), None)
            if spec is None or spec.kind not in REMEMBERED_KINDS or not key(lb.value):
                continue
            known = mem.values.setdefault(spec, [])
            if lb.value not in known:
                known.append(lb.value)
        return mem

    def found(self, spec: FieldSpec, ctx: Context, candidates: list[Candidate]
              ) -> list[Candidate]:
        """The candidates (offered, or found verbatim in the text) that hold a
        remembered value of this field."""
        known = self.values.get(spec, [])
        if not known:
            return []
        keys = {key(v) for v in known}
        hits = [c for c in candidates if key(c.text) in keys]
        have = {(c.start, c.end) for c in hits}
        folded = ctx.text.casefold()
        for v in known:
            at = folded.find(v.casefold())
            if at < 0 or (at, at + len(v)) in have:
                continue
            span = ctx.text[at : at + len(v)]
            line = next((ln.no for ln in ctx.lines if ln.start <= at < ln.end), 0)
            hits.append(Candidate("remembered", at, at + len(v), span, " ".join(span.split()),
                                  line))
            have.add((at, at + len(v)))
        return hits


class PersonalChooser:
    """The ranker with the user's labels: remembered values first, then the
    personal weights (the shipped ones when there are no labels)."""

    def __init__(self, base: Weights, labels: Sequence[Label], doc_type: str = "receipt",
                 *, l2: float | None = None, cache: OfferCache | None = None,
                 lm: LmRanker | None = None, temperatures: Temperatures | None = None
                 ) -> None:
        self.memory = Memory.of(labels)
        weights = fit(base, labels, doc_type=doc_type, l2=l2, cache=cache) if labels else base
        if lm is not None:  # the person's changes apply to the state-reading weights too
            lm = lm.plus({f: {k: v - base.get(f, {}).get(k, 0.0) for k, v in fw.items()}
                          for f, fw in weights.items()})
        self.ranker = RankerChooser(weights, doc_type, lm, temperatures)

    def choose(self, spec: FieldSpec, candidates: list[Candidate], ctx: Context
               ) -> Candidate | None:
        remembered = self.memory.found(spec, ctx, candidates)
        pick = self.ranker.choose(spec, remembered, ctx) if remembered else None
        return pick or self.ranker.choose(spec, candidates, ctx)
