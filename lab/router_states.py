"""Would the model's own pooled states route real documents better than hashed words?
(issue 21: "measure the model's own pooled states as router features").

    python -m lab.router_states [--per-collection 150] [--per-cell 30] [--model GGUF]

A sample of the real corpus (up to ``--per-collection`` documents of each collection,
spread over its sources) and of the synthetic documents (``--per-cell`` per type and
language) is read once by Gemma: the mean of the last layer's states over the tokens of
the document's head (``HEAD_CHARS``). The states are cached in ``.corpus/`` (git-ignored,
keyed by document id and head).

Then, leave one collection out, three routers are trained on the synthetic sample and
the *trainable* collections but the held-out one, and route every document of it:
``hashed`` (the shipped router's features and fit), ``states`` (a logistic regression
over the standardized states), and ``both`` (the mean of the two's probabilities).
"Other" is chosen as the shipped router does: only when it is at least
``router.OTHER_AT_LEAST`` sure. Prints accuracy per collection and overall.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from strongroom.understanding.router import OTHER_AT_LEAST, Router, features

from . import corpus
from .synth import generate
from .train_router import BUCKETS, GROUPS, fit_weights

HEAD_CHARS = 300
STATES_C = 0.1


def sample(docs: Sequence[corpus.Doc], per_collection: int) -> list[corpus.Doc]:
    """Up to ``per_collection`` documents of each collection, round-robin over its
    sources in a fixed (hashed) order."""
    def key(d: corpus.Doc) -> str:
        return hashlib.sha256(d.id.encode()).hexdigest()

    out: list[corpus.Doc] = []
    by_collection: dict[str, dict[str, list[corpus.Doc]]] = defaultdict(lambda: defaultdict(list))
    for d in sorted(docs, key=key):
        by_collection[d.collection][d.source].append(d)
    for sources in by_collection.values():
        queues = [sources[s] for s in sorted(sources)]
        taken = 0
        while taken < per_collection and any(queues):
            for q in queues:
                if q and taken < per_collection:
                    out.append(q.pop(0))
                    taken += 1
    return out


def pooled_states(texts: dict[str, str], model: Path | None, cache: Path) -> dict[str, Any]:
    """id -> mean last-layer state of the text's head (cached)."""
    from strongroom.model import backend_class
    from strongroom.modelfile import bundled_model
    from strongroom.paths import default_data_dir

    def digest(i: str, t: str) -> str:
        return hashlib.sha256(f"{i}\0{t[:HEAD_CHARS]}".encode()).hexdigest()[:16]

    have: dict[str, Any] = dict(np.load(cache)) if cache.is_file() else {}
    todo = [(i, t) for i, t in texts.items() if digest(i, t) not in have]
    if todo:
        path = model or bundled_model(default_data_dir())
        backend = backend_class("llama.cpp").load(path, n_ctx=2048)
        for n, (i, t) in enumerate(todo, 1):
            hs = backend.hidden_states(t[:HEAD_CHARS])
            have[digest(i, t)] = (hs.vectors.mean(0) if len(hs.vectors)
                                  else np.zeros(640)).astype(np.float32)
            if n % 100 == 0 or n == len(todo):
                print(f"states {n}/{len(todo)}", flush=True)
                np.savez(cache, **have)
        backend.close()
    return {i: have[digest(i, t)] for i, t in texts.items()}


def _pick(classes: list[str], p: Any) -> str:
    order = np.argsort(-p)
    best = classes[int(order[0])]
    if best == "other" and p[order[0]] < OTHER_AT_LEAST and len(order) > 1:
        return classes[int(order[1])]
    return best


def compare(docs: Sequence[corpus.Doc], synth: Sequence[dict[str, str]],
            states: dict[str, Any]) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    s_feats = [features(d["text"], GROUPS, BUCKETS) for d in synth]
    s_x = np.stack([states[d["id"]] for d in synth])
    s_y = [d["doc_type"] for d in synth]
    feats = [features(d.text, GROUPS, BUCKETS) for d in docs]
    x = np.stack([states[d.id] for d in docs])
    result: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for held in sorted({d.collection for d in docs}):
        train = [i for i, d in enumerate(docs)
                 if d.collection != held and d.collection in corpus.TRAINABLE]
        test = [i for i, d in enumerate(docs) if d.collection == held]
        labels = s_y + [docs[i].doc_type for i in train]
        weights = fit_weights(s_feats + [feats[i] for i in train], labels)
        hashed = Router(weights)
        classes = list(weights["classes"])
        lr = make_pipeline(StandardScaler(), LogisticRegression(C=STATES_C, max_iter=3000))
        lr.fit(np.vstack([s_x, x[train]]), labels)
        order = [list(lr.classes_).index(c) for c in classes]
        for i in test:
            _, probs = hashed.route(docs[i].text)
            p_h = np.array([probs.get(c, 0.0) for c in classes])
            p_s = lr.predict_proba(x[i : i + 1])[0][order]
            for name, p in (("hashed", p_h), ("states", p_s), ("both", (p_h + p_s) / 2)):
                cell = result[name][held]
                cell[0] += _pick(classes, p) == docs[i].doc_type
                cell[1] += 1
    return {name: {c: {"right": r, "n": n} for c, (r, n) in per.items()}
            for name, per in result.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.router_states")
    parser.add_argument("--per-collection", type=int, default=150)
    parser.add_argument("--per-cell", type=int, default=30)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None, help="the figures, as JSON")
    args = parser.parse_args(argv)
    docs = sample(corpus.load(), args.per_collection)
    synth = generate(args.per_cell, seed=1)  # not the shipped router's seed-0 documents
    texts = {d.id: d.text for d in docs} | {d["id"]: d["text"] for d in synth}
    states = pooled_states(texts, args.model, corpus.CORPUS / "router_states.npz")
    result = compare(docs, synth, states)
    print(f"{'collection':22} {'n':>5} " + " ".join(f"{k:>7}" for k in result))
    collections = sorted(result["hashed"])
    for c in collections:
        n = result["hashed"][c]["n"]
        print(f"{c:22} {n:5d} " + " ".join(
            f"{result[k][c]['right'] / n:7.3f}" for k in result))
    total = sum(result["hashed"][c]["n"] for c in collections)
    print(f"{'all (documents)':22} {total:5d} " + " ".join(
        f"{sum(v['right'] for v in result[k].values()) / total:7.3f}" for k in result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
