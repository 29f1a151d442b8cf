"""None of the few-shot examples' values reaches a summary the real model writes: the
grounding check stops them (issue 12). The examples as data: tests/unit/understanding/."""

from __future__ import annotations

from typing import Any

import pytest

from strongroom.resources import path as resource_path
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.prompting import language
from strongroom.understanding.router import load as load_router
from strongroom.understanding.schema import schema
from strongroom.understanding.summary import summarize
from tests.unit.understanding.test_fewshot import example_values

ZH_DOC = ("鸿运五金店\n2024-03-09\n螺丝刀 1把 18.00\n胶带 2卷 7.00\n合计 25.00\n"
          "现金 30.00\n找零 5.00\n")


@pytest.mark.model
def test_no_example_value_reaches_a_summary(backend: Any) -> None:
    docs = [(p.name, p.read_text(encoding="utf-8"))
            for p in sorted(resource_path("samples").iterdir()) if p.suffix == ".txt"]
    docs.append(("zh-receipt", ZH_DOC))
    router = load_router()
    for name, text in docs:
        doc_type = router.route(text)[0]
        fields = extract_fields(text, schema(doc_type))
        summary, _ = summarize(backend, text, doc_type, fields, max_tokens=32)
        leaked = {v for v in example_values(doc_type, language(text))
                  if v not in text and v in summary}
        assert not leaked, (name, summary, leaked)
