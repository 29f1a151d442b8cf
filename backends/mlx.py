"""MLX backend, on mlx-lm's ``gemma3_text`` model (Metal on Apple silicon, CPU elsewhere).

Loads only an existing local folder made by ``mlx_convert.converted_model`` from
the bundled GGUF (config.json, model.safetensors, tokenizer.json); never a hub
name, and never through mlx-lm's ``load`` (which resolves names on the hub). The
tokenizer is the ``tokenizers`` object the converter built from the GGUF's own
vocabulary, so token ids equal llama.cpp's.

Greedy generation keeps one KV cache across calls and reuses the longest shared
prompt prefix, as the llama.cpp backend does. ``hidden_states`` reads the
model's last (normed) layer from a fresh pass without the output matrix.
"""

from __future__ import annotations

import codecs
import json
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import mlx.core as mx
import numpy as np
from mlx_lm.models import gemma3_text
from mlx_lm.models.cache import RotatingKVCache

from strongroom.errors import Cancelled, ModelError
from strongroom.model import Backend, Choice, Chunk, Constraint, HiddenStates

N_BATCH = 256  # prompt chunk: also how often a long prompt checks for cancel
EMBED_CTX = 1024  # as llama.cpp's states context


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled


class MLXBackend(Backend):
    name = "mlx"
    supports_gbnf = False
    supports_hidden_states = True

    def __init__(self, model: Any, tokenizer: Any, config: dict[str, Any], n_ctx: int) -> None:
        self._model = model
        self._tok = tokenizer
        self._n_ctx = n_ctx
        self._bos = int(config["bos_token_id"])
        self._eos = int(config["eos_token_id"])
        self._cache: list[Any] | None = None
        self._cached: list[int] = []  # tokens the KV cache holds
        self._pieces: list[bytes] | None = None

    # -- loading ------------------------------------------------------------
    @classmethod
    def load(cls, model_path: Path, **options: Any) -> Backend:
        unknown = set(options) - cls.options
        if unknown:
            raise ModelError(f"Unknown option(s) for {cls.name}: {', '.join(sorted(unknown))}")
        path = Path(model_path)
        # Only ever an existing local folder: a name would be looked up on a hub.
        if not (path.is_dir() and (path / "config.json").is_file()
                and (path / "model.safetensors").is_file()
                and (path / "tokenizer.json").is_file()):
            raise ModelError(f"MLX model folder not found: {path}")
        return cls._load(path, **options)

    @classmethod
    def _load(cls, model_path: Path, **options: Any) -> MLXBackend:
        from tokenizers import Tokenizer

        try:
            config = json.loads((model_path / "config.json").read_text())
            args = gemma3_text.ModelArgs.from_dict(config)
            model = gemma3_text.Model(args)
            weights = model.sanitize(mx.load(str(model_path / "model.safetensors")))
            model.load_weights(list(weights.items()))
            mx.eval(model.parameters())
            tokenizer = Tokenizer.from_file(str(model_path / "tokenizer.json"))
        except (ValueError, OSError, KeyError, TypeError, RuntimeError) as exc:
            raise ModelError(f"The MLX model could not be loaded ({type(exc).__name__}).") \
                from None
        n_ctx = int(options.get("n_ctx") or 4096)
        return cls(model, tokenizer, config, n_ctx)

    @property
    def n_ctx(self) -> int:
        return self._n_ctx

    def close(self) -> None:
        self._cache, self._cached = None, []

    # -- tokens -------------------------------------------------------------
    def tokenize(self, text: str) -> list[int]:
        return list(self._tok.encode(text, add_special_tokens=False).ids)

    def _prompt_tokens(self, text: str) -> list[int]:
        tokens = [self._bos, *self.tokenize(text)]
        if len(tokens) >= self.n_ctx:
            raise ModelError("The text is too long for the model's context window.")
        return tokens

    def _piece(self, token: int) -> bytes:
        """The bytes a token prints (as llama.cpp's ``detokenize([token])``)."""
        if self._pieces is None:
            self._pieces = [b""] * self._tok.get_vocab_size()
            for piece, i in self._tok.get_vocab().items():
                if piece.startswith("<0x") and piece.endswith(">") and len(piece) == 6:
                    self._pieces[i] = bytes([int(piece[3:5], 16)])
                else:
                    self._pieces[i] = piece.replace("\u2581", " ").encode("utf-8")
        return self._pieces[token]

    # -- KV cache -----------------------------------------------------------
    def _new_cache(self) -> list[Any]:
        return list(self._model.make_cache())

    def _prefill(self, tokens: Sequence[int], cancel: threading.Event | None) -> int:
        """Make the KV cache hold exactly ``tokens``; returns tokens evaluated.

        A cached prefix is reused when the cache can be cut back to it (the sliding
        layers' rotating caches can only while they have not wrapped)."""
        common = 0
        for a, b in zip(self._cached, tokens, strict=False):
            if a != b:
                break
            common += 1
        if self._cache is None or not self._trim_to(common):
            self._cache, self._cached, common = self._new_cache(), [], 0
        todo = list(tokens[common:])
        for i in range(0, len(todo), N_BATCH):
            _check(cancel)
            batch = todo[i : i + N_BATCH]
            h = self._model.model(mx.array([batch]), cache=self._cache)
            mx.eval(h, [c.state for c in self._cache])
            self._cached.extend(batch)
        return len(todo)

    def _trim_to(self, n: int) -> bool:
        assert self._cache is not None
        drop = len(self._cached) - n
        if drop == 0:
            return True
        for c in self._cache:
            if isinstance(c, RotatingKVCache) and c.offset > c.max_size:
                return False
            if not c.is_trimmable():
                return False
        for c in self._cache:
            c.trim(drop)
        del self._cached[n:]
        return True

    def _step(self, token: int) -> mx.array:
        """Feed one token through the cache; the logits of the next."""
        assert self._cache is not None
        logits: mx.array = self._model(mx.array([[token]]), cache=self._cache)[0, -1]
        self._cached.append(token)
        return logits

    # -- hidden states ------------------------------------------------------
    def hidden_states(self, text: str, *, cancel: threading.Event | None = None
                      ) -> HiddenStates:
        _check(cancel)
        raw = text.encode("utf-8")
        tokens = [self._bos, *self.tokenize(text)]
        if len(tokens) > EMBED_CTX:
            raise ModelError("The text is too long for the model's context window.")
        char_at = [i for i, ch in enumerate(text) for _ in ch.encode("utf-8")] + [len(text)]
        spans: list[tuple[int, int]] = []
        at = 0
        for t in tokens[1:]:
            piece = self._piece(t)
            spans.append((char_at[at], char_at[min(at + len(piece), len(raw))]))
            at += len(piece)
        # A fresh cache of its own: the generation cache is left as it was.
        h = self._model.model(mx.array([tokens]), cache=self._new_cache())
        vectors = np.array(h[0, 1:].astype(mx.float32))
        return HiddenStates(spans, vectors)

    # -- scoring ------------------------------------------------------------
    def score(
        self,
        prefix: str,
        continuations: Sequence[str],
        *,
        cancel: threading.Event | None = None,
    ) -> list[float]:
        prefix_tokens = self._prompt_tokens(prefix)
        self._prefill(prefix_tokens[:-1], cancel)
        base = len(self._cached)
        scores: list[float] = []
        for text in continuations:
            _check(cancel)
            cont = self.tokenize(text)
            if not cont:
                scores.append(0.0)
                continue
            if base + len(cont) >= self.n_ctx:
                raise ModelError("The text is too long for the model's context window.")
            assert self._cache is not None
            batch = [prefix_tokens[-1], *cont[:-1]]
            logits = self._model(mx.array([batch]), cache=self._cache)[0].astype(mx.float32)
            logp = logits - mx.logsumexp(logits, axis=-1, keepdims=True)
            picked = mx.take_along_axis(logp, mx.array(cont)[:, None], axis=-1)
            scores.append(float(np.asarray(picked.sum())))
            self._cached.extend(batch)
            if not self._trim_to(base):
                self._cache, self._cached = None, []
                self._prefill(prefix_tokens[:-1], cancel)
        return scores

    # -- generation ---------------------------------------------------------
    def generate(
        self,
        prompt: str,
        *,
        max_tokens: int,
        constraint: Constraint | None = None,
        stop: Sequence[str] = (),
        cancel: threading.Event | None = None,
    ) -> Iterator[Chunk]:
        allowed: _ChoiceMask | None = None
        if isinstance(constraint, Choice):
            allowed = _ChoiceMask(self, constraint.options)
        elif constraint is not None:
            raise ModelError(f"{self.name} cannot apply constraint {type(constraint).__name__}")
        tokens = self._prompt_tokens(prompt)
        max_tokens = min(max_tokens, self.n_ctx - len(tokens))
        t0 = time.perf_counter()
        before = len(self._cached)
        evaluated = self._prefill(tokens[:-1], cancel) + 1
        cached_before = len(tokens) - evaluated
        del before
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        text, emitted, n_gen = "", 0, 0
        generated: list[int] = []
        t_first: float | None = None
        finish = "length"
        token = tokens[-1]
        while n_gen < max_tokens:
            logits = self._step(token)
            if allowed is not None:
                logits = allowed(generated, logits)
            token = int(np.asarray(mx.argmax(logits)))
            if t_first is None:
                t_first = time.perf_counter()
            if token == self._eos:
                finish = "stop"
                break
            n_gen += 1
            generated.append(token)
            text += decoder.decode(self._piece(token))
            cut = min((i for s in stop if (i := text.find(s, emitted)) >= 0), default=-1)
            if cut >= 0:
                text, finish = text[:cut], "stop"
            now = time.perf_counter()
            if len(text) > emitted:
                yield Chunk(text[emitted:], evaluated, cached_before, n_gen,
                            t_first - t0, now - t_first)
                emitted = len(text)
            if finish == "stop":
                break
            if allowed is not None and allowed.done(generated):
                finish = "stop"
                break
            _check(cancel)
        # The last sampled token was never fed: the cache holds prompt + generated[:-1].
        now = time.perf_counter()
        t_first = t_first or now
        yield Chunk("", evaluated, cached_before, n_gen, t_first - t0, now - t_first, finish)


class _ChoiceMask:
    """``Choice`` as a logits processor: only tokens that keep the generated ids a
    prefix of one option's ids (each option tokenized as the model would)."""

    def __init__(self, backend: MLXBackend, options: Sequence[str]) -> None:
        self._options = [backend.tokenize(o) for o in options]

    def _next(self, generated: Sequence[int]) -> set[int]:
        n = len(generated)
        return {ids[n] for ids in self._options
                if len(ids) > n and list(ids[:n]) == list(generated)}

    def __call__(self, generated: Sequence[int], logits: mx.array) -> mx.array:
        allowed = self._next(generated)
        if not allowed:
            return logits
        mask = np.full(logits.shape[-1], -np.inf, dtype=np.float32)
        mask[list(allowed)] = 0.0
        return logits.astype(mx.float32) + mx.array(mask)

    def done(self, generated: Sequence[int]) -> bool:
        return any(list(ids) == list(generated) for ids in self._options) and \
            not self._next(generated)
