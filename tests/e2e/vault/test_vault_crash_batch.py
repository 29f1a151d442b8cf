"""Random SIGKILLs while the job queue processes a batch (issue 13).

A child runs the real queue (``jobs.Processor.run_all`` into the vault, as
``strongroom process`` does) over a batch; the parent SIGKILLs it after a random
delay, checks the vault (``helpers.crash.check_vault``), and runs the batch again
until one run finishes: the queue resumes, since documents already in the vault
are recognised by their SHA-256 and skipped. Most children run the pipeline
without the model (types from the file names, fields by the candidate finders
and the shipped ranker, template summaries: what ``strongroom eval --no-model``
measures), because a model-backed child spends ~2 s loading the model and then
~1 s per document; ``MODEL_KILLS`` children run the real model, and the real CLI
finishes their batch. At least ``RANDOM_KILLS + MODEL_KILLS`` = 100 random kills
per run; ``CRASH_SEED=N`` replays one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from strongroom.reading import read_path
from strongroom.understanding.schema import schema
from tests.conftest import PASSPHRASE
from tests.helpers.crash import (
    SEED,
    StoredDoc,
    VaultState,
    assert_consistent,
    check_vault,
    copy_vault,
    expected_doc,
    journal_state,
    make_template,
    run_child,
    seeded,
    write_batch,
)
from tests.helpers.crash_child import CodeOnly

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork are POSIX")

RANDOM_KILLS = 90  # without the model
MODEL_KILLS = 10


def code_only_expected(paths: list[Path]) -> dict[str, StoredDoc]:
    """What an uncut run leaves for each file (the pipeline without the model is
    deterministic)."""
    understand = CodeOnly()
    out = {}
    for path in paths:
        doc = read_path(path)
        extraction = understand(doc, cancel=threading.Event(), progress=lambda _f: None)
        out[doc.sha256] = expected_doc(doc, extraction)
    return out


@pytest.fixture(scope="module")
def empty_template(templates: Path) -> Path:
    return make_template(templates / "empty", [])


def test_random_kills_while_a_batch_is_processed(empty_template: Path, tmp_path: Path) -> None:
    """The job queue over batches of 24 documents, SIGKILLed after a random delay
    and re-run until each batch is complete (once ``RANDOM_KILLS`` is reached, the
    last run is left to finish). After every kill: the check, nothing the queue
    reported saved is lost, nothing saved before changed. At the end of each
    batch every document is in the vault once, exactly as an uncut run makes it."""
    rng = seeded(SEED, "random kills")
    probe = write_batch(tmp_path / "probe", rng, 24, "p")
    run = run_child("process", copy_vault(empty_template, tmp_path / "probe-vault"),
                    PASSPHRASE, probe, None)
    assert run.exitcode == 0 and len(run.saved()) == 24, run.messages
    window = next(m[1] for m in run.messages if m[0] == "elapsed") / 3  # kill in its first third
    kills, runs, batches, journals, stalled = 0, 0, 0, Counter[str](), 0
    while kills < RANDOM_KILLS:
        batches += 1
        paths = write_batch(tmp_path / f"batch{batches}", rng, 24, f"b{batches}x")
        expected = code_only_expected(paths)
        folder = copy_vault(empty_template, tmp_path / f"vault{batches}")
        before: dict[str, StoredDoc] = {}
        while True:
            runs += 1
            run = run_child("process", folder, PASSPHRASE, paths, None,
                            kill_after=rng.uniform(0, window) if kills < RANDOM_KILLS else None)
            assert not [m for m in run.messages if m[0] == "failed"], run.messages
            journals[journal_state(folder)] += run.killed
            state = check_vault(folder, PASSPHRASE)
            why = f"batch {batches}, run {runs}"
            assert_consistent(state, expected, set(before) | set(run.saved()), why)
            stalled = stalled + 1 if run.killed and len(state.docs) == len(before) else 0
            if stalled == 5:  # the machine got slower than when the probe ran
                window, stalled = window * 1.5, 0
            before = state.docs
            if not run.killed:
                break
            kills += 1
        assert run.exitcode == 0, run.exitcode
        assert state.docs == expected  # every document once (sha256 is UNIQUE), as made uncut
    print(f"{kills} random kills in {runs} runs over {batches} batches of 24 "
          f"(kill within {window * 1000:.0f} ms of the queue starting); journal left: "
          f"{dict(journals)}")


def loaded(messages: list[tuple[Any, ...]]) -> float:
    """How long the child took to load the model."""
    return float(next(m[1] for m in messages if m[0] == "loaded"))


def assert_schema_fields(state: VaultState) -> None:
    """Complete in the pipeline's sense: one field row per field of the type."""
    for doc in state.docs.values():
        assert [f[0] for f in doc.fields] == [f.name for f in schema(doc.doc_type).fields]


