"""Scans and photos made in the tests: known text drawn into an image, then turned,
blurred, noised or wrapped in a PDF, for the OCR to read back."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageFont

#: Debian's fonts-noto-cjk (installed by .ci/run): Latin and Chinese in one face.
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
LINE_PITCH = 46
MARGIN = 36


def font(size: int = 30) -> ImageFont.FreeTypeFont:
    if not CJK_FONT.is_file():
        pytest.skip("Debian's fonts-noto-cjk is needed to draw Chinese (.ci/run installs it)")
    return ImageFont.truetype(str(CJK_FONT), size)


def draw(lines: list[str], *, width: int = 760, size: int = 30
         ) -> tuple[Image.Image, dict[str, tuple[float, float, float, float]]]:
    """A white page with ``lines`` in black; also each word's box on it, in 0..1 of
    the page (``{word: (x0, y0, x1, y1)}``, the last one of a repeated word)."""
    from PIL import ImageDraw

    face = font(size)
    height = 2 * MARGIN + LINE_PITCH * len(lines)
    image = Image.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(image)
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for n, line in enumerate(lines):
        y = MARGIN + LINE_PITCH * n
        pen.text((MARGIN, y), line, font=face, fill="black")
        at = 0
        for word in line.split():
            at = line.index(word, at)
            x0 = MARGIN + pen.textlength(line[:at], font=face)
            x1 = MARGIN + pen.textlength(line[:at + len(word)], font=face)
            _, top, _, bottom = face.getbbox(word)
            boxes[word] = (x0 / width, (y + top) / height, x1 / width, (y + bottom) / height)
            at += len(word)
    return image, boxes


def photo(image: Image.Image, *, angle: float = 3.0, scale: float = 0.8,
          noise: float = 10.0, seed: int = 0) -> Image.Image:
    """``image`` as a phone might take it: turned, softer, smaller, noisy."""
    from PIL import ImageFilter

    out = image.rotate(angle, expand=True, fillcolor=(235, 235, 230),
                       resample=Image.Resampling.BICUBIC)
    out = out.resize((int(out.width * scale), int(out.height * scale)),
                     Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(0.5))
    rng = np.random.default_rng(seed)
    pixels = np.asarray(out).astype(np.int16) + rng.normal(0, noise, (out.height, out.width, 3)
                                                            ).astype(np.int16)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **options)
    return buf.getvalue()


def image_pdf(pages: list[str | Image.Image]) -> bytes:
    """A PDF with one page per item: a string is a text page, an image a scanned page
    (the image alone, no text layer)."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=12)
    for page in pages:
        pdf.add_page()
        if isinstance(page, str):
            pdf.multi_cell(0, 14, page)
        else:
            pdf.image(page, x=40, y=40, w=515)
    return bytes(pdf.output())


def png_bomb(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    row = b"\x00" + b"\x00" * (width // 8 + 1)
    idat = zlib.compress(row * 16, 9)  # a start of the rows is enough: the size is the bomb
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))
