"""Document type by a small learned router (issues 12 and 21).

The model's likelihood of each type word misrouted what it had not seen framed
that way: till receipts headed "TAX INVOICE" went to invoice, and then the
receipt's fields were lost. The router is a multinomial logistic regression
over what a document *says*: its words, their character trigrams (OCR glues
words), its Chinese characters and character pairs, hashed into a fixed number of
buckets (the weights hold numbers, never words); the concepts it names in any of
eight languages (``resources/router/cues.json``: "Rechnung" and "facture" are one
feature); and its shape (share of lines with amounts, dates, colons...). It needs
no model. Weights are data (``resources/router/router.json``, checksummed),
trained on real documents of many sources and on synthetic ones by ``python -m
lab.train_router`` (lab/collect/SOURCES.md); applying them is a few thousand
additions, no library.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from strongroom.resources import path as resource_path

from . import artifact
from .candidates import date_re
from .prompting import MAX_DOC_CHARS

#: Feature groups; an artifact lists the ones it was trained with. Word pairs,
#: character trigrams and "shape" (share of lines with amounts, dates, colons...)
#: were measured and did not help; they stay for ``lab.train_router --report``.
#: "cues": which concepts of ``resources/router/cues.json`` the text names, in any
#: language (issue 21).
HASHED = ("words", "bigrams", "cjk", "chars", "cues")

_WORD = re.compile(r"[a-z]{2,}")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_AMOUNT = re.compile(r"\d[.,]\d\d(?!\d)")


def _hashed_tokens(text: str, groups: Iterable[str]) -> dict[str, set[str]]:
    lower = text.lower()
    words = _WORD.findall(lower)
    out: dict[str, set[str]] = {}
    for group in groups:
        if group == "words":
            out[group] = set(words)
        elif group == "bigrams":
            out[group] = {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
        elif group == "cjk":
            grams: set[str] = set()
            for run in _CJK_RUN.findall(text):
                grams.update(run)
                grams.update(run[i : i + 2] for i in range(len(run) - 1))
            out[group] = grams
        elif group == "chars":  # robust to OCR slips inside a word ("T0TAL", "INV0ICE")
            out[group] = {w[i : i + 3] for word in set(words) for w in [f"<{word}>"]
                          for i in range(len(w) - 2)}
        elif group == "cues":
            glued = _SPACE.sub("", lower)
            out[group] = {concept for concept, as_word, as_glued in _cues()
                          if (as_word and as_word.search(lower))
                          or (as_glued and as_glued.search(glued))}
    return out


_SPACE = re.compile(r"\s+")


@cache
def _cues() -> list[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None]]:
    """(concept, its cues as whole words, its phrases with their spaces gone: OCR glues
    words, "THANKYOU"). A single word never matches inside another: German
    "Rechnung" is not "Wertpapierabrechnung"."""
    data = json.loads(resource_path("router", "cues.json").read_text(encoding="utf-8"))
    out = []
    for concept, phrases in data.items():
        if concept.startswith("_"):
            continue
        long = [p for p in phrases if " " in p or _CJK_RUN.search(p)]
        short = [p for p in phrases if not _CJK_RUN.search(p)]
        as_word = re.compile(r"(?<![^\W\d_])(?:" + "|".join(map(re.escape, short))
                             + r")(?![^\W\d_])") if short else None
        as_glued = re.compile("|".join(re.escape(_SPACE.sub("", p)) for p in long)) \
            if long else None
        out.append((concept, as_word, as_glued))
    return out


def _shape(text: str) -> dict[str, float]:
    lines = [ln for ln in text.splitlines() if ln.strip()] or [""]
    n = len(lines)
    chars = [c for c in text if not c.isspace()] or [" "]
    letters = [c for c in chars if c.isalpha() and c.isascii()]
    return {
        "s:lines": math.log1p(n) / 5,
        "s:amount_lines": sum(bool(_AMOUNT.search(ln)) for ln in lines) / n,
        "s:dates": min(len(date_re(ocr_months=False).findall(text)), 10) / 10,
        "s:percent_lines": sum("%" in ln for ln in lines) / n,
        "s:colon_lines": sum(":" in ln or "：" in ln for ln in lines) / n,
        "s:long_lines": sum(len(ln) > 60 for ln in lines) / n,
        "s:cjk": sum(bool(_CJK_RUN.match(c)) for c in chars) / len(chars),
        "s:digits": sum(c.isdigit() for c in chars) / len(chars),
        "s:upper": sum(c.isupper() for c in letters) / max(len(letters), 1),
    }


def bucket(group: str, token: str, buckets: int) -> tuple[int, float]:
    """Stable bucket and sign of a token (CRC-32, not ``hash()``, which is salted)."""
    h = zlib.crc32(f"{group}:{token}".encode())
    return h % buckets, (1.0 if h >> 31 else -1.0)


@dataclass(frozen=True)
class Features:
    hashed: dict[int, float]  # bucket -> value
    dense: dict[str, float]


def features(text: str, groups: Sequence[str], buckets: int) -> Features:
    """Features of a document's head (what the model would read of it too)."""
    head = text[:MAX_DOC_CHARS]
    hashed: dict[int, float] = {}
    for group, tokens in _hashed_tokens(head, [g for g in groups if g in HASHED]).items():
        if not tokens:
            continue
        value = 1 / math.sqrt(len(tokens))  # each group has unit length
        for token in tokens:
            i, sign = bucket(group, token, buckets)
            hashed[i] = hashed.get(i, 0.0) + sign * value
    dense: dict[str, float] = {}
    if "shape" in groups:
        dense.update(_shape(head))
    return Features(hashed, dense)


#: Below this probability of "other" a document goes to its likeliest type: chosen on
#: the trainable sources' leave-one-source-out routing with two tuning collections
#: (0.80: 0.951 -> 0.959 right; docs/MEASUREMENTS.md). A document that is none of the
#: types is sure of it; a receipt from an unseen country is not.
OTHER_AT_LEAST = 0.8


#: classes, groups, buckets, bias, hashed {bucket: [weight per class]}, dense {name: [...]}
Weights = dict[str, Any]


class Router:
    """Applies trained weights: one score per type, the highest wins."""

    def __init__(self, weights: Weights) -> None:
        self.classes: list[str] = weights["classes"]
        self.groups: list[str] = weights["groups"]
        self.buckets: int = weights["buckets"]
        self.bias: list[float] = weights["bias"]
        self.hashed = {int(k): v for k, v in weights["hashed"].items()}
        self.dense: dict[str, list[float]] = weights["dense"]

    def probabilities(self, text: str) -> dict[str, float]:
        f = features(text, self.groups, self.buckets)
        rows = [(self.hashed.get(i), x) for i, x in f.hashed.items()]
        rows += [(self.dense.get(name), x) for name, x in f.dense.items()]
        scores = list(self.bias)
        for row, x in rows:
            for k, w in enumerate(row or ()):
                scores[k] += w * x
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}

    def route(self, text: str) -> tuple[str, dict[str, float]]:
        """(type, probability of every type). "other" only when the router is sure
        (``OTHER_AT_LEAST``); else the likeliest type, whose low probability then says
        the type is a guess."""
        probs = self.probabilities(text)
        best = max(probs, key=lambda t: probs[t])
        if best == "other" and probs[best] < OTHER_AT_LEAST and len(probs) > 1:
            best = max((t for t in probs if t != "other"), key=lambda t: probs[t])
        return best, probs


@cache
def load() -> Router:
    return Router(artifact.read(resource_path("router", "router.json"), "router weights"))
