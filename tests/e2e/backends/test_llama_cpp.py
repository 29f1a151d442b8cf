"""The llama.cpp backend on the real bundled model (small max_tokens)."""

import threading
from pathlib import Path

import pytest

from strongroom.errors import Cancelled, ModelError
from strongroom.model import Choice, backend_class

pytestmark = pytest.mark.model

PREFIX = "Document:\nTOTAL 9.00\nCASH 10.00\nCHANGE 1.00\nType:"
LABELS = [" receipt", " invoice", " lab report"]


def test_score_is_deterministic_and_reuses_the_prefix(backend):
    first = backend.score(PREFIX, LABELS)
    again = backend.score(PREFIX, LABELS)  # prefix now cached
    assert first == pytest.approx(again, abs=1e-3)
    assert all(s < 0 for s in first)
    # Scoring one continuation alone agrees with scoring it among others.
    alone = backend.score(PREFIX, [" invoice"])
    assert alone[0] == pytest.approx(first[1], abs=1e-3)


def test_score_prefers_a_plausible_continuation(backend):
    good, bad = backend.score("The capital of France is", [" Paris", " banana"])
    assert good > bad


def test_generate_streams_counts_and_reuses_the_cache(backend):
    prompt = "Counting: one, two, three,"
    chunks = list(backend.generate(prompt, max_tokens=6))
    final = chunks[-1]
    assert final.finish_reason in ("stop", "length")
    assert 1 <= final.generation_tokens <= 6
    assert "".join(c.text for c in chunks).strip()
    again = list(backend.generate(prompt, max_tokens=6))[-1]
    assert again.prompt_cached >= final.prompt_tokens - 2  # the prompt came from the KV cache
    assert "".join(c.text for c in chunks) == "".join(
        c.text for c in backend.generate(prompt, max_tokens=6))  # greedy: same text


def test_choice_constraint_yields_exactly_one_option(backend):
    options = (" receipt", " invoice", " payslip")
    text = "".join(c.text for c in backend.generate(PREFIX, max_tokens=8,
                                                     constraint=Choice(options)))
    assert text in options


def test_stop_strings_end_generation(backend):
    chunks = list(backend.generate("Line one\nLine two\nLine", max_tokens=20, stop=["\n"]))
    assert "\n" not in "".join(c.text for c in chunks)


def test_cancel_stops_generation(backend):
    cancel = threading.Event()
    gen = backend.generate("Once upon a time", max_tokens=40, cancel=cancel)
    next(gen)
    cancel.set()
    with pytest.raises(Cancelled):
        list(gen)
    # The backend is still usable afterwards.
    assert backend.score(PREFIX, [" receipt"])[0] < 0


def test_cancel_before_scoring(backend):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        backend.score("A fresh prefix that is not cached yet" * 20, LABELS, cancel=cancel)


def test_only_existing_local_files_are_loaded(tmp_path: Path):
    cls = backend_class("llama.cpp")
    with pytest.raises(ModelError, match="Model file not found"):
        cls.load(Path("google/gemma-3-270m"))  # a hub name is never fetched
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a model at all" * 100)
    with pytest.raises(ModelError, match="could not be loaded"):
        cls.load(junk)
    with pytest.raises(ModelError, match="Unknown option"):
        cls.load(junk, temperature=2)
