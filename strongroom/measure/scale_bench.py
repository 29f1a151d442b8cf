"""``strongroom bench --scale``: understanding's time against the document's length.

Times what runs for every document without the model — the person's types, the
router, every field of the routed type with the shipped ranker, and the checks —
over generated documents of 1,000, 10,000 and 100,000 lines (issue 22: a 20,000-row
bank export took 151 s while the cost grew with the square of the size):

- ``csv``: a bank export, one transaction a row (date, description, amount, balance);
- ``prose``: long free text, with a date or an amount now and then;
- ``receipt``: a till roll with an item and its price on every line;
- ``patient``: "Patient " and one run of letters, ten per line-equivalent (a
  backtracking pattern took minutes on 150,000 of them).

Not a test: figures vary with the machine; this prints seconds per size and the
ratio to the previous size (about 10 for linear growth, 100 for quadratic).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

from ..understanding import checks
from ..understanding.fields import extract_fields
from ..understanding.ranker import RankerChooser
from ..understanding.ranker import load as load_weights
from ..understanding.router import Router
from ..understanding.router import load as load_router
from ..understanding.schema import schema, user_type

SIZES = (1_000, 10_000, 100_000)
_SHOPS = ("TESCO STORES", "AMAZON MKTPLACE", "SHELL FUEL", "NETFLIX.COM", "CITY COUNCIL TAX",
          "HARBOUR DENTAL", "NORTHWIND POWER", "SALARY ACME LTD", "CORNER PHARMACY")
_WORDS = ("the", "patient", "was", "seen", "today", "and", "reports", "no", "change", "in",
          "symptoms", "since", "last", "visit", "plan", "review", "bloods", "letter", "follows",
          "account", "balance", "payment", "received", "thank", "you", "for", "your", "order")


def bank_csv(rows: int, seed: int = 22) -> str:
    rng = random.Random(seed)  # noqa: S311 - made-up documents, not secrets
    out = ["Date,Description,Amount,Balance"]
    balance = 2500.0
    for i in range(rows):
        amount = round(rng.uniform(-250, 120), 2)
        balance += amount
        day = 1 + i % 28
        shop = f"{rng.choice(_SHOPS)} {rng.randint(1000, 9999)}"
        out.append(f"2024-{1 + i // 28 % 12:02d}-{day:02d},{shop},{amount:.2f},{balance:.2f}")
    return "\n".join(out) + "\n"


def prose(lines: int, seed: int = 22) -> str:
    rng = random.Random(seed)  # noqa: S311 - made-up documents, not secrets
    out = ["Dear Ms Roe,"]
    for i in range(lines):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(4, 12))]
        if i % 17 == 0:
            words.append(f"{rng.randint(1, 28)} March 2024")
        if i % 23 == 0:
            words.append(f"£{rng.randint(1, 999)}.{rng.randint(0, 99):02d}")
        out.append(" ".join(words).capitalize() + ".")
    return "\n".join(out) + "\n"


def receipt(lines: int, seed: int = 22) -> str:
    """A till roll: an item and its price a line, cash and change at the end."""
    rng = random.Random(seed)  # noqa: S311 - made-up documents, not secrets
    out = ["CORNER PHARMACY SDN BHD", "12 Jalan Ampang, Kuala Lumpur", "Receipt #1042",
           "Date: 14/03/2024 10:32"]
    for i in range(lines):
        price = f"{rng.randint(1, 99)}.{rng.randint(0, 99):02d}"
        out.append(f"{rng.choice(_WORDS).upper()} {i:05d}    {price}")
    out += ["TOTAL 9999.90", "CASH 10000.00", "CHANGE 0.10", "Thank you"]
    return "\n".join(out) + "\n"


def patient_run(lines: int) -> str:
    return "Patient " + "a" * (10 * lines)


GENERATORS: dict[str, Callable[[int], str]] = {"csv": bank_csv, "prose": prose,
                                               "receipt": receipt, "patient": patient_run}


class Understanding:
    """Everything the pipeline does to a document's text but the model's parts
    (the hidden states and the summary)."""

    def __init__(self, router: Router | None = None) -> None:
        self.router = router or load_router()
        self.chooser = RankerChooser(load_weights())

    def __call__(self, text: str) -> str:
        doc_type = user_type(text) or self.router.route(text)[0]
        fields = extract_fields(text, schema(doc_type), self.chooser)
        checks.assess(schema(doc_type), text, fields)
        return doc_type


def run_scale_bench(sizes: Sequence[int] = SIZES, kinds: Sequence[str] = tuple(GENERATORS),
                    print_: Callable[[str], None] = print) -> dict[str, dict[int, float]]:
    understand = Understanding()
    understand(bank_csv(10))  # load the weights and compile the patterns first
    figures: dict[str, dict[int, float]] = {}
    print_(f"{'document':<10} {'lines':>8} {'MB':>7} {'seconds':>9} {'× previous':>11}")
    for kind in kinds:
        figures[kind] = {}
        previous: float | None = None
        for n in sizes:
            text = GENERATORS[kind](n)
            start = time.perf_counter()
            understand(text)
            seconds = time.perf_counter() - start
            figures[kind][n] = seconds
            ratio = f"{seconds / previous:.1f}" if previous else ""
            mb = len(text.encode()) / 1e6
            print_(f"{kind:<10} {n:>8,} {mb:>7.2f} {seconds:>9.2f} {ratio:>11}")
            previous = seconds
    return figures
