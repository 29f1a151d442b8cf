"""Password-protected PDFs on the command line (issue 22): a clear message without
the password; ``--pdf-password`` asks once, unechoed (getpass), or
``$STRONGROOM_PDF_PASSWORD`` gives it; the password is never printed."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import pytest

from strongroom.launcher import main
from strongroom.reading import messages
from tests.helpers.documents import make_pdf

PASSWORD = "pdf-pw-7c2e"  # noqa: S105 - a test's password


@pytest.fixture
def locked(tmp_path: Path) -> Path:
    path = tmp_path / "locked.pdf"
    path.write_bytes(make_pdf(["Corner Pharmacy\nTotal 12.50"], user_password=PASSWORD))
    return path


def extract(capsys: pytest.CaptureFixture[str], model: Path, *args: str) -> tuple[int, str]:
    code = main(["extract", *args, "--model", str(model)])
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err
    return code, out + err


def test_without_a_password_the_message_says_how_to_give_one(
        locked: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        fake_backend: object, fake_model: Path) -> None:
    monkeypatch.setattr(getpass, "getpass", lambda *a: pytest.fail("prompted"))
    code, out = extract(capsys, fake_model, str(locked))
    assert code == 2
    assert out == f"✗ {locked}: {messages.PDF_LOCKED}\n"
    assert "--pdf-password" in messages.PDF_LOCKED


def test_pdf_password_asks_once_and_opens_it(
        locked: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        fake_backend: object, fake_model: Path) -> None:
    prompts: list[str] = []

    def ask(prompt: str = "") -> str:
        prompts.append(prompt)
        return PASSWORD

    other = locked.with_name("other.pdf")
    other.write_bytes(make_pdf(["Night Taxi to the airport\nTotal 30.00"], user_password=PASSWORD))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", ask)
    code, out = extract(capsys, fake_model, "--pdf-password", str(locked), str(other))
    assert code == 0 and f"✓ {locked} " in out and f"✓ {other} " in out
    assert prompts == ["Password for protected PDFs: "]


def test_a_wrong_password_from_the_environment_says_so(
        locked: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        fake_backend: object, fake_model: Path) -> None:
    monkeypatch.setenv("STRONGROOM_PDF_PASSWORD", "not-" + PASSWORD[::-1])
    code, out = extract(capsys, fake_model, str(locked))
    assert (code, out) == (2, f"✗ {locked}: {messages.PDF_WRONG_PASSWORD}\n")
    monkeypatch.setenv("STRONGROOM_PDF_PASSWORD", PASSWORD)
    code, out = extract(capsys, fake_model, str(locked))
    assert code == 0 and out.startswith(f"✓ {locked} ")


def test_pdf_password_without_a_terminal_says_what_to_do(
        locked: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        fake_backend: object, fake_model: Path) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    code, out = extract(capsys, fake_model, "--pdf-password", str(locked))
    assert code != 0
    assert "set STRONGROOM_PDF_PASSWORD" in out
