"""Cross-checks and review statuses (issue 12): each check agrees and disagrees where
it should, and the status rule is the one ``checks.assess`` documents."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from strongroom.understanding import checks
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.result import FieldValue
from strongroom.understanding.schema import schema

TODAY = date(2026, 11, 24)
RECEIPT = """CORNER PANTRY
12 MILL ROAD
DATE: 22/05/2025
BREAD            3.20
MILK             2.40
APPLES           4.90
SUBTOTAL        10.50
TAX 6%           0.63
TOTAL           11.13
CASH            20.00
CHANGE           8.87
"""


def span(text: str, value: str, **kw: object) -> FieldValue:
    at = text.rindex(value)
    return FieldValue(value, kw.pop("normalized", value), (at, at + len(value)),
                      **kw)  # type: ignore[arg-type]


def findings(text: str, fields: dict[str, FieldValue], doc_type: str = "receipt"
             ) -> list[checks.Finding]:
    return checks.run(schema(doc_type), text, fields, today=TODAY)


def test_a_total_the_arithmetic_agrees_with_is_verified() -> None:
    out = findings(RECEIPT, {"total": span(RECEIPT, "11.13"), "tax": span(RECEIPT, "0.63")})
    said = {(f.fields, f.ok, f.message) for f in out}
    assert (("total", "tax"), True, "Subtotal and tax add up to it.") in said
    assert (("total",), True, "Cash handed over minus change is it.") in said
    assert (("tax",), True, "It is 6% of the taxable amount.") in said


def test_the_priced_lines_add_up() -> None:
    text = "KIOSK\nTEA 1.50\nCAKE 2.25\nTOTAL 3.75\n"
    assert any(f.ok and "priced lines" in f.message
               for f in findings(text, {"total": span(text, "3.75")}))


def test_a_wrong_total_gets_no_agreement() -> None:
    """The amount handed over, taken for the total: no check vouches for it."""
    out = findings(RECEIPT, {"total": span(RECEIPT, "20.00"), "tax": span(RECEIPT, "0.63")})
    assert not any(f.ok and "total" in f.fields for f in out)


def test_dates_that_cannot_be_right_disagree() -> None:
    text = "Invoice date: 05/03/2024\nDue: 01/02/2024\nPrinted 25/01/2024\n"  # day first
    fields = {"invoice_date": span(text, "05/03/2024", normalized="2024-03-05"),
              "due_date": span(text, "01/02/2024", normalized="2024-02-01")}
    assert [(f.fields, f.ok) for f in findings(text, fields, "invoice")] == [
        (("due_date",), False)]
    future = {"invoice_date": span(text, "05/03/2024", normalized="2031-03-05")}
    assert "in the future" in findings(text, future, "invoice")[0].message
    old = {"invoice_date": span(text, "05/03/2024", normalized="1850-03-05")}
    assert "before 1900" in findings(text, old, "invoice")[0].message
    fine = {"invoice_date": span(text, "05/03/2024", normalized="2024-03-05")}
    assert findings(text, fine, "invoice") == []


def test_iban_and_card_checksums() -> None:
    text = "IBAN GB82 WEST 1234 5698 7654 32\nIBAN GB82 WEST 1234 5698 7654 33\n"
    good = {"account_number": span(text, "GB82 WEST 1234 5698 7654 32")}
    bad = {"account_number": span(text, "GB82 WEST 1234 5698 7654 33")}
    assert [f.ok for f in findings(text, good, "bank_statement")] == [True]
    assert [f.ok for f in findings(text, bad, "bank_statement")] == [False]
    card = "Card 4111 1111 1111 1111 / 4111 1111 1111 1112"
    assert [f.ok for f in checks.number_checks({"card_number": span(card, "4111 1111 1111 1111")})
            ] == [True]
    assert [f.ok for f in checks.number_checks({"card_number": span(card, "4111 1111 1111 1112")})
            ] == [False]


@pytest.mark.parametrize(("value", "reference", "flag"), [
    ("5.9", "3.5-5.0", "high"), ("3.1", "3.5 - 5.0", "low"), ("4.2", "3.5–5.0", "normal"),
    ("250", "< 200", "high"), ("180", "<200", "normal"), ("45", "≥ 60", "low"),
    ("75", "> 60", "normal"), ("n/a", "3.5-5.0", None), ("4.0", "negative", None),
])
def test_a_lab_value_against_its_reference_range(value: str, reference: str,
                                                 flag: str | None) -> None:
    assert checks.lab_flag(value, reference) == flag


def test_the_status_rule() -> None:
    text = RECEIPT
    fields = extract_fields(text, schema("receipt"))
    fields["merchant"] = dataclasses.replace(fields["merchant"], score=0.2)
    out = checks.assess(schema("receipt"), text, fields, today=TODAY)
    assert out["total"].status == "verified"
    assert out["merchant"].status == "needs_review" and "20%" in (out["merchant"].note or "")
    assert out["date"].status == "grounded" and out["date"].note is None
    assert out["currency"].status is None  # empty and not required: nothing to look at
    fields["date"] = FieldValue()  # a receipt must have a date
    out = checks.assess(schema("receipt"), text, fields, today=TODAY)
    assert (out["date"].status, out["date"].note) == ("needs_review",
                                                      "Not found in the document.")


def test_an_inferred_currency_says_so() -> None:
    text = "SHOP\nTOTAL $5.00\n"
    out = checks.assess(schema("receipt"), text, extract_fields(text, schema("receipt")),
                        today=TODAY)
    assert out["currency"].inferred and out["currency"].status == "grounded"
    assert "Inferred" in (out["currency"].note or "")




def test_an_address_with_a_time_or_a_price_is_not_one() -> None:
    text = "CITY PARKING\nTICKET NO 0042\nENTRY 09:12  EXIT 11:40\nPAID 4.00\n"
    wrong = {"merchant_address": span(text, "TICKET NO 0042\nENTRY 09:12  EXIT 11:40")}
    assert [f.ok for f in findings(text, wrong)] == [False]
    text = "KEDAI MAJU\nNO. 3, JALAN MERAK 2,\n41200 KLANG\n"
    right = {"merchant_address": span(text, "NO. 3, JALAN MERAK 2,\n41200 KLANG")}
    assert findings(text, right) == []


def test_a_date_nothing_settles_is_shown_both_ways() -> None:
    note = "Riverside Clinic\nDate of visit: 03/04/2024\nSeen for a sore throat.\n"
    fields = extract_fields(note, schema("clinical_note"))
    assessed = checks.assess(schema("clinical_note"), note, fields, today=TODAY)
    visit = assessed["visit_date"]
    assert (visit.normalized, visit.status) == ("2024-04-03", checks.NEEDS_REVIEW)
    assert visit.note == ("Read as 3 April 2024; it could be 4 March 2024: nothing else in "
                          "the document says whether the day or the month comes first.")
    # another date with a day over 12 settles it; so does a currency
    settled = note + "Follow-up booked 17/04/2024.\n"
    assert checks.assess(schema("clinical_note"), settled,
                         extract_fields(settled, schema("clinical_note")),
                         today=TODAY)["visit_date"].status == checks.GROUNDED
    priced = "CORNER PANTRY\nDATE: 02/05/2025\nTOTAL RM 11.13\n"
    assert not [f for f in findings(priced, extract_fields(priced, schema("receipt")))
                if "could be" in f.message]
    # 04/04 reads the same either way
    same = note.replace("03/04", "04/04")
    assert not [f for f in checks.run(schema("clinical_note"), same,
                                      extract_fields(same, schema("clinical_note")), today=TODAY)
                if "could be" in f.message]
