"""A blurred photo is stored with its warning, and the CLI says it (issue 22): in
``process``'s lines, ``show`` and ``extract --json``. The real OCR reads the photos;
the fake backend understands them (tests/helpers/fake_backend.py)."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import ImageFilter

from strongroom.reading import messages
from tests.helpers.scans import draw, encode, photo
from tests.unit.cli.test_cli import run_cli
from tests.unit.reading.test_photo_quality import LINES


def test_a_blurred_photo_is_stored_and_shown_with_its_warning(
        tmp_path: Path, capsys, fake_backend, fake_model, cheap_argon2) -> None:  # type: ignore[no-untyped-def]
    page, _ = draw(LINES)
    sharp = tmp_path / "sharp.jpg"
    sharp.write_bytes(encode(photo(page), "JPEG", quality=90))
    blurred = tmp_path / "blurred.png"
    blurred.write_bytes(encode(page.filter(ImageFilter.GaussianBlur(3)), "PNG"))
    m = ["--data-dir", str(tmp_path / "data"), "--model", str(fake_model)]

    code, out, _ = run_cli(capsys, "process", str(sharp), str(blurred), *m)
    assert code == 0
    lines = out.splitlines()
    warned = [i for i, line in enumerate(lines) if line.startswith("    ! ")]
    assert [lines[i] for i in warned] == [f"    ! {messages.PHOTO_BLURRED}"]
    assert lines[warned[0] - 1].startswith(f"✓ {blurred} → #2 [")  # under its own file

    code, out, _ = run_cli(capsys, "show", "2", *m)
    assert f"\n! {messages.PHOTO_BLURRED}\n" in out
    code, out, _ = run_cli(capsys, "show", "1", *m)
    assert not any(line.startswith("! ") for line in out.splitlines())
    assert json.loads(run_cli(capsys, "show", "2", "--json", *m)[1])["warnings"] == [
        messages.PHOTO_BLURRED]
    assert json.loads(run_cli(capsys, "show", "1", "--json", *m)[1])["warnings"] == []

    code, out, _ = run_cli(capsys, "extract", str(blurred), "--json", *m[2:])
    assert json.loads(out)["warnings"] == [messages.PHOTO_BLURRED]
