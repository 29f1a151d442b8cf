"""ACI-BENCH clinical notes (English), written from doctor-patient visits.

Reads wyim/aci-bench at COMMIT: data/challenge_data/<split>.csv (dataset, encounter_id,
dialogue, note) and <split>_metadata.csv (patient and doctor names). Each encounter's
note is one clinical_note; its source is the sub-dataset (aci, virtassist, virtscribe).
Gold: the patient's and the doctor's names from the metadata (lower case there), as the
note prints them, only where it does.

    python -m lab.collect.aci_bench --mirror /work/.mirror/wyim+aci-bench/repo
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from lab.collect import mirror_text as mt

COLLECTION = "aci_bench"
COMMIT = "b909b2bb9cf1d19de08df15cddde7bd0179665e4"
SPLITS = (
    "train",
    "valid",
    "clinicalnlp_taskB_test1",
    "clinicalnlp_taskC_test2",
    "clef_taskC_test3",
)


def read_csv(data: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data)))


def squash(text: str) -> str:
    return " ".join(text.split())


def verbatim(value: str, text: str) -> str | None:
    """The value as the text prints it (whole words, any case, any whitespace), else None."""
    words = value.split()
    if not words:
        return None
    pattern = r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b"
    match = re.search(pattern, text, re.IGNORECASE)
    return squash(match.group()) if match else None


def gold_for(note: str, meta: dict[str, str]) -> dict[str, str]:
    patient = (
        f"{meta.get('patient_firstname', '').strip()} {meta.get('patient_familyname', '').strip()}"
    )
    gold = {
        "patient": verbatim(patient, note) if patient.strip() else None,
        "clinician": verbatim(meta.get("doctor_name", ""), note),
    }
    return {k: v for k, v in gold.items() if v}


def documents(mirror: Path) -> list[mt.Row]:
    docs: list[mt.Row] = []
    seen: set[str] = set()
    for split in SPLITS:
        notes, metadata = (f"data/challenge_data/{split}{end}.csv" for end in ("", "_metadata"))
        blobs = mt.read_blobs(mirror, COMMIT, [notes, metadata])
        rows = read_csv(blobs[notes].decode("utf-8"))
        meta = {m["encounter_id"]: m for m in read_csv(blobs[metadata].decode("utf-8"))}
        for row in rows:
            note, enc = row["note"].strip(), row["encounter_id"]
            if not note or enc in seen or squash(note) in seen:
                continue
            seen.update((enc, squash(note)))
            gold = gold_for(note, meta.get(enc, {}))
            docs.append(mt.row(COLLECTION, enc, row["dataset"], "clinical_note", "en", note, gold))
    return docs


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, documents, __doc__))
