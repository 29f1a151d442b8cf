"""Text from page images, offline: RapidOCR (PP-OCRv6, Chinese and English) on ONNX Runtime.

Why this engine (docs/MEASUREMENTS.md, issue 22): its models ship inside the
``rapidocr`` wheel, so nothing is downloaded at run time (docTR, surya, easyocr and
paddleocr fetch their weights); on 40 receipt photos here it read 0.94 of the
characters at 4.7 s a photo, where PP-OCRv4 (``rapidocr-onnxruntime``) took 7.4 s and
Tesseract was weaker on photos.

The engine finds text boxes and reads each; this module puts them back into printed
lines (top to bottom, left to right, along the page's own slant) and keeps, for every
word of the resulting text, its box on the page: ``Page.words`` maps text offsets to
boxes, so a field found in the text can be shown where it is printed. Boxes are in
0..1 of the page's width and height, whatever size the page is drawn at.

Spaces: the recogniser often leaves out the space between two printed words (it was
trained mostly on Chinese); where the characters stand apart on the page, RapidOCR's
word boxes split them again, and those words are joined with spaces here.
"""

from __future__ import annotations

import math
import os
import re
import statistics
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from . import quality
from .quality import Quality

#: (start, end, x0, y0, x1, y1): a word's offsets in the page's text and its box.
WordBox = tuple[int, int, float, float, float, float]
#: Text scored below this by the recogniser is dropped (RapidOCR's own default).
MIN_SCORE = 0.5
#: A gap between two boxes on one line wider than this many line heights is a column
#: gap, written as three spaces (what the field finders read as one).
COLUMN_GAP = 0.8

#: The characters RapidOCR reads one by one (its ``has_chinese_char``).
_CJK = re.compile(r"[\u4e00-\u9fff]")

#: Called before each page is read (the reader's child process extends its time
#: limits and tells the app, see ``sandbox``).
on_page: Callable[[], None] | None = None

_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()


#: (start, end, page, x0, y0, x1, y1): a word's offsets in a document's text, its
#: 1-based page and its box there (``Document.boxes``).
DocBox = tuple[int, int, int, float, float, float, float]
#: Between pages in a document's text (the PDF reader's separator).
PAGE_SEPARATOR = "\n\n"


#: The long side of the picture of an OCR'd page kept for the window, in pixels, and
#: its JPEG quality: enough to see a field's box, 100-300 KB a page.
PREVIEW_SIDE = 1600
PREVIEW_QUALITY = 80


@dataclass(frozen=True)
class Page:
    """One page's text, its words' boxes and ``preview``, a picture of the page made
    by the reader so that the window never decodes the person's file itself (both
    empty for a PDF page past ``limits.MAX_PICTURED_PAGES``)."""

    text: str
    words: tuple[WordBox, ...] = ()
    preview: bytes = b""
    #: What ``quality`` measured on the page, and its warning ("" when none).
    quality: Quality | None = None
    warning: str = ""


class Joined(NamedTuple):
    """A document's pages as one text (``Document``'s fields of the same names)."""

    text: str
    page_starts: tuple[int, ...]
    boxes: tuple[DocBox, ...]
    previews: tuple[tuple[int, bytes], ...]
    #: The pages' quality warnings, each once (``Document.warnings``).
    warnings: tuple[str, ...] = ()


def join_pages(pages: Sequence[Page]) -> Joined:
    """The document's text, the offset where each page starts, every OCR'd word's box
    by document offset, and the pictures of the OCR'd pages by page number."""
    starts: list[int] = []
    boxes: list[DocBox] = []
    offset = 0
    for number, page in enumerate(pages, 1):
        starts.append(offset)
        boxes.extend((offset + a, offset + z, number, x0, y0, x1, y1)
                     for a, z, x0, y0, x1, y1 in page.words)
        offset += len(page.text) + len(PAGE_SEPARATOR)
    previews = tuple((n, p.preview) for n, p in enumerate(pages, 1) if p.preview)
    warnings = tuple(dict.fromkeys(p.warning for p in pages if p.warning))
    return Joined(PAGE_SEPARATOR.join(p.text for p in pages), tuple(starts), tuple(boxes),
                  previews, warnings)


def preview(image: np.ndarray) -> bytes:
    """A JPEG of the page for the window, its long side at most ``PREVIEW_SIDE``."""
    import io

    from PIL import Image

    picture = Image.fromarray(image)
    picture.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=PREVIEW_QUALITY)
    return out.getvalue()


