"""Document type by the model's likelihood of each type word after the document.

The pretrained model prefers short, common words whatever the document, so
each label's score is calibrated by subtracting its score after an empty
document (Zhao et al. 2021, "Calibrate before use"). The prior is computed
once per loaded model. Half the prior, not all of it: measured on our 8 typed
samples and 42 dev receipts, weight 0 gave 7/8 and 35/42, weight 1 gave 7/8
and 20/42 (receipts printed "TAX INVOICE" go to invoice), 0.5 gave 8/8 and
27/42. A learned router replaces this (issue 12).
"""

from __future__ import annotations

import threading

from strongroom.model import Backend

from .prompting import TYPE_WORDS, document_block
from .schema import DOC_TYPES

CALIBRATION = 0.5


def label_scores(backend: Backend, text: str, cancel: threading.Event | None = None
                 ) -> list[float]:
    """Log-likelihood of each type word (in ``DOC_TYPES`` order) after ``text``."""
    labels = [" " + TYPE_WORDS[t] for t in DOC_TYPES]
    return backend.score(document_block(text), labels, cancel=cancel)


def classify(backend: Backend, text: str, prior: list[float], *,
             cancel: threading.Event | None = None) -> tuple[str, dict[str, float]]:
    """(doc_type, calibrated score per type); ``prior`` is ``label_scores(backend, "")``."""
    raw = label_scores(backend, text, cancel)
    calibrated = {t: s - CALIBRATION * p for t, s, p in zip(DOC_TYPES, raw, prior, strict=True)}
    return max(calibrated, key=lambda t: calibrated[t]), calibrated
