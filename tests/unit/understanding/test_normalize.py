import pytest

from strongroom.understanding.normalize import currency_code, normalize_amount, normalize_date


@pytest.mark.parametrize(
    ("text", "dayfirst", "iso"),
    [
        ("03/14/2024", False, "2024-03-14"),
        ("14/03/2024", True, "2024-03-14"),
        ("14.03.24", True, "2024-03-14"),
        ("14 Mar 2024", True, "2024-03-14"),
        ("March 14, 2024", True, "2024-03-14"),
        ("20180304", True, "2018-03-04"),
        ("2024年3月14日", True, "2024-03-14"),
        ("民國113年3月14日", True, "2024-03-14"),  # ROC year 113 = 2024
        ("2024-03-14", False, "2024-03-14"),
        ("2024-04-08", True, "2024-04-08"),  # year first is always year-month-day
        ("02-01-18", True, "2018-01-02"),
        ("02-01-18", False, "2018-02-01"),
    ],
)
def test_dates_become_iso(text, dayfirst, iso):
    assert normalize_date(text, dayfirst=dayfirst) == iso


@pytest.mark.parametrize("text", ["13/13/2020", "99.99.99", "1/1/1066", "hello"])
def test_impossible_dates_are_none(text):
    assert normalize_date(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234.56", "1234.56"), ("1.234,56", "1234.56"), ("RM 60.31", "60.31"),
     ("-0.01", "-0.01"), ("NT$1,200", "1200"), ("€ 9,90", "9.90")],
)
def test_amounts_become_decimal_strings(text, value):
    assert normalize_amount(text) == value


def test_currency_codes_and_guesses():
    assert currency_code("RM") == ("MYR", False)
    assert currency_code("EUR") == ("EUR", False)
    assert currency_code("RMB") == ("CNY", False)
    assert currency_code("€") == ("EUR", False)
    assert currency_code("$") == ("USD", True)  # several dollars exist: a flagged guess
    assert currency_code("¥", text="北京市 收据") == ("CNY", True)
    assert currency_code("¥", text="東京 レシート") == ("JPY", True)
    assert currency_code("XYZ") == (None, False)
