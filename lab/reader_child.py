"""What reading in a child process costs (issue 22), for docs/MEASUREMENTS.md.

    python -m lab.reader_child [FILE ...]

Prints the child's start cost (spawn, imports, first small read), the median
per-file time of each file read in-process and in the warm child, and the peak
RSS of this process and of the child on a 4 GiB PDF decompression bomb built
in memory (``tests.helpers.documents.make_pdf_bomb``). Without files, it
reads the shipped samples. Times are for comparison within one run only.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

from strongroom.errors import ReadError
from strongroom.reading import read_path
from strongroom.reading.sandbox import Sandbox
from strongroom.resources import path as resource_path

RUNS = 5


def _median_seconds(read: object, path: Path) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        read(path)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(
        p for p in Path(str(resource_path("samples"))).iterdir() if p.is_file())
    starts = []
    for _ in range(RUNS):
        with Sandbox() as box:
            start = time.perf_counter()
            box.read_bytes("start.txt", b"start")
            starts.append(time.perf_counter() - start)
    print(f"child start + first read: median {statistics.median(starts):.3f} s "
          f"(min {min(starts):.3f}, max {max(starts):.3f}) over {RUNS}")
    print(f"{'file':<40}{'bytes':>10}{'in-process s':>14}{'child s':>10}{'overhead s':>12}")
    with Sandbox() as box:
        box.read_bytes("warm.txt", b"warm")
        for path in files:
            here = _median_seconds(read_path, path)
            there = _median_seconds(box.read_path, path)
            print(f"{path.name[:39]:<40}{path.stat().st_size:>10}{here:>14.4f}{there:>10.4f}"
                  f"{there - here:>12.4f}")
    from tests.helpers.documents import make_pdf_bomb  # here: spawned children import this module

    print(f"parent peak RSS before the bomb: {_rss_mb(resource.RUSAGE_SELF):.0f} MB")
    bomb = make_pdf_bomb(4096)
    with Sandbox() as box:
        start = time.perf_counter()
        try:
            box.read_bytes("bomb.pdf", bomb)
            outcome = "read (!)"
        except ReadError as exc:
            outcome = str(exc)
        took = time.perf_counter() - start
    print(f"PDF bomb ({len(bomb) / 1e6:.1f} MB -> 4 GiB): {outcome!r} after {took:.2f} s")
    print(f"peak RSS: parent {_rss_mb(resource.RUSAGE_SELF):.0f} MB, "
          f"largest child {_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
