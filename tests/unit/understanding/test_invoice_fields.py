"""An invoice read from its text alone, in the languages invoices come in (#21): its
number after the document's name or label, the issuer under its heading, in the sender
line or by legal form, the customer's name in a block of ids, the grand total over the
net sum. The texts are written here, after the layouts of real invoicing software."""

import pytest

from strongroom.understanding.candidates import labelled_candidates, lines
from strongroom.understanding.chooser import RuleChooser
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.parties import vendor_candidates
from strongroom.understanding.schema import schema

INVOICE = schema("invoice")


def field(name: str):  # type: ignore[no-untyped-def]
    return next(f for f in INVOICE.fields if f.name == name)


def read(text: str) -> dict[str, str | None]:
    fields = extract_fields(text, INVOICE, RuleChooser())
    for fv in fields.values():  # every value is exactly the text at its span
        assert fv.value is None or text[fv.span[0] : fv.span[1]] == fv.value
    return {k: v.value for k, v in fields.items()}


@pytest.mark.parametrize(("line", "number"), [
    ("Handelsrechnung (380) Nr. 500123 vom 05.06.2024", "500123"),
    ("Rechnung des Versicherers (575) Nr. 09.876.543.2-2024-1 vom 06.12.2024",
     "09.876.543.2-2024-1"),
    ("Gutschrift (Selbst ausgestellte Rechnung) (389) Nr. 77001 vom 31.10.2024", "77001"),
    ("Mietrechnung\xa0Nr.\xa0MV-2024/17\xa0vom\xa001.10.2024", "MV-2024/17"),
    ("Rechnung # RE-20240519/77 vom 19.05.2024", "RE-20240519/77"),
    ("Rechnungsnummer: R0001234", "R0001234"),
    ("Beleg-Nr : KR1234", "KR1234"),
    ("Facture FA-2024-0012", "FA-2024-0012"),
    ("Avoir AV-2024-0003", "AV-2024-0003"),
    ("Facture n°77123456 du 02 Juillet 2024", "77123456"),
    ("Factuurnummer: 112233445", "112233445"),
    ("Numer faktury: FV/2024/05/118", "FV/2024/05/118"),
    ("Invoice # INV-88 issued at 2024-06-10", "INV-88"),
    ("Invoice No : # ABC_DE2024000123", "ABC_DE2024000123"),
])
def test_the_number_after_the_document_name_or_its_label(line, number):
    text = f"Acme Tools Ltd\n{line}\nThank you"
    assert read(text)["invoice_number"] == number


@pytest.mark.parametrize("line", [
    "Invoice Date: 08/03/2024",  # a date is not the invoice's number
    "Rechnung vom 05.06.2024",
    "Lieferung gemäß unserer Rechnung",
])
def test_no_number_where_none_is_printed(line):
    assert read(f"Acme Tools Ltd\n{line}\nThank you")["invoice_number"] is None


def test_a_compound_is_a_documents_name_but_a_longer_word_is_not():
    spec = field("invoice_number")
    assert [c.text for c in labelled_candidates(
        "Rechnungsdatum 2024-01-05\nBaurechnung Nr. 4711", list(spec.keywords),
        number=True)] == ["4711"]


def test_the_grand_total_not_the_net_sum_or_the_discounts():
    text = ("Belegsummen\nPositionssumme 400,00\nGesamtbetrag der Abschläge -0,00\n"
            "Rechnungssumme ohne USt. 400,00\nSteuerbetrag 76,00\nBruttosumme 476,00\n")
    assert read(text)["total"] == "476,00"
    text = "Net total: 496.00 €\nVAT 15 %: 74.40 €\nDue payable: 570.40 €\n"
    assert read(text)["total"] == "570.40"
    text = "Wartość netto 100,00 zł\nVAT 23,00 zł\nRazem do zapłaty 123,00 zł\n"
    assert read(text)["total"] == "123,00"


VENDOR_BLOCKS = """Seite 1 von 2
Handelsrechnung (380) Nr. 1001 vom 01.02.2024
Verkäufer
Nummer: 12345
Globale Nummer: 4000001000001 (GLN)
Name: Nordlicht Leuchten GmbH
Anschrift: Hafenstraße 3
Käufer/Leistungsempfänger
Nummer: K-778
Name: Sonnenhof Hotel KG
Anschrift: Bergweg 9
Bruttosumme 119,00
"""


def test_names_in_blocks_of_ids_under_their_headings():
    got = read(VENDOR_BLOCKS)
    assert got["vendor"] == "Nordlicht Leuchten GmbH"
    assert got["customer"] == "Sonnenhof Hotel KG"


def test_the_sender_line_names_the_issuer():
    text = ("Bäckerei Korn GmbH ● Mühlweg 12 ● 54321 Kornstadt\n"
            "Frau\nErika Beispiel\nLindenallee 5\n12345 Musterort\n"
            "Rechnung # RE-2024/9 vom 02.03.2024\nSumme inkl. USt: 41,65 €\n")
    assert read(text)["vendor"] == "Bäckerei Korn GmbH"


def test_a_legal_form_the_invoice_repeats_not_the_customers():
    text = ("FACTUUR\nBill to:\nGreenfield Farms B.V.\nDorpsstraat 1\n"
            "Factuurnummer: 55\nHelios Lamps B.V.\nTotaal € 10,00\n"
            "Helios Lamps B.V.\nKvK 12345678\n")
    assert read(text)["vendor"] == "Helios Lamps B.V."


def test_a_name_over_two_lines_to_its_legal_form():
    text = ("Seller\nMVG Muster\nVersicherungsverein Beispielstadt a.G.\n"
            "Rechnung Nr. 3\nSumme 5,00 €\n")
    assert read(text)["vendor"] == "MVG Muster\nVersicherungsverein Beispielstadt a.G."


def test_a_heading_word_inside_a_name_or_a_sentence_is_no_heading():
    text = ("Lieferant GmbH\nDer Lieferant bleibt Eigentümer der Ware bis zur Zahlung.\n")
    spec = field("vendor")
    got = vendor_candidates(text, lines(text), list(spec.keywords))
    assert [(c.kind, c.text) for c in got] == [("legal", "Lieferant GmbH")]


def test_a_receipts_merchant_is_offered_its_top_lines_only():
    # The merchant has no keywords: the ranker's candidates are what it was fitted on.
    text = "KEDAI RUNCIT MAJU\nNo 5 Jalan Satu\nTOTAL 5.00\nBeta Trading Sdn Bhd\n" * 3
    trace: dict = {}
    extract_fields(text, schema("receipt"), RuleChooser(), trace=trace)
    assert {c.kind for c in trace["merchant"]} == {"line"}


@pytest.mark.parametrize(("text", "issued", "due"), [
    ("Rechnung Nr. 5 vom 05.06.2024\nLieferdatum: 01.06.2024\n"
     "Bitte überweisen Sie bis zum 19.06.2024.\n", "05.06.2024", "19.06.2024"),
    ("Facture n° 12 du 02 Juillet 2024\nDate limite de paiement le 16 Juillet 2024\n",
     "02 Juillet 2024", "16 Juillet 2024"),
    ("Factuurdatum: 03-09-2024\nVervaldatum: 17-09-2024\n", "03-09-2024", "17-09-2024"),
    ("Data wystawienia: 2024-05-02\nTermin płatności: 2024-05-16\n", "2024-05-02",
     "2024-05-16"),
])
def test_the_issue_date_and_the_due_date_in_their_languages(text, issued, due):
    got = read(text)
    assert (got["invoice_date"], got["due_date"]) == (issued, due)
