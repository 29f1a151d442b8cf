"""Fuzz the readers through the real reader's child (issue 22): a mutated file that
crashed or hung a reader would come back as a classified ``ReadError``
(``READER_CRASHED``, ``READER_MEMORY``, ``READER_TIMEOUT``), never as a bug or an
exception here, and the child answers as the readers do in-process.

Fewer files (30) than the in-process fuzz (tests/unit/reading/test_fuzz_readers.py):
each crosses a pipe, a child killed by a limit is restarted, and here a PDF page
that lost its text and every image that still decodes (the PNG, JPEG and TIFF seeds)
are read by the real OCR (seconds a page). Time and memory
are bounded by the child's limits. A failure prints its seed;
``STRONGROOM_FUZZ_SEED=<n>`` runs the same files again.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, seed, settings

from strongroom.reading import messages, read_bytes
from strongroom.reading.sandbox import Sandbox
from tests.helpers.fuzz import check_outcome, fuzz_seed, mutated_files, seed_reported

MAX_EXAMPLES = 30
SEED = fuzz_seed()
#: What only the child can answer: a limit met, or a reader that died.
CHILD_ONLY = {messages.READER_CRASHED, messages.READER_MEMORY, messages.READER_TIMEOUT}


def test_mutated_files_through_the_child_are_read_or_refused_in_words():
    tally: Counter[str] = Counter()
    with Sandbox(in_process=False, cpu_seconds=20, wall_seconds=30) as box:

        @seed(SEED)
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, print_blob=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(mutated_files())
        def read_one(file: tuple[str, bytes]) -> None:
            name, blob = file
            outcome = check_outcome(box.read_bytes, name, blob)
            tally[outcome] += 1
            if outcome in CHILD_ONLY:
                return
            # the child survived it, so it is safe to read here too
            assert check_outcome(read_bytes, name, blob) == outcome, "child and readers differ"
            if outcome == "ok":
                assert box.read_bytes(name, blob) == read_bytes(name, blob)

        with seed_reported(SEED):
            read_one()
    assert tally["ok"] > 0 and sum(tally.values()) >= MAX_EXAMPLES, tally
