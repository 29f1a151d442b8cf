"""Is a page read by OCR good enough to trust? A warning when it is too small, too
dark, washed out or blurred (issue 22).

Measured in the reader's child process on the pixels the OCR read, plus what the OCR
itself found: the height of its text boxes (text too small to read) and the
recogniser's own scores (a low median is direct evidence that it was guessing).
The thresholds were picked on real receipt photos and degraded copies of them
(``python -m lab.photo_quality``; figures in docs/MEASUREMENTS.md): the warning fires
far more often on photos whose fields the OCR misread than on those it read right.
It costs a few milliseconds a page (numpy only).

A warning is one of ``messages``' generic sentences: never anything from the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import messages

#: The grey image the sharpness is measured on is scaled so that the median text
#: box is this many pixels high (blur matters relative to the size of the text).
TEXT_HEIGHT = 32.0
#: At most this many pixels on the long side of that grey image (time).
MAX_SIDE = 1600

#: Thresholds (see the module text for how they were chosen).
MIN_TEXT_HEIGHT = 12.0  # median text box height in pixels, below it: too small
MIN_PIXELS = 50_000  # fewer pixels than this on the page (about 220 x 220): too small
MAX_DARK = 40.0  # mean luminance (0-255) at or below it: too dark
MIN_CONTRAST = 30.0  # 0.2th to 99th percentile of luminance below it: washed out
MIN_SHARPNESS = 0.05  # std of the Laplacian over the contrast below it: blurred
MIN_SCORE = 0.90  # median recognition score below it: the OCR was unsure

#: Every warning a page may get (a reply from the reader's child naming anything else
#: is refused).
WARNINGS = (messages.PHOTO_SMALL, messages.PHOTO_DARK, messages.PHOTO_FADED,
            messages.PHOTO_BLURRED, messages.PHOTO_UNCLEAR)


@dataclass(frozen=True)
class Quality:
    """What was measured on one page."""

    pixels: int  # width x height of the page as the OCR read it
    text_height: float  # median height of the OCR's text boxes, pixels (0: none)
    brightness: float  # mean luminance, 0-255
    contrast: float  # 99th minus 0.2th percentile of luminance: ink against paper
    sharpness: float  # std of the Laplacian over the contrast, at TEXT_HEIGHT
    score: float  # median recognition score of the text boxes (1.0: none)


def measure(image: np.ndarray, heights: Sequence[float] = (),
            scores: Sequence[float] = ()) -> Quality:
    """Measure page ``image`` (RGB or grey, uint8), given the heights of the text
    boxes the OCR found on it and its recognition scores."""
    height, width = image.shape[:2]
    text_height = float(np.median(heights)) if len(heights) else 0.0
    scale = TEXT_HEIGHT / text_height if text_height else 1.0
    scale = min(scale, MAX_SIDE / max(height, width, 1))
    small = _grey(image, scale)
    counts = np.bincount(small.ravel(), minlength=256)
    share = np.cumsum(counts) / max(1, small.size)
    # the 0.2th and 99th percentiles: ink covers a few percent of a receipt's page at
    # most, under 1% of a large clean scan's
    contrast = float(np.searchsorted(share, 0.99) - np.searchsorted(share, 0.002))
    return Quality(
        pixels=int(height * width),
        text_height=text_height,
        brightness=float(counts @ np.arange(256)) / max(1, small.size),
        contrast=contrast,
        sharpness=_laplacian_std(small) / max(contrast, 1.0),
        score=float(np.median(scores)) if len(scores) else 1.0,
    )


def warning(q: Quality) -> str | None:
    """The one warning for a page measured as ``q`` (the likeliest cause first),
    or ``None`` when nothing looks wrong."""
    if q.pixels < MIN_PIXELS or (q.text_height and q.text_height < MIN_TEXT_HEIGHT):
        return messages.PHOTO_SMALL
    if q.brightness <= MAX_DARK:
        return messages.PHOTO_DARK
    if q.contrast < MIN_CONTRAST:
        return messages.PHOTO_FADED
    if q.sharpness < MIN_SHARPNESS:
        return messages.PHOTO_BLURRED
    if q.score < MIN_SCORE:
        return messages.PHOTO_UNCLEAR
    return None


def _grey(image: np.ndarray, scale: float) -> np.ndarray:
    """Luminance (Pillow's ITU-R 601 weights), 0-255, scaled by ``scale``."""
    from PIL import Image

    grey = Image.fromarray(image).convert("L")
    if abs(scale - 1.0) >= 0.05:
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.BILINEAR)
    return np.asarray(grey)


def _laplacian_std(grey: np.ndarray) -> float:
    """Standard deviation of the 4-neighbour Laplacian (0 for a page under 3x3)."""
    if grey.shape[0] < 3 or grey.shape[1] < 3:
        return 0.0
    grey = grey.astype(np.float32)
    lap = (grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:]
           - 4 * grey[1:-1, 1:-1])
    return float(lap.std())
