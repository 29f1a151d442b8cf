"""The fake backend keeps the ``Backend`` contract the pipeline relies on, so a test
that runs on it tests the code around the model and not the fake's shortcuts."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from strongroom import model
from strongroom.errors import Cancelled, ModelError
from strongroom.model import Choice, Grammar
from tests.helpers.fake_backend import FakeBackend


def text_of(chunks: list[model.Chunk]) -> str:
    return "".join(c.text for c in chunks)


def test_it_streams_the_reply_with_running_counts_and_a_finish() -> None:
    b = FakeBackend(reply=" Three little words.\nNot this.")
    chunks = list(b.generate("Summary:", max_tokens=10, stop=["\n"]))
    assert text_of(chunks) == " Three little words."
    assert [c.generation_tokens for c in chunks] == [1, 2, 3, 4]  # the last has no text
    assert [c.finish_reason for c in chunks] == [None, None, None, "stop"]
    assert chunks[-1].text == ""


def test_max_tokens_cuts_the_reply_and_says_length() -> None:
    b = FakeBackend(reply=" one two three four")
    chunks = list(b.generate("p", max_tokens=2))
    assert text_of(chunks) == " one two" and chunks[-1].finish_reason == "length"
    assert text_of(list(b.generate("p", max_tokens=9))) == " one two three four"


def test_the_default_reply_is_made_from_the_prompt() -> None:
    b = FakeBackend()
    prompt = "Document:\nApples 2.40\nTotal 7.25\nType: receipt\nSummary:"
    assert text_of(list(b.generate(prompt, max_tokens=48, stop=["\n"]))) == (
        " Document: Apples 2.40 Total 7.25 Type: receipt.")
    assert b.calls == [("generate", prompt, 48)]


def test_cancel_stops_before_the_next_token() -> None:
    cancel = threading.Event()
    stream = FakeBackend(reply=" a b c").generate("p", max_tokens=9, cancel=cancel)
    assert next(stream).text == " a"
    cancel.set()
    with pytest.raises(Cancelled):
        next(stream)


def test_a_choice_is_one_of_its_options_verbatim() -> None:
    b = FakeBackend()
    assert text_of(list(b.generate("a lab report", max_tokens=9,
                                   constraint=Choice(("receipt", "lab report"))))) == "lab report"
    assert text_of(list(b.generate("nothing", max_tokens=9,
                                   constraint=Choice(("receipt", "lab report"))))) == "receipt"
    with pytest.raises(ModelError, match="cannot apply constraint Grammar"):
        list(b.generate("p", max_tokens=1, constraint=Grammar('root ::= "x"')))


def test_the_shared_prompt_prefix_is_cached() -> None:
    b = FakeBackend(reply=" x")
    first = list(b.generate("one two three", max_tokens=1))[-1]
    again = list(b.generate("one two four", max_tokens=1))[-1]
    assert (first.prompt_tokens, first.prompt_cached) == (3, 0)
    assert (again.prompt_tokens, again.prompt_cached) == (1, 2)


def test_score_tokenize_and_hidden_states() -> None:
    b = FakeBackend(n_ctx=8)
    assert b.count_tokens("a b  c\n") == 4 and b.tokenize("a b") == b.tokenize("a b")
    near, far = b.score("Total 7.25", [" Total", " Subtotal"])
    assert near > far and near <= 0
    text = "Corner Shop\n12 High St"
    hs = b.hidden_states(text)
    assert "".join(text[a:z] for a, z in hs.spans) == text
    assert hs.vectors.shape == (len(hs.spans), FakeBackend.hidden_size)
    assert (b.hidden_states(text).vectors == hs.vectors).all()  # deterministic
    with pytest.raises(ModelError, match="too long"):
        b.score(" ".join("w" * 9), [" x"])


def test_the_fixture_registers_it_where_auto_looks(fake_backend: FakeBackend,
                                                   fake_model: Path) -> None:
    assert model.backend_class("auto").name == "fake"
    assert model.backend_class("fake").load(fake_model, n_ctx=64) is fake_backend
    assert "fake" in model.available()
    assert fake_backend.calls == [("load", fake_model, {"n_ctx": 64})]


def test_the_registry_is_itself_again_after_the_fixture() -> None:
    assert "fake" not in model.available()
