"""Lab tests as a list (issue 12): every row's cells grounded, flags printed or
computed, a printed flag checked against the value and its range."""

from __future__ import annotations

import json
from pathlib import Path

from strongroom.understanding import checks
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.labtests import lab_rows
from strongroom.understanding.schema import schema
from tests.helpers import paths

FIXTURES = paths.FIXTURES / "routing.jsonl"


def rows_of(cells: dict) -> list[dict[str, str | None]]:  # type: ignore[type-arg]
    n = max(int(k.split(".")[1]) for k in cells)
    return [{c: (cells[f"tests.{i}.{c}"].normalized if f"tests.{i}.{c}" in cells else None)
             for c in ("name", "value", "unit", "range", "flag")} for i in range(1, n + 1)]


def test_the_lab_reports_of_the_fixtures_in_english_and_chinese() -> None:
    docs = {r["id"]: r["text"] for r in map(json.loads, FIXTURES.read_text().splitlines())
            if r["doc_type"] == "lab_report"}
    got = {i: rows_of(lab_rows(t)) for i, t in docs.items()}
    assert [r["name"] for r in got["en-lab-1"]] == ["WBC", "Hemoglobin", "Platelets"]
    assert got["en-lab-1"][1] == {"name": "Hemoglobin", "value": "11.4", "unit": "g/dL",
                                  "range": "13.5-17.5", "flag": "low"}
    assert [(r["name"], r["flag"]) for r in got["en-lab-2"]] == [
        ("Total cholesterol", "high"), ("LDL", "high"), ("HDL", "normal"),
        ("Triglycerides", "normal")]
    assert got["zh-lab-1"][0] == {"name": "空腹血糖", "value": "6.8", "unit": "mmol/L",
                                  "range": "3.9-6.1", "flag": "high"}
    assert [(r["name"], r["flag"]) for r in got["zh-lab-2"]] == [
        ("肌酸酐", "normal"), ("丙胺酸轉胺酶 ALT", "high")]
    assert [(r["value"], r["range"], r["flag"]) for r in got["en-lab-3"]] == [
        ("9", "15-300", "low"), ("101", "115-165", "low"), ("74", "80-100", "low")]
    for text in docs.values():
        for fv in lab_rows(text).values():  # every printed cell is its span
            assert fv.span is None or text[fv.span[0]:fv.span[1]] == fv.value
            assert fv.span is not None or (fv.inferred and fv.value is None)


def test_lines_that_are_not_tests_are_not_rows() -> None:
    text = ("Collected: 2024-04-08 07:30\nReported: 09/04/2024\nPatient: Helen Fischer\n"
            "Test  Result  Units  Reference range\nPage 1 of 2\n")
    assert lab_rows(text) == {}


def test_a_printed_flag_is_checked_and_a_missing_one_computed() -> None:
    text = ("Lab\nSodium  139  mmol/L  135-145  H\nPotassium  5.9  mmol/L  3.5-5.1  H\n"
            "Urea  9.1  mmol/L  2.5-7.8\n")
    out = checks.assess(schema("lab_report"), text, extract_fields(text, schema("lab_report")))
    assert out["tests.1.flag"].status == "needs_review"  # printed H, value in range
    assert "flags it high; the value is normal" in (out["tests.1.flag"].note or "")
    assert out["tests.2.flag"].status == "verified"
    computed = out["tests.3.flag"]
    assert (computed.value, computed.normalized, computed.inferred) == (None, "high", True)
    assert "not printed" in (computed.note or "")
    assert "tests" not in out  # the list itself is its cells


def test_the_list_is_stored_searchable_and_correctable(tmp_path: Path, cheap_argon2: None
                                                       ) -> None:
    from strongroom.desktop.detail import field_label
    from strongroom.reading.base import Document
    from strongroom.understanding.result import Extraction
    from strongroom.vault import Vault

    text = "Lab\nPatient: Ann Lee\nFerritin  9  ug/L  (15-300)  LOW\nSodium  139  mmol/L  135-145\n"
    fields = checks.assess(schema("lab_report"), text, extract_fields(text, schema("lab_report")))
    with Vault.create(tmp_path / "v", passphrase="lab list") as vault:
        doc_id = vault.add_document(Document("lab.txt", "text", text, text.encode(), (0,)),
                                    Extraction("lab_report", "A lab report.", fields=fields))
        stored = vault.get(doc_id).fields
        assert stored["tests.1.name"].value == "Ferritin"
        assert (stored["tests.2.flag"].normalized, stored["tests.2.flag"].inferred) == (
            "normal", True)
        assert [r.id for r in vault.search("ferritin")] == [doc_id]
        at = text.index("135-145")
        assert vault.correct_field(doc_id, "tests.2.range", at, at + 7) == "135-145"
        assert vault.labels()[0].field == "tests.2.range"
    assert field_label("tests.2.range") == "Test 2 · range"
