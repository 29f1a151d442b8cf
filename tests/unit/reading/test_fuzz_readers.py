"""Fuzz every reader in-process with mutated files (issue 22): each outcome is a
sound ``Document`` or a ``ReadError`` in the readers' own words; no other
exception, no hang (Hypothesis's ``deadline`` per file). The same files through
the real reader's child are in tests/e2e/reading/test_fuzz_sandbox.py.

Bounded: ``MAX_EXAMPLES`` files, about 10 s here (13 s with the image seeds at load
9). A failure prints its seed; ``STRONGROOM_FUZZ_SEED=<n>`` runs the same files again.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, seed, settings

from strongroom.reading import limits, messages, ocr, read_bytes
from tests.helpers.fuzz import check_outcome, fuzz_seed, mutated_files, seed_reported, seeds

MAX_EXAMPLES = 300
SEED = fuzz_seed()


def _engine(image: np.ndarray) -> SimpleNamespace:
    """The OCR engine's answer, without the engine: one text box over the page, its
    words' boxes, a score (RapidOCR's shape)."""
    h, w = image.shape[:2]
    quad = [[0, 0], [w, 0], [w, h], [0, h]]
    words = [("Total", 0.9, [[0, 0], [w / 2, 0], [w / 2, h], [0, h]]),
             ("12.50", 0.9, [[w / 2 + 1, 0], [w, 0], [w, h], [w / 2 + 1, h]])]
    return SimpleNamespace(boxes=[quad], txts=["Total 12.50"], scores=[0.9],
                           word_results=[words])


@pytest.fixture(autouse=True)
def _no_ocr(monkeypatch):
    """No OCR here: it sees pixels, not the mutated bytes, and takes seconds a page.
    Everything around it runs (Pillow's decoders, EXIF, the pages' pictures, the
    line layout, the quality measure); the child's fuzz
    (tests/e2e/reading/test_fuzz_sandbox.py) runs the real engine."""
    monkeypatch.setattr(ocr, "engine", lambda: _engine)


def test_the_seeds_are_the_same_bytes_every_time():
    """So a printed seed replays the same files (no dates, no random bytes in them)."""
    first = seeds()
    seeds.cache_clear()
    time.sleep(1.1)  # a clock-stamped file would differ now
    assert seeds() == first


def test_the_seeds_are_read():
    outcomes = {name: check_outcome(read_bytes, name, blob) for name, blob in seeds()}
    assert {o for n, o in outcomes.items() if n != "locked.pdf"} == {"ok"}
    assert outcomes["locked.pdf"].startswith("The PDF is password-protected.")


def test_mutated_files_are_read_or_refused_in_words(monkeypatch):
    # A PDF page that lost its text is not rendered here (pdfium's rendering of
    # mutated pages is the child's fuzz's, with the real OCR).
    monkeypatch.setattr(limits, "SCAN_MIN_CHARS", 0)
    tally: Counter[str] = Counter()

    @seed(SEED)
    @settings(max_examples=MAX_EXAMPLES, deadline=timedelta(seconds=5), database=None,
              print_blob=True, suppress_health_check=[HealthCheck.too_slow,
                                                      HealthCheck.data_too_large])
    @given(mutated_files())
    def read_one(file: tuple[str, bytes]) -> None:
        tally[check_outcome(read_bytes, *file)] += 1

    with seed_reported(SEED):
        read_one()
    # The mutations reach past the first checks: some files still read, and more
    # than one kind of refusal is met (a fuzzer stuck on one message tests little).
    assert tally["ok"] > 0
    assert len(tally) >= 5 and sum(tally.values()) >= MAX_EXAMPLES, tally
    # the images are reached too: some decode, some are refused as damaged
    assert tally[messages.IMAGE_DAMAGED] > 0, tally
