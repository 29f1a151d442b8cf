"""Learned weights shipped as data: one JSON file each, with a checksum of the weights.

The ranker (``resources/chooser/``) and the router (``resources/router/``) are both
stored this way. The checksum catches a damaged or hand-edited file before any of
its numbers are used; retraining in CI must reproduce it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def checksum(weights: Any) -> str:
    return hashlib.sha256(json.dumps(weights, sort_keys=True).encode()).hexdigest()


def save(weights: Any, path: Path, about: dict[str, Any], *, compact: bool = False) -> None:
    """Write ``about``, the weights and their checksum (``compact``: no indentation)."""
    data = {**about, "sha256": checksum(weights), "weights": weights}
    layout: dict[str, Any] = {"separators": (",", ":")} if compact else {"indent": 1}
    path.write_text(json.dumps(data, sort_keys=True, **layout) + "\n", encoding="utf-8")


def read(path: Path, what: str) -> Any:
    """The weights in ``path``; ``ValueError`` naming ``what`` if they fail their checksum."""
    data = json.loads(path.read_text(encoding="utf-8"))
    weights = data["weights"]
    if checksum(weights) != data["sha256"]:
        raise ValueError(f"{what} {path.name} fail their checksum")
    return weights
