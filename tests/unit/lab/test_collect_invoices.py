"""The invoice builders' pure parts (issue 21): e-invoice XML to fields, fields to gold
as printed. The XML here is written for the test, in the shapes the corpora use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lab.collect import mirror_text as mt
from lab.collect.invoices import (
    INVOICE_WORDS,
    amount_forms,
    einvoice_fields,
    find_amount,
    find_currency,
    find_date,
    find_verbatim,
    invoice_gold,
)
from lab.collect.opentaxformfiller import form_of, gold_of
from lab.collect.zugferd import gold_from_name, gold_from_xml, source_of

CII = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice
    xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocument>
    <ram:ID>RE-2024/17</ram:ID>
    <ram:IssueDateTime><udt:DateTimeString format="102">20240131</udt:DateTimeString>
    </ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:SpecifiedTradeProduct><ram:Name>Schrauben</ram:Name></ram:SpecifiedTradeProduct>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty><ram:Name>Beispiel  Werkzeug GmbH</ram:Name></ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Kunde KG</ram:Name></ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradePaymentTerms>
        <ram:DueDateDateTime><udt:DateTimeString format="102">20240229</udt:DateTimeString>
        </ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:GrandTotalAmount>1234.5</ram:GrandTotalAmount>
        <ram:DuePayableAmount>1234.50</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""

UBL = b"""<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>INV-9</cbc:ID>
  <cbc:IssueDate>2023-03-20</cbc:IssueDate>
  <cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyLegalEntity><cbc:RegistrationName>Acme Ltd</cbc:RegistrationName>
    </cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyName><cbc:Name>Bob's Shop</cbc:Name></cac:PartyName>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:LegalMonetaryTotal>
    <cbc:TaxInclusiveAmount currencyID="USD">99.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="USD">99.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
