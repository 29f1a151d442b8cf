"""A small deterministic ``Backend`` for tests that are not about the model.

Registered through ``strongroom.model.register`` — the registry the
``strongroom.backends`` entry points feed — the way Simon Willison's ``llm``
registers its ``MockModel`` in its tests' conftest. The ``fake_backend`` fixture
(tests/conftest.py) hands out a loaded instance and makes it the backend that
``backend_class("auto")`` picks for the test, so the CLI and the window reach it
by the same path they reach llama.cpp.

What it does, so a test can reason about it:

- Tokens are whitespace-led words (``\\s*\\S+``), a trailing run of whitespace is
  one more token; ids are stable hashes.
- ``generate`` streams ``reply`` word by word: a fixed string, or a function of
  the prompt (default: the seven words before the prompt's last word, then a
  full stop and a newline). It honours ``max_tokens`` (finish "length"),
  ``stop`` (text cut before the stop string, finish "stop"), ``cancel``
  (``Cancelled`` before the next token) and ``Choice`` (the first option whose
  text occurs in the prompt, else the first option, streamed verbatim).
  ``Grammar`` is refused (no ``supports_gbnf``), as llama.cpp refuses unknown ones.
- ``score`` gives each continuation token -0.5 when its word occurs in the prefix,
  else -3.0 (natural-log-like, always <= 0, longer is less likely).
- ``hidden_states`` gives one ``hidden_size`` vector per token, seeded by the
  token's text: the width of Gemma 3 270M, so the shipped read-out applies.
- Every call is recorded in ``calls`` (``("generate", prompt, max_tokens)``,
  ``("score", prefix, continuations)``, ``("hidden_states", text)``).
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from strongroom.errors import Cancelled, ModelError
from strongroom.model import Backend, Choice, Chunk, Constraint, HiddenStates

_TOKEN = re.compile(r"\s*\S+|\s+")


def pieces(text: str) -> list[re.Match[str]]:
    """The fake's tokens of ``text``, with their places."""
    return list(_TOKEN.finditer(text))


def echo(prompt: str) -> str:
    """The default reply: the seven words before the prompt's last one."""
    words = prompt.split()[-8:-1]
    return (" " + " ".join(words) + ".\n") if words else " .\n"


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled


class FakeBackend(Backend):
    name = "fake"
    supports_hidden_states = True
    hidden_size: ClassVar[int] = 640  # Gemma 3 270M's width

    def __init__(self, *, n_ctx: int = 4096, reply: str | Callable[[str], str] = echo) -> None:
        self._n_ctx = n_ctx
        self.reply = reply
        self.calls: list[tuple[Any, ...]] = []
        self.closed = False
        self._last_prompt: list[int] = []

    @classmethod
    def _load(cls, model_path: Path, **options: Any) -> FakeBackend:
        return cls(n_ctx=int(options.get("n_ctx", 4096)))

    @property
    def n_ctx(self) -> int:
        return self._n_ctx

    def tokenize(self, text: str) -> list[int]:
        return [zlib.crc32(m.group().encode()) % 262_144 for m in pieces(text)]

    def _fits(self, text: str) -> list[int]:
        tokens = self.tokenize(text)
        if len(tokens) > self._n_ctx:
            raise ModelError("The text is too long for the model's context window.")
        return tokens

    def generate(
        self,
        prompt: str,
        *,
        max_tokens: int,
        constraint: Constraint | None = None,
        stop: Sequence[str] = (),
        cancel: threading.Event | None = None,
    ) -> Iterator[Chunk]:
        if isinstance(constraint, Choice):
            reply = next((o for o in constraint.options if o in prompt), constraint.options[0])
        elif constraint is not None:
            raise ModelError(f"{self.name} cannot apply constraint {type(constraint).__name__}")
        else:
            reply = self.reply(prompt) if callable(self.reply) else self.reply
        self.calls.append(("generate", prompt, max_tokens))
        tokens = self._fits(prompt)
        cached = 0
        for a, b in zip(self._last_prompt, tokens[:-1], strict=False):
            if a != b:
                break
            cached += 1
        self._last_prompt = tokens
        max_tokens = min(max_tokens, self._n_ctx - len(tokens))
        text, emitted, n_gen, finish = "", 0, 0, "length"
        for m in pieces(reply):
            if n_gen >= max_tokens:
                break
            _check(cancel)
            n_gen += 1
            text += m.group()
            cut = min((i for s in stop if (i := text.find(s, emitted)) >= 0), default=-1)
            if cut >= 0:
                text, finish = text[:cut], "stop"
            if len(text) > emitted:
                yield Chunk(text[emitted:], len(tokens) - cached, cached, n_gen, 0.0, 0.0)
                emitted = len(text)
            if finish == "stop":
                break
        else:
            finish = "stop"  # the reply ended: the model's end of sequence
        yield Chunk("", len(tokens) - cached, cached, n_gen, 0.0, 0.0, finish)

    def score(
        self,
        prefix: str,
        continuations: Sequence[str],
        *,
        cancel: threading.Event | None = None,
    ) -> list[float]:
        self.calls.append(("score", prefix, tuple(continuations)))
        self._fits(prefix)
        seen = {w.lower() for w in prefix.split()}
        out = []
        for c in continuations:
            _check(cancel)
            out.append(sum(-0.5 if m.group().strip().lower() in seen else -3.0
                           for m in pieces(c)))
        return out

    def hidden_states(self, text: str, *, cancel: threading.Event | None = None
                      ) -> HiddenStates:
        self.calls.append(("hidden_states", text))
        self._fits(text)
        spans, rows = [], []
        for m in pieces(text):
            _check(cancel)
            spans.append(m.span())
            rng = np.random.default_rng(zlib.crc32(m.group().strip().encode()))
            rows.append(rng.standard_normal(self.hidden_size).astype(np.float32) * 0.1)
        vectors = np.stack(rows) if rows else np.zeros((0, self.hidden_size), np.float32)
        return HiddenStates(spans, vectors)

    def close(self) -> None:
        self.closed = True
