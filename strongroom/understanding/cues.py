"""Generic cues to what a line *is*: a company's name, a heading, an address, a
registration number, the end of an address block; and the words that label an
amount as a total, a subtotal, a tax, a tip, money handed over or change, in the
languages of ``resources/labels.json``.

Words and shapes, never the names of any shop or bank. The rules (``chooser``), the
address finder (``addresses``) and the ranker's features (``ranker``) read the same
cues, so a cue changed here changes all three (and the ranker's training rows: refit
``resources/chooser/receipt.json`` with ``python -m lab.train_ranker``).
"""

from __future__ import annotations

import json
import re
from functools import cache

from strongroom.resources import path as resource_path

COMPANY_WORDS = re.compile(
    r"\b(sdn\.? ?bhd|bhd|ltd|limited|llc|l\.l\.c|inc|corp|corporation|co\.|company|gmbh|plc|"
    r"pty|s\.a\.|enterprise|enterprises|trading|store|stores|mart|market|supermarket|"
    r"restaurant|cafe|café|bakery|pharmacy|hospital|clinic|medical|health|laboratory|"
    r"laboratories|labs?|bank|hardware|bookstore|station|hotel|services|group|centre|center)\b",
    re.IGNORECASE,
)
HEADING = re.compile(
    r"^\W*(tax invoice|invoice|receipt|official receipt|cash bill|cash sale|simplified tax "
    r"invoice|sales receipt|welcome|thank you|statement|bank statement|payslip|pay slip|"
    r"original|copy|duplicate|page \d+.*|lab(oratory)? report|prescription|clinical note|"
    r"progress note|customer copy|merchant copy|shopping hours|opening hours|thank you.*|"
    r"please come again.*)\W*$",
    re.IGNORECASE,
)
NOT_NAME = re.compile(
    r"\b(tel|phone|fax|email|e-mail|www|http|gst|reg\.? ?no|co\.? ?no|roc|date|time|"
    r"cashier|invoice no|receipt no)\b|@",
    re.IGNORECASE,
)
ADDRESS_WORDS = re.compile(
    r"\b(jalan|jln|taman|lorong|street|st\.?|road|rd\.?|avenue|ave\.?|lane|blvd|boulevard|"
    r"drive|dr\.?|floor|flr|suite|unit|lot|block|blk|no\.?|building|bldg|plaza|"
    r"industrial|park|square|sq|way|highway|po box|p\.o\.|city|town|village|state|"
    r"province|district|county|postcode|zip)\b|\b\d{4,6}\b|,",
    re.IGNORECASE,
)
REGISTRATION = re.compile(
    r"^\(?\s*(?:\d{5,7}-[A-Z]|co\.?\s*(?:reg\.?)?\s*no.*|company no.*|\(?\d{6,12}\)?|"
    r"gst.*|sst.*|roc.*|reg.*|business reg.*)\s*\)?$",
    re.IGNORECASE,
)
STOP_ADDRESS = re.compile(
    r"\b(tel|phone|fax|email|e-mail|www|http|gst|reg\.? ?no|invoice|receipt|date|cashier|"
    r"bill|table|order|counter|member|document|doc no)\b",
    re.IGNORECASE,
)


# -- the words that label amounts, by role and language (resources/labels.json) -------
#: The roles an amount's label can say: what it is (total, subtotal, tax, tip) or
#: which side of the payment (tendered, change).
LABEL_ROLES = ("total", "subtotal", "tax", "tip", "change", "tendered")


@cache
def _labels() -> dict[str, dict[str, list[str]]]:
    data: dict[str, dict[str, list[str]]] = json.loads(
        resource_path("labels.json").read_text(encoding="utf-8"))
    return {role: data[role] for role in LABEL_ROLES}


def label_words(role: str, *, skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The words of ``role`` in every language but those in ``skip``, in file order."""
    words: list[str] = []
    for lang, ws in _labels()[role].items():
        if lang not in skip:
            words.extend(w for w in ws if w not in words)
    return tuple(words)


def label_regex(role: str, *, skip: tuple[str, ...] = ()) -> str:
    """``role``'s words as whole words (longest first), a regex to put in a larger
    one: ``rf"\\bcash\\b|{label_regex('tendered', skip=('en',))}"``."""
    words = sorted(label_words(role, skip=skip), key=len, reverse=True)
    return rf"(?<![^\W\d_])(?:{'|'.join(re.escape(w) for w in words)})(?![^\W\d_])"


@cache
def label_pattern(role: str) -> re.Pattern[str]:
    """Any word of ``role`` as a whole word, in any language, case-insensitive."""
    return re.compile(label_regex(role), re.IGNORECASE)


def expand_labels(words: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """A schema's keyword or avoid list with each ``"@role"`` replaced by that role's
    words in every language (``"@total"`` → total, Summe, Gesamtbetrag, 合计 …)."""
    out: list[str] = []
    for w in words:
        for x in label_words(w[1:]) if w.startswith("@") and w[1:] in LABEL_ROLES else (w,):
            if x not in out:
                out.append(x)
    return tuple(out)


@cache
def _glued() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every label of two or more words as OCR glues it ("GRANDTOTAL"), unless the
    glued form is a label of its own ("subtotal")."""
    words = {w for role in LABEL_ROLES for w in label_words(role)}
    glued = {w.replace(" ", ""): w for w in words
             if " " in w and w.replace(" ", "") not in words}
    alternatives = "|".join(re.escape(g) for g in sorted(glued, key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])", re.IGNORECASE), glued


def unglue(label: str) -> str:
    """``label`` with each glued amount label spaced again: "GRANDTOTAL 113.35" ->
    "grand total 113.35", as OCR without word spacing prints them (#21)."""
    pattern, glued = _glued()
    return pattern.sub(lambda m: glued[m.group(0).lower()], label)

