"""Fuzz every reader in-process with mutated files (issue 22): each outcome is a
sound ``Document`` or a ``ReadError`` in the readers' own words; no other
exception, no hang (Hypothesis's ``deadline`` per file). The same files through
the real reader's child are in tests/e2e/reading/test_fuzz_sandbox.py.

Bounded: ``MAX_EXAMPLES`` files, about 10 s here. A failure prints its seed;
``STRONGROOM_FUZZ_SEED=<n>`` runs the same files again.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, given, seed, settings

from strongroom.reading import limits, read_bytes
from tests.helpers.fuzz import check_outcome, fuzz_seed, mutated_files, seed_reported, seeds

MAX_EXAMPLES = 300
SEED = fuzz_seed()


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
    # No OCR here: a PDF page that lost its text would be rendered and read by the
    # OCR engine (seconds a page), which sees pixels, not the mutated bytes. The
    # child's fuzz (tests/e2e/reading/test_fuzz_sandbox.py) runs it.
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
