"""Few-shot examples are data, per type and language (issue 12), and none of their
values can reach a stored summary: the grounding check stops them."""

from __future__ import annotations

import re

from strongroom.resources import path as resource_path
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.prompting import LANGS, TYPE_WORDS, fewshot, language
from strongroom.understanding.schema import DOC_TYPES, schema
from strongroom.understanding.summary import grounded

ZH_DOC = ("鸿运五金店\n2024-03-09\n螺丝刀 1把 18.00\n胶带 2卷 7.00\n合计 25.00\n"
          "现金 30.00\n找零 5.00\n")


def blocks(doc_type: str, lang: str) -> list[str]:
    return [b for b in fewshot(doc_type, lang).split("\n\n") if b.strip()]


def test_every_type_has_examples_in_both_languages() -> None:
    for doc_type in DOC_TYPES:
        for lang in LANGS:
            assert resource_path("prompts", "fewshot", lang, f"{doc_type}.txt").is_file()
            for block in blocks(doc_type, lang):
                assert block.startswith("Document:\n"), (doc_type, lang)
                assert f"\nType: {TYPE_WORDS[doc_type]}\nSummary: " in block, (doc_type, lang)


def test_the_language_picks_the_examples() -> None:
    assert language(ZH_DOC) == "zh" and language("CITY CAFE\nTOTAL 6.25") == "en"
    assert "福满多" in fewshot("receipt", "zh") and "CITY CAFE" in fewshot("receipt", "en")


def example_values(doc_type: str, lang: str) -> set[str]:
    """Numbers and names the examples' summaries state."""
    out: set[str] = set()
    for block in blocks(doc_type, lang):
        summary = block.split("\nSummary: ", 1)[1]
        out |= set(re.findall(r"\d[\d,.]*\d", summary))
        out |= set(re.findall(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+", summary))
        out |= set(re.findall(r"[\u4e00-\u9fff]{4,}", summary))
    return out


def test_an_example_sentence_copied_into_a_summary_is_refused() -> None:
    """The control: the check the next test relies on does catch a copied example."""
    for doc_type in DOC_TYPES:
        for lang in LANGS:
            for block in blocks(doc_type, lang):
                copied = block.split("\nSummary: ", 1)[1]
                assert not grounded(copied, ZH_DOC if lang == "en" else "CITY CAFE 6.25")


def test_a_chinese_document_gets_a_chinese_template_summary() -> None:
    from strongroom.understanding.summary import template_summary

    fields = extract_fields(ZH_DOC, schema("receipt"))
    assert template_summary("receipt", fields, language(ZH_DOC)) == (
        "收据：鸿运五金店，2024-03-09，25.00。")
    assert template_summary("receipt", fields).startswith("Receipt from 鸿运五金店")


def test_a_traditional_chinese_document_gets_traditional_type_words() -> None:
    from strongroom.understanding.summary import template_summary

    text = "好味來麵館\n日期：2024/03/09\n牛肉麵 150\n總計 NT$190\n統一發票號碼 AB12345678\n"
    summary = template_summary("receipt", extract_fields(text, schema("receipt")), "zh", text)
    assert summary.startswith("收據：好味來麵館，2024-03-09")
