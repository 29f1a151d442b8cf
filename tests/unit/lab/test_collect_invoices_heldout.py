"""The held-out invoice builder's own parts (issue 21): labels read from a repository's
test files, the short printed date, and the same document or scenario found again.
Every input here is made up for the test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lab.collect.invoices_heldout import (
    Seen,
    csv_fields,
    find_short_date,
    label_gold,
    oca_fields,
    parsee_fields,
    scenario,
)

CSV = """date,desc,currency,amount
03/04/2016,Invoice 777 from Other Shop,EUR,9.5
14/02/2016,Invoice 4711 from Widgetco,USD,42.0
"""

OCA_TEST = '''
class TestInvoiceImport(TransactionCase):
    def setUp(self):
        self.partner_zz = self.env["res.partner"].create(
            {
                "name": "Zeta Tools SARL",
                "is_company": True,
            }
        )
        self.zz_filename = "zeta-test.pdf"
        self.zz_pdf_file = b""

    def test_other(self):
        self.assertEqual(fields.Date.to_string(inv.invoice_date), "1999-01-01")

    def test_complete_import(self):
        wiz = self.env["account.invoice.import"].create(
            {"invoice_file": self.zz_pdf_file, "invoice_filename": self.zz_filename})
        invoices = self.env["account.move"].search(
            [("partner_id", "=", self.partner_zz.id), ("ref", "=", "ZT/2020/0042")])
        inv = invoices[0]
        self.assertEqual(fields.Date.to_string(inv.invoice_date), "2020-05-04")
        self.assertEqual(fields.Date.to_string(inv.invoice_date_due), "2020-06-03")
        self.assertFalse(inv.currency_id.compare_amounts(inv.amount_total, 1234.50))
'''


def test_csv_fields_take_the_issuers_row():
    fields = csv_fields(CSV, "widgetco")
    assert fields is not None
    assert fields["number"] == "4711" and fields["seller"] == "Widgetco"
    assert fields["issue_date"] == dt.date(2016, 2, 14)  # day first
    assert fields["grand_total"] == Decimal("42.0") and fields["currency"] == "USD"
    assert csv_fields(CSV, "Nobody") is None


def test_oca_fields_read_what_the_complete_import_asserts():
    fields = oca_fields(OCA_TEST, "zeta-test.pdf")
    assert fields is not None
    assert fields["seller"] == "Zeta Tools SARL" and fields["number"] == "ZT/2020/0042"
    assert fields["issue_date"] == dt.date(2020, 5, 4)  # not test_other's date
    assert fields["due_date"] == dt.date(2020, 6, 3)
    assert fields["grand_total"] == Decimal("1234.50")
    assert oca_fields(OCA_TEST, "another.pdf") is None


def test_short_dates_are_found_as_printed():
    text = "Tax Invoice\nOrder date: 14 feb 16\nTotal: $42.00"
    assert find_short_date(text, dt.date(2016, 2, 14)) == "14 feb 16"
    assert find_short_date(text, dt.date(2016, 2, 15)) is None
    assert find_short_date("on 4 Feb 2016", dt.date(2016, 2, 4)) is None  # not a 2-digit year


def test_label_gold_keeps_only_what_is_printed():
    text = "Widgetco\nInvoice No. 4711\nDate: 14 Feb 16\nInvoice Total: $42.00\n"
    assert label_gold(text, csv_fields(CSV, "Widgetco")) == {
        "vendor": "Widgetco", "invoice_number": "4711", "invoice_date": "14 Feb 16",
        "total": "42.00", "currency": "$"}
    # the labelled issuer, number and amount are not on this page: nothing is kept of them
    assert label_gold(text, csv_fields(CSV, "Other Shop")) == {}
    assert label_gold(text, None) == {}


def test_a_scenario_reissued_with_another_year_is_the_same():
    assert scenario("LE VENDEUR", "F20180027", Decimal("110.00")) == \
        scenario("Le Vendeur", "F2022-0027", "110,00")
    assert scenario("A", "F20220027", "1.234,50") == ("a", "f0027", "123450")
    assert scenario("A", "F20220028", Decimal("110")) != scenario("A", "F20220027", "110.00")


def test_seen_drops_repeats_of_the_tuning_set_and_of_itself():
    seen = Seen()
    seen.add_row("Rechnung 471102 Lieferant GmbH Summe 529,87 EUR",
                 {"vendor": "Lieferant GmbH", "invoice_number": "471102", "total": "529,87"})
    # the same invoice in another layout: same number and total
    assert seen.repeats("INVOICE no 471102 ... amount due 529.87", "Other name", "471102",
                        Decimal("529.87"))
    # another invoice entirely
    other = "Facture F1 du vendeur, total 10,00 euros, payable a reception"
    assert not seen.repeats(other, "Vendeur", "F1", Decimal("10"))
    seen.keep(other, "Vendeur", "F1", Decimal("10"))
    assert seen.repeats(other + " ", None, None, None)  # the same text again
    assert seen.repeats("different words entirely", "VENDEUR", "F2021-1", "10,00")


def test_a_dropped_scenarios_reissue_is_dropped_too():
    seen = Seen()
    seen.note("Vendeur", "F20220028", Decimal("110"))  # dropped as a near-repeat
    assert seen.repeats("a text never seen", "Vendeur", "F20260028", "110,00")


PARSEE = (
    'source_identifier,template_id,element_identifier,FEATURE_full_prompt,TRUTH_answer\n'
    'abc,t,general0,"long prompt, with commas","(main question): 47.9\n(meta0): $ USD $\n'
    '(meta1): 0%\nSources: [4],[0]"\n'
    'abc,t,general1,p,"Widgetco Pty Ltd\nSources: [8],[0]"\n'
    'abc,t,general2,p,"2022-12-28\nSources: [12]"\n'
    'other,t,general1,p,"Someone Else\nSources: [1]"\n'
)


def test_parsee_fields_read_the_checked_answers_of_one_pdf():
    fields = parsee_fields(PARSEE, "abc")
    assert fields is not None
    assert fields["seller"] == "Widgetco Pty Ltd" and fields["number"] is None
    assert fields["grand_total"] == Decimal("47.9") and fields["currency"] == "USD"
    assert fields["issue_date"] == dt.date(2022, 12, 28)
    assert parsee_fields(PARSEE, "nothing") is None
    text = "Tax Invoice\nWidgetco Pty Ltd\nDate Issued: Dec 28, 2022\nInvoice Total: USD 47.90"
    assert label_gold(text, fields) == {"vendor": "Widgetco Pty Ltd",
                                        "invoice_date": "Dec 28, 2022", "total": "47.90",
                                        "currency": "USD"}
