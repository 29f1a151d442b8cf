"""Scan files for canary strings, the way an attacker with the disk would."""

from __future__ import annotations

import os
from pathlib import Path


def encodings(canary: str) -> list[bytes]:
    return [canary.encode("utf-8"), canary.encode("utf-16-le"), canary.upper().encode()]


def scan(roots: list[Path], canary: str) -> tuple[list[Path], int]:
    """(files containing the canary in any common encoding, files scanned)."""
    needles = encodings(canary)
    hits, scanned = [], 0
    for root in roots:
        if not root.exists():
            continue
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                path = Path(dirpath) / name
                scanned += 1
                if any(n in name.encode() for n in needles):
                    hits.append(path)
                    continue
                try:
                    data = path.read_bytes()
                except OSError:
                    continue
                if any(n in data for n in needles):
                    hits.append(path)
    return hits, scanned
