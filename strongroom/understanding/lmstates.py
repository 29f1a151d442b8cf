"""What the language model knows about a document's first lines, for the ranker.

One pass of Gemma over the document's head (no logits) gives a 640-number state
per token; a line is summed up by the mean of its tokens' states and by the state
at its last token (which has read everything above it). A candidate span of lines
(a shop name, an address run) is described by three of those: the mean over its
lines, the state at its end, and the mean of the line after it — "this run of
lines is an address, and it ends here" is then learned from the states instead of
hand-listed. ``Stack`` turns such a vector into one number, the ``lm`` feature
the ranker weighs beside its own (issue 12; figures in docs/MEASUREMENTS.md).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from strongroom.model import Backend, HiddenStates

from .candidates import Candidate

MAX_LINES = 20  # names and addresses are near the top; the states cover this many lines


def head(text: str) -> str:
    return "\n".join(text.split("\n")[:MAX_LINES])


@dataclass(frozen=True)
class LineStates:
    """Per line of the head (numbered as ``text.split("\\n")``): mean and last state."""

    mean: Any  # numpy (lines, d)
    last: Any

    @classmethod
    def of(cls, text: str, hs: HiddenStates) -> LineStates:
        """From the states of ``head(text)``."""
        top = head(text)
        rows = top.split("\n")
        d = hs.vectors.shape[1] if len(hs.vectors) else 0
        mean = np.zeros((len(rows), d), np.float32)
        last = np.zeros((len(rows), d), np.float32)
        starts = np.cumsum([0] + [len(r) + 1 for r in rows])
        for i, row in enumerate(rows):
            s, e = int(starts[i]), int(starts[i]) + len(row)
            idx = [k for k, (a, z) in enumerate(hs.spans)
                   if z > a and a < e and z > s and top[a:z].strip()]
            if idx:
                mean[i] = hs.vectors[idx].mean(0)
                last[i] = hs.vectors[idx[-1]]
        return cls(mean, last)

    @classmethod
    def read(cls, backend: Backend, text: str, cancel: threading.Event | None = None
             ) -> LineStates | None:
        """The head's states from ``backend``, or None if it has none to give."""
        if not backend.supports_hidden_states or not text.strip():
            return None
        return cls.of(text, backend.hidden_states(head(text), cancel=cancel))

    def vector(self, c: Candidate) -> Any:
        """The candidate's description: mean over its lines, state at its end,
        mean of the next line (zeros past the head)."""
        n, d = self.mean.shape
        first = c.line
        end = first + c.text.count("\n")
        if first >= n:
            return np.zeros(3 * d, np.float32)
        end = min(end, n - 1)
        after = self.mean[end + 1] if end + 1 < n else np.zeros(d, np.float32)
        return np.concatenate([self.mean[first : end + 1].mean(0), self.last[end], after])


@dataclass(frozen=True)
class Stack:
    """A linear read-out of the states per field: ``lm = bias + vector · states``
    (a logistic regression over standardized, PCA-reduced states, folded into one
    vector when trained)."""

    bias: dict[str, float]
    vectors: dict[str, Any]  # field -> numpy (3d,)

    @classmethod
    def of(cls, data: dict[str, Any]) -> Stack:
        return cls({f: float(v["bias"]) for f, v in data.items()},
                   {f: np.asarray(v["vector"], np.float32) for f, v in data.items()})

    def score(self, field: str, states: LineStates, c: Candidate) -> float | None:
        v = self.vectors.get(field)
        if v is None:
            return None
        return float(self.bias[field] + v @ states.vector(c))
