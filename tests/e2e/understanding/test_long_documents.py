"""Long documents (issue 12): a 30-page bank statement and a 20-page discharge summary
read end to end with the real model; the summary reads a bounded number of chunks.
Chunking itself: tests/unit/understanding/test_long_documents.py."""

from __future__ import annotations

from typing import Any

import pytest

from strongroom.understanding.summary import MAX_CHUNKS
from tests.helpers.longdocs import bank_statement, discharge_summary
from tests.unit.understanding.test_long_documents import grounded_numbers, read


@pytest.mark.model
def test_a_30_page_bank_statement(backend: Any) -> None:
    data, truth = bank_statement()
    doc, ex, calls = read(backend, "statement.pdf", data)
    assert len(doc.page_starts) == 30 and len(doc.text) > 30_000
    assert ex.doc_type == "bank_statement"
    f = ex.fields
    assert f["closing_balance"].normalized == truth["closing_balance"]  # on the last page
    assert f["opening_balance"].normalized == truth["opening_balance"]  # on the first
    assert f["account_number"].value == truth["account_number"]
    assert f["account_number"].status == "verified"  # its IBAN check digits agree
    assert f["bank"].value == "Fenwick Mutual Bank Statement of account"
    for fv in f.values():
        assert fv.span is None or doc.text[fv.span[0]:fv.span[1]] == fv.value
    assert calls == MAX_CHUNKS  # bounded: three chunks of thirty pages
    assert grounded_numbers(ex.summary, doc.text), ex.summary


@pytest.mark.model
def test_a_20_page_discharge_summary(backend: Any) -> None:
    data, truth = discharge_summary()
    doc, ex, calls = read(backend, "discharge.pdf", data)
    assert len(doc.page_starts) == 20
    assert ex.doc_type == "discharge_summary"
    f = ex.fields
    assert f["patient"].value == truth["patient"]  # stops before "MRN:"
    assert f["diagnosis"].value == truth["diagnosis"]
    assert (f["admission_date"].normalized, f["discharge_date"].normalized) == (
        "2024-03-03", "2024-03-11")
    assert f["mrn"].value == "00438291"
    assert calls == MAX_CHUNKS
    assert grounded_numbers(ex.summary, doc.text), ex.summary
