"""llama.cpp backend, on llama-cpp-python.

Reads top to bottom: loading, tokens, the KV-cache bookkeeping shared by
scoring and generation, then ``score`` and ``generate``.

Cost model (measured on a 2-core CPU with Gemma 3 270M, 262k vocabulary):
logits at every position cost ~4x the rest of a forward pass, so prompts are
evaluated with logits only at the last position of each batch, and scoring
asks for logits only at the continuation's own positions. The KV cache keeps
the longest shared prompt prefix between calls (few-shot header, the document
itself), which cuts evaluated tokens by more than an order of magnitude.
"""

from __future__ import annotations

import codecs
import os

# Must be set before the OpenMP runtime loads with llama.cpp: the default
# spin-wait keeps a core busy between batches and starves the window. Passive
# alone (libgomp: spin count 0) halves generation on 2 cores, though: every
# barrier inside a token becomes a futex sleep and wake (measured here: 44.5 ->
# 24.4 tok/s). A short spin (libgomp's GOMP_SPINCOUNT, which overrides the
# policy's 0) keeps 44 tok/s and still burns no CPU once the model is idle.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("GOMP_SPINCOUNT", "10000")

import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import llama_cpp  # noqa: E402
import numpy as np  # noqa: E402
from llama_cpp.llama_grammar import LlamaGrammar  # noqa: E402

from strongroom.errors import Cancelled, ModelError  # noqa: E402
from strongroom.model import (  # noqa: E402
    Backend,
    Choice,
    Chunk,
    Constraint,
    Grammar,
    HiddenStates,
)

N_BATCH = 256  # prompt chunk: also how often a long prompt checks for cancel
EMBED_CTX = 1024  # hidden states are read for a document's head only


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled


def _gbnf_literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def choice_grammar(options: Sequence[str]) -> str:
    return "root ::= " + " | ".join(_gbnf_literal(o) for o in options) + "\n"


