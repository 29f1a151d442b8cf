"""A 1–3 sentence summary: the model writes it, the document vouches for it.

The pretrained model continues the few-shot pattern well but, left free, it
also copies words from the examples or invents them. So its sentence is kept
only if every number and every content word in it occurs in the document;
otherwise the summary is built from the grounded fields (``template``). Either
way the line that carries the document's gist, if its type names one
("Assessment:", "Interpretation:", 结论：), is quoted after it (``gist``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from strongroom.model import Backend

from .candidates import keyword_spans, lines
from .prompting import MAX_DOC_CHARS, language, summary_prompt
from .result import FieldValue
from .schema import schema

MAX_TOKENS = 48
MAX_CHUNKS = 3  # a long document's summary reads its first, last and densest chunks
# Words a summary may use although the document does not: how summaries speak.
_CONNECTIVES = frozenset({
    "a", "an", "the", "of", "for", "from", "to", "with", "and", "or", "by", "on", "at", "in",
    "about", "dated", "date", "total", "amount", "due", "receipt", "invoice", "statement",
    "bank", "payslip", "lab", "laboratory", "report", "results", "clinical", "note",
    "prescription", "document", "account", "balance", "net", "gross", "pay", "paid", "tablets",
    "daily", "twice", "visit", "patient", "shows", "showing", "lists", "listing", "issued",
    "closing", "opening", "summary", "other", "this", "that", "its",
})
_WORD = re.compile(r"[^\W_]+(?:[.,'’/:\-][^\W_]+)*", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_OR_NOT = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+")


def grounded(sentence: str, text: str, field_values: list[str] | None = None) -> bool:
    """True when every content word of ``sentence`` is in ``text`` and every
    number is in ``text`` and, if ``field_values`` is given, inside one of them:
    a line-item price is in the document too, but it is not the total.

    Chinese has no spaces, so a run of Chinese characters is cut at the words a
    summary may add (的, 收据, 合计, …) and every piece left must be in ``text``:
    "福满多便利店的收据" holds if the document prints 福满多便利店."""
    haystack = text.lower()
    words = _WORD.findall(sentence.lower())
    if len(words) < 3 and not _CJK.search(sentence):
        return False
    pieces = [p for w in words for p in _CJK_OR_NOT.findall(w)]
    content = 0  # pieces that say something of the document's own
    for w in pieces:
        if _CJK.match(w):
            segments = [seg for seg in _ZH_CONNECTIVES.split(w) if seg]
            if any(seg not in haystack for seg in segments):
                return False
            content += len(segments)
            continue
        if w in _CONNECTIVES or (len(w) <= 2 and not w.isdigit()):
            continue
        content += 1
        if w not in haystack:
            return False
        if field_values is not None and any(ch.isdigit() for ch in w) and not any(
            w in v.lower() for v in field_values
        ):
            return False
    return len(pieces) >= 3 and content > 0


#: How a Chinese summary names the type (a person's own type uses its label).
ZH_TYPES = {"receipt": "收据", "invoice": "发票", "bank_statement": "银行对账单",
            "payslip": "工资单", "tax_form": "税务凭证", "lab_report": "检验报告",
            "clinical_note": "病历记录", "prescription": "处方", "discharge_summary": "出院小结",
            "other": "文件"}


#: The same in Traditional characters, for a document written in them.
ZH_HANT_TYPES = {"receipt": "收據", "invoice": "發票", "bank_statement": "銀行對帳單",
                 "payslip": "薪資單", "tax_form": "稅務憑證", "lab_report": "檢驗報告",
                 "clinical_note": "病歷記錄", "prescription": "處方",
                 "discharge_summary": "出院摘要", "other": "文件"}
#: Characters a Chinese summary may add: particles, "total", "date", "paid", "issued"
#: and the type words above.
_ZH_CONNECTIVES = re.compile("[" + re.escape("".join(sorted(
    set("的了是在和与與及于於为為共计計合总總金额額日期年月号號张張份项項个個由从從至到"
        "开開具购購买買付支出入含有次等")
    | {ch for word in (*ZH_TYPES.values(), *ZH_HANT_TYPES.values()) for ch in word}))) + "]+")
#: Characters only Traditional Chinese writes (their Simplified forms differ).
_HANT_ONLY = frozenset("這們說過錢銀賬帳總計處藥檢報發單據證稅額號貨費醫診歷餘")
_HANS_ONLY = frozenset("这们说过钱银账总计处药检报发单据证税额号货费医诊历余")


_ZH_FLAGS = {"high": "偏高", "low": "偏低", "abnormal": "异常"}


def out_of_range(fields: dict[str, FieldValue], zh: bool = False, most: int = 3) -> list[str]:
    """Lab tests flagged high, low or abnormal, printed or computed from their
    range: "Haemoglobin 11.4 g/dL (low)", "空腹血糖 6.8 mmol/L 偏高"."""
    out: list[str] = []
    n = 1
    while f"tests.{n}.name" in fields and len(out) < most:
        flag = fields.get(f"tests.{n}.flag")
        if flag is not None and flag.normalized not in (None, "normal"):
            cells = [fields[f"tests.{n}.{c}"].value for c in ("name", "value", "unit")
                     if f"tests.{n}.{c}" in fields]
            shown = " ".join(" ".join(str(c).split()) for c in cells if c)
            word = str(flag.normalized)
            out.append(f"{shown} {_ZH_FLAGS.get(word, word)}" if zh else f"{shown} ({word})")
        n += 1
    return out


def _zh_template(doc_type: str, fields: dict[str, FieldValue], text: str = "") -> str:
    """The Chinese document's summary in Chinese: its type, then the values as
    printed (names, dates, amounts), without English labels."""
    sch = schema(doc_type)
    values: list[str] = []
    currency = fields.get("currency")
    code = f"{currency.normalized} " if currency and currency.normalized else ""
    for kinds in (("name",), ("date",), ("amount",), ("labelled",)):
        for spec in sch.fields:
            fv = fields.get(spec.name)
            if spec.kind in kinds and fv is not None and fv.value and len(values) < 5:
                shown = fv.normalized if spec.kind in ("date", "amount") else fv.value
                values.append(f"{code if spec.kind == 'amount' else ''}{shown}")
                if kinds != ("labelled",):
                    break
    hant = sum(ch in _HANT_ONLY for ch in text) > sum(ch in _HANS_ONLY for ch in text)
    head = (ZH_HANT_TYPES if hant else ZH_TYPES).get(doc_type, sch.label)
    values += out_of_range(fields, zh=True)
    return f"{head}：{'，'.join(' '.join(v.split()) for v in values)}。" if values else \
        f"{head}：未找到详细信息。"


def template_summary(doc_type: str, fields: dict[str, FieldValue], lang: str = "en",
                     text: str = "") -> str:
    """One honest sentence from the grounded fields alone: who, when, and up to two
    amounts and two labelled values (a diagnosis, a closing balance); in Chinese for
    a Chinese document."""
    if lang == "zh":
        return _zh_template(doc_type, fields, text)
    sch = schema(doc_type)
    label = sch.label
    parts = [label]
    by_kind: dict[str, list[tuple[str, FieldValue]]] = {}
    for spec in sch.fields:
        fv = fields.get(spec.name)
        if fv is not None and fv.value:
            by_kind.setdefault(spec.kind, []).append((spec.label, fv))
    labelled = by_kind.get("labelled", [])
    if by_kind.get("name"):
        parts.append(f"from {by_kind['name'][0][1].normalized}")
    elif labelled:
        lab, fv = labelled.pop(0)
        parts.append(f"({lab.lower()}: {fv.value})")
    if by_kind.get("date"):
        parts.append(f"dated {by_kind['date'][0][1].normalized}")
    currency = fields.get("currency")
    code = f"{currency.normalized} " if currency and currency.normalized else ""
    for lab, fv in by_kind.get("amount", [])[:2]:
        parts.append(f"{lab.lower()} {code}{fv.normalized}")
    for lab, fv in labelled[:2]:
        parts.append(f"{lab.lower()}: {' '.join((fv.value or '').split())}")
    if flagged := out_of_range(fields):
        parts.append("out of range: " + "; ".join(flagged))
    if len(parts) == 1:
        return f"{label}; no details could be found in its text."
    return " ".join(parts[:2]) + (", " + ", ".join(parts[2:]) if parts[2:] else "") + "."


def chunks(text: str, size: int = MAX_DOC_CHARS, overlap_lines: int = 2
           ) -> list[tuple[int, int]]:
    """Spans of at most ``size`` characters, cut at line ends, each starting
    ``overlap_lines`` lines before the previous one ended (a value printed across
    the cut is whole in one of them). One span for a short document."""
    if len(text) <= size:
        return [(0, len(text))]
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    out: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        out.append((start, end))
        if end >= len(text):
            break
        later = [i for i in starts if i < end]
        start = max(later[-overlap_lines] if len(later) > overlap_lines else end,
                    start + 1)
    return out


def chosen_chunks(spans: list[tuple[int, int]], fields: dict[str, FieldValue],
                  most: int = MAX_CHUNKS) -> list[tuple[int, int]]:
    """The chunks a long document's summary reads: the first (what the document
    is), the last (totals, closing balances, discharge plans) and, between them,
    those holding the most extracted values — in document order."""
    if len(spans) <= most:
        return spans
    starts = [fv.span[0] for fv in fields.values() if fv.span]
    middle = sorted(spans[1:-1], key=lambda c: -sum(c[0] <= s < c[1] for s in starts))
    return sorted([spans[0], spans[-1], *middle[: most - 2]])


def _sentence(backend: Backend, chunk: str, doc_type: str, max_tokens: int,
              cancel: threading.Event | None, on_token: Callable[[int], None] | None) -> str:
    out = ""
    for piece in backend.generate(summary_prompt(chunk, doc_type), max_tokens=max_tokens,
                                  stop=["\n"], cancel=cancel):
        out += piece.text
        if on_token:
            on_token(piece.generation_tokens)
    sentence = " ".join(out.split())
    # Keep whole sentences only: a cut-off fragment reads as a mistake.
    if sentence and not sentence.endswith((".", "!", "?")):
        sentence = sentence[: sentence.rfind(".") + 1] if "." in sentence else ""
    return sentence


_SENTENCE_END = re.compile(r"(?<=[.!?])\s|[。！？]")
GIST_CHARS = 200


def gist(text: str, doc_type: str) -> str | None:
    """The document's own words for its gist: the first line labelled with one of
    the type's ``gist`` labels ("Assessment: viral URTI, improving."), quoted from
    the label to the end of its first sentence (the next line when the label
    stands alone). Extractive, so grounded by construction."""
    all_lines = lines(text)
    position = {ln.no: i for i, ln in enumerate(all_lines)}
    for ln, m in keyword_spans(text, list(schema(doc_type).gist)):
        quote = ln.text[m.start():]
        if len(_WORD.findall(quote)) <= len(_WORD.findall(m.group(0))):  # the label alone
            i = position[ln.no] + 1  # the next line with text (a scan per label was
            nxt = all_lines[i] if i < len(all_lines) else None  # quadratic; #22)
            if nxt is None or nxt.no > ln.no + 1:
                continue
            quote = f"{quote.rstrip(' :：')}: {nxt.text}"
        if (end := _SENTENCE_END.search(quote)) is not None:
            quote = quote[:end.end()]
        if len(quote) > GIST_CHARS:
            quote = quote[:GIST_CHARS].rsplit(" ", 1)[0] + "…"
        quote = quote.strip()
        return quote if quote[-1] in ".。!?！？…" else quote + ("。" if _CJK.search(quote) else ".")
    return None


def _adds(sentence: str, kept: list[str]) -> bool:
    """Whether ``sentence`` says something the kept ones do not (a third of its
    content words new)."""
    words = {w for w in _WORD.findall(sentence.lower()) if w not in _CONNECTIVES}
    seen = {w for k in kept for w in _WORD.findall(k.lower())}
    return bool(words) and len(words - seen) >= len(words) / 3


def summarize(
    backend: Backend,
    text: str,
    doc_type: str,
    fields: dict[str, FieldValue],
    *,
    max_tokens: int = MAX_TOKENS,
    cancel: threading.Event | None = None,
    on_token: Callable[[int], None] | None = None,
) -> tuple[str, str]:
    """(summary, source) where source is "model" or "template".

    A document longer than the prompt's window is read in chunks (``chunks``); at
    most ``MAX_CHUNKS`` of them are summarised (``chosen_chunks``) so a 30-page
    statement costs a few sentences, not thirty; the grounded sentences that add
    something are joined (the reduce step), the rest dropped.
    """
    picked = chosen_chunks(chunks(text), fields)
    values = [fv.value for fv in fields.values() if fv.value]
    kept: list[str] = []
    for n, (start, end) in enumerate(picked):
        def progress(tokens: int, n: int = n) -> None:
            if on_token:
                on_token((n * max_tokens + tokens) // len(picked))

        sentence = _sentence(backend, text[start:end], doc_type, max_tokens, cancel, progress)
        if sentence and grounded(sentence, text, values) and _adds(sentence, kept):
            kept.append(sentence)
    source = "model" if kept else "template"
    if not kept:
        kept.append(template_summary(doc_type, fields, language(text), text))
    if (quote := gist(text, doc_type)) and _adds(quote, kept):
        kept.append(quote)
    return " ".join(kept), source
