"""The one small interface every inference backend implements, and their registry.

Shaped after Simon Willison's ``llm`` (one main method, capabilities as class
attributes, unknown options refused) and mlx-lm's ``GenerationResponse``
(every streamed chunk carries its counts and timings, so benchmarks come free).

The core never imports a backend: built-ins and plugins register through the
``strongroom.backends`` entry-point group (or ``register`` in tests).
"""

from __future__ import annotations

import platform
import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar

from .errors import ModelError

ENTRY_POINT_GROUP = "strongroom.backends"


@dataclass(frozen=True)
class Chunk:
    """One streamed piece of a generation, with running counts and timings."""

    text: str
    prompt_tokens: int  # prompt tokens evaluated for this call (cache hits excluded)
    prompt_cached: int  # prompt tokens reused from the KV cache
    generation_tokens: int  # generated so far, this chunk included
    prompt_seconds: float
    generation_seconds: float
    finish_reason: str | None = None  # None while streaming, then "stop" or "length"


class Constraint:
    """What a generation may produce. Each backend translates it to its own terms:
    GBNF for llama.cpp, a ``(tokens, logits) -> logits`` processor for MLX."""


@dataclass(frozen=True)
class Choice(Constraint):
    """Exactly one of ``options``, verbatim."""

    options: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.options or any(not o for o in self.options):
            raise ValueError("Choice needs at least one non-empty option")


@dataclass(frozen=True)
class Grammar(Constraint):
    """A GBNF grammar (backends with ``supports_gbnf``)."""

    gbnf: str


@dataclass(frozen=True)
class HiddenStates:
    """The model's last-layer state at every token of a text: ``vectors[i]`` belongs
    to the token printed at ``text[spans[i][0]:spans[i][1]]``."""

    spans: list[tuple[int, int]]
    vectors: Any  # numpy array, one row per span


class Backend(ABC):
    """A loaded local model. One instance is used from one thread at a time."""

    name: ClassVar[str]
    #: Accepts ``Grammar`` constraints (``Choice`` is always supported).
    supports_gbnf: ClassVar[bool] = False
    #: Implements ``hidden_states``.
    supports_hidden_states: ClassVar[bool] = False
    #: Option names ``load`` accepts, beyond the model path.
    options: ClassVar[frozenset[str]] = frozenset({"n_ctx", "threads"})
    #: Optional, for ``strongroom bench``: the engine's stock path on the same prompts,
    #: ``(model_path, prompts, *, max_tokens, stop) -> (prompt tokens, prompt s,
    #: generated tokens, generation s)``.
    raw_baseline: ClassVar[Callable[..., tuple[int, float, int, float]] | None] = None

    @classmethod
    def load(cls, model_path: Path, **options: Any) -> Backend:
        unknown = set(options) - cls.options
        if unknown:
            raise ModelError(f"Unknown option(s) for {cls.name}: {', '.join(sorted(unknown))}")
        path = Path(model_path)
        # Only ever an existing local file: engines download from a hub when handed a name.
        if not path.is_file():
            raise ModelError(f"Model file not found: {path}")
        return cls._load(path, **options)

    @classmethod
    @abstractmethod
    def _load(cls, model_path: Path, **options: Any) -> Backend: ...

    @property
    @abstractmethod
    def n_ctx(self) -> int:
        """Context window in tokens."""

    @abstractmethod
    def tokenize(self, text: str) -> list[int]:
        """Token ids of ``text`` (no BOS)."""

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text))

    @abstractmethod
    def generate(
        self,
        prompt: str,
        *,
        max_tokens: int,
        constraint: Constraint | None = None,
        stop: Sequence[str] = (),
        cancel: threading.Event | None = None,
    ) -> Iterator[Chunk]:
        """Greedy generation, streamed. Reuses the KV cache of a shared prompt prefix.
        Raises ``Cancelled`` soon after ``cancel`` is set."""

    @abstractmethod
    def score(
        self,
        prefix: str,
        continuations: Sequence[str],
        *,
        cancel: threading.Event | None = None,
    ) -> list[float]:
        """Log-likelihood (natural log, summed over tokens) of each continuation after
        ``prefix``. The prefix is evaluated once, without logits except its last."""

    def hidden_states(self, text: str, *, cancel: threading.Event | None = None
                      ) -> HiddenStates:
        """One pass over ``text`` without logits; the state at every token
        (``supports_hidden_states``). ``text`` must fit the context window."""
        raise NotImplementedError(f"{self.name} does not expose hidden states")

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the model."""


_registry: dict[str, type[Backend]] = {}


def register(cls: type[Backend]) -> type[Backend]:
    """Make a backend class available by its ``name`` (usable as a decorator)."""
    _registry[cls.name] = cls
    return cls


def _discover() -> None:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name not in _registry:
            try:
                register(ep.load())
            except ImportError:  # e.g. mlx on a machine without it
                continue


def available() -> list[str]:
    _discover()
    return sorted(_registry)


def backend_class(name: str = "auto") -> type[Backend]:
    _discover()
    if name == "auto":
        apple_silicon = sys.platform == "darwin" and platform.machine() == "arm64"
        order = ["mlx", "llama.cpp"] if apple_silicon else ["llama.cpp"]
        for candidate in order:
            if candidate in _registry:
                return _registry[candidate]
        raise ModelError("No inference backend is installed (expected llama-cpp-python).")
    try:
        return _registry[name]
    except KeyError:
        raise ModelError(
            f"Unknown backend {name!r}; available: {', '.join(available()) or 'none'}"
        ) from None
