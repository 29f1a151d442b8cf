from pathlib import Path

import pytest

from strongroom.errors import ModelError
from strongroom.model import Backend, Choice, available, backend_class, register


def test_llama_cpp_is_registered_through_its_entry_point():
    assert "llama.cpp" in available()
    assert backend_class("auto").name in ("llama.cpp", "mlx")


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(ModelError, match="Unknown backend 'nope'"):
        backend_class("nope")


def test_plugins_register_through_the_same_hook():
    @register
    class Fake(Backend):
        name = "fake-test"

        @classmethod
        def _load(cls, model_path: Path, **options):
            return cls()

        n_ctx = 8  # type: ignore[assignment]

        def tokenize(self, text):
            return list(range(len(text.split())))

        def generate(self, prompt, *, max_tokens, constraint=None, stop=(), cancel=None):
            yield from ()

        def score(self, prefix, continuations, *, cancel=None):
            return [0.0 for _ in continuations]

    assert backend_class("fake-test") is Fake
    assert Fake().count_tokens("a b c") == 3


def test_choice_needs_options():
    with pytest.raises(ValueError):
        Choice(())
