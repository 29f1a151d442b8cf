"""E-invoices: the XML a ZUGFeRD / Factur-X PDF carries is read exactly, and each value
is grounded on the page where it is printed (issue 21). The XML and pages are made here."""

from __future__ import annotations

import threading

import pytest

from strongroom.reading import read_bytes
from strongroom.reading.limits import MAX_EINVOICE_BYTES
from strongroom.understanding import einvoice
from strongroom.understanding.pipeline import Understander
from tests.helpers.documents import make_einvoice_pdf, make_pdf
from tests.helpers.fake_backend import FakeBackend

CII = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice
  xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocument><ram:ID>RE-2024-0117</ram:ID>
  <ram:IssueDateTime><udt:DateTimeString format="102">20240131</udt:DateTimeString>
  </ram:IssueDateTime></rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:SellerTradeParty><ram:Name>Holzwerk Brandt GmbH</ram:Name></ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Praxis Dr. Vogel</ram:Name></ram:BuyerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>
    <udt:DateTimeString format="102">20240301</udt:DateTimeString></ram:DueDateDateTime>
   </ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:TaxBasisTotalAmount>1037.39</ram:TaxBasisTotalAmount>
    <ram:GrandTotalAmount>1234.50</ram:GrandTotalAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""
PAGE = """Holzwerk Brandt GmbH
Sägestraße 4, 79098 Freiburg
Rechnung an: Praxis Dr. Vogel
Rechnungsnummer: RE-2024-0117
Rechnungsdatum: 31.01.2024
Regal Eiche 1.234,50 EUR
Nettobetrag 1.037,39 EUR
MwSt 19 % 197,11 EUR
Gesamtbetrag 1.234,50 EUR
"""


def test_the_xml_values_are_read():
    assert einvoice.parse(CII) == {
        "invoice_number": "RE-2024-0117", "invoice_date": "2024-01-31",
        "due_date": "2024-03-01", "total": "1234.50", "currency": "EUR",
        "vendor": "Holzwerk Brandt GmbH", "customer": "Praxis Dr. Vogel"}


ZUGFERD_1 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
 <rsm:HeaderExchangedDocument><ram:ID>471102</ram:ID>
  <ram:IssueDateTime><udt:DateTimeString format="102">20130305</udt:DateTimeString>
  </ram:IssueDateTime></rsm:HeaderExchangedDocument>
 <rsm:SpecifiedSupplyChainTradeTransaction>
  <ram:ApplicableSupplyChainTradeAgreement>
   <ram:SellerTradeParty><ram:Name>Lieferant GmbH</ram:Name></ram:SellerTradeParty>
  </ram:ApplicableSupplyChainTradeAgreement>
  <ram:ApplicableSupplyChainTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementMonetarySummation>
    <ram:GrandTotalAmount currencyID="EUR">529.87</ram:GrandTotalAmount>
   </ram:SpecifiedTradeSettlementMonetarySummation>
  </ram:ApplicableSupplyChainTradeSettlement>
 </rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:CrossIndustryDocument>
"""


def test_zugferd_1_is_read_too():
    assert einvoice.parse(ZUGFERD_1) == {
        "invoice_number": "471102", "invoice_date": "2013-03-05", "total": "529.87",
        "currency": "EUR", "vendor": "Lieferant GmbH"}


def test_each_value_is_grounded_where_the_page_prints_it():
    fields = einvoice.ground(einvoice.parse(CII) or {}, PAGE)
    for name, printed in {"invoice_number": "RE-2024-0117", "invoice_date": "31.01.2024",
                          "total": "1.234,50", "vendor": "Holzwerk Brandt GmbH",
                          "customer": "Praxis Dr. Vogel", "currency": "EUR"}.items():
        fv = fields[name]
        assert fv.value == printed and PAGE[fv.span[0]:fv.span[1]] == printed, name
        assert (fv.status, fv.note) == ("verified", einvoice.NOTE)
    assert fields["total"].span[0] > PAGE.index("Gesamtbetrag")  # the grand total line
    # The due date is not printed: kept, but only as inferred and to be reviewed.
    due = fields["due_date"]
    assert (due.value, due.span, due.inferred, due.note) == ("2024-03-01", None, True,
                                                             einvoice.NOT_PRINTED)


@pytest.mark.parametrize("xml", [
    b"<not-an-invoice/>", b"\x00\xff garbage", b"",
    # an entity bomb: entities are never expanded
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    b"<r>&b;</r>",
    b"<x>" + b"a" * (MAX_EINVOICE_BYTES + 1) + b"</x>",
])
def test_anything_else_is_no_einvoice(xml):
    assert einvoice.parse(xml) is None


def test_the_pdf_reader_finds_the_attachment():
    doc = read_bytes("rechnung.pdf", make_einvoice_pdf(PAGE, CII))
    assert doc.einvoice == CII and "RE-2024-0117" in doc.text
    assert read_bytes("plain.pdf", make_pdf([PAGE])).einvoice is None
    other = read_bytes("x.pdf", make_einvoice_pdf(PAGE, CII, name="notes.xml"))
    assert other.einvoice is None  # only the names the standards give


def test_an_einvoice_is_an_invoice_with_the_xml_values(tmp_path):
    """Whatever the router thinks of the page, the fields come from the XML."""
    doc = read_bytes("rechnung.pdf", make_einvoice_pdf(PAGE, CII))
    understand = Understander(lambda: FakeBackend(), summary_tokens=8)
    ex = understand(doc, cancel=threading.Event(), progress=lambda _f: None)
    assert ex.doc_type == "invoice"
    assert ex.fields["total"].normalized == "1234.50"
    assert ex.fields["invoice_date"].normalized == "2024-01-31"
    assert ex.fields["vendor"].value == "Holzwerk Brandt GmbH"
    assert ex.fields["total"].status == "verified"
    for fv in ex.fields.values():
        if fv.span:
            assert doc.text[fv.span[0]:fv.span[1]] == fv.value
