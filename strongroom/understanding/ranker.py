"""A learned chooser: a linear ranker over generic candidate features (issue 12).

Features describe what a candidate *is* — label words on its line and the line
before, position, magnitude, shape — never which shop it comes from. The weights
are data (``resources/chooser/<type>.json``, checksummed), trained by
``python -m lab.train_ranker``; applying them needs no library.
Fields without weights fall back to ``RuleChooser``. Like every chooser it only
returns one of the candidates it was given.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from strongroom.resources import path as resource_path

from . import artifact
from .addresses import NOT_ADDRESS
from .candidates import Candidate, Line, date_re
from .chooser import Context, RuleChooser, cash_minus_change
from .cues import (
    ADDRESS_WORDS,
    COMPANY_WORDS,
    HEADING,
    NOT_NAME,
    REGISTRATION,
    STOP_ADDRESS,
    label_regex,
)
from .lmstates import Stack
from .schema import FieldSpec, schema

Weights = dict[str, dict[str, float]]  # field -> feature -> weight ("bias" included)

_WORDS = {  # generic receipt words, looked for on the label (line and line before)
    "w_total": r"total", "w_sub": r"sub\s*-?\s*total", "w_round": r"round",
    "w_cash": r"cash", "w_change": r"change|balance", "w_tax": r"tax|gst|vat|sst",
    "w_disc": r"disc", "w_qty": r"qty|quantity|item", "w_amount": r"amount|amt|nett|net|due",
    "w_rm": r"rm|\$", "w_date": r"date|tarikh", "w_time": r"\d:\d\d",
    "w_invoice": r"invoice|receipt|bill|doc",
    # Session 3, from the store-disjoint misses: the amount to pay after adjustments,
    # money handed over, and the rows of a tax summary.
    "w_payable": r"payable|to be paid|after|adj|final|grand",
    "w_paid": r"paid|tender\w*|received|accepted",
    "w_supplies": r"supplies|excl\w*|summary|zero|rated",
}
#: The same roles in the other languages of resources/labels.json (#21), so a Summe
#: weighs as a total and a Zwischensumme as a subtotal; the English words above stay
#: as the weights were trained on them.
for _feature, _role in (("w_total", "total"), ("w_sub", "subtotal"), ("w_cash", "tendered"),
                        ("w_change", "change"), ("w_tax", "tax")):
    # (the English pattern's last word keeps the right edge ``_has`` gave it)
    _WORDS[_feature] += r"(?![a-z])|" + label_regex(_role, skip=("en",))


@cache
def _word(pattern: str) -> re.Pattern[str]:
    # Compiled once: with the label words of seven languages the patterns outgrow
    # re's own cache of 512, and recompiling made the ranker half as fast (#21).
    return re.compile(rf"(?<![a-z]){pattern}(?![a-z])", re.IGNORECASE)


def _has(pattern: str, text: str) -> float:
    return 1.0 if _word(pattern).search(text) else 0.0


def _avoided(spec: FieldSpec, c: Candidate, ctx: Context) -> bool:
    label = ctx.label(c)
    return any(_has(re.escape(k), label) for k in spec.avoid)


def _shape(t: str) -> dict[str, float]:
    n = max(len(t), 1)
    return {
        "digits": sum(ch.isdigit() for ch in t) / n,
        "letters": sum(ch.isalpha() for ch in t) / n,
        "length": min(len(t), 80) / 40,
        "upper": 1.0 if t.isupper() else 0.0,
    }


#: Postcode shapes: five digits alone (MY, US, DE, FR...), or UK/CA letter-digit forms.
_POSTCODE = re.compile(r"(?<![\d\-./])\d{5}(?![\d\-./])|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"
                       r"|\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b")
_PHONE = re.compile(r"\+?\d{2,4}[\s\-]\d{3,4}[\s\-]?\d{3,5}")


def _stop_line(ln: Line) -> bool:
    """A line that is not address: phone, tax number, date, a heading..."""
    t = ln.text
    return bool(STOP_ADDRESS.search(t) or NOT_NAME.search(t) or REGISTRATION.match(t)
                or HEADING.match(t) or date_re().search(t))


def _address_features(spec: FieldSpec, c: Candidate, ctx: Context) -> dict[str, float]:
    """A run of lines: does it look like an address, and does it start and end
    where one would (after the merchant's line, before the phone or tax lines)?"""
    idx = [i for i, ln in enumerate(ctx.lines) if c.start <= ln.start < c.end]
    run = [ctx.lines[i] for i in idx]
    before = ctx.lines[idx[0] - 1] if idx[0] > 0 else None
    after = ctx.lines[idx[-1] + 1] if idx[-1] + 1 < len(ctx.lines) else None
    anchor = ctx.chosen.get(spec.after or "")
    anchor_at = next((i for i, ln in enumerate(ctx.lines)
                      if anchor and ln.start < anchor.end <= ln.end), None)
    gap = idx[0] - anchor_at if anchor_at is not None else 0
    words = [1.0 if ADDRESS_WORDS.search(ln.text) else 0.0 for ln in run]
    n = len(run)
    f = {f"a_{k}": v for k, v in _shape(c.text).items()}
    f.update({
        "a_lines": n / 5,
        f"a_lines_{n}": 1.0,
        "a_no_anchor": 1.0 if anchor_at is None else 0.0,
        "a_right_after": 1.0 if gap == 1 else 0.0,
        "a_gap_2": 1.0 if gap == 2 else 0.0,
        "a_gap_3": 1.0 if gap == 3 else 0.0,
        "a_gap_far": 1.0 if gap > 3 else 0.0,
        "a_above": 1.0 if anchor_at is not None and gap <= 0 else 0.0,
        "a_top": idx[0] / 12,
        "a_words_share": sum(words) / n,
        "a_words_first": words[0],
        "a_words_last": words[-1],
        "a_postcode": 1.0 if _POSTCODE.search(c.text) else 0.0,
        "a_postcode_last": 1.0 if _POSTCODE.search(run[-1].text) else 0.0,
        "a_postcode_first": 1.0 if _POSTCODE.search(run[0].text) else 0.0,
        "a_stop_inside": sum(_stop_line(ln) for ln in run) / n,
        "a_phone": 1.0 if _PHONE.search(c.text) else 0.0,
        "a_company": 1.0 if COMPANY_WORDS.search(c.text) else 0.0,
        "a_paren_line": 1.0 if any(ln.text.startswith("(") for ln in run) else 0.0,
        "a_commas": min(c.text.count(","), 6) / 6,
        "a_ends_period": 1.0 if c.text.rstrip().endswith(".") else 0.0,
        "a_ends_comma": 1.0 if c.text.rstrip().endswith(",") else 0.0,
        "a_last_short": 1.0 if len(run[-1].text) < 20 else 0.0,
        "a_next_none": 1.0 if after is None else 0.0,
        "a_next_stop": 1.0 if after and _stop_line(after) else 0.0,
        "a_next_phone": 1.0 if after and _PHONE.search(after.text) else 0.0,
        "a_next_words": 1.0 if after and ADDRESS_WORDS.search(after.text) else 0.0,
        "a_next_postcode": 1.0 if after and _POSTCODE.search(after.text) else 0.0,
        "a_next_paren": 1.0 if after and after.text.startswith("(") else 0.0,
        "a_next_short": 1.0 if after and len(after.text) < 20 else 0.0,
        "a_prev_stop": 1.0 if before and _stop_line(before) else 0.0,
        "a_prev_words": 1.0 if before and ADDRESS_WORDS.search(before.text) else 0.0,
        "a_prev_company": 1.0 if before and COMPANY_WORDS.search(before.text) else 0.0,
        "a_prev_ends_comma": 1.0 if before and before.text.rstrip().endswith(",") else 0.0,
    })
    return f


_TENDERED = label_regex("tendered", skip=("en",))
_FINAL = r"payable|paid|grand|rounded|final|nett|net|due"


@dataclass
class _Amounts:
    """What every amount candidate of one document is compared with, worked out once
    per field (per candidate it made long receipts quadratic: 27 s at 400 lines)."""

    keyed: set[int]  # lines whose label has one of the field's keywords
    values: list[Decimal]
    top: Decimal
    top_keyed: Decimal | None
    distinct: list[Decimal]  # largest first
    last_keyed: Candidate | None
    cash: list[tuple[Candidate, Decimal]]  # amounts labelled as paid
    cash_minus_change: Decimal | None
    # Looked up per candidate, so counted once here (a list's index, count or a scan
    # per candidate made a 4,000-line till roll quadratic; #22):
    rank: dict[Decimal, int]  # position in ``distinct``
    counts: Counter[Decimal]  # how often each value is printed
    cash_counts: Counter[Decimal]
    cash_sorted: list[Decimal]  # the cash values, smallest first
    cash_ids: set[int]  # id() of the cash candidates

    @classmethod
    def of(cls, spec: FieldSpec, cands: list[Candidate], ctx: Context) -> _Amounts:
        labels = [ctx.label(x) for x in cands]
        values = [Decimal(x.normalized or "0") for x in cands]
        keyed = {x.line for x, label in zip(cands, labels, strict=True)
                 if spec.keywords and not _avoided(spec, x, ctx)
                 and any(_has(re.escape(k), label) for k in spec.keywords)}
        keyed_cands = [x for x in cands if x.line in keyed]
        distinct = sorted(set(values), reverse=True)
        cash = [(x, v) for x, v, label in zip(cands, values, labels, strict=True)
                if _has(r"cash|tendered|paid|payment(?![a-z])|" + _TENDERED, label)]
        return cls(
            keyed=keyed, values=values, top=max(values) if values else Decimal(1),
            top_keyed=max((v for x, v in zip(cands, values, strict=True) if x.line in keyed),
                          default=None),
            distinct=distinct,
            last_keyed=keyed_cands[-1] if keyed_cands else None,
            cash=cash,
            cash_minus_change=cash_minus_change(cands, ctx),
            rank={v: i for i, v in reversed(list(enumerate(distinct)))},
            counts=Counter(values),
            cash_counts=Counter(v for _x, v in cash),
            cash_sorted=sorted(v for _x, v in cash),
            cash_ids={id(x) for x, _v in cash},
        )

    def cash_but(self, c: Candidate, v: Decimal) -> tuple[bool, bool]:
        """(``v`` is among the cash amounts other than ``c``, ``v`` is at most every
        one of them and there is one): what a scan of the others would say."""
        mine = id(c) in self.cash_ids  # then ``v`` is one of the cash values
        equal = self.cash_counts[v] - mine > 0
        values = self.cash_sorted
        if len(values) <= mine:
            return equal, False  # no cash but c's own
        # the smallest of the others: the second smallest if c's own value is the first
        lowest = values[1] if mine and values[0] == v else values[0]
        return equal, v <= lowest


def _amount_context(spec: FieldSpec, c: Candidate, ctx: Context, amounts: _Amounts,
                    v: Decimal) -> dict[str, float]:
    """The amount against the others on the receipt: its rank, whether it is the
    last labelled one, whether a rounding line or the cash paid agrees with it."""
    label = ctx.label(c)
    bare = re.sub(r"[^a-z ]+", " ", label.lower()).split()
    near = [ctx.line(c.line + d) for d in (-2, -1, 1)]
    equals_cash, below_cash = amounts.cash_but(c, v)
    return {
        "value_rank": min(amounts.rank[v], 5) / 5 if v in amounts.rank else 1.0,
        "last_keyword": 1.0 if c is amounts.last_keyed else 0.0,
        "keyword_line": 1.0 if c.line in amounts.keyed else 0.0,
        "bare_label": 1.0 if bare and " ".join(bare) in {k.lower() for k in spec.keywords}
        else 0.0,
        "w_final": _has(_FINAL, label),
        "label_percent": 1.0 if "%" in label else 0.0,
        "label_paren": 1.0 if "(" in label else 0.0,
        "round_before": 1.0 if any(x and ctx.line_has(_word("round"), x) for x in near[:2])
        else 0.0,
        "round_after": 1.0 if near[2] and ctx.line_has(_word("round"), near[2]) else 0.0,
        "equals_cash": 1.0 if equals_cash else 0.0,
        "below_cash": 1.0 if below_cash else 0.0,
    }


def features_of_all(spec: FieldSpec, cands: list[Candidate], ctx: Context,
                    rule_pick: Candidate | None) -> list[dict[str, float]]:
    """``features`` of every candidate of a field, with what they are compared with
    worked out once (linear in the candidates, not quadratic)."""
    amounts = _Amounts.of(spec, cands, ctx) if spec.kind == "amount" else None
    repeats = Counter(c.normalized for c in cands) if spec.kind == "date" else None
    return [features(spec, c, cands, ctx, rule_pick, amounts, repeats) for c in cands]


def features(spec: FieldSpec, c: Candidate, cands: list[Candidate], ctx: Context,
             rule_pick: Candidate | None, amounts: _Amounts | None = None,
             repeats: Counter[str | None] | None = None) -> dict[str, float]:
    """Generic features of candidate ``c`` for field ``spec``. For every candidate of
    a field, ``features_of_all`` (``amounts`` and ``repeats`` counted once)."""
    label = ctx.label(c)
    ln = ctx.line(c.line)
    prev = ctx.line(c.line - 1)
    nxt = ctx.line(c.line + 1)
    n_lines = len(ctx.lines)
    index = ctx.index_of(c.line)
    f: dict[str, float] = {
        "rule_pick": 1.0 if c is rule_pick else 0.0,
        "position": index / max(n_lines, 1),
        "from_end": min(n_lines - index, 30) / 30,
        "line_index": min(index, 12) / 12,
        "line_length": min(len(ln.text) if ln else 0, 80) / 40,
        "keyword": 1.0 if spec.keywords and any(_has(re.escape(k), label) for k in spec.keywords)
        else 0.0,
        "avoid": 1.0 if spec.avoid and any(_has(re.escape(k), label) for k in spec.avoid)
        else 0.0,
        "first": 1.0 if c is cands[0] else 0.0,
    }
    for name, pattern in _WORDS.items():
        f[name] = _has(pattern, label)
        f[name + "_prev"] = float(ctx.line_has(_word(pattern), prev)) if prev else 0.0
    if spec.kind == "amount":
        amounts = amounts or _Amounts.of(spec, cands, ctx)
        v = Decimal(c.normalized or "0")
        top = amounts.top
        f.update({
            "relative": float(v / top) if top > 0 else 0.0,
            "largest": 1.0 if v == top else 0.0,
            "largest_keyword": 1.0 if v == amounts.top_keyed else 0.0,
            "repeated": min(amounts.counts[v] - 1, 3) / 3,
            "round_05": 1.0 if (v * 20) == (v * 20).to_integral_value() else 0.0,
            "negative": 1.0 if v < 0 else 0.0,
            "cash_minus_change": 1.0 if v == amounts.cash_minus_change else 0.0,
            "log_value": math.log10(float(abs(v)) + 1) / 3,
        })
        f.update(_amount_context(spec, c, ctx, amounts, v))
    elif spec.kind == "date":
        same = (repeats[c.normalized] if repeats is not None
                else sum(x.normalized == c.normalized for x in cands))
        f["repeated"] = min(same - 1, 3) / 3
        f["time_on_line"] = float(ctx.line_has(_word(r"\d{1,2}:\d\d"), ln)) if ln else 0.0
    elif spec.kind == "name":
        t = c.text.split("\n")[-1]
        f.update({f"shape_{k}": v for k, v in _shape(c.text).items()})
        f.update({
            "two_lines": 1.0 if "\n" in c.text else 0.0,
            "company": 1.0 if COMPANY_WORDS.search(c.text) else 0.0,
            "company_last": 1.0 if COMPANY_WORDS.search(t) else 0.0,
            "heading": 1.0 if HEADING.match(t) else 0.0,
            "not_name": 1.0 if NOT_NAME.search(c.text) else 0.0,
            "address_words": 1.0 if ADDRESS_WORDS.search(c.text) else 0.0,
            "next_address": 1.0 if nxt and ADDRESS_WORDS.search(nxt.text) else 0.0,
            "next_registration": 1.0 if nxt and re.search(r"\d{4,}-?[A-Z]\b|\(\d", nxt.text)
            else 0.0,
            "prev_heading": 1.0 if prev and HEADING.match(prev.text) else 0.0,
            "trimmed": 1.0 if ln and c.end < ln.end and "\n" not in c.text else 0.0,
        })
    elif spec.kind == "address":
        f.update(_address_features(spec, c, ctx))
    return f


#: "None" is an answer: below this probability (the logistic score of the best
#: candidate) the field is left empty. Measured on store-disjoint folds of the dev
#: receipts with each receipt's address lines torn off: at 0.05 the ranker says
#: none for 553 of 586 such receipts, while on the intact ones it loses 6 right
#: addresses of 489 and empties 22 wrong ones (docs/MEASUREMENTS.md). The ranker that
#: reads the model's states puts lower probabilities on right answers: at 0.05 it
#: would lose 21 of 522, at 0.005 it loses 1 (and says none for 483 of 586 torn).
NONE_BELOW = {"merchant_address": 0.05}
NONE_BELOW_LM = {"merchant_address": 0.005}
#: With the states, the plain ranker still vetoes: none also when its best run is
#: under this. Session 5, same folds (the read-out trained on the runs the app
#: offers): 528 of 625 intact addresses right (0.845) and none for 485 of 586 torn
#: receipts, against 529 / 434 without the veto and 516 / 530 with it at 0.02.
NONE_VETO = {"merchant_address": 0.01}


def score(weights: dict[str, float], feats: dict[str, float]) -> float:
    return weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in feats.items())


