"""Few-shot completion prompts for the pretrained model (not chat turns).

The examples are data, per type and language; the document follows them, so
llama.cpp's KV cache keeps a type's examples across the documents of that type.
No example value can reach a stored summary: ``summary.grounded`` keeps only
sentences whose every number and content word is in the document.
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


def type_words(doc_type: str) -> str:
    from .schema import schema  # a person's type is written as its label

    return TYPE_WORDS.get(doc_type) or schema(doc_type).label.lower()


#: Languages with their own examples; anything else reads the English ones.
LANGS = ("en", "zh")


def language(text: str) -> str:
    """"zh" when at least a fifth of the document's letters are CJK, else "en"."""
    head = text[:MAX_DOC_CHARS]
    letters = [ch for ch in head if ch.isalpha()]
    cjk = sum("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in letters)
    return "zh" if letters and cjk / len(letters) >= 0.2 else "en"


@cache
def fewshot(doc_type: str, lang: str = "en") -> str:
    """The examples for one type in one language (``resources/prompts/fewshot/<lang>/
    <type>.txt``, data: edit or add files, no code). A type without examples in that
    language reads the English ones; a type without any reads "other"'s."""
    for lang_, type_ in ((lang, doc_type), ("en", doc_type), ("en", "other")):
        path = resource_path("prompts", "fewshot", lang_, f"{type_}.txt")
        if path.is_file():
            examples: str = path.read_text(encoding="utf-8")
            return examples
    raise FileNotFoundError("no few-shot examples in resources/prompts/fewshot/en/other.txt")


def summary_prompt(text: str, doc_type: str) -> str:
    """Examples of the document's type and language, then the document's head."""
    head = text[:MAX_DOC_CHARS].strip()
    return (f"{fewshot(doc_type, language(text))}Document:\n{head}\n"
            f"Type: {type_words(doc_type)}\nSummary:")