@pytest.mark.model
def test_random_kills_with_the_real_model(empty_template: Path, model_path: Path,
                                          tmp_path: Path) -> None:
    """The same with the real Understander (Gemma 3 270M through llama.cpp): each
    child loads the model, says it is ready, and is killed within as long again as
    the load took (about two documents: both scale with how busy the machine is),
    so these kills land in inference far more often than in a commit (the
    model-free kills cover those). Then the real CLI (``python -m
    strongroom process``) resumes the batch: what is saved is skipped as a
    duplicate, the rest is added, nothing is there twice."""
    rng = seeded(SEED, "model kills")
    batch = tmp_path / "batch"
    paths = write_batch(batch, rng, 5, "m")
    folder = copy_vault(empty_template, tmp_path / "vault")
    before: dict[str, StoredDoc] = {}
    kills, loads, journals, reach, stalled = 0, list[float](), Counter[str](), 1.0, 0
    while kills < MODEL_KILLS:
        run = run_child("process", folder, PASSPHRASE, paths, model_path,
                        kill_after=lambda messages, r=reach: rng.uniform(0, r * loaded(messages)))
        loads.append(loaded(run.messages))
        assert not [m for m in run.messages if m[0] == "failed"], run.messages
        journals[journal_state(folder)] += run.killed
        state = check_vault(folder, PASSPHRASE)
        assert_schema_fields(state)
        assert all(state.docs.get(sha) == doc for sha, doc in before.items()), "a saved doc changed"
        assert set(run.saved()) <= set(state.docs), "a document the queue saved is lost"
        stalled = stalled + 1 if run.killed and len(state.docs) == len(before) else 0
        if stalled == 2 and reach < 2:  # documents are slower than loading, here and now
            reach, stalled = reach * 1.25, 0
        before = state.docs
        if run.killed:
            kills += 1
        else:  # the batch finished before enough kills: give it more
            paths += write_batch(batch, rng, 1, f"m{len(paths)}x")
    proc = subprocess.run(
        [sys.executable, "-m", "strongroom", "process", "--data-dir", str(folder),
         "--model", str(model_path), str(batch)],
        capture_output=True, text=True, timeout=600, env={**os.environ, "STRONGROOM_LOG": "ERROR"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [line for line in proc.stdout.splitlines() if line[:1] in "=✓✗"]
    assert sum(line.startswith("= ") for line in lines) == len(before)
    assert sum(line.startswith("✓ ") for line in lines) == len(paths) - len(before)
    final = check_vault(folder, PASSPHRASE)
    assert_schema_fields(final)
    assert set(final.docs) == {read_path(p).sha256 for p in paths}
    assert all(final.docs[sha] == doc for sha, doc in before.items())
    print(f"{kills} model-backed kills; {len(before)} of {len(paths)} documents saved before the "
          f"CLI resumed; model load in a child {min(loads):.2f}-{max(loads):.2f} s; "
          f"journal left: {dict(journals)}")

