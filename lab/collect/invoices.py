"""What the invoice and tax-form builders share (issue 21): an e-invoice's XML (CII,
ZUGFeRD 1, UBL) read into plain fields, those fields found *as printed* in the
document's text, and the words that tell an invoice's language (the mirror, the rows
and the command line are ``mirror_text``'s).

Gold is always the text's own spelling: an XML date ``20180305`` becomes whichever of
``05.03.2018``, ``5 March 2018``, ``03/05/2018``, … the page shows, an amount ``529.87``
becomes ``529,87`` or ``1.529,87`` as printed; a value the page does not show is
dropped (None), never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

# --- e-invoice XML -> plain fields ------------------------------------------------------

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
#: CII (ZUGFeRD 2, Factur-X, XRechnung-CII) and ZUGFeRD 1 name the same things alike.
_CII_DOCUMENT = ("ExchangedDocument", "HeaderExchangedDocument")


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _first(root: etree._Element, *path: str) -> etree._Element | None:
    """The first element reached by ``path``: each step a descendant of that local name."""
    el: etree._Element | None = root
    for step in path:
        if el is None:
            return None
        el = next((d for d in el.iter() if d is not el and _local(d) == step), None)
    return el


def _child(el: etree._Element | None, name: str) -> etree._Element | None:
    if el is None:
        return None
    return next((c for c in el if _local(c) == name), None)


def _text(el: etree._Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    value = " ".join(el.text.split())
    return value or None


def _date(value: str | None) -> dt.date | None:
    """An XML date: ``20180305`` (CII format 102) or ``2018-03-05`` (UBL)."""
    if not value:
        return None
    digits = value.replace("-", "")[:8]
    try:
        return dt.datetime.strptime(digits, "%Y%m%d").date()
    except ValueError:
        return None


def einvoice_fields(xml: bytes) -> dict[str, Any]:
    """The header of an e-invoice: number, dates, seller, buyer, totals, currency.

    Keys: ``number``, ``issue_date``/``due_date`` (``datetime.date``), ``seller``,
    ``buyer``, ``grand_total``/``due_payable`` (``Decimal``), ``currency``; None where
    the XML has none. Raises ``ValueError`` for XML that is no invoice.
    """
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from None
    kind = _local(root)
    if any(_local(d) in _CII_DOCUMENT for d in root.iter()):
        return _cii(root)  # also ZUGFeRD 1's release candidate, whose root is "Invoice"
    if kind in ("Invoice", "CreditNote"):
        return _ubl(root)
    raise ValueError(f"not an e-invoice: {kind}")


def _cii(root: etree._Element) -> dict[str, Any]:
    doc = next((d for d in root.iter() if _local(d) in _CII_DOCUMENT), None)
    due = _first(root, "SpecifiedTradePaymentTerms", "DueDateDateTime")
    issued = _child(doc, "IssueDateTime")
    return {
        "number": _text(_child(doc, "ID")),
        "issue_date": _date(_text(_child(issued, "DateTimeString")) or _text(issued)),
        "due_date": _date(_text(_child(due, "DateTimeString")) or _text(due)),
        "seller": _text(_child(_first(root, "SellerTradeParty"), "Name")),
        "buyer": _text(_child(_first(root, "BuyerTradeParty"), "Name")),
        "grand_total": _amount(_text(_first(root, "GrandTotalAmount"))),
        "due_payable": _amount(_text(_first(root, "DuePayableAmount"))),
        "currency": _text(_first(root, "InvoiceCurrencyCode")),
    }


def _ubl(root: etree._Element) -> dict[str, Any]:
    def party(role: str) -> str | None:
        p = _first(root, role, "Party")
        return _text(_first(p, "PartyName", "Name") if p is not None else None) or _text(
            _first(p, "RegistrationName") if p is not None else None)

    totals = _first(root, "LegalMonetaryTotal")
    return {
        "number": _text(_child(root, "ID")),
        "issue_date": _date(_text(_child(root, "IssueDate"))),
        "due_date": _date(_text(_child(root, "DueDate"))
                          or _text(_first(root, "PaymentMeans", "PaymentDueDate"))),
        "seller": party("AccountingSupplierParty"),
        "buyer": party("AccountingCustomerParty"),
        "grand_total": _amount(_text(_child(totals, "TaxInclusiveAmount"))),
        "due_payable": _amount(_text(_child(totals, "PayableAmount"))),
        "currency": _text(_child(root, "DocumentCurrencyCode")),
    }


def _amount(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


# --- finding a value as printed ---------------------------------------------------------

_SPACE = re.compile(r"\s+")


def find_verbatim(text: str, value: str | None) -> str | None:
    """``value`` if it stands in ``text`` as a whole token (whitespace-insensitive)."""
    if not value or not value.strip():
        return None
    words = [re.escape(w) for w in value.split()]
    pattern = r"(?<![\w])" + r"\s+".join(words) + r"(?![\w])"
    return " ".join(value.split()) if re.search(pattern, text) else None


#: (thousands separator, decimal mark) pairs, the commonest first.
_AMOUNT_STYLES = ((".", ","), (",", "."), ("", ","), ("", "."), (" ", ","), ("\u00a0", ","),
                  ("\u202f", ","), (" ", "."), ("'", "."))


def amount_forms(value: Decimal) -> list[str]:
    """The ways ``value`` may be printed, to two decimals, most likely first."""
    q = value.quantize(Decimal("0.01"))
    sign = "-" if q < 0 else ""
    whole, frac = f"{abs(q):.2f}".split(".")
    groups = [whole[max(0, i - 3):i] for i in range(len(whole), 0, -3)][::-1]
    forms: list[str] = []
    for thousands, mark in _AMOUNT_STYLES:
        form = sign + thousands.join(groups) + mark + frac
        if form not in forms:
            forms.append(form)
    return forms


def find_amount(text: str, value: Decimal | None) -> str | None:
    """``value`` as ``text`` prints it (``529,87``, ``1.234,56``, ``1,234.56``, …)."""
    if value is None:
        return None
    for form in amount_forms(value):
        if re.search(r"(?<![\d.,'\-\u2212])" + re.escape(form) + r"(?![\d]|[.,]\d)", text):
            return form
    if value != value.to_integral_value():
        return None
    # A whole amount printed without decimals counts only right after a currency.
    for form in dict.fromkeys(f[: -3] for f in amount_forms(value)):
        if re.search(_CURRENCY_BEFORE + re.escape(form) + r"(?![\d]|[.,]\d)", text):
            return form
    return None


_CURRENCY_BEFORE = r"(?:[$€£¥₹]|\b(?:Rs\.?|[A-Z]{3}))\s?"


_MONTHS = {
    "en": ("January February March April May June July August September October November "
           "December"),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november "
          "december",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
          "listopada grudnia",
}


def date_forms(day: dt.date) -> list[str]:
    """The ways ``day`` may be printed, numeric day-first and ISO forms first."""
    d, m, y = day.day, day.month, day.year
    forms = [f"{d:02}.{m:02}.{y}", f"{d}.{m}.{y}", f"{y}-{m:02}-{d:02}", f"{d:02}/{m:02}/{y}",
             f"{d}-{m}-{y}",
             f"{d:02}-{m:02}-{y}", f"{m:02}/{d:02}/{y}", f"{m}/{d}/{y}", f"{d}/{m}/{y}",
             f"{y}/{m:02}/{d:02}", f"{y}.{m:02}.{d:02}", f"{d:02}.{m:02}.{y % 100:02}",
             f"{d:02}/{m:02}/{y % 100:02}", f"{m:02}/{d:02}/{y % 100:02}",
             f"{d:02}-{m:02}-{y % 100:02}"]
    for names in _MONTHS.values():
        name = names.split()[m - 1]
        for month in (name, name[:3] + ".", name[:3]):
            forms += [f"{d}. {month} {y}", f"{d:02}. {month} {y}", f"{d} {month} {y}",
                      f"{d:02} {month} {y}", f"{month} {d}, {y}", f"{month} {d:02}, {y}",
                      f"{d:02}-{month}-{y}", f"{d}-{month}-{y}", f"{d:02}-{month}-{y % 100:02}"]
    seen: list[str] = []
    for form in forms:
        if form not in seen:
            seen.append(form)
    return seen


def find_date(text: str, day: dt.date | None) -> str | None:
    """``day`` as ``text`` prints it, the text's own spelling (case kept)."""
    if day is None:
        return None
    for form in date_forms(day):
        pattern = (r"(?<![\w./-])" + re.escape(form).replace(",\\ ", r"\s*,\s*")
                   .replace(r"\ ", r"\s+") + r"(?!\d|[./-]\d)")
        hit = re.search(pattern, text, re.IGNORECASE)
        if hit:
            return _SPACE.sub(" ", hit.group(0))
    return None


