"""Synthetic training documents for the type router (issue 12), seeded and deterministic.

    python -m lab.synth [--per-cell N] [--seed S] > docs.jsonl

Every type in English, Simplified and Traditional Chinese, built from templates
with varied layouts, label wording, amounts, dates, made-up names, then put
through OCR-like noise (upper case, look-alike characters, missing lines,
stray lines). The routing fixtures (tests/fixtures/routing.jsonl) are the
held-out test set and are never used here. Traditional Chinese is generated in
Simplified and converted with OpenCC (Taiwan or Hong Kong forms and phrases):
a maintained converter, not a hand table. Training-time only: nothing here is
imported by the app.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from .common import LANGS, Gen
from .health import clinical_note, discharge_summary, lab_report, prescription
from .money import bank_statement, invoice, payslip, receipt, tax_form
from .other import other

BUILDERS: dict[str, Callable[[Gen], list[str]]] = {
    "receipt": receipt, "invoice": invoice, "bank_statement": bank_statement,
    "payslip": payslip, "tax_form": tax_form, "lab_report": lab_report,
    "clinical_note": clinical_note, "prescription": prescription,
    "discharge_summary": discharge_summary, "other": other,
}
_LOOK_ALIKE = {"O": "0", "0": "O", "I": "1", "1": "I", "l": "1", "S": "5", "B": "8", "E": "F",
               "G": "6", "i": "l", "a": "o", "e": "c", ",": ".", ".": ","}
_JUNK = ("***", "----------------", "================", "COPY", "- - - - -", "#", "*")


@cache
def _converter(config: str) -> Any:
    import opencc  # training-only dependency ([lab] extra)

    return opencc.OpenCC(config)


def _noise(g: Gen, lines: list[str], doc_type: str) -> list[str]:
    r = g.r
    lines = [piece for ln in lines for piece in ln.split("\n")]
    if len(lines) > 5 and r.random() < 0.3:  # lines lost to the scan or the extraction
        kept = [ln for ln in lines if r.random() > 0.12]
        lines = kept if len(kept) >= 4 else lines
    if len(lines) > 8 and r.random() < 0.1:  # only the head of the page
        lines = lines[: r.randint(6, len(lines))]
    if r.random() < 0.15:
        for _ in range(r.randint(1, 3)):
            lines.insert(r.randrange(len(lines) + 1), r.choice(_JUNK))
    if not g.zh and r.random() < (0.45 if doc_type == "receipt" else 0.15):
        lines = [ln.upper() for ln in lines]
    if r.random() < 0.25:  # OCR look-alikes
        rate = r.uniform(0.005, 0.03)
        lines = ["".join(_LOOK_ALIKE.get(ch, ch) if r.random() < rate else ch for ch in ln)
                 for ln in lines]
    if r.random() < 0.2:
        lines = [ln.replace("：", ":") if g.zh else ln.replace(": ", ":") for ln in lines]
    if r.random() < 0.15:  # dotted leaders or ragged spacing between label and value
        lines = [ln.replace("  ", r.choice((" ....... ", "      ", " : "))) for ln in lines]
    return [ln.strip() for ln in lines if ln.strip()]


def make_document(doc_type: str, lang: str, index: int, seed: int = 0) -> str:
    return make_labelled(doc_type, lang, index, seed)[0]


def make_labelled(doc_type: str, lang: str, index: int, seed: int = 0
                  ) -> tuple[str, dict[str, str]]:
    """The document and the fields its builder recorded as printed (before the OCR
    noise: a field the noise changed no longer matches, and training skips it)."""
    rng = random.Random(f"{seed}:{doc_type}:{lang}:{index}")  # noqa: S311 (data, not secrets)
    g = Gen(rng, lang)
    text = "\n".join(_noise(g, BUILDERS[doc_type](g), doc_type))
    if g.hant:
        text = _converter(rng.choice(("s2twp", "s2tw", "s2hk"))).convert(text)
    return text, g.gold


def generate(per_cell: int, seed: int = 0, types: Sequence[str] = tuple(BUILDERS),
             langs: Sequence[str] = LANGS) -> list[dict[str, str]]:
    """``per_cell`` documents for every (type, language), in a fixed order."""
    return [{"id": f"synth-{seed}-{t}-{lang}-{i}", "doc_type": t, "lang": lang,
             "text": make_document(t, lang, i, seed)}
            for t in types for lang in langs for i in range(per_cell)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.synth")
    parser.add_argument("--per-cell", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for doc in generate(args.per_cell, args.seed):
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return 0
