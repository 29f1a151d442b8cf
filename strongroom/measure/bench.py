"""``strongroom bench``: the pipeline against raw llama.cpp, in one run.

Runs the bundled sample documents through the real pipeline (no vault),
recording every generation the pipeline asks for, then replays the same
prompts through the backend's ``raw_baseline`` (for llama.cpp: a fresh
``llama_cpp.Llama`` and its stock completion path, no cache reuse). Prints
per-document latency, prompt and generation tokens per second for both,
their ratio, and peak memory (RSS) of the pipeline.
"""

from __future__ import annotations

import resource
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..jobs import Processor
from ..model import Backend, Chunk, Constraint, backend_class
from ..resources import path as resource_path
from ..understanding.pipeline import Understander
from ..understanding.summary import MAX_TOKENS


class Recorder(Backend):
    """Wraps a backend and keeps the counts of every call (benchmarks only)."""

    name = "recorder"

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.prompts: list[str] = []
        self.finals: list[Chunk] = []
        self.score_seconds = 0.0

    @classmethod
    def _load(cls, model_path: Path, **options: Any) -> Backend:
        raise NotImplementedError

    @property
    def n_ctx(self) -> int:
        return self.inner.n_ctx

    def tokenize(self, text: str) -> list[int]:
        return self.inner.tokenize(text)

    def score(self, prefix: str, continuations: Sequence[str], *,
              cancel: threading.Event | None = None) -> list[float]:
        t = time.perf_counter()
        try:
            return self.inner.score(prefix, continuations, cancel=cancel)
        finally:
            self.score_seconds += time.perf_counter() - t

    def generate(self, prompt: str, *, max_tokens: int, constraint: Constraint | None = None,
                 stop: Sequence[str] = (), cancel: threading.Event | None = None
                 ) -> Iterator[Chunk]:
        self.prompts.append(prompt)
        last = None
        for chunk in self.inner.generate(prompt, max_tokens=max_tokens, constraint=constraint,
                                         stop=stop, cancel=cancel):
            last = chunk
            yield chunk
        if last is not None:
            self.finals.append(last)


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_bench(model_path: Path, backend: str, samples: Path | None) -> int:
    folder = samples or resource_path("samples")
    files = sorted(p for p in folder.iterdir() if p.is_file())
    print(f"Strongroom bench: {len(files)} documents from {folder}")
    print(f"model: {model_path.name}  backend: {backend}")
    t = time.perf_counter()
    recorder = Recorder(backend_class(backend).load(model_path))
    load_s = time.perf_counter() - t
    understand = Understander(lambda: recorder)
    print(f"model load: {load_s:.2f} s")
    print(f"{'document':<24}{'type':<16}{'latency s':>10}  summary")
    latencies = []
    t_prev = time.perf_counter()
    for r in Processor(understand).run_all(files):
        now = time.perf_counter()
        latencies.append(now - t_prev)
        t_prev = now
        if not r.ok or r.extraction is None:
            print(f"{r.path.name:<24}failed: {r.error}")
            continue
        ex = r.extraction
        print(f"{r.path.name:<24}{ex.doc_type:<16}{latencies[-1]:>10.2f}  {ex.summary_source}")
    latencies.sort()
    print(f"latency: median {latencies[len(latencies) // 2]:.2f} s, "
          f"max {latencies[-1]:.2f} s (the first fills the few-shot cache)")
    peak = _peak_rss_mb()
    gen_tok = sum(c.generation_tokens for c in recorder.finals)
    gen_s = sum(c.generation_seconds for c in recorder.finals)
    pr_tok = sum(c.prompt_tokens for c in recorder.finals)
    cached = sum(c.prompt_cached for c in recorder.finals)
    pr_s = sum(c.prompt_seconds for c in recorder.finals)
    baseline = type(recorder.inner).raw_baseline
    if baseline is None:
        print(f"peak RSS: {peak:.0f} MB; backend {backend} has no raw baseline to compare")
        return 0
    raw = baseline(model_path, recorder.prompts, max_tokens=MAX_TOKENS, stop=["\n"])
    pipe_gen = gen_tok / gen_s if gen_s else 0.0
    raw_gen = raw[2] / raw[3] if raw[3] else 0.0
    print()
    print(f"pipeline prompt: {pr_tok} tokens evaluated in {pr_s:.2f} s "
          f"({pr_tok / pr_s if pr_s else 0:.0f} tok/s), {cached} reused from the KV cache")
    print(f"pipeline generation: {gen_tok} tokens in {gen_s:.2f} s ({pipe_gen:.1f} tok/s)")
    if recorder.score_seconds:  # the router types documents without the model (issue 12)
        print(f"pipeline scoring: {recorder.score_seconds:.2f} s")
    print(f"raw llama.cpp prompt: {raw[0]} tokens in {raw[1]:.2f} s "
          f"({raw[0] / raw[1] if raw[1] else 0:.0f} tok/s)")
    print(f"raw llama.cpp generation: {raw[2]} tokens in {raw[3]:.2f} s ({raw_gen:.1f} tok/s)")
    if raw_gen:
        print(f"generation speed ratio pipeline/raw: {pipe_gen / raw_gen:.2f}")
    print(f"peak RSS (pipeline, before the raw baseline loads): {peak:.0f} MB")
    return 0