#: Currency codes and the symbols a page may print instead.
_SYMBOLS = {"EUR": ("€",), "USD": ("$",), "GBP": ("£",), "INR": ("₹", "Rs"), "PLN": ("zł",),
            "JPY": ("¥",)}


def find_currency(text: str, code: str | None) -> str | None:
    """The code if printed as a word, else its symbol if printed, else None."""
    if not code:
        return None
    if re.search(r"(?<![A-Za-z])" + re.escape(code) + r"(?![A-Za-z])", text):
        return code
    return next((symbol for symbol in _SYMBOLS.get(code.upper(), ())
                 if re.search(r"(?<![A-Za-z])" + re.escape(symbol) + r"(?![A-Za-z])", text)),
                None)


def invoice_gold(text: str, fields: dict[str, Any]) -> dict[str, str | None]:
    """The invoice schema's gold for ``text`` from plain ``fields`` (``einvoice_fields``).

    Each value is the text's own spelling or None: a value is kept only when found.
    The total is the grand total as printed, else the amount due as printed.
    """
    total = find_amount(text, fields.get("grand_total")) or find_amount(
        text, fields.get("due_payable"))
    return {
        "vendor": find_verbatim(text, _name(fields.get("seller"))),
        "invoice_number": find_verbatim(text, _number(fields.get("number"))),
        "invoice_date": find_date(text, fields.get("issue_date")),
        "due_date": find_date(text, fields.get("due_date")),
        "total": total,
        "currency": find_currency(text, fields.get("currency")),
        "customer": find_verbatim(text, _name(fields.get("buyer"))),
    }


