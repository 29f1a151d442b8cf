"""Yidu-S4K (CCKS 2019 task 1) Chinese hospital records, as clinical notes.

Reads GuocaiL/nlp_corpus at COMMIT: open_ner_data/yidu-s4k/ subtask1_training_part1.txt,
subtask1_training_part2.txt and subtask1_test_set_with_answer.json, one JSON record a
line ({"originalText", "entities": [{"label_type", "start_pos", "end_pos"}]}). Every
record is the history of present illness (现病史) of an admission record, so each is a
clinical_note. The records name no hospital: the source is the release batch (file).
Gold: diagnosis, the first 疾病和诊断 span of the record.

    python -m lab.collect.yidu_s4k --mirror /work/.mirror/GuocaiL+nlp_corpus/repo
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from lab.collect import mirror_text as mt

COLLECTION = "yidu_s4k"
COMMIT = "f924a9e1117d14572cd1ea13e2e62538101328b4"
FOLDER = "open_ner_data/yidu-s4k"
BATCHES = {
    "part1": "subtask1_training_part1.txt",
    "part2": "subtask1_training_part2.txt",
    "test": "subtask1_test_set_with_answer.json",
}


def parse_records(data: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.lstrip("\ufeff").splitlines() if line.strip()]


def first_entity(record: dict[str, Any], label: str) -> str | None:
    spans = sorted(
        (e["start_pos"], e["end_pos"]) for e in record["entities"] if e["label_type"] == label
    )
    if not spans:
        return None
    start, end = spans[0]
    return str(record["originalText"][start:end]).strip() or None


def clean(text: str) -> str:
    """The record as a file would hold it: the escaped paragraph mark as a line break,
    no leading comma left by the sentence split."""
    text = text.replace("\\U0004", "\n").replace("\x04", "\n")
    text = re.sub(r"[ \t\u3000]*\n[ \t\u3000]*", "\n", text)
    return text.strip().lstrip("，,").strip()


def shingles(text: str, n: int = 5) -> set[str]:
    text = "".join(text.split())
    return {text[i : i + n] for i in range(max(1, len(text) - n + 1))}


def documents(mirror: Path) -> list[mt.Row]:
    docs: list[mt.Row] = []
    kept: list[set[str]] = []
    for batch, name in BATCHES.items():
        records = parse_records(mt.read_blob(mirror, COMMIT, f"{FOLDER}/{name}").decode("utf-8"))
        for number, record in enumerate(records, 1):
            text = clean(record["originalText"])
            grams = shingles(text)
            if not text or any(mt.similar(grams, other) for other in kept):
                continue
            kept.append(grams)
            diagnosis = first_entity(record, "疾病和诊断")
            gold = {"diagnosis": diagnosis}  # mt.row keeps it only where the text prints it
            docs.append(mt.row(COLLECTION, f"{batch}-{number}", batch, "clinical_note", "zh", text,
                               gold))
    return docs


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, documents, __doc__))