@dataclass
class _Box:
    """One text box the engine found, in pixels, with its characters' x positions."""

    text: str
    quad: np.ndarray  # 4x2: top-left, top-right, bottom-right, bottom-left
    chars: list[tuple[str, float, float]]  # (character, x0, x1) along the box

    @property
    def height(self) -> float:
        q = self.quad
        return float((np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2)

    @property
    def angle(self) -> float:
        dx, dy = self.quad[1] - self.quad[0]
        return math.atan2(float(dy), float(dx))


def engine() -> Any:
    """The one RapidOCR engine of this process, made on first use (about 0.1 s)."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            from rapidocr import RapidOCR

            threads = max(1, min(4, os.cpu_count() or 1))
            _ENGINE = RapidOCR(params={
                "Global.log_level": "error",
                "Global.return_word_box": True,
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            })
        return _ENGINE


def read_page(image: np.ndarray) -> Page:
    """The printed lines of one page image (RGB, uint8, height x width x 3)."""
    from rapidocr.inference_engine.onnxruntime.main import ONNXRuntimeError

    from ..errors import ReadError
    from . import messages

    if on_page is not None:
        on_page()
    height, width = image.shape[:2]
    try:
        out = engine()(image)
    except ONNXRuntimeError:  # e.g. out of the reader's memory on a huge page
        raise ReadError(messages.OCR_FAILED) from None
    found = _boxes(out)
    page = _layout(found, width, height)
    measured = quality.measure(image, [b.height for b in found],
                               [] if out is None or out.scores is None
                               else [float(s) for s in out.scores])
    return Page(page.text, page.words, preview(image), measured,
                quality.warning(measured) or "")


def _boxes(out: Any) -> list[_Box]:
    if out is None or out.boxes is None or out.txts is None:
        return []
    found: list[_Box] = []
    words = out.word_results or [()] * len(out.txts)
    for quad, text, score, chars in zip(out.boxes, out.txts, out.scores, words,
                                        strict=False):
        if float(score) < MIN_SCORE or not text.strip():
            continue
        q = np.asarray(quad, dtype=np.float64).reshape(4, 2)
        found.append(_Box(text, q, _char_positions(q, chars)))
    return found


def _char_positions(quad: np.ndarray, chars: Sequence[Any]) -> list[tuple[str, float, float]]:
    """Each recognised piece (a character, or a word for Latin script) with its
    extent along the box's top edge, in pixels from the box's left end."""
    origin, direction = quad[0], quad[1] - quad[0]
    length = float(np.linalg.norm(direction)) or 1.0
    unit = direction / length
    pieces = []
    for item in chars:
        try:
            piece, _score, points = item
            pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        except (TypeError, ValueError):
            continue
        along = (pts - origin) @ unit
        pieces.append((str(piece), float(along.min()), float(along.max())))
    return pieces


def _words_of(box: _Box) -> list[tuple[str, float, float, bool]]:
    """The box's pieces as (text, start, end along the box, space before).

    For a box with no Chinese the engine's pieces are words, split at the spaces it
    read and also where its characters stand apart on the page (RapidOCR's own rule,
    a gap of more than 5 columns of the recogniser), so they are joined by spaces.
    Otherwise its pieces are single characters, kept apart for their boxes and joined
    as the text it read was spaced.
    """
    pieces, text = box.chars, box.text.strip()
    if not pieces or "".join(p for p, _, _ in pieces) != "".join(text.split()):
        length = float(np.linalg.norm(box.quad[1] - box.quad[0]))
        return [(text, 0.0, length, False)]
    if not _CJK.search(text):
        return [(p, a, z, i > 0) for i, (p, a, z) in enumerate(pieces)]
    out: list[tuple[str, float, float, bool]] = []
    at, space = 0, False
    for ch in text:
        if ch.isspace():
            space = True
            continue
        piece, a, z = pieces[at]
        out.append((piece, a, z, space and bool(out)))
        at, space = at + 1, False
    return out


def _layout(boxes: list[_Box], width: int, height: int) -> Page:
    """Boxes into lines along the page's slant; the text and each word's box."""
    if not boxes:
        return Page("", ())
    slant = statistics.median(b.angle for b in boxes)
    cos, sin = math.cos(-slant), math.sin(-slant)

    def level(p: np.ndarray) -> tuple[float, float]:  # the point with the slant undone
        return (float(p[0] * cos - p[1] * sin), float(p[0] * sin + p[1] * cos))

    placed = []
    for b in boxes:
        (x0, y0), (_x, y1) = level(b.quad[0]), level(b.quad[3])
        placed.append((b, x0, (y0 + y1) / 2))
    line_height = statistics.median(b.height for b in boxes) or 1.0
    placed.sort(key=lambda p: p[2])
    lines: list[list[tuple[_Box, float, float]]] = []
    centre = 0.0
    for item in placed:
        if lines and abs(item[2] - centre) <= line_height / 2:
            lines[-1].append(item)
            centre = sum(i[2] for i in lines[-1]) / len(lines[-1])
        else:
            lines.append([item])
            centre = item[2]

    text: list[str] = []
    words: list[WordBox] = []
    at = 0
    for n, line in enumerate(lines):
        if n:
            text.append("\n")
            at += 1
        line.sort(key=lambda p: p[1])
        right = None
        for box, x0, _ in line:
            if right is not None:
                sep = "   " if x0 - right > COLUMN_GAP * line_height else " "
                text.append(sep)
                at += len(sep)
            right = x0 + float(np.linalg.norm(box.quad[1] - box.quad[0]))
            for word, a, z, space in _words_of(box):
                if space:
                    text.append(" ")
                    at += 1
                words.append((at, at + len(word), *_word_box(box, a, z, width, height)))
                text.append(word)
                at += len(word)
    return Page("".join(text), tuple(words))


def _word_box(box: _Box, a: float, z: float, width: int, height: int
              ) -> tuple[float, float, float, float]:
    """The part of ``box`` from ``a`` to ``z`` along it, as an upright rectangle in
    0..1 page units."""
    q = box.quad
    top = q[1] - q[0]
    unit = top / (float(np.linalg.norm(top)) or 1.0)
    down = q[3] - q[0]
    corners = np.array([q[0] + unit * a, q[0] + unit * z,
                        q[0] + unit * z + down, q[0] + unit * a + down])
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    return _unit(x0, width), _unit(y0, height), _unit(x1, width), _unit(y1, height)


def _unit(v: float, n: int) -> float:
    return min(max(float(v) / n, 0.0), 1.0)
