"""Decimal commas, every currency mark, and the total told from the subtotal, the tip,
the tax and the change in the languages of resources/labels.json (#21)."""

import pytest

from strongroom.understanding.candidates import find_amounts, find_currencies
from strongroom.understanding.chooser import RuleChooser
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.ranker import RankerChooser, load, load_temperatures
from strongroom.understanding.schema import schema


@pytest.mark.parametrize(("text", "values"), [
    ("Kaffee 12,50 €", ["12.50"]),
    ("Summe 1.234,56 EUR", ["1234.56"]),
    ("Total 1 234,56 €", ["1234.56"]),
    ("Total 1\u202f234,56 €", ["1234.56"]),  # a narrow no-break space groups thousands
    ("Totale € 3,50", ["3.50"]),
    ("CHF 1'234.50", ["1234.50"]),
    ("TOTAL $1,234.56", ["1234.56"]),
    ("Ft 1200", ["1200"]),  # an integer beside a mark is a price
    # OCR split before the decimal point: one amount beside a mark, none without
    ("PAYMENT DUE $65 .36", ["65.36"]),
    ("TOTAL DUE $ 129 .15\nCash 5.00", ["129.15", "5.00"]),
    ("Qty 2 .50 each", []),
])
def test_decimal_commas_and_grouping(text, values):
    found = find_amounts(text)
    assert [c.normalized for c in found] == values
    assert all(text[c.start : c.end] == c.text for c in found)


@pytest.mark.parametrize(("text", "code"), [
    ("12,50 €", "EUR"), ("99,00 zł", "PLN"), ("250 Kč", "CZK"), ("1200 Ft", "HUF"),
    ("₺45,00", "TRY"), ("R$ 10,00", "BRL"), ("Rp 15.000", "IDR"), ("₫50.000", "VND"),
    ("£4.20", "GBP"), ("₹120", "INR"), ("CHF 5.00", "CHF"), ("₪30", "ILS"),
])
def test_currency_marks(text, code):
    assert [c.normalized for c in find_currencies(text)] == [code]


RECEIPTS = {
    # (text, total, tax)
    "us, tip and card": (
        "JOE'S DINER\nAustin, TX 78701\n03/04/2018 7:41PM\n2 Burger 18.00\n1 Fries 6.45\n"
        "Subtotal 24.45\nTax 2.32\nTotal 26.77\nTip 5.00\nVISA 31.77\n", "26.77", "2.32"),
    "us, two columns": (
        "JOE'S DINER\n03/04/2018\nBurger 18.00\nFries 6.45\nSubtotal\nTax\nTotal\n"
        "24.45\n2.32\n26.77\nThank you\n", "26.77", "2.32"),
    "us, gratuity and change": (
        "JOE'S DINER\n03/04/2018\nBurger 18.00\nFries 6.45\nSUBTOTAL $24.45\n"
        "SALES TAX $2.32\nTOTAL $26.77\nGRATUITY $4.00\nCASH $40.00\nCHANGE $9.23\n",
        "26.77", "2.32"),
    "de": (
        "BÄCKEREI MÜLLER GmbH\n12.03.2024 08:15\nKaffee 2,80\nKuchen 3,20\nZwischensumme 6,00\n"
        "MwSt 19% 1,14\nSumme EUR 7,14\nGegeben Bar 10,00\nRückgeld 2,86\n", "7,14", "1,14"),
    "de, zu zahlen": (
        "SUPERMARKT\n31. Januar 2024\nMilch 1,19\nBrot 2,49\nKäse 4,99\nZu zahlen 8,67 EUR\n"
        "Bar 20,00\nZurück 11,33\n", "8,67", None),
    "fr": (
        "CAFÉ DE LA GARE\n3 mars 2023\nCafé 2,50\nCroissant 1,80\nTotal HT 3,91\nTVA 10% 0,39\n"
        "Total TTC 4,30 €\nEspèces 10,00\nRendu 5,70\n", "4,30", "0,39"),
    "fr, net à payer": (
        "BRASSERIE\n3 mars 2023\nPlat 18,00\nVin 6,00\nSous-total 24,00\nPourboire 2,00\n"
        "Net à payer 24,00 €\n", "24,00", None),
    "es": (
        "RESTAURANTE SOL\n12 de mayo de 2022\nPaella 14,50\nSangria 6,00\nBase imponible 18,64\n"
        "IVA 10% 1,86\nTotal a pagar 20,50 €\nEfectivo 50,00\nCambio 29,50\nPropina 2,00\n",
        "20,50", "1,86"),
    "it": (
        "TRATTORIA\n5 maggio 2021\nPizza 8,00\nVino 12,00\nSubtotale 20,00\nCoperto 2,00\n"
        "Totale 22,00\nContanti 50,00\nResto 28,00\n", "22,00", None),
    "nl": (
        "BAKKERIJ\n4 okt. 2020\nBrood 2,95\nKoffie 2,50\nSubtotaal 5,00\nBTW 9% 0,45\n"
        "Te betalen 5,45\nContant 10,00\nWisselgeld 4,55\n", "5,45", "0,45"),
    "zh, restaurant": (
        "饭店\n2024年1月31日\n套餐 120.00\n应收 120.00\n优惠 20.00\n实收 100.00\n", "100.00", None),
}


@pytest.fixture(scope="module")
def ranker():
    return RankerChooser(load("receipt"), "receipt", temperatures=load_temperatures("receipt"))


@pytest.mark.parametrize("name", RECEIPTS)
@pytest.mark.parametrize("which", ["rules", "ranker"])
def test_the_total_not_the_subtotal_tip_or_change(name, which, ranker):
    text, total, tax = RECEIPTS[name]
    chooser = RuleChooser() if which == "rules" else ranker
    fields = extract_fields(text, schema("receipt"), chooser)
    assert fields["total"].value == total
    if tax is not None:
        assert fields["tax"].value == tax


def test_a_till_with_change_takes_cash_less_change_in_chinese():
    text = ("超市\n2024年1月31日\n苹果 12.50\n牛奶 8.00\n小计 20.50\n合计 20.50\n"
            "实收 50.00\n找零 29.50\n")
    assert extract_fields(text, schema("receipt"), RuleChooser())["total"].value == "20.50"


def test_schemas_name_label_roles_and_keep_their_own_words():
    total = next(f for f in schema("receipt").fields if f.name == "total")
    assert {"total", "Summe".lower(), "totale", "te betalen", "合计", "rounding"} <= set(
        total.keywords)
    assert {"subtotal", "zwischensumme", "tip", "trinkgeld", "rückgeld", "cash"} <= set(
        total.avoid)
    assert "实收" in total.keywords and "实收" not in total.avoid
    assert not any(w.startswith("@") for w in total.keywords + total.avoid)


@pytest.mark.parametrize(("text", "total"), [
    # OCR without word spacing glues a label's words (#21)
    ("SUBTOTAL 100.75\nSERVICECHARGE 12.60\nNETSALES 100.75 GRANDTOTAL 113.35\n", "113.35"),
    ("Subtotal 23.96\nTax 1.65\n10:00 PaymentDue 25.61\n", "25.61"),
    ("SUBTOTAL 62.75\nSALESTAX 2.61\nAMOUNTDUE $65.36\nTIP\n", "65.36"),
])
def test_glued_labels_are_read_as_their_words(text, total):
    for chooser in (RankerChooser(load()), RuleChooser()):
        got = extract_fields(text, schema("receipt"), chooser)
        assert got["total"].value.lstrip("$") == total
