"""Who issued an invoice: the candidates for its vendor's name (#21).

Invoices name their issuer in a few ways, in every language, and the chooser takes
them in this order (``chooser.RuleChooser._choose_name``):

- under a heading ("Verkäufer", "Seller", "Fournisseur"), after it on the same line
  or below it, where a "Name: …" line in the block wins over its numbers and ids;
- in the sender line above the address window (DIN 5008 and its French kin):
  "Bei Spiel GmbH ● Ecke 12 ● 12345 Stadthausen", whose first part is the issuer;
- as a line that ends in a company's legal form (GmbH, Ltd., B.V., SARL …), one the
  invoice repeats first (the letterhead and the footer), never one under the
  customer's heading.

Only a name field with keywords (the invoice's vendor) gets these; a receipt's
merchant is read from its top lines as before.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from .candidates import COLUMN_GAP, Candidate, Line, keyword_spans, value_below

#: The parts of a sender line: separated by a dot, bullet, bar or dash with spaces
#: around it (not the dash inside "MUSTER-Autovermietung" or "40-42").
_SENDER_SPLIT = re.compile(r"[^\S\n]+[●•·|–-][^\S\n]+")
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}-?)?\d{4,5}\b")
#: A company's legal form at the end of its name.
_LEGAL_FORM = re.compile(
    r"(?<![^\W\d_])(?:GmbH(?: & Co\.?(?: KG)?)?|AG|KG|OHG|e\.K\.|a\.G\.|UG|B\.V\.|N\.V\."
    r"|SARL|SAS|SASU|EURL|S\.A\.|SA|S\.L\.|S\.r\.l\.|S\.p\.A\.|Ltd\.?|Limited|LLC|L\.L\.C\."
    r"|Inc\.?|Corp\.?|PLC|LLP|Sp\. z o\.o\.|Oy|AB|ApS|A/S|Pty\.? Ltd\.?|GMBH|LTD\.?"
    r"|INC\.?)\s*$")
#: The customer's headings: a legal-form line right below one is the customer's.
_CUSTOMER = re.compile(
    r"(?<![^\W\d_])(?:bill(?:ed)? to|invoice to|sold to|ship to|customer|client|käufer"
    r"|kunde|rechnungsempfänger|leistungsempfänger|empfänger|acheteur|destinataire"
    r"|adresse de (?:livraison|facturation)|klant|factuuradres|nabywca|cliente"
    r"|destinatario|购买方|購買方|客户|客戶)(?![^\W\d_])", re.IGNORECASE)


def _name_like(s: str) -> bool:
    letters = sum(ch.isalpha() for ch in s)
    return letters >= 2 and letters >= len(s) * 0.5 and ":" not in s and len(s) <= 80


def _candidate(kind: str, start: int, value: str, ln: Line) -> Candidate | None:
    value = value.rstrip(" ,;")
    if not _name_like(value):
        return None
    return Candidate(kind, start, start + len(value), value, " ".join(value.split()), ln.no)


def _then_legal_form(text: str, all_lines: list[Line], start: int, value: str) -> str:
    """``value`` and the next line when the name goes on there to its legal form
    ("MVM Musterhafter / Versicherungsverein Musterstadt a.G.")."""
    end = start + len(value)
    i = bisect_right(all_lines, end, key=lambda x: x.start)
    nxt = all_lines[i] if 0 < i < len(all_lines) else None
    if (nxt is None or nxt.no != all_lines[i - 1].no + 1 or _LEGAL_FORM.search(value)
            or not _LEGAL_FORM.search(nxt.text) or re.search(r"\d", nxt.text)):
        return value
    return text[start:nxt.end]


def vendor_candidates(text: str, all_lines: list[Line], keywords: list[str]
                      ) -> list[Candidate]:
    """Issuer names by heading, sender line and legal form, in that order."""
    out: list[Candidate] = []
    for ln, m in keyword_spans(text, keywords):  # "Verkäufer" / "Seller: Acme Ltd"
        rest = ln.text[m.end():]
        value = rest.lstrip(" \t:：/-–")
        if value and not rest.lstrip().startswith((":", "：")):
            continue  # a word in a sentence or a name ("Lieferant GmbH"), no heading
        if value:
            start = ln.start + m.end() + len(rest) - len(value)
            c = _candidate("party", start, COLUMN_GAP.split(value)[0], ln)
        elif below := value_below(all_lines, ln):
            start, value = below
            value = COLUMN_GAP.split(value)[0]
            c = _candidate("party", start, _then_legal_form(text, all_lines, start, value), ln)
        else:
            c = None
        if c is not None:
            out.append(c)
    for ln in all_lines[:15]:  # the sender line over the address window
        parts = _SENDER_SPLIT.split(ln.text)
        if len(parts) >= 2 and any(_POSTCODE.search(p) for p in parts[1:]):
            c = _candidate("sender", ln.start, parts[0], ln)
            if c is not None:
                out.append(c)
    legal: list[Candidate] = []
    for i, ln in enumerate(all_lines):
        first = COLUMN_GAP.split(ln.text)[0].rstrip()
        form = _LEGAL_FORM.search(first)
        # A name before the form, and no figures ("Gross Weight 308,500 KG").
        if not form or len(first[:form.start()].strip(" ,")) < 2 or re.search(r"\d", first):
            continue
        if any(_CUSTOMER.search(x.text) for x in all_lines[max(0, i - 3):i]):
            continue  # the customer's block
        c = _candidate("legal", ln.start, first, ln)
        if c is not None:
            legal.append(c)
    seen = Counter(c.normalized for c in legal)
    out.extend(sorted(legal, key=lambda c: -seen[c.normalized]))  # stable: then by place
    return out
