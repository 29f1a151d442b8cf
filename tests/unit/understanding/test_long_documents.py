"""Long documents (issue 12): a 30-page bank statement and a 20-page discharge summary
read end to end with the real model; chunks cover the text with overlap; the summary
reads a bounded number of chunks."""

from __future__ import annotations

import re
import threading
from typing import Any

from strongroom.reading import read_bytes
from strongroom.understanding.pipeline import Understander
from strongroom.understanding.result import FieldValue
from strongroom.understanding.summary import chosen_chunks, chunks


def test_chunks_cover_the_text_with_overlap_and_stay_in_size() -> None:
    text = "".join(f"line {i:04d} " + "x" * (i % 50) + "\n" for i in range(1500))
    spans = chunks(text, size=2000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (a, b), (c, _d) in zip(spans, spans[1:], strict=False):
        assert b - a <= 2000 and c < b  # every cut is inside the previous chunk
        assert text[c:b].count("\n") == 2  # two lines of overlap
        assert text[b - 1] == "\n"  # cut at a line end
    assert chunks("short", size=2000) == [(0, 5)]


def test_the_summary_reads_the_first_last_and_densest_chunks() -> None:
    spans = [(i * 100, i * 100 + 120) for i in range(10)]
    fields = {"a": FieldValue("x", "x", (535, 536)), "b": FieldValue("y", "y", (540, 541)),
              "c": FieldValue("z", "z", (210, 211))}
    assert chosen_chunks(spans, fields) == [(0, 120), (500, 620), (900, 1020)]
    assert chosen_chunks(spans[:2], fields) == spans[:2]


class Counting:
    """The real backend, counting the summaries asked for."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.calls = inner, 0

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.inner.generate(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def read(backend: Any, name: str, data: bytes) -> Any:
    counting = Counting(backend)
    u = Understander(lambda: counting, summary_tokens=24)  # type: ignore[arg-type, return-value]
    doc = read_bytes(name, data)
    ex = u(doc, cancel=threading.Event(), progress=lambda f: None)
    return doc, ex, counting.calls


def grounded_numbers(summary: str, text: str) -> bool:
    flat = text.replace(",", "")
    return all(n.replace(",", "") in flat for n in re.findall(r"\d[\d,.]*\d|\d", summary))
