"""The photo-quality warning (``strongroom.reading.quality``) against what the OCR got
wrong, on real receipt photos and degraded copies of them (#22).

    python -m lab.photo_quality measure OUT.jsonl [--degrade N] [--corpus .corpus]
    python -m lab.photo_quality report OUT.jsonl [--again]        # confusion counts

``measure`` reads every photo of ``.corpus/photos_<source>.jsonl`` (SROIE,
WildReceipt, Softmatic) as the app does (Pillow, EXIF orientation, RapidOCR), keeps
what ``quality.measure`` found and the milliseconds it took, and whether each gold
field (total, date, merchant) that the clean transcription prints appears in the
OCR's text; the first ``N`` photos of each source are also read blurred, darkened,
washed out and shrunk. ``report`` counts how often the warning fires on photos read
right and on photos with a misread field. These photos are test splits: the numbers
are reported, nothing is trained on them.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

from strongroom.reading import ocr, quality

SOURCES = ("sroie", "wildreceipt", "softmatic")


def _blur(image: Image.Image) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(max(image.size) / 300))


def _dark(image: Image.Image) -> Image.Image:
    return ImageEnhance.Brightness(image).enhance(0.25)


def _faded(image: Image.Image) -> Image.Image:
    washed = ImageEnhance.Contrast(image).enhance(0.25)
    return ImageEnhance.Brightness(washed).enhance(1.3)


def _small(image: Image.Image) -> Image.Image:
    scale = 360 / max(image.size)
    return image.resize((round(image.width * scale), round(image.height * scale)),
                        Image.Resampling.BILINEAR)


DEGRADE: dict[str, Callable[[Image.Image], Image.Image]] = {
    "blur": _blur, "dark": _dark, "faded": _faded, "small": _small}


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def found(value: str, text: str) -> bool:
    """Gold ``value`` printed in ``text`` (case and spacing ignored; a total without
    its currency)."""
    bare = value.replace("RM", "").replace("$", "").replace("€", "").strip()
    return bool(bare) and _norm(bare) in _norm(text)


def _jpeg(image: Image.Image) -> Image.Image:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return Image.open(io.BytesIO(out.getvalue()))


def _read(image: Image.Image) -> tuple[str, quality.Quality, str, float]:
    from strongroom.reading.image import page_pixels

    pixels = page_pixels(image)
    page = ocr.read_page(pixels)
    assert page.quality is not None
    started = time.perf_counter()
    quality.measure(pixels, [20.0] * 10, [0.9] * 10)
    ms = (time.perf_counter() - started) * 1000
    return page.text, page.quality, page.warning, ms


def measure(corpus: Path, out_path: Path, degrade: int) -> None:
    rows = {s: [json.loads(line) for line in
                (corpus / f"photos_{s}.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()] for s in SOURCES}
    with out_path.open("w", encoding="utf-8") as out:
        for index in range(max(len(r) for r in rows.values())):
            for source in SOURCES:
                if index >= len(rows[source]):
                    continue
                row = rows[source][index]
                base = ImageOps.exif_transpose(Image.open(corpus / row["image"])).convert("RGB")
                variants = {"original": base}
                if index < degrade:
                    variants |= {k: _jpeg(f(base)) for k, f in DEGRADE.items()}
                for variant, image in variants.items():
                    text, measured, warn, ms = _read(image)
                    fields = {k: found(v, text) for k, v in row["gold"].items()
                              if v and found(v, row["text"])}
                    out.write(json.dumps({
                        "source": source, "id": row["id"], "variant": variant,
                        "quality": dataclasses.asdict(measured), "warning": warn,
                        "ms": ms, "fields": fields}) + "\n")
                    out.flush()


def _image(corpus: Path, row: dict[str, Any]) -> Image.Image:
    """The page ``row`` was measured on, made again (the degradations are fixed)."""
    gold = {json.loads(line)["id"]: json.loads(line) for line in
            (corpus / f"photos_{row['source']}.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()}[row["id"]]
    base = ImageOps.exif_transpose(Image.open(corpus / gold["image"])).convert("RGB")
    return base if row["variant"] == "original" else _jpeg(DEGRADE[row["variant"]](base))


def remeasure(corpus: Path, rows: list[dict[str, Any]]) -> None:
    """The image's measures again with the code as it stands, the OCR's text heights
    and scores as measured (no OCR run): thresholds and measures can change after."""
    from strongroom.reading.image import page_pixels

    for row in rows:
        q = row["quality"]
        pixels = page_pixels(_image(corpus, row))
        started = time.perf_counter()
        row["quality"] = dataclasses.asdict(quality.measure(
            pixels, [q["text_height"]] if q["text_height"] else [], [q["score"]]))
        row["ms"] = (time.perf_counter() - started) * 1000


def _fires(row: dict[str, Any]) -> str | None:
    return quality.warning(quality.Quality(**row["quality"]))


def _count(group: list[dict[str, Any]]) -> str:
    return f"{sum(1 for r in group if _fires(r))}/{len(group)}"


def report(path: Path, corpus: Path | None = None) -> None:
    rows: list[dict[str, Any]] = [json.loads(line) for line in
                                  path.read_text(encoding="utf-8").splitlines()]
    if corpus is not None:
        remeasure(corpus, rows)
    for name, original in (("original photos", True), ("degraded copies", False)):
        for source in (None, *SOURCES):
            chosen = [r for r in rows if (r["variant"] == "original") == original
                      and source in (None, r["source"])]
            right = [r for r in chosen if r["fields"] and all(r["fields"].values())]
            wrong = [r for r in chosen if r["fields"] and not all(r["fields"].values())]
            print(f"{name}{'' if source is None else ', ' + source}: warning on fields "
                  f"all read right {_count(right)}, on a field misread {_count(wrong)}")
    for variant in ("original", *DEGRADE):
        chosen = [r for r in rows if r["variant"] == variant]
        kinds: dict[str, int] = {}
        for r in chosen:
            fired = _fires(r)
            if fired:
                kinds[fired.split(":")[0]] = kinds.get(fired.split(":")[0], 0) + 1
        print(f"  {variant}: fires on {_count(chosen)} {kinds}")
    ms = [float(r["ms"]) for r in rows]
    print(f"measure: median {np.median(ms):.1f} ms, max {max(ms):.1f} ms a page")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("measure", "report"))
    parser.add_argument("--again", action="store_true",
                        help="report: measure the images again (not the OCR) with the "
                             "code as it stands")
    parser.add_argument("out", type=Path)
    parser.add_argument("--degrade", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=Path(".corpus"))
    args = parser.parse_args(argv)
    if args.command == "measure":
        measure(args.corpus, args.out, args.degrade)
    report(args.out, args.corpus if args.again else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
