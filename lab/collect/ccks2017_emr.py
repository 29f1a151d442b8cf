r"""CCKS 2017 task 2 Chinese electronic medical records, as discharge summaries.

Reads liuhuanyong/MedicalNamedEntityRecognition at COMMIT: data_origin.zip, which holds
for each record N four sections (一般项目, 病史特点, 诊疗经过, 出院情况), each as
<section>-N.txtoriginal.txt (the text) and <section>-N.txt (entity spans: text, start,
end, category). A record's sections, joined under their headings, make one
discharge_summary. The records name no hospital: one source.
Gold: diagnosis, the first 疾病和诊断 span in section order.

    python -m lab.collect.ccks2017_emr \
        --mirror /work/.mirror/liuhuanyong+MedicalNamedEntityRecognition/repo
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lab.collect import mirror_text as mt

COLLECTION = "ccks2017_emr"
COMMIT = "3975b805d5f7734b0425706acd1111848312889e"
SECTIONS = ("一般项目", "病史特点", "诊疗经过", "出院情况")
NAME = re.compile(r"data_origin/(?P<section>[^/]+)/(?P=section)-(?P<number>\d+)\.txtoriginal\.txt$")


def first_label(labels: str, category: str) -> str | None:
    """The first span of a category in a label file (lines: text, start, end, category)."""
    spans = []
    for line in labels.splitlines():
        parts = line.strip().split("\t")
        if len(parts) == 4 and parts[3] == category:
            spans.append((int(parts[1]), parts[0]))
    return min(spans)[1] if spans else None


def assemble(sections: dict[str, str]) -> str:
    return "\n\n".join(
        f"{name}：\n{sections[name].strip()}" for name in SECTIONS if sections.get(name, "").strip()
    )


def documents(mirror: Path) -> list[mt.Row]:
    archive = zipfile.ZipFile(io.BytesIO(mt.read_blob(mirror, COMMIT, "data_origin.zip")))
    records: dict[int, dict[str, tuple[str, str]]] = {}
    for name in archive.namelist():
        match = NAME.match(name)
        if match and match["section"] in SECTIONS:
            labels = name.replace(".txtoriginal.txt", ".txt")
            label_text = (
                archive.read(labels).decode("utf-8") if labels in archive.namelist() else ""
            )
            records.setdefault(int(match["number"]), {})[match["section"]] = (
                archive.read(name).decode("utf-8"),
                label_text,
            )
    docs: list[mt.Row] = []
    seen: set[str] = set()
    for number in sorted(records):
        parts = records[number]
        text = assemble({section: body for section, (body, _) in parts.items()})
        if not text or "".join(text.split()) in seen:
            continue
        seen.add("".join(text.split()))
        labelled = (first_label(parts[s][1], "疾病和诊断") for s in SECTIONS if s in parts)
        diagnosis = next((d for d in labelled if d), None)
        gold = {"diagnosis": diagnosis} if diagnosis and diagnosis in text else {}
        docs.append(mt.row(COLLECTION, str(number), "all", "discharge_summary", "zh", text, gold))
    return docs


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, documents, __doc__))