def _logit(p: float) -> float:
    return -math.inf if p <= 0 else math.log(p / (1 - p))


def confidence(scores: list[float], best: int, temperature: float = 1.0) -> float:
    """The softmax of the linear scores over one field's candidates, divided by the
    field's temperature, at the pick: how sure the ranker is, as a probability
    (temperatures fitted on store-disjoint folds; docs/MEASUREMENTS.md)."""
    top = max(scores)
    return round(1.0 / sum(math.exp((s - top) / temperature) for s in scores)
                 * math.exp((scores[best] - top) / temperature), 3)


#: ranker ("ranker", or "lm" for the one reading the model's states) -> field -> T
Temperatures = dict[str, dict[str, float]]


@dataclass(frozen=True)
class LmRanker:
    """Weights for a few fields that also weigh the model's read of a candidate
    (feature ``lm``, from ``stack``); used when the document's states were read."""

    weights: Weights
    stack: Stack

    def plus(self, delta: Weights) -> LmRanker:
        """With a person's weight changes added (``personal.fit``)."""
        w = {f: {k: v + delta.get(f, {}).get(k, 0.0) for k, v in fw.items()}
             for f, fw in self.weights.items()}
        for f, d in delta.items():
            if f in w:
                w[f].update({k: v for k, v in d.items() if k not in w[f]})
        return LmRanker(w, self.stack)


