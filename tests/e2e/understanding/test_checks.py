"""Cross-checks on the 626 dev receipts (issue 12): verified totals are right. The
checks one by one: tests/unit/understanding/test_checks.py."""

from __future__ import annotations

from datetime import date

from strongroom.understanding import checks
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.schema import schema
from tests.helpers import paths

TODAY = date(2026, 11, 24)
DEV = paths.DEV_RECEIPTS


def test_on_the_dev_receipts_verified_totals_are_right() -> None:
    """The checks never look at a gold value; on the dev receipts (stores seen by the
    shipped ranker) most totals are verified, and verified ones are right (the few
    that are not are rounding: the gold is the rounded total, the check vouches for
    the amount before rounding)."""
    from strongroom.measure.evaluate import load_rows, matches
    from strongroom.understanding.ranker import RankerChooser, load

    chooser = RankerChooser(load())
    verified = right = 0
    rows = load_rows(DEV)
    for row in rows:
        fv = checks.assess(schema("receipt"), row.text,
                           extract_fields(row.text, schema("receipt"), chooser),
                           today=TODAY)["total"]
        if fv.status == "verified":
            verified += 1
            right += fv.value is not None and matches("amount", fv.value, fv.normalized,
                                                      row.gold["total"] or "", dayfirst=True)
    assert verified >= 0.6 * len(rows)
    assert right >= 0.97 * verified