def _number(number: str | None) -> str | None:
    """An invoice number without a leading ``#``; None unless it holds a digit."""
    number = number.lstrip("# ") if number else None
    return number if number and re.search(r"\d", number) else None


def _name(party: str | None) -> str | None:
    """A party's name, or None when it carries a long number (a GLN or account run in)."""
    return None if party is None or re.search(r"\d{6}", party) else party


# --- the rest of what a record needs ----------------------------------------------------

def pdf_attachments(data: bytes) -> list[tuple[str, bytes]]:
    """The files embedded in a PDF (a Factur-X/ZUGFeRD invoice carries its XML so)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        found = []
        for i in range(pdf.count_attachments()):
            att = pdf.get_attachment(i)
            found.append((str(att.get_name()), bytes(att.get_data())))
        return found
    finally:
        pdf.close()


#: Frequent words of invoices, for ``mirror_text.guess_lang(text, words=INVOICE_WORDS)``.
INVOICE_WORDS = {lang: set(words.split()) for lang, words in {
    "de": "und der die das für mit von bis zu rechnung datum betrag steuer summe nr gesamt "
          "ist den dem des ein eine auf im sie wir ihre netto brutto ust",
    "fr": "et le la les des du pour de facture date montant total tva payer",
    "en": "and the of for to invoice date amount total due tax from by with",
    "nl": "en de het van voor met factuur datum bedrag totaal btw te",
    "pl": "na do faktura data kwota razem netto brutto sprzedawca nabywca",
}.items()}