class RankerChooser:
    """Picks the best-scored candidate for fields with weights; rules elsewhere."""

    def __init__(self, weights: Weights, doc_type: str = "receipt",
                 lm: LmRanker | None = None, temperatures: Temperatures | None = None
                 ) -> None:
        self.weights = weights
        self.lm = lm
        self.temperatures = temperatures or {}
        self.rules = RuleChooser()
        # Weights belong to this type's fields: an invoice's "total" is another spec.
        self.specs = set(schema(doc_type).fields)

    def choose(self, spec: FieldSpec, candidates: list[Candidate], ctx: Context
               ) -> Candidate | None:
        if spec.kind == "address" and spec.name in self.weights:
            # A run holding a time, a price or a receipt's words is no address (none of
            # the 626 dev addresses is): not offered, so "none" can win instead.
            candidates = [c for c in candidates if not NOT_ADDRESS.search(c.text)]
        rule_pick = self.rules.choose(spec, candidates, ctx)
        w = self.weights.get(spec.name)
        if w is None or not candidates or spec not in self.specs:
            return rule_pick
        feats = features_of_all(spec, candidates, ctx, rule_pick)
        none_below, which = NONE_BELOW, "ranker"
        if self.lm is not None and ctx.states is not None and spec.name in self.lm.weights:
            if max(score(w, f) for f in feats) < _logit(NONE_VETO.get(spec.name, 0.0)):
                return None  # no run looks like an address even without the states
            w, none_below, which = self.lm.weights[spec.name], NONE_BELOW_LM, "lm"
            for f, c in zip(feats, candidates, strict=True):
                f["lm"] = self.lm.stack.score(spec.name, ctx.states, c) or 0.0
        scores = [score(w, f) for f in feats]
        allowed = _allowed(spec, candidates, ctx, feats)
        best = max(allowed, key=scores.__getitem__)
        if scores[best] < _logit(none_below.get(spec.name, 0.0)):
            return None
        temperature = self.temperatures.get(which, {}).get(spec.name, 1.0)
        return dataclasses.replace(candidates[best], confidence=confidence(
            [scores[i] for i in allowed], allowed.index(best), temperature))