class LlamaCppBackend(Backend):
    name = "llama.cpp"
    supports_gbnf = True
    supports_hidden_states = True

    def __init__(self, llm: llama_cpp.Llama, threads: int = 1) -> None:
        self._llm = llm
        self._n_vocab = llm.n_vocab()
        self._threads = threads
        self._states: _StatesContext | None = None

    # -- loading ------------------------------------------------------------
    @classmethod
    def _load(cls, model_path: Path, **options: Any) -> LlamaCppBackend:
        threads = int(options.get("threads") or os.cpu_count() or 1)
        try:
            # The constructor (never from_pretrained) only opens a local file.
            llm = llama_cpp.Llama(
                model_path=str(model_path),
                n_ctx=int(options.get("n_ctx") or 4096),
                n_batch=N_BATCH,
                n_threads=threads,
                n_threads_batch=threads,
                logits_all=False,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"The model file could not be loaded ({exc}).") from None
        return cls(llm, threads)

    @property
    def n_ctx(self) -> int:
        return int(self._llm.n_ctx())

    def close(self) -> None:
        if self._states is not None:
            self._states.close()
            self._states = None
        self._llm.close()

    # -- hidden states ------------------------------------------------------
    def hidden_states(self, text: str, *, cancel: threading.Event | None = None
                      ) -> HiddenStates:
        """The last layer's state per token, from a second context on the same loaded
        weights (made on first use), so the generation context's KV cache is left
        as it was."""
        if self._states is None:
            self._states = _StatesContext(self._llm, self._threads)
        _check(cancel)
        raw = text.encode("utf-8")
        tokens = self._llm.tokenize(raw, add_bos=True, special=False)
        if len(tokens) > EMBED_CTX:
            raise ModelError("The text is too long for the model's context window.")
        # Byte offsets of each token's piece, then characters.
        char_at = [i for i, ch in enumerate(text) for _ in ch.encode("utf-8")] + [len(text)]
        spans: list[tuple[int, int]] = []
        at = 0
        for t in tokens:
            if t == self._llm.token_bos():
                continue
            piece = self._llm.detokenize([t])
            spans.append((char_at[at], char_at[min(at + len(piece), len(raw))]))
            at += len(piece)
        vectors = self._states.read(tokens)
        if len(vectors) == len(spans) + 1:  # the BOS row
            vectors = vectors[1:]
        if len(vectors) != len(spans):
            raise ModelError("hidden states and tokens disagree")
        return HiddenStates(spans, vectors)

    # -- tokens -------------------------------------------------------------
    def tokenize(self, text: str) -> list[int]:
        return list(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _prompt_tokens(self, text: str) -> list[int]:
        tokens = list(self._llm.tokenize(text.encode("utf-8"), add_bos=True, special=False))
        if len(tokens) >= self.n_ctx:
            raise ModelError("The text is too long for the model's context window.")
        return tokens

    # -- KV cache -----------------------------------------------------------
    def _truncate(self, n: int) -> None:
        """Keep the first ``n`` evaluated tokens, drop the rest from the KV cache."""
        llm = self._llm
        llm._ctx.kv_cache_seq_rm(-1, n, -1)
        llm.n_tokens = n
        llm._requires_eval = True  # the last logits no longer match the cache

    def _prefill(self, tokens: Sequence[int], cancel: threading.Event | None) -> int:
        """Make the KV cache hold exactly ``tokens``, reusing the longest cached
        prefix and evaluating the rest in cancellable chunks without logits
        (llama.cpp computes one row per chunk). Returns tokens evaluated."""
        llm = self._llm
        cached = llm.input_ids[: llm.n_tokens]
        common = 0
        for a, b in zip(cached, tokens, strict=False):
            if a != b:
                break
            common += 1
        self._truncate(common)
        todo = list(tokens[common:])
        for i in range(0, len(todo), N_BATCH):
            _check(cancel)
            batch = todo[i : i + N_BATCH]
            n_past = llm.n_tokens
            llm._batch.set_batch(batch=batch, n_past=n_past, logits_all=False)
            llm._ctx.decode(llm._batch)
            llm.input_ids[n_past : n_past + len(batch)] = batch
            llm.n_tokens += len(batch)
        return len(todo)

    # -- scoring ------------------------------------------------------------
    def score(
        self,
        prefix: str,
        continuations: Sequence[str],
        *,
        cancel: threading.Event | None = None,
    ) -> list[float]:
        llm = self._llm
        prefix_tokens = self._prompt_tokens(prefix)
        # Cache all but the prefix's last token: each continuation is decoded
        # as [last prefix token, continuation...], logits at exactly those rows.
        self._prefill(prefix_tokens[:-1], cancel)
        base = llm.n_tokens
        scores: list[float] = []
        for text in continuations:
            _check(cancel)
            cont = self.tokenize(text)
            if not cont:
                scores.append(0.0)
                continue
            if base + len(cont) >= self.n_ctx:
                raise ModelError("The text is too long for the model's context window.")
            batch = [prefix_tokens[-1], *cont[:-1]]
            llm._batch.set_batch(batch=batch, n_past=base, logits_all=True)
            llm._ctx.decode(llm._batch)
            rows = np.ctypeslib.as_array(
                llm._ctx.get_logits(), shape=(len(batch) * self._n_vocab,)
            ).reshape(len(batch), self._n_vocab)
            top = rows.max(axis=1, keepdims=True)
            logz = top[:, 0] + np.log(np.exp(rows - top).sum(axis=1))
            picked = rows[np.arange(len(cont)), cont]
            scores.append(float((picked - logz).sum()))
            llm._ctx.kv_cache_seq_rm(-1, base, -1)
        self._truncate(base)
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
        llm = self._llm
        grammar = None
        if isinstance(constraint, Choice):
            grammar = LlamaGrammar.from_string(
                choice_grammar(constraint.options), verbose=False
            )
        elif isinstance(constraint, Grammar):
            grammar = LlamaGrammar.from_string(constraint.gbnf, verbose=False)
        elif constraint is not None:
            raise ModelError(f"{self.name} cannot apply constraint {type(constraint).__name__}")

        tokens = self._prompt_tokens(prompt)
        max_tokens = min(max_tokens, self.n_ctx - len(tokens))
        t0 = time.perf_counter()
        cached_before = self._cached_prefix(tokens)
        # Everything but the last prompt token here, cancellably; llama-cpp's own
        # generate() then finds that prefix cached and decodes one token.
        evaluated = self._prefill(tokens[:-1], cancel) + 1
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        text, emitted, n_gen = "", 0, 0
        t_first: float | None = None
        finish = "length"
        eos = llm.token_eos()
        for token in llm.generate(tokens, temp=0.0, repeat_penalty=1.0, grammar=grammar):
            if t_first is None:
                t_first = time.perf_counter()
            if token == eos:
                finish = "stop"
                break
            n_gen += 1
            text += decoder.decode(llm.detokenize([token]))
            cut = min((i for s in stop if (i := text.find(s, emitted)) >= 0), default=-1)
            if cut >= 0:
                text, finish = text[:cut], "stop"
            now = time.perf_counter()
            if len(text) > emitted:
                yield Chunk(text[emitted:], evaluated, cached_before, n_gen,
                            t_first - t0, now - t_first)
                emitted = len(text)
            if finish == "stop" or n_gen >= max_tokens:
                break
            if grammar is not None and self._grammar_done(text, constraint):
                finish = "stop"
                break
            _check(cancel)
        now = time.perf_counter()
        t_first = t_first or now
        yield Chunk("", evaluated, cached_before, n_gen, t_first - t0, now - t_first, finish)

    def _cached_prefix(self, tokens: Sequence[int]) -> int:
        llm = self._llm
        n = 0
        for a, b in zip(llm.input_ids[: llm.n_tokens], tokens[:-1], strict=False):
            if a != b:
                break
            n += 1
        return n

    @staticmethod
    def _grammar_done(text: str, constraint: Constraint | None) -> bool:
        # A Choice is complete once the text is one option and no longer option
        # extends it; llama.cpp would otherwise wait for an end-of-sequence token.
        if not isinstance(constraint, Choice):
            return False
        return text in constraint.options and not any(
            o != text and o.startswith(text) for o in constraint.options
        )

    # -- benchmark baseline ----------------------------------------------------
    @staticmethod
    def raw_baseline(model_path: Path, prompts: Sequence[str], *, max_tokens: int,
                     stop: Sequence[str]) -> tuple[int, float, int, float]:
        """Stock llama-cpp-python on ``prompts``, for ``strongroom bench`` to compare:
        (prompt tokens, prompt s, generated tokens, generation s); the first token's
        time counts as prompt time. A fresh model, reset before each prompt."""
        threads = os.cpu_count() or 1
        llm = llama_cpp.Llama(model_path=str(model_path), n_ctx=4096, n_threads=threads,
                              n_threads_batch=threads, verbose=False)
        p_tok = g_tok = 0
        p_s = g_s = 0.0
        try:
            for prompt in prompts:
                llm.reset()
                t0 = time.perf_counter()
                first: float | None = None
                n = 0
                for _ in llm.create_completion(prompt, max_tokens=max_tokens, temperature=0.0,
                                               repeat_penalty=1.0, stop=list(stop), stream=True):
                    n += 1
                    first = first or time.perf_counter()
                end = time.perf_counter()
                p_tok += len(llm.tokenize(prompt.encode("utf-8")))
                p_s += (first or end) - t0
                g_tok += max(0, n - 1)
                g_s += end - (first or end)
        finally:
            llm.close()
        return p_tok, p_s, g_tok, g_s


def _ggml_get_name() -> Any:
    """ggml's ``ggml_get_name`` from the library llama-cpp-python loaded, or None."""
    import ctypes

    lib_dir = Path(llama_cpp.__file__).parent / "lib"
    for pattern in ("libggml-base.so*", "libggml-base.dylib", "ggml-base.dll"):
        for found in sorted(lib_dir.glob(pattern)):
            try:
                fn = ctypes.CDLL(str(found)).ggml_get_name
            except (OSError, AttributeError):
                continue
            fn.restype, fn.argtypes = ctypes.c_char_p, [ctypes.c_void_p]
            return fn
    return None


class _StatesContext:
    """A context over the generation context's own model (no second load) that
    returns every token's last-layer state (embeddings on, pooling none).

    llama.cpp still multiplies every token's state by the 262k-row output matrix,
    which is most of the cost here. Its scheduler asks a callback, node by node,
    whether to hand a result over; this one asks for the pooled-embeddings node,
    the last before the logits, and then says stop, so the logits are never
    computed (measured: 2.0x faster, the same states to the last bit; a test
    compares them with a full pass). If a llama.cpp names its nodes otherwise, the
    callback never matches and the pass is only slower.
    """

    STOP_AFTER = (b"result_embd_pooled", b"result_norm")

    def __init__(self, llm: llama_cpp.Llama, threads: int, *, skip_logits: bool = True
                 ) -> None:
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = params.n_batch = params.n_ubatch = EMBED_CTX
        params.n_seq_max = 1
        params.n_threads = params.n_threads_batch = threads
        params.embeddings = True
        params.flash_attn_type = llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
        params.pooling_type = llama_cpp.LLAMA_POOLING_TYPE_NONE
        get_name = _ggml_get_name() if skip_logits else None
        self._callback, self.stops = None, 0  # stops: passes cut short, for the tests
        if get_name is not None:
            stop = self.STOP_AFTER

            def on_node(tensor: int, ask: bool, _user: int) -> bool:
                # ask: "do you want this node?"; then, once it is computed: "go on?"
                if not ask:
                    self.stops += 1
                    return False
                return get_name(tensor) in stop

            callback = llama_cpp.ggml_backend_sched_eval_callback(on_node)
            self._callback = callback  # kept alive as long as the context
            params.cb_eval = callback
        self._n_embd = llm.n_embd()
        # llama.cpp's own C API (llama-cpp-python's wrappers are private to it)
        self._ctx = llama_cpp.llama_init_from_model(llm.model, params)
        if not self._ctx:
            raise ModelError("The model could not make a context for its states.")
        self._batch = llama_cpp.llama_batch_init(EMBED_CTX, 0, 1)

    def read(self, tokens: Sequence[int]) -> np.ndarray:
        llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(self._ctx), True)
        batch, n = self._batch, len(tokens)
        for i, token in enumerate(tokens):
            batch.token[i], batch.pos[i] = token, i
            batch.n_seq_id[i], batch.seq_id[i][0] = 1, 0
            batch.logits[i] = True  # an output row: its state is wanted
        batch.n_tokens = n
        if llama_cpp.llama_decode(self._ctx, batch) != 0:
            raise ModelError("The model could not read the text's states.")
        ptr = llama_cpp.llama_get_embeddings(self._ctx)
        return np.ctypeslib.as_array(ptr, shape=(n, self._n_embd)).astype(np.float32, copy=True)

    def close(self) -> None:
        if self._ctx:
            llama_cpp.llama_batch_free(self._batch)
            llama_cpp.llama_free(self._ctx)
            self._ctx = None
