"""A person adds a type or a field by editing a schema file, without code (issue 12)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from strongroom.reading.base import Document
from strongroom.understanding import schema as schemas
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.pipeline import Understander

INVOICE = ("Northwind Cover Ltd\nINVOICE\nInvoice No: INV-4410\nInvoice date: 02/05/2024\n"
           "Policy number: PN-88213-C\nTotal due 412.00 EUR\n")
CLAIM = ("HEALTH INSURANCE CLAIM FORM\nClaimant: Ines Duarte\nClaim ref: CLM-0099123\n"
         "Date of treatment: 14/04/2024\nAmount claimed: 180.00\n")


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "my-schemas"
    folder.mkdir()
    monkeypatch.setenv(schemas.ENV_SCHEMA_DIR, str(folder))
    schemas.reload_schemas()
    yield folder
    monkeypatch.delenv(schemas.ENV_SCHEMA_DIR)
    schemas.reload_schemas()


def write(folder: Path, name: str, content: Any) -> None:
    text = content if isinstance(content, str) else json.dumps(content)
    (folder / name).write_text(text, encoding="utf-8")
    schemas.reload_schemas()


def test_a_field_added_to_a_built_in_type(user_dir: Path) -> None:
    assert "policy_number" not in extract_fields(INVOICE, schemas.schema("invoice"))
    write(user_dir, "invoice.json", {"type": "invoice", "fields": [
        {"name": "policy_number", "label": "Policy", "kind": "number",
         "keywords": ["policy number", "policy no"]}]})
    fields = extract_fields(INVOICE, schemas.schema("invoice"))
    fv = fields["policy_number"]
    assert fv.value == "PN-88213-C" and fv.span is not None
    assert INVOICE[fv.span[0]:fv.span[1]] == fv.value
    assert fields["invoice_number"].value == "INV-4410"  # the built-in fields stay


def test_a_new_type_is_routed_by_its_phrase_and_read(user_dir: Path, fake_backend: Any) -> None:
    """Type, fields and date come from the schema file and the code; the model only
    writes the summary (the fake backend here)."""
    write(user_dir, "insurance_claim.json", {
        "type": "insurance_claim", "label": "Insurance claim", "match": ["claim form"],
        "fields": [
            {"name": "claimant", "kind": "labelled", "keywords": ["claimant"],
             "required": True},
            {"name": "claim_reference", "kind": "number", "keywords": ["claim ref"]},
            {"name": "treatment_date", "kind": "date", "keywords": ["date of treatment"]},
            {"name": "amount", "kind": "amount", "keywords": ["amount claimed"]}]})
    assert "insurance_claim" in schemas.doc_types()
    u = Understander(lambda: fake_backend, summary_tokens=16)
    ex = u(Document("claim.txt", "text", CLAIM, CLAIM.encode()), cancel=threading.Event(),
           progress=lambda f: None)
    assert ex.doc_type == "insurance_claim"
    got = {name: fv.normalized for name, fv in ex.fields.items()}
    assert got == {"claimant": "Ines Duarte", "claim_reference": "CLM-0099123",
                   "treatment_date": "2024-04-14", "amount": "180.00"}
    assert ex.doc_date == "2024-04-14"
    assert ex.fields["claimant"].status == "grounded"
    # A document without the phrase is routed as before.
    ex = u(Document("i.txt", "text", INVOICE, INVOICE.encode()), cancel=threading.Event(),
           progress=lambda f: None)
    assert ex.doc_type == "invoice"


def test_a_broken_schema_file_is_named_and_skipped(user_dir: Path) -> None:
    write(user_dir, "broken.json", "{not json")
    write(user_dir, "nokind.json", {"type": "x", "fields": [{"name": "a", "kind": "colour"}]})
    write(user_dir, "receipt.json", {"type": "receipt", "fields": [
        {"name": "loyalty_card", "kind": "number", "keywords": ["card no"]}]})
    problems = schemas.schema_problems()
    assert len(problems) == 2
    assert any(p.startswith("The schema file broken.json was skipped") for p in problems)
    assert any("nokind.json" in p and "unknown kind 'colour'" in p for p in problems)
    assert "x" not in schemas.doc_types()
    assert "loyalty_card" in {f.name for f in schemas.schema("receipt").fields}
