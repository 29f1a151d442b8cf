"""Few-shot completion prompts for the pretrained model (not chat turns).

One prompt serves classification and summary: the few-shot block is the same
for every document and the document follows it, so llama.cpp's KV cache keeps
the block across documents and the document across the two steps.
"""

from __future__ import annotations

from functools import cache

from strongroom.resources import path as resource_path

#: How a type is written in the prompt (the model reads words, not identifiers).
TYPE_WORDS = {
    "receipt": "receipt",
    "invoice": "invoice",
    "bank_statement": "bank statement",
    "payslip": "payslip",
    "tax_form": "tax form",
    "lab_report": "lab report",
    "clinical_note": "clinical note",
    "prescription": "prescription",
    "discharge_summary": "discharge summary",
    "other": "other",
}
MAX_DOC_CHARS = 2000  # the head of a long document is enough to route and summarise


@cache
def fewshot() -> str:
    text: str = resource_path("prompts", "fewshot.txt").read_text(encoding="utf-8")
    return text


def document_block(text: str) -> str:
    head = text[:MAX_DOC_CHARS].strip()
    return f"{fewshot()}Document:\n{head}\nType:"


def summary_prompt(text: str, doc_type: str) -> str:
    return f"{document_block(text)} {TYPE_WORDS[doc_type]}\nSummary:"