def _allowed(spec: FieldSpec, cands: list[Candidate], ctx: Context,
             feats: list[dict[str, float]]) -> list[int]:
    """Which candidates may be picked: for an amount, none whose label the field avoids
    (a subtotal, a tip, the change) while one labelled with the field's keywords is not
    avoided. The weights, fitted on Malaysian tills where the subtotal mostly equals the
    total, score "subtotal" up; a US bill's subtotal 24.45 beat its total 26.77 (#21)."""
    every = list(range(len(cands)))
    if spec.kind != "amount" or not spec.avoid:
        return every
    kept = [i for i in every if not feats[i]["avoid"]]
    return kept if any(feats[i]["keyword"] for i in kept) else every


@cache
def load_lm(doc_type: str = "receipt") -> LmRanker | None:
    """The ranker that reads the model's states (``<type>_lm.json``), if shipped."""
    path = resource_path("chooser", f"{doc_type}_lm.json")
    if not path.is_file():
        return None
    data = artifact.read(path, "chooser weights")
    return LmRanker(data["ranker"], Stack.of(data["lm"]))


@cache
def load(doc_type: str = "receipt") -> Weights:
    weights: Weights = artifact.read(resource_path("chooser", f"{doc_type}.json"),
                                     "chooser weights")
    return weights


@cache
def load_temperatures(doc_type: str = "receipt") -> Temperatures:
    """How much to soften each field's confidence (``<type>_calibration.json``), if
    shipped (``python -m lab.calibrate fit``)."""
    path = resource_path("chooser", f"{doc_type}_calibration.json")
    if not path.is_file():
        return {}
    temperatures: Temperatures = artifact.read(path, "confidence temperatures")
    return temperatures
