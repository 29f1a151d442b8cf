"""A dropped folder with hostile entries (issue 22): file names are printed escaped,
and a pipe, a device, a socket, a link loop and an unreadable file each get a
per-file message while the rest of the batch is read (exit 2, as for any failure).
The fake backend reads the documents (tests/helpers/fake_backend.py)."""

from __future__ import annotations

import io
import os
import socket
import sys
from pathlib import Path

import pytest

from strongroom.launcher import main
from strongroom.reading import messages
from strongroom.shown import shown

ESCAPES = "a\x1b]0;retitled\x07\x1b[2J\n✓ forged\u202etxt.txt"
NOT_UTF8 = os.fsdecode(b"bad\xff\xfe.txt")


def run_in_terminal(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    """The CLI with a strict UTF-8 stdout, as a terminal has (capsys would take
    anything)."""
    buf = io.BytesIO()
    out = io.TextIOWrapper(buf, encoding="utf-8", errors="strict", write_through=True)
    monkeypatch.setattr(sys, "stdout", out)
    code = main(list(args))
    out.flush()
    return code, buf.getvalue().decode("utf-8")


def test_shown_spells_out_what_a_terminal_would_obey() -> None:
    assert shown("Résumé 收据 (2).pdf") == "Résumé 收据 (2).pdf"
    assert shown(ESCAPES) == r"a\x1b]0;retitled\x07\x1b[2J\x0a✓ forged\u202etxt.txt"
    assert shown(NOT_UTF8) == r"bad\xff\xfe.txt"
    assert shown("c1\x9b31m del\x7f") == r"c1\x9b31m del\x7f"
    assert shown(Path("/tmp") / "x\ty") == r"/tmp/x\x09y"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_hostile_folder_gets_a_line_per_file_and_the_rest_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_backend: object,
        fake_model: Path) -> None:
    folder = tmp_path / "dropped"
    folder.mkdir()
    good = "Corner Pharmacy\nTotal 12.50\n"
    (folder / "a-good.txt").write_text(good)
    (folder / ESCAPES).write_text(good + "1\n")
    (folder / NOT_UTF8).write_text(good + "2\n")
    os.mkfifo(folder / "b-pipe.txt")
    os.symlink("c-loop.txt", folder / "c-loop.txt")
    os.symlink(os.devnull, folder / "d-device.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "e-socket.txt"))
        (folder / "z-last.txt").write_text(good + "3\n")

        code, out = run_in_terminal(monkeypatch, "extract", str(folder), "--model",
                                    str(fake_model))

    assert code == 2  # some files failed
    assert "\x1b" not in out and "\u202e" not in out
    rows = out.splitlines()
    ticks = [r for r in rows if r.startswith("✓")]
    assert len(ticks) == 4  # the good files, and only they: no forged line
    assert any(r.startswith(f"✓ {folder / shown(ESCAPES)} ") for r in ticks)
    assert any(r.startswith(f"✓ {folder}/bad\\xff\\xfe.txt ") for r in ticks)
    failures = {r.split(": ", 1)[0][2:]: r.split(": ", 1)[1] for r in rows if r.startswith("✗")}
    assert failures == {
        str(folder / "b-pipe.txt"): messages.NOT_REGULAR,
        str(folder / "c-loop.txt"): messages.LINK_LOOP,
        str(folder / "d-device.txt"): messages.NOT_REGULAR,
        str(folder / "e-socket.txt"): messages.NOT_REGULAR,
    }


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has no chmod 000")
def test_an_unreadable_file_in_a_folder_is_reported_as_root_and_as_anyone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_backend: object,
        fake_model: Path) -> None:
    folder = tmp_path / "dropped"
    folder.mkdir()
    (folder / "a.txt").write_text("Total 1.50\n")
    locked = folder / "locked.txt"
    locked.write_text("Total 2.50\n")
    locked.chmod(0)
    try:
        if os.geteuid() == 0:  # root reads everything: deny it the way it is denied
            import strongroom.reading.files as files

            real_open = os.open

            def denied(path: object, flags: int, *a: object) -> int:
                if Path(str(path)) == locked:
                    raise PermissionError(13, "Permission denied")
                return real_open(path, flags, *a)  # type: ignore[arg-type]

            monkeypatch.setattr(files.os, "open", denied)
        code, out = run_in_terminal(monkeypatch, "extract", str(folder), "--model",
                                    str(fake_model))
    finally:
        locked.chmod(0o600)
    assert code == 2
    assert f"✗ {locked}: {messages.NO_PERMISSION}" in out.splitlines()
    assert any(r.startswith(f"✓ {folder / 'a.txt'} ") for r in out.splitlines())


def test_a_name_that_is_not_utf8_is_stored_and_listed_spelled_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_backend: object,
        fake_model: Path, cheap_argon2: None) -> None:
    folder = tmp_path / "dropped"
    folder.mkdir()
    (folder / NOT_UTF8).write_text("Corner Pharmacy\nTotal 12.50\n")
    m = ["--data-dir", str(tmp_path / "data"), "--model", str(fake_model)]
    code, out = run_in_terminal(monkeypatch, "process", str(folder), *m)
    assert code == 0, out
    assert out.startswith(f"✓ {folder}/bad\\xff\\xfe.txt → #1 ")
    code, out = run_in_terminal(monkeypatch, "list", *m)
    assert code == 0 and out.rstrip().endswith("bad\\xff\\xfe.txt")


def test_an_error_naming_a_path_the_person_gave_is_printed_safely(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.BytesIO()
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(err, encoding="utf-8", errors="strict",
                                                        write_through=True))
    missing = tmp_path / os.fsdecode(b"\x1b]0;x\x07\xff.jsonl")
    assert main(["eval", str(missing), "--no-model"]) == 1
    assert err.getvalue().decode() == (
        f"strongroom: There is no file {tmp_path}/\\x1b]0;x\\x07\\xff.jsonl.\n")