</Invoice>"""

PAGE = """Beispiel Werkzeug GmbH
Rechnung Nr. RE-2024/17 vom 31.01.2024
An: Kunde KG
Schrauben 1.037,39
Gesamtbetrag 1.234,50 EUR
Zahlbar bis 29.02.2024"""


def test_cii_header_is_read_whatever_the_namespaces() -> None:
    fields = einvoice_fields(CII)
    assert fields == {
        "number": "RE-2024/17", "issue_date": dt.date(2024, 1, 31),
        "due_date": dt.date(2024, 2, 29), "seller": "Beispiel Werkzeug GmbH",
        "buyer": "Kunde KG", "grand_total": Decimal("1234.5"),
        "due_payable": Decimal("1234.50"), "currency": "EUR"}


def test_ubl_header_is_read() -> None:
    fields = einvoice_fields(UBL)
    assert (fields["number"], fields["issue_date"], fields["seller"], fields["buyer"],
            fields["grand_total"], fields["currency"]) == (
        "INV-9", dt.date(2023, 3, 20), "Acme Ltd", "Bob's Shop", Decimal("99.00"), "USD")


def test_not_an_invoice_is_refused() -> None:
    with pytest.raises(ValueError):
        einvoice_fields(b"<note>hello</note>")
    with pytest.raises(ValueError):
        einvoice_fields(b"not xml at all")


def test_gold_is_the_page_spelling() -> None:
    gold = invoice_gold(PAGE, einvoice_fields(CII))
    assert gold == {"vendor": "Beispiel Werkzeug GmbH", "invoice_number": "RE-2024/17",
                    "invoice_date": "31.01.2024", "due_date": "29.02.2024",
                    "total": "1.234,50", "currency": "EUR", "customer": "Kunde KG"}


def test_values_the_page_does_not_print_are_dropped() -> None:
    gold = invoice_gold("Invoice INV-9\nTotal $ 99.00", einvoice_fields(UBL))
    assert gold["invoice_number"] == "INV-9"
    assert gold["total"] == "99.00"
    assert gold["currency"] == "$"
    assert gold["vendor"] is None and gold["invoice_date"] is None


def test_xml_of_another_page_gives_no_gold() -> None:
    gold, key = gold_from_xml("Rechnung 42\nSumme 1.589,80 €", [b"<x/>", CII])
    assert (gold, key) == ({}, None)
    gold, key = gold_from_xml(PAGE, [CII])
    assert key == ("Beispiel Werkzeug GmbH", "RE-2024/17", Decimal("1234.5"))
    assert gold["total"] == "1.234,50"


def test_amounts_as_printed() -> None:
    assert amount_forms(Decimal("1234.5"))[:3] == ["1.234,50", "1,234.50", "1234,50"]
    assert find_amount("Total 2,076.76 €", Decimal("2076.76")) == "2,076.76"
    assert find_amount("Bruttosumme 529,87", Decimal("529.87")) == "529,87"
    assert find_amount("Korrektur -8,79", Decimal("-8.79")) == "-8,79"
    assert find_amount("Gutschrift -233,47", Decimal("233.47")) is None  # the sign differs
    assert find_amount("Item 1529,87", Decimal("529.87")) is None  # inside a longer number
    assert find_amount("Grand Total Rs 1939", Decimal("1939.0")) == "1939"
    assert find_amount("founded 1939", Decimal("1939")) is None  # a bare whole number


def test_dates_as_printed() -> None:
    day = dt.date(2014, 8, 3)
    assert find_date("Invoice Date: August 3 , 2014", day) == "August 3 , 2014"
    assert find_date("Datum: 03.08.2014", day) == "03.08.2014"
    assert find_date("Datum: 3. August 2014", day) == "3. August 2014"
    assert find_date("le 03 Août 2014", day) == "03 Août 2014"
    assert find_date("on 2014-08-03T10:00", day) == "2014-08-03"
    assert find_date("Datum: 13.08.2014", day) is None
    assert find_date("anything", None) is None


def test_names_and_currency() -> None:
    assert find_verbatim("Name: Lieferant\n GmbH", "Lieferant GmbH") == "Lieferant GmbH"
    assert find_verbatim("Lieferanten GmbH", "Lieferant GmbH") is None
    assert find_currency("Total 5 EUR", "EUR") == "EUR"
    assert find_currency("Total 5 €", "EUR") == "€"
    assert find_currency("EURO 5", "EUR") is None


def test_numbers_need_a_digit_and_names_no_long_number() -> None:
    fields = {"number": "F", "seller": "GLN 4333741000005 MUSTER GMBH"}
    gold = invoice_gold("Faktura nr: F 12\nGLN 4333741000005 MUSTER GMBH", fields)
    assert gold["invoice_number"] is None and gold["vendor"] is None
    assert invoice_gold("Invoice No : # BLR_1", {"number": "#BLR_1"})["invoice_number"] == (
        "BLR_1")


def test_language_guess() -> None:
    def guess_lang(text: str) -> str:
        return mt.guess_lang(text, words=INVOICE_WORDS)

    assert guess_lang("Rechnung für die Lieferung, Betrag bis zum www.example.de") == "de"
    assert guess_lang("Facture pour la livraison, montant total à payer") == "fr"
    assert guess_lang("Invoice for the delivery, total amount due") == "en"
    assert guess_lang("Factuur voor het bedrag, totaal te betalen met btw") == "nl"


def test_zugferd_sources_and_file_names() -> None:
    assert source_of("ZUGFeRDv2/correct/intarsys/EN16931/x.pdf") == "FeRD"
    assert source_of("ZUGFeRDv2/fail/python-factur-x/x.pdf") == "Mustangproject"
    with pytest.raises(ValueError):
        source_of("elsewhere/x.pdf")
    text = "Rechnungsnummer: R0005\nRechnungsdatum: 19.01.2016"
    assert gold_from_name(text, "RE-Hetzner_2016-01-19_R0005.pdf") == {
        "invoice_number": "R0005", "invoice_date": "19.01.2016"}
    assert gold_from_name(text, "other.pdf") == {}


def test_tax_form_gold() -> None:
    assert form_of("2012/PDF/PA/2012_pa-40d.pdf") == ("pa-40d", "2012")
    assert form_of("2011/field_dump/f1040.ID.pdf") is None
    page = "SCHEDULE A \n(Form 1040) \nItemized Deductions\n2011"
    assert gold_of(page, "f1040sa", "2011") == {"form": "SCHEDULE A (Form 1040)",
                                                "tax_year": "2011"}
    assert gold_of(page, "f1040sa", "2012") == {"form": "SCHEDULE A (Form 1040)"}
