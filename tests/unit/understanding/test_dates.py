"""Printed dates from anywhere (#21): month names in several languages, OCR with the
spaces squeezed out, apostrophe years, ordinals, weekdays, times glued on; and the
order of 03/04 settled by what the document says about where it is from."""

import pytest

from strongroom.understanding.candidates import day_first, document_day_first, find_dates
from strongroom.understanding.normalize import normalize_date


def only_date(text: str, *, dayfirst: bool = True) -> tuple[str, str | None]:
    found = find_dates(text, dayfirst=dayfirst)
    assert len(found) == 1, found
    c = found[0]
    assert text[c.start : c.end] == c.text  # grounded: the span is the text
    return c.text, c.normalized


@pytest.mark.parametrize(
    ("printed", "span", "iso"),
    [
        # squeezed by OCR, apostrophe years
        ("Jul19'14", "Jul19'14", "2014-07-19"),
        ("JAN31'13", "JAN31'13", "2013-01-31"),
        ("18AVR2014", "18AVR2014", "2014-04-18"),
        ("Sep1.2017", "Sep1.2017", "2017-09-01"),
        # a weekday before the date is not part of it
        ("Tuesday,March27th2018", "March27th2018", "2018-03-27"),
        ("Tuesday, March 27th, 2018", "March 27th, 2018", "2018-03-27"),
        ("Sat, 14 Mar 2020", "14 Mar 2020", "2020-03-14"),
        ("Mi., 3. Apr. 2024", "3. Apr. 2024", "2024-04-03"),
        # month names in German, French, Spanish, Italian, Dutch
        ("31. Januar 2024", "31. Januar 2024", "2024-01-31"),
        ("14. März 2024", "14. März 2024", "2024-03-14"),
        ("3 mars 2023", "3 mars 2023", "2023-03-03"),
        ("le 1er janvier 2020", "1er janvier 2020", "2020-01-01"),
        ("15 AOUT 2019", "15 AOUT 2019", "2019-08-15"),  # the accent lost
        ("12 de mayo de 2022", "12 de mayo de 2022", "2022-05-12"),
        ("5 maggio 2021", "5 maggio 2021", "2021-05-05"),
        ("lunedì 5 maggio 2021", "5 maggio 2021", "2021-05-05"),
        ("4 okt. 2020", "4 okt. 2020", "2020-10-04"),
        ("27 mrt 2019", "27 mrt 2019", "2019-03-27"),
        ("2024年1月31日", "2024年1月31日", "2024-01-31"),
        # a time glued on, with or without the space OCR dropped
        ("03/14/2018 10:32AM", "03/14/2018", "2018-03-14"),
        ("2018-03-14T10:32", "2018-03-14", "2018-03-14"),
        ("03/14/201810:32AM", "03/14/2018", "2018-03-14"),
        ("2018-03-1410:32", "2018-03-14", "2018-03-14"),
        ("Jul 4th, 2019 3:20PM", "Jul 4th, 2019", "2019-07-04"),
        # the English forms read before
        ("14 Mar 2024", "14 Mar 2024", "2024-03-14"),
        ("Mar 27, 2024", "Mar 27, 2024", "2024-03-27"),
        ("14-MAR-24", "14-MAR-24", "2024-03-14"),
    ],
)
def test_a_printed_date_is_found_at_its_span_and_read(printed, span, iso):
    assert only_date(f"Date: {printed}\nTotal 12.50\n") == (span, iso)


@pytest.mark.parametrize("text", [
    "1 SET 15.90",  # an item line: a set for 15.90, not 1990
    "SUMMARY 12 2020",  # "mar" inside a word is no month
    "Qty 2 MAY 12.50",
    "31 set 2020",  # 31 September does not exist
])
def test_things_that_are_not_dates(text):
    assert [c.text for c in find_dates(text) if c.normalized] == []


def test_a_priced_line_is_not_eaten_by_a_date():
    from strongroom.understanding.candidates import find_amounts
    assert [c.normalized for c in find_amounts("1 SET 15.90\nMAR 3 12,50\n")] == [
        "15.90", "12.50"]


@pytest.mark.parametrize(("text", "dayfirst", "iso"), [
    ("31. Januar 2024", True, "2024-01-31"),
    ("12 de mayo de 2022", False, "2022-05-12"),  # a month name is no order question
    ("4 okt. 2020", True, "2020-10-04"),
    ("yesterday", True, None),  # relative words are not a printed date
    ("Januar 2024", True, None),  # no day: not a date we can store
])
def test_normalize_month_names_of_other_languages(text, dayfirst, iso):
    assert normalize_date(text, dayfirst=dayfirst) == iso


# -- the order of 03/04 -------------------------------------------------------------
def test_the_documents_own_dates_settle_the_order_first():
    text = "Tel +44 20 7946 0000\n03/04/2024\n13/04/2024\n"
    assert day_first(text, "USD") is True  # a day over 12 beats the dollar


def test_a_printed_currency_settles_it_before_country_hints():
    assert day_first("Tel (555) 123-4567\n03/04/2024\n", "EUR") is True
    assert day_first("Tel +49 30 1234567\n03/04/2024\n", "USD") is False


@pytest.mark.parametrize(("text", "dayfirst"), [
    ("SHOP\nTel (555) 123-4567\n03/04/2024\nTOTAL $12.00\n", False),  # US phone
    ("SHOP\n12 Main St, Springfield, IL 62701\n03/04/2024\nTOTAL $12.00\n", False),
    ("SHOP\nSydney\nPh +61 2 9876 5432\n03/04/2024\nTOTAL $12.00\n", True),  # AU phone
    ("CAFE\nVAT reg 123\n03/04/2024\nTOTAL $12.00\n", True),
    ("CAFE\n03/04/2024\nTOTAL $12.00\nOpen since May 1, 2001\n", False),  # month first
    ("CAFE\n03/04/2024\nTOTAL $12.00\nOpen since 1 May 2001\n", True),
    ("CAFE\n03/04/2024\nTOTAL $12.00\n", False),  # nothing but "$": dollars, month-first
    ("CAFE\n03/04/2024\nTOTAL 12.00\n", True),  # nothing at all: day-first
    ("BÄCKEREI\n03.04.2024\nSumme 12,00\nMwSt 7% 0,79\n", True),
])
def test_country_hints_settle_the_order_when_the_dates_do_not(text, dayfirst):
    assert document_day_first(text) is dayfirst
    want = "2024-04-03" if dayfirst else "2024-03-04"
    from strongroom.understanding.fields import extract_fields
    from strongroom.understanding.schema import schema
    assert extract_fields(text, schema("receipt"))["date"].normalized == want


@pytest.mark.parametrize(
    ("printed", "span", "iso"),
    [
        # OCR's digit for a look-alike letter in a month's name
        ("POS: Date:   Ju1/15/2017_12:25", "Ju1/15/2017", "2017-07-15"),
        ("0ct 3, 2019", "0ct 3, 2019", "2019-10-03"),
        ("14 N0v 2020", "14 N0v 2020", "2020-11-14"),
        # month and day run together before a comma and the year
        ("Date: Nov11,2011 23:00:54", "Nov11,2011", "2011-11-11"),
    ],
)
def test_ocr_style_dates_are_found_and_read(printed, span, iso):
    assert only_date(printed) == (span, iso)


@pytest.mark.parametrize("text", ["Mar 27", "Nov 11 20:11", "Ju1 15"])
def test_a_date_without_its_year_is_not_given_this_years(text):
    # dateutil fills a missing year with the current one; "20:11" is a time
    assert normalize_date(text) is None
    assert normalize_date(text, dayfirst=False) is None
