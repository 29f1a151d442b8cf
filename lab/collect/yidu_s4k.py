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

import argparse
import json
import re
import subprocess
from pathlib import Path
from typing import Any

COLLECTION = "yidu_s4k"
COMMIT = "f924a9e1117d14572cd1ea13e2e62538101328b4"
FOLDER = "open_ner_data/yidu-s4k"
BATCHES = {
    "part1": "subtask1_training_part1.txt",
    "part2": "subtask1_training_part2.txt",
    "test": "subtask1_test_set_with_answer.json",
}
NEAR_DUPLICATE = 0.9  # Jaccard of character 5-grams at or above which a record is dropped


def git_show(mirror: Path, path: str) -> bytes:
    return subprocess.run(  # noqa: S603 (git, fixed arguments)
        ["git", f"--git-dir={mirror}", "show", f"{COMMIT}:{path}"],  # noqa: S607
        check=True,
        capture_output=True,
    ).stdout


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


def near_duplicate(a: set[str], b: set[str]) -> bool:
    if min(len(a), len(b)) < NEAR_DUPLICATE * max(len(a), len(b)):
        return False  # the sizes alone keep the Jaccard below the threshold
    return len(a & b) >= NEAR_DUPLICATE * len(a | b)


def documents(mirror: Path) -> list[dict[str, object]]:
    docs: list[dict[str, object]] = []
    kept: list[set[str]] = []
    for batch, name in BATCHES.items():
        records = parse_records(git_show(mirror, f"{FOLDER}/{name}").decode("utf-8"))
        for number, record in enumerate(records, 1):
            text = clean(record["originalText"])
            grams = shingles(text)
            if not text or any(near_duplicate(grams, other) for other in kept):
                continue
            kept.append(grams)
            diagnosis = first_entity(record, "疾病和诊断")
            found = diagnosis and "".join(diagnosis.split()) in "".join(text.split())
            gold = {"diagnosis": diagnosis} if found else {}
            docs.append(
                {
                    "id": f"{COLLECTION}/{batch}-{number}",
                    "collection": COLLECTION,
                    "source": f"{COLLECTION}:{batch}",
                    "doc_type": "clinical_note",
                    "lang": "zh",
                    "text": text,
                    "gold": gold,
                }
            )
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path(f".corpus/{COLLECTION}.jsonl"))
    args = parser.parse_args()
    docs = documents(args.mirror)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"{len(docs)} documents -> {args.out}")


if __name__ == "__main__":
    main()
