"""What reading in a child process costs (issue 22), for docs/MEASUREMENTS.md.

    python -m lab.reader_child [FILE ...]
    python -m lab.reader_child --xlsx ROWS


Prints the child's start cost (spawn, imports, first small read), the median
per-file time of each file read in-process and in the warm child, and the peak
RSS of this process and of the child on a 4 GiB PDF decompression bomb built
in memory (``tests.helpers.documents.make_pdf_bomb``). Without files, it
reads the shipped samples. Times are for comparison within one run only.

With ``--ocr [IMAGE ...]``: pages a second for a 100-page text PDF, seconds a photo
(the images given, else drawn ones) and a second per 200-dpi scanned A4 page (a drawn
page in an image-only PDF), each in a warm child, with the parent's and the child's
peak RSS after the largest image and a 1.6-gigapixel PNG bomb.

With ``--xlsx ROWS``: a bank export of ROWS transactions written as an Excel workbook
(date, text, amount, running balance), read in-process and in a fresh child, with the
child's peak RSS against a one-row workbook's, and the balance check's time on its text.
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


def _export(rows: int) -> bytes:
    from datetime import datetime, timedelta

    from tests.helpers.documents import make_xlsx

    table: list[list[object]] = [["Buchungstag", "Verwendungszweck", "Betrag", "Saldo"]]
    balance = 1000.0
    for i in range(rows):
        amount = [-45.2, 2500.0, -850.0, -12.99, -3.5][i % 5]
        balance = round(balance + amount, 2)
        table.append([datetime(2024, 1, 1) + timedelta(hours=i), f"Zahlung {i} REWE Markt",
                      amount, balance])
    formats = {("Umsätze", r, c): "#,##0.00" for r in range(2, rows + 2) for c in (3, 4)}
    return make_xlsx({"Umsätze": table}, formats=formats)


def xlsx(rows: int) -> int:
    from strongroom.reading import read_bytes
    from strongroom.understanding import statement

    small, big = _export(1), _export(rows)
    with Sandbox() as box:
        box.read_bytes("small.xlsx", small)
    baseline = _rss_mb(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    text = read_bytes("big.xlsx", big).text
    here = time.perf_counter() - start
    with Sandbox() as box:
        box.read_bytes("warm.xlsx", small)
        start = time.perf_counter()
        there = box.read_bytes("big.xlsx", big).text
        child = time.perf_counter() - start
    assert there == text
    start = time.perf_counter()
    verdict = list(statement.balance_check(text, statement.ground(text)))
    check = time.perf_counter() - start
    print(f"{rows}-row XLSX: {len(big) / 1e6:.2f} MB, {len(text) / 1e6:.2f} M chars; "
          f"read in-process {here:.2f} s, in the child {child:.2f} s")
    print(f"child peak RSS: one-row workbook {baseline:.0f} MB, {rows} rows "
          f"{_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    print(f"balance check on its text: {check:.2f} s, "
          f"{'adds up' if verdict and verdict[0][0] else verdict}")
    return 0


def ocr(images: list[Path]) -> int:
    from tests.helpers.documents import make_pdf
    from tests.helpers.scans import draw, encode, image_pdf, photo, png_bomb

    lines = [f"Line {i}: Sourdough loaf {i}.20   Oat milk 1L   TOTAL {i}.05" for i in range(40)]
    page, _ = draw(lines, width=1654, size=28)  # A4 at 200 dpi is 1654 x 2339
    scan = image_pdf([page, page, page])
    text_pdf = make_pdf([f"Page {i}\n" + "\n".join(lines) for i in range(100)])
    photos = [(p.name, p.read_bytes()) for p in images] or [
        (f"drawn{i}.jpg", encode(photo(draw(lines[:25], width=900)[0], seed=i), "JPEG"))
        for i in range(3)]
    with Sandbox() as box:
        box.read_bytes("warm.png", encode(draw(["warm"])[0], "PNG"))  # the engine loaded
        start = time.perf_counter()
        box.read_bytes("text.pdf", text_pdf)
        pages_per_s = 100 / (time.perf_counter() - start)
        start = time.perf_counter()
        box.read_bytes("scan.pdf", scan)
        per_page = (time.perf_counter() - start) / 3
        times = []
        for name, data in photos:
            start = time.perf_counter()
            box.read_bytes(name, data)
            times.append(time.perf_counter() - start)
        try:
            box.read_bytes("bomb.png", png_bomb(40_000, 40_000))
        except ReadError as exc:
            bomb = str(exc)
    print(f"text PDF: {pages_per_s:.0f} pages/s; scanned A4 page at 200 dpi: {per_page:.2f} s; "
          f"photos ({len(times)}): median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s; PNG bomb: {bomb!r}")
    print(f"peak RSS: parent {_rss_mb(resource.RUSAGE_SELF):.0f} MB, "
          f"child {_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--xlsx"]:
        return xlsx(int(argv[1]))
    if argv[:1] == ["--ocr"]:
        return ocr([Path(a) for a in argv[1:]])
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
