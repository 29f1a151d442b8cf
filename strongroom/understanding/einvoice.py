"""E-invoices read exactly: the XML a ZUGFeRD / Factur-X / XRechnung PDF carries (issue 21).

Such a PDF holds its invoice twice: printed on the page, and as structured XML in an
attachment (UN/CEFACT Cross Industry Invoice; its ZUGFeRD 1.0 predecessor; or OASIS UBL
for some XRechnung). The XML
is the seller's own data, so its values are taken over the chooser's guesses, and each
is then grounded on the page: the printed text whose meaning is the XML's value (the
date ``20240131`` printed as ``31.01.2024``, the total ``1234.50`` as ``1.234,50``).
A value the page does not print is kept only as *inferred*, with a note saying so: the
vault never stores a value as fact without its span.

The XML is document content from an unknown sender: it is parsed without entities, DTDs
or network, and refused past ``MAX_EINVOICE_BYTES``. Seven values are read with XPath; the
libraries for the format (``factur-x``, ``drafthorse``) read one dialect each and bring
a second PDF library, for what is here a few paths.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from lxml import etree

from ..reading.limits import MAX_EINVOICE_BYTES
from .candidates import Candidate, day_first, find_amounts, find_currencies, find_dates
from .normalize import normalize_date
from .result import FieldValue

NOTE = "Read from the invoice's own e-invoice data (ZUGFeRD / Factur-X)."
NOT_PRINTED = "In the invoice's e-invoice data, but not printed on the page."

_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "ubl": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    # ZUGFeRD 1.0 (2014): the same ideas under older names
    "z1": "urn:ferd:CrossIndustryDocument:invoice:1p0",
    "z1ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12",
    "z1udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15",
}
_CII = "/rsm:CrossIndustryInvoice"
_CII_DEAL = f"{_CII}/rsm:SupplyChainTradeTransaction"
_CII_SETTLE = f"{_CII_DEAL}/ram:ApplicableHeaderTradeSettlement"
_CII_AGREE = f"{_CII_DEAL}/ram:ApplicableHeaderTradeAgreement"
_Z1 = "/z1:CrossIndustryDocument"
_Z1_DEAL = f"{_Z1}/z1:SpecifiedSupplyChainTradeTransaction"
_Z1_SETTLE = f"{_Z1_DEAL}/z1ram:ApplicableSupplyChainTradeSettlement"
_Z1_AGREE = f"{_Z1_DEAL}/z1ram:ApplicableSupplyChainTradeAgreement"
#: field -> XPaths tried in order (CII, UBL, then ZUGFeRD 1.0).
_PATHS: dict[str, tuple[str, ...]] = {
    "invoice_number": (f"{_CII}/rsm:ExchangedDocument/ram:ID", "/ubl:Invoice/cbc:ID",
                       f"{_Z1}/z1:HeaderExchangedDocument/z1ram:ID"),
    "invoice_date": (f"{_CII}/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString",
                     "/ubl:Invoice/cbc:IssueDate",
                     f"{_Z1}/z1:HeaderExchangedDocument/z1ram:IssueDateTime/"
                     "z1udt:DateTimeString"),
    "due_date": (f"{_CII_SETTLE}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/"
                 "udt:DateTimeString", "/ubl:Invoice/cbc:DueDate",
                 f"{_Z1_SETTLE}/z1ram:SpecifiedTradePaymentTerms/z1ram:DueDateDateTime/"
                 "z1udt:DateTimeString"),
    "total": (f"{_CII_SETTLE}/ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
              "ram:GrandTotalAmount",
              "/ubl:Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
              f"{_Z1_SETTLE}/z1ram:SpecifiedTradeSettlementMonetarySummation/"
              "z1ram:GrandTotalAmount"),
    "currency": (f"{_CII_SETTLE}/ram:InvoiceCurrencyCode", "/ubl:Invoice/cbc:DocumentCurrencyCode",
                 f"{_Z1_SETTLE}/z1ram:InvoiceCurrencyCode"),
    "vendor": (f"{_CII_AGREE}/ram:SellerTradeParty/ram:Name",
               "/ubl:Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/"
               "cbc:RegistrationName",
               "/ubl:Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name",
               f"{_Z1_AGREE}/z1ram:SellerTradeParty/z1ram:Name"),
    "customer": (f"{_CII_AGREE}/ram:BuyerTradeParty/ram:Name",
                 "/ubl:Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/"
                 "cbc:RegistrationName",
                 "/ubl:Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name",
                 f"{_Z1_AGREE}/z1ram:BuyerTradeParty/z1ram:Name"),
}
_KINDS = {"invoice_date": "date", "due_date": "date", "total": "amount", "currency": "currency"}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def parse(xml: bytes) -> dict[str, str] | None:
    """The e-invoice's values as the XML writes them (dates ISO 8601, amounts as
    decimals), or None when ``xml`` is not a CII or UBL invoice."""
    if len(xml) > MAX_EINVOICE_BYTES:
        return None
    try:
        root = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError:
        return None
    tree = root.getroottree()
    out: dict[str, str] = {}
    for name, paths in _PATHS.items():
        for path in paths:
            found = tree.xpath(path, namespaces=_NS)
            text = found[0].text.strip() if found and found[0].text else ""
            if text:
                out[name] = _canonical(name, text)
                break
    return out if "invoice_number" in out or "total" in out else None


def _canonical(name: str, text: str) -> str:
    kind = _KINDS.get(name)
    if kind == "date":
        return normalize_date(text) or text  # 102 format: 20240131
    if kind == "amount":
        try:
            return str(Decimal(text))
        except InvalidOperation:
            return text
    return text


# -- grounding on the page ------------------------------------------------------------
def _words(value: str) -> re.Pattern[str]:
    """The value as printed: any run of spaces (or a line break) between its words."""
    return re.compile(r"\s+".join(map(re.escape, value.split())), re.IGNORECASE)


def _printed(name: str, value: str, text: str, found: Mapping[str, list[Candidate]]
             ) -> tuple[int, int] | None:
    kind = _KINDS.get(name)
    if kind == "amount":
        want = Decimal(value)
        spans = [(c.start, c.end) for c in found[kind] if _same_amount(c.normalized, want)]
        spans = spans[-1:]  # the grand total is printed last (after the net and the tax)
    elif kind is not None:
        spans = [(c.start, c.end) for c in found[kind]
                 if c.normalized == value and not c.inferred]
    else:
        spans = [m.span() for m in _words(value).finditer(text)]
    return spans[0] if spans else None


def _same_amount(normalized: str | None, want: Decimal) -> bool:
    try:
        return normalized is not None and Decimal(normalized) == want
    except InvalidOperation:
        return False


def ground(values: Mapping[str, str], text: str) -> dict[str, FieldValue]:
    """FieldValues for the e-invoice's values: each on its printed span (verified by
    the XML), or inferred with a note when the page does not print it."""
    found = {"date": find_dates(text, dayfirst=day_first(text, values.get("currency"))),
             "amount": find_amounts(text), "currency": find_currencies(text)}
    out: dict[str, FieldValue] = {}
    for name, value in values.items():
        span = _printed(name, value, text, found)
        if span is None:
            out[name] = FieldValue(value=value, normalized=value, inferred=True,
                                   status="needs_review", note=NOT_PRINTED)
        else:
            out[name] = FieldValue(value=text[span[0]:span[1]], normalized=value, span=span,
                                   score=1.0, status="verified", note=NOTE)
    return out


def mark(assessed: Mapping[str, FieldValue], from_xml: Mapping[str, FieldValue]
         ) -> dict[str, FieldValue]:
    """The fields after ``checks.assess``: a printed e-invoice value is verified by its
    XML unless a check found against it (then its finding stands)."""
    out = dict(assessed)
    for name, fv in from_xml.items():
        now = out.get(name)
        if now is None or now.value != fv.value:
            continue
        if now.status == "needs_review" and now.note and fv.span is not None:
            continue
        out[name] = replace(now, status=fv.status, note=fv.note)
    return out
