"""``strongroom bench --search``: search latency at 10,000 documents (issue 13: p95 < 50 ms).

A throwaway vault in a temp dir is filled through ``Vault.add_document`` (one
transaction per document, as the app writes them, so the index has the segments
a real vault would) with synthetic documents of 1-2 KB: Zipf-distributed made-up
words, amounts, dates, a merchant and a type. Then ~200 varied queries run through
``Vault.search``: common and rare words, several words, short prefixes, numbers,
hostile text, with and without type/date filters, and filters alone.
Not a test: figures vary with the machine; this prints them.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from ..reading.base import Document
from ..understanding.result import Extraction, FieldValue
from ..vault import Vault, keys

TYPES = ("receipt", "invoice", "bank_statement", "medical", "letter", "payslip")
MERCHANTS = ("Harbour Dental", "Northwind Power", "Corner Pharmacy", "City Bank",
             "Green Grocers", "Metro Transit", "Lakeside Clinic", "Acme Insurance")
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "shi", "ven", "dor", "pel", "qua", "zin",
              "bra", "tor", "ell", "um", "ix", "an", "fo", "gre")


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _document(rng: random.Random, i: int, vocab: list[str],
              weights: list[float]) -> tuple[Document, Extraction]:
    doc_type, merchant = rng.choice(TYPES), rng.choice(MERCHANTS)
    date = f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    amount = f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}"
    target = rng.randint(1000, 2000)
    parts = [merchant, f"Date: {date}", f"Reference R{i:06d}"]
    size = sum(len(p) + 1 for p in parts)
    while size < target:
        line = " ".join(rng.choices(vocab, weights, k=rng.randint(6, 14)))
        if rng.random() < 0.2:
            line += f" {rng.randint(1, 999)}.{rng.randint(0, 99):02d} EUR"
        parts.append(line)
        size += len(line) + 1
    parts.append(f"Total {amount} EUR")
    text = "\n".join(parts)
    fields = {
        "merchant": FieldValue(merchant, merchant, (0, len(merchant))),
        "date": FieldValue(date, date, (text.index(date), text.index(date) + len(date))),
        "total": FieldValue(amount, amount,
                            (text.rindex(amount), text.rindex(amount) + len(amount))),
    }
    name = f"{merchant.lower().replace(' ', '-')}-{date}-{i}.txt"
    return (Document(name=name, kind="text", text=text, data=text.encode(), page_starts=(0,)),
            Extraction(doc_type, f"A {doc_type.replace('_', ' ')} from {merchant}.",
                       fields=fields, doc_date=date))


def _queries(rng: random.Random, vocab: list[str], n: int = 200) -> list[dict[str, str]]:
    common, rare = vocab[:50], vocab[-2000:]
    makers = [
        lambda: {"query": rng.choice(common)},
        lambda: {"query": rng.choice(rare)},
        lambda: {"query": f"{rng.choice(common)} {rng.choice(vocab)}"},
        lambda: {"query": " ".join(rng.sample(vocab, 3))},
        lambda: {"query": rng.choice(vocab)[:2]},  # a short prefix: many matches
        lambda: {"query": rng.choice(vocab)[:4]},
        lambda: {"query": rng.choice(MERCHANTS).split()[0]},
        lambda: {"query": f"{rng.randint(1, 999)}"},
        lambda: {"query": f"R{rng.randint(0, 9999):06d}"},
        lambda: {"query": rng.choice(['"quoted', "a:b", "NEAR OR", "*", "x AND (y"])},
        lambda: {"query": rng.choice(common), "doc_type": rng.choice(TYPES)},
        lambda: {"query": rng.choice(vocab)[:3], "date_from": f"{rng.randint(2015, 2025)}"},
        lambda: {"query": "", "doc_type": rng.choice(TYPES), "date_from": "2020",
                 "date_to": "2021-06"},
    ]
    return [makers[i % len(makers)]() for i in range(n)]


def run_search_bench(n_docs: int = 10_000, n_queries: int = 200, seed: int = 13) -> int:
    rng = random.Random(seed)  # noqa: S311 - synthetic text, reproducible on purpose
    vocab = _vocabulary(rng)
    weights = [1.0 / (rank + 1) for rank in range(len(vocab))]  # Zipf
    # The passphrase is throwaway and the vault is deleted: cheap Argon2id, no calibration.
    keys.ARGON2_MEMORY_KIB, keys.ARGON2_TIME_COST, keys.ARGON2_CALIBRATE = 8 * 1024, 1, False
    with tempfile.TemporaryDirectory(prefix="strongroom-bench-") as tmp:
        vault = Vault.create(Path(tmp) / "vault", passphrase="bench only, thrown away")  # noqa: S106
        with vault:
            # Only for this throwaway vault: no fsync per document, or filling takes minutes.
            vault._conn.execute("PRAGMA synchronous = OFF")
            start = time.perf_counter()
            total_bytes = 0
            for i in range(n_docs):
                doc, extraction = _document(rng, i, vocab, weights)
                total_bytes += len(doc.data)
                vault.add_document(doc, extraction)
            fill = time.perf_counter() - start
            size = (Path(tmp) / "vault" / "vault.db").stat().st_size
            queries = _queries(rng, vocab, n_queries)
            for q in queries[:10]:  # warm the page cache as a session in use would be
                vault.search(**q)  # type: ignore[arg-type]
            times, hits = [], []
            for q in queries:
                t0 = time.perf_counter()
                rows = vault.search(**q)  # type: ignore[arg-type]
                times.append((time.perf_counter() - t0) * 1000)
                hits.append(len(rows))
    cuts = statistics.quantiles(times, n=100)
    p50, p95 = statistics.median(times), cuts[94]
    print(f"documents: {n_docs} ({total_bytes / n_docs / 1024:.1f} KiB of text on average), "
          f"filled in {fill:.1f} s; vault.db {size / 1e6:.1f} MB")
    print(f"queries: {len(times)} (limit 200 rows; median {statistics.median(hits):.0f} rows, "
          f"max {max(hits)})")
    print(f"search latency: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(times):.1f} ms "
          f"(target p95 < 50 ms: {'met' if p95 < 50 else 'NOT met'})")
    return 0 if p95 < 50 else 1
