"""Photos and scans (PNG, JPEG, TIFF, WebP, HEIC): the page images, then OCR (``ocr``).

Pillow decodes them with its decompression-bomb check set to our pixel limit and
turned into an error (it only warns below twice its own limit); the header says the
size before any pixel is decoded. A phone's EXIF orientation is applied, so a photo
taken sideways is read upright. HEIC (iPhone photos) through ``pillow-heif``.
Multi-page TIFFs are read page by page up to ``limits.MAX_IMAGE_PAGES``.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

import numpy as np

from ..errors import ReadError
from . import limits, messages, ocr


def read(data: bytes) -> ocr.Joined:
    """The text of the image(s) in ``data``, where each page starts, the words' boxes
    and the pages' pictures."""
    joined = ocr.join_pages([ocr.read_page(page) for page in _pages(data)])
    if not joined.text.strip():
        raise ReadError(messages.IMAGE_NO_TEXT)
    limits.check_text_size(len(joined.text))
    return joined


def _pages(data: bytes) -> Iterator[np.ndarray]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    _register_heif()
    Image.MAX_IMAGE_PIXELS = limits.MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        # e.g. "Corrupt EXIF data": the page is read all the same, and nothing is printed
        warnings.filterwarnings("ignore", category=UserWarning, module="PIL")
        try:
            image = Image.open(io.BytesIO(data))
            frames = getattr(image, "n_frames", 1)
            if frames > limits.MAX_IMAGE_PAGES:
                raise ReadError(messages.IMAGE_TOO_MANY_PAGES)
            for index in range(frames):
                image.seek(index)
                yield page_pixels(ImageOps.exif_transpose(image))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ReadError(messages.IMAGE_TOO_LARGE) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
            raise ReadError(messages.IMAGE_DAMAGED) from None


def page_pixels(image: object) -> np.ndarray:
    """An RGB array of a page, its long side at most ``limits.OCR_MAX_SIDE`` pixels
    (the recogniser reads text lines of 48 pixels; more only costs time)."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    if image.mode != "RGB":
        if "A" in image.getbands():  # transparent: onto white, as it is seen
            back = Image.new("RGBA", image.size, "white")
            image = Image.alpha_composite(back, image.convert("RGBA"))
        image = image.convert("RGB")
    side = max(image.size)
    if side > limits.OCR_MAX_SIDE:
        scale = limits.OCR_MAX_SIDE / side
        image = image.resize((max(1, round(image.width * scale)),
                              max(1, round(image.height * scale))), Image.Resampling.LANCZOS)
    return np.asarray(image)


def _register_heif() -> None:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # HEIC files are then "damaged or not an image"
        return
    register_heif_opener()
