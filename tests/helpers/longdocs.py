"""Long made-up documents (issue 12): a 30-page bank statement and a 20-page
discharge summary, as PDFs, deterministic. Their key values sit on the first and
last pages, as in real ones: opening balance and period at the start, closing
balance at the end, the account number on every page."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from tests.helpers.documents import make_pdf

ACCOUNT = "GB29 NWBK 6016 1331 9268 19"
OPENING, BANK, HOLDER = Decimal("2431.18"), "Fenwick Mutual Bank", "Alys Penrose"
PAYEES = ["Corner Pantry", "City Parking", "Harbour Dental Care", "Larkspur Energy",
          "Quill Books", "Rail Ticket Office", "Salary Brightwater Ltd", "Water Board",
          "Hilltop Pharmacy", "Transfer to savings"]


def bank_statement(pages: int = 30, per_page: int = 24, seed: int = 3
                   ) -> tuple[bytes, dict[str, str]]:
    """The PDF and its true values (closing balance, period, account number)."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, not a secret
    balance, day = OPENING, date(2024, 1, 1)
    out = []
    for p in range(1, pages + 1):
        lines = [f"{BANK}    Statement of account    Page {p} of {pages}",
                 f"Account number: {ACCOUNT}    Sort code 60-16-13"]
        if p == 1:
            lines += [f"Account holder: {HOLDER}", "12 Orchard Row, Bath BA1 2QT",
                      "Statement period: 01/01/2024 to 30/06/2024",
                      f"Opening balance {OPENING:,.2f}", ""]
        lines.append("Date        Description                     Paid out   Paid in    Balance")
        for _ in range(per_page):
            day += timedelta(days=rng.choice((0, 0, 1)))
            payee = rng.choice(PAYEES)
            amount = Decimal(rng.randint(150, 9000)) / 100
            if payee.startswith("Salary"):
                amount, paid = Decimal("2150.00"), "in"
            else:
                paid = "out"
            balance += amount if paid == "in" else -amount
            lines.append(f"{day:%d/%m/%Y}  {payee:<30}  "
                         f"{(f'{amount:,.2f}' if paid == 'out' else ''):>9}  "
                         f"{(f'{amount:,.2f}' if paid == 'in' else ''):>9}  {balance:>10,.2f}")
        if p == pages:
            lines += ["", f"Closing balance {balance:,.2f}",
                      "Thank you for banking with us."]
        out.append("\n".join(lines))
    return make_pdf(out), {"closing_balance": f"{balance:.2f}", "opening_balance":
                           f"{OPENING:.2f}", "account_number": ACCOUNT}


SECTIONS = ["History of present illness", "Hospital course", "Investigations",
            "Medications on discharge", "Follow-up plan"]
SENTENCES = [
    "The patient reported intermittent chest discomfort on exertion over three weeks.",
    "Observations remained stable and she mobilised independently on the ward.",
    "Serial troponin measurements were within the reference range.",
    "An echocardiogram showed preserved left ventricular function.",
    "Physiotherapy reviewed her mobility and found no further needs.",
    "She was counselled on smoking cessation and given written advice.",
    "Blood pressure was controlled after the amlodipine dose was adjusted.",
    "No adverse reactions to the medications given were recorded.",
]


def discharge_summary(pages: int = 20, seed: int = 5) -> tuple[bytes, dict[str, str]]:
    rng = random.Random(seed)  # noqa: S311 - made-up data, not a secret
    out = []
    for p in range(1, pages + 1):
        lines = [f"St Aldhelm's Hospital - Discharge summary - Page {p} of {pages}",
                 "Patient: Morwenna Tregear    MRN: 00438291"]
        if p == 1:
            lines += ["Admission date: 03/03/2024", "Discharge date: 11/03/2024",
                      "Attending physician: Dr. Idris Kemble",
                      "Principal diagnosis: Stable angina", ""]
        section = SECTIONS[(p - 1) * len(SECTIONS) // pages]
        lines.append(section)
        lines += [" ".join(rng.sample(SENTENCES, 3)) for _ in range(8)]
        out.append("\n".join(lines))
    return make_pdf(out), {"patient": "Morwenna Tregear", "diagnosis": "Stable angina"}
