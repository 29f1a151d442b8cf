"""``strongroom eval`` with the real model (the rest: tests/unit/measure/test_evaluate.py)."""

from __future__ import annotations

import json

import pytest

from strongroom.measure.evaluate import Options, load_rows, run_eval
from strongroom.resources import path as resource_path
from strongroom.understanding.chooser import RuleChooser


@pytest.mark.model
def test_with_the_model_on_two_samples(tmp_path, backend):
    lines = [
        {"id": "r", "doc_type": "receipt", "path": str(resource_path("samples", "receipt.txt")),
         "gold": {"merchant": "Greenleaf Grocers Ltd", "date": "12 March 2024",
                  "total": "£7.25"}},
        {"id": "i", "doc_type": "invoice", "path": str(resource_path("samples", "invoice.txt")),
         "gold": {"vendor": "NORTHWIND DESIGN STUDIO LLC", "invoice_number": "INV-2024-0187",
                  "total": "2340"}},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    report = run_eval(load_rows(path), RuleChooser, lambda: backend, Options())
    assert report["model"] is True
    assert report["type_accuracy"] == 1.0 and report["typed_documents"] == 2
    assert report["grounding_rate"] == 1.0
    assert {name: f["exact"] for name, f in report["fields"].items()} == {
        "merchant": 1.0, "date": 1.0, "total": 1.0, "vendor": 1.0, "invoice_number": 1.0}
