"""Recognising a file by its first bytes, whatever its name says.

A name is only a hint: a PDF saved as ``.txt`` must be read as a PDF, and a
photo renamed ``.txt`` must be refused rather than decoded into garbage.
"""

from __future__ import annotations

PDF = "pdf"
ZIP = "zip"
IMAGE = "image"  # a photo or scan the image reader takes
OLE2 = "ole2"  # legacy Office files, and password-protected .docx
BINARY = "binary"

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",  # PNG
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00", b"MM\x00*",  # TIFF
)
#: ISO media brands of HEIC/HEIF still images (bytes 8-12, after "ftyp").
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"hevc", b"avif")
#: Signatures of common binary formats; none can start a real text file.
_BINARY_MAGIC = (
    b"GIF87a", b"GIF89a",
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x7fELF",
    b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe",  # Mach-O
    b"\x00\x00\x00",  # ISO media (HEIC, MP4...), and many more
)


def sniff(data: bytes) -> str | None:
    """The container format ``data`` starts with, or ``None`` if no signature."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(_ZIP_MAGIC):
        return ZIP
    if data.startswith(OLE2_MAGIC):
        return OLE2
    if (data.startswith(_IMAGE_MAGIC)
            or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
            or (data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS)):
        return IMAGE
    if data.startswith(_BINARY_MAGIC):
        return BINARY
    return None
