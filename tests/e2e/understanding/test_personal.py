"""Learning from the user's corrections: through the app's pipeline on the real model,
and measured on the dev receipts (the rest: tests/unit/understanding/test_personal.py)."""

from __future__ import annotations

import pytest

from strongroom.understanding.personal import Label
from tests.helpers import paths
from tests.unit.understanding.test_personal import DOCS, label

DEV = paths.DEV_RECEIPTS


@pytest.mark.model
def test_the_understander_reads_with_the_users_labels(backend: object) -> None:
    """Through the pipeline the app runs (real model for the summary): a receipt and
    an invoice read after ``learn`` get the values the user vouched for."""
    import threading

    from strongroom.reading.base import Document
    from strongroom.understanding.pipeline import Understander

    footer = "\nGOODS SOLD ARE NOT RETURNABLE\nOPERATED BY KEDAI PELITA MAJU"
    invoice = ("INVOICE\nBill to: Harbour Dental Care\nInvoice No: INV-2291\n"
               "Date: 12/06/2024\nFrom: Larkspur Imaging Services\nTotal due: 1,250.00\n")
    u = Understander(lambda: backend, summary_tokens=8)  # type: ignore[arg-type, return-value]

    def read(text: str) -> dict[str, str | None]:
        ex = u(Document("d.txt", "text", text, text.encode()), cancel=threading.Event(),
               progress=lambda f: None)
        return {name: fv.value for name, fv in ex.fields.items()}

    second = DOCS[1] + footer
    assert read(second)["merchant"] != "KEDAI PELITA MAJU"
    before = read(invoice)
    assert before["vendor"] != "Larkspur Imaging Services"  # (the control)
    u.learn([label(DOCS[0] + footer, "merchant", "KEDAI PELITA MAJU"),
             Label("invoice", "vendor", invoice.replace("INV-2291", "INV-2290"),
                   invoice.index("Larkspur"), invoice.index("Larkspur") + 25)])
    assert read(second)["merchant"] == "KEDAI PELITA MAJU"
    assert read(invoice)["vendor"] == "Larkspur Imaging Services"


def test_simulated_corrections_help_on_stores_already_labelled() -> None:
    """The measuring command on a slice of the dev set: once the user has labelled a
    receipt of a shop, later receipts of that shop are read better than by the
    ranker alone, and never worse."""
    pytest.importorskip("sklearn")
    from lab.corrections import simulate
    from strongroom.measure.evaluate import load_rows

    rows = load_rows(DEV)[:100]
    report = simulate(rows, folds=2)["accuracy"]
    before, after = report["ranker seen"], report["personal seen"]
    assert after["merchant"]["of"] >= 20
    assert after["merchant"]["correct"] > before["merchant"]["correct"]
    for name in before:
        assert after[name]["correct"] >= before[name]["correct"] - 1, name
