"""The app's pipeline (``Understander``) around the model, on the fake backend: what it
asks the model, what it keeps of the answer, and cancelling. What the real model
answers is tested in tests/e2e."""

from __future__ import annotations

import threading

import pytest

from strongroom.errors import Cancelled
from strongroom.jobs import Processor
from strongroom.reading.base import Document
from strongroom.understanding import router
from strongroom.understanding.lmstates import head
from strongroom.understanding.pipeline import Understander
from tests.helpers.fake_backend import FakeBackend

NOTE = ("Riverside Clinic\nPatient: Ana Ruiz\nDate of visit: 03/04/2024\n"
        "Assessment: viral URTI.\nPlan: fluids, rest.")
RECEIPT = ("Corner Pharmacy\n12 High Street\nDate: 2024-03-05\nIbuprofen 400mg x2 6.40\n"
           "Total 12.50 EUR\nThank you for your visit.\n")


def understand(u: Understander, text: str, cancel: threading.Event | None = None,
               progress=lambda f: None):  # type: ignore[no-untyped-def]
    return u(Document("d.txt", "text", text, text.encode()),
             cancel=cancel or threading.Event(), progress=progress)


def test_a_grounded_sentence_is_kept_and_an_invented_one_is_not(fake_backend: FakeBackend
                                                                ) -> None:
    u = Understander(lambda: fake_backend, summary_tokens=24)
    fake_backend.reply = " Patient Ana Ruiz at Riverside Clinic on 03/04/2024.\n"
    ex = understand(u, NOTE)
    assert ex.doc_type == "clinical_note" and ex.summary_source == "model"
    assert ex.summary.startswith("Patient Ana Ruiz at Riverside Clinic on 03/04/2024.")
    fake_backend.reply = " Ana Ruiz was seen by Dr. Moreau in Lisbon.\n"
    ex = understand(u, NOTE)
    assert ex.summary_source == "template" and "Moreau" not in ex.summary


def test_the_summary_prompt_ends_with_the_document_and_its_type(fake_backend: FakeBackend
                                                                ) -> None:
    u = Understander(lambda: fake_backend, summary_tokens=24)
    understand(u, NOTE)
    [(_, prompt, max_tokens)] = [c for c in fake_backend.calls if c[0] == "generate"]
    assert prompt.endswith(f"Document:\n{NOTE}\nType: clinical note\nSummary:")
    assert max_tokens == 24


def test_states_are_read_for_receipts_only_and_fields_stay_grounded(fake_backend: FakeBackend
                                                                ) -> None:
    u = Understander(lambda: fake_backend, summary_tokens=8)
    ex = understand(u, RECEIPT)
    assert ex.doc_type == "receipt"
    assert ex.type_confidence == round(router.load().route(RECEIPT)[1]["receipt"], 4)
    assert [c[1] for c in fake_backend.calls if c[0] == "hidden_states"] == [head(RECEIPT)]
    for fv in ex.fields.values():
        assert fv.span is None or RECEIPT[fv.span[0]:fv.span[1]] == fv.value
    fake_backend.calls.clear()
    understand(u, NOTE)  # a clinical note: no read-out, so no states
    assert [c for c in fake_backend.calls if c[0] == "hidden_states"] == []


def test_cancel_during_the_summary_stops_the_document(fake_backend: FakeBackend) -> None:
    u = Understander(lambda: fake_backend, summary_tokens=48)
    fake_backend.reply = " word" * 40
    cancel = threading.Event()
    seen: list[float] = []

    def progress(f: float) -> None:
        seen.append(f)
        if f > 0.15:  # the first summary token is out
            cancel.set()

    with pytest.raises(Cancelled):
        understand(u, NOTE, cancel, progress)
    assert len([f for f in seen if f > 0.15]) == 1  # not one token more


def test_the_queue_runs_the_pipeline_and_loads_the_model_once(fake_backend: FakeBackend,
                                                              tmp_path) -> None:
    loads = []

    def load() -> FakeBackend:
        loads.append(1)
        return fake_backend

    (tmp_path / "a.txt").write_text(NOTE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(RECEIPT, encoding="utf-8")
    results = list(Processor(Understander(load, summary_tokens=8)).run_all(
        [tmp_path / "a.txt", tmp_path / "b.txt"]))
    assert [(r.ok, r.extraction.doc_type if r.extraction else None) for r in results] == [
        (True, "clinical_note"), (True, "receipt")]
    assert loads == [1]


BANK_CSV = ("Date,Description,Amount,Balance\n"
            "2024-01-02,Transfer from savings,200.00,1200.00\n"
            "2024-01-05,TESCO STORES 3297,-23.45,1176.55\n"
            "2024-01-09,Direct debit Council Tax,-142.00,1034.55\n"
            "2024-01-28,Salary ACME LTD,2150.00,3184.55\n")


def test_a_bank_export_gets_its_closing_balance_checked_against_its_rows(
        fake_backend: FakeBackend) -> None:
    u = Understander(lambda: fake_backend, summary_tokens=8)
    ex = understand(u, BANK_CSV)
    assert ex.doc_type == "bank_statement"
    closing = ex.fields["closing_balance"]
    assert closing.value == "3184.55" and closing.status == "verified"
    assert BANK_CSV[closing.span[0]:closing.span[1]] == "3184.55"  # type: ignore[index]
    assert closing.note == ("Opening balance 1000.00 plus the 4 transactions (+2184.55) "
                            "is the closing balance 3184.55.")
    missing = BANK_CSV.replace("2024-01-09,Direct debit Council Tax,-142.00,1034.55\n", "")
    closing = understand(u, missing).fields["closing_balance"]
    assert closing.status == "needs_review" and "off by 142.00" in (closing.note or "")
