"""read_path and expand_paths: the file system side, dispatch, and messages."""

from __future__ import annotations

import os
import sys

import pytest

from strongroom.errors import ReadError, UserError
from strongroom.reading import (
    SUPPORTED_SUFFIXES,
    expand_paths,
    files,
    limits,
    messages,
    read_bytes,
    read_path,
)
from tests.helpers.documents import CANARY, make_docx, make_pdf, make_xlsx, make_zip


def refusal(path) -> str:
    with pytest.raises(ReadError) as err:
        read_path(path)
    assert isinstance(err.value, UserError)
    return str(err.value)


def test_read_path_reads_each_format(tmp_path):
    (tmp_path / "a.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(make_pdf(["page"]))
    (tmp_path / "c.docx").write_bytes(make_docx(["para"], [["cell"]], []))
    docs = [read_path(tmp_path / n) for n in ("a.txt", "b.pdf", "c.docx")]
    assert [(d.name, d.kind, d.text) for d in docs] == [
        ("a.txt", "text", "hello"), ("b.pdf", "pdf", "page"), ("c.docx", "docx", "para\ncell")]
    assert docs[1].data == (tmp_path / "b.pdf").read_bytes()


def test_exact_messages_for_the_common_refusals(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.xyz").write_bytes(b"whatever")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 8)
    assert refusal(tmp_path / "empty.txt") == "The file is empty."
    assert refusal(tmp_path / "missing.txt") == messages.NOT_FOUND
    assert refusal(tmp_path) == messages.FOLDER
    assert refusal(tmp_path / "photo.xyz") == messages.UNSUPPORTED
    assert "not supported" in messages.UNSUPPORTED
    assert all(s in messages.UNSUPPORTED
               for s in (".txt", ".md", ".csv", ".pdf", ".docx", ".xlsx", ".ofx", ".qfx"))
    assert refusal(tmp_path / "junk.txt") == messages.NOT_TEXT


def test_too_large_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10)
    (tmp_path / "big.txt").write_bytes(b"x" * 11)
    (tmp_path / "ok.txt").write_bytes(b"x" * 10)
    assert refusal(tmp_path / "big.txt") == messages.TOO_LARGE
    assert read_path(tmp_path / "ok.txt").text == "x" * 10
    with pytest.raises(ReadError, match="too large"):
        read_bytes("big.pdf", b"%PDF-" + b"x" * 10)


def test_a_file_that_fails_mid_read_is_reported(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("hello")

    def broken(fd, limit):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files, "_read_fd", broken)
    assert refusal(tmp_path / "a.txt") == messages.UNREADABLE
    assert "could not be read" in messages.UNREADABLE


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    assert refusal(tmp_path / "pipe.txt") == messages.NOT_REGULAR


NOBODY = 65534


def refusal_as_nobody(folder, name: str) -> str:
    """``refusal(name)`` in a forked child that gave up root (root reads everything).

    The child enters ``folder`` while still root and looks the file up relative to
    it, so only the file's own mode (and the folder's) can refuse it.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(read_end)
            os.chdir(folder)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            try:
                read_path(name)
                message = "read it"
            except ReadError as exc:
                message = str(exc)
            os.write(write_end, message.encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        message = pipe.read().decode()
    assert os.waitpid(pid, 0)[1] == 0
    return message


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has no chmod 000")
def test_permission_denied(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "locked.txt"
    path.write_text("secret")
    path.chmod(0)
    try:
        if os.geteuid() != 0:
            assert refusal(path) == messages.NO_PERMISSION
            return
        folder.chmod(0o755)
        assert refusal_as_nobody(folder, path.name) == messages.NO_PERMISSION
        path.chmod(0o644)  # control: the same child reads a readable file
        assert refusal_as_nobody(folder, path.name) == "read it"
    finally:
        path.chmod(0o600)


def test_content_decides_when_it_has_a_signature():
    assert read_bytes("statement", make_pdf(["no extension"])).kind == "pdf"
    with pytest.raises(ReadError) as err:
        read_bytes("README", b"plain text without an extension")
    assert str(err.value) == messages.UNSUPPORTED
    with pytest.raises(ReadError) as err:  # unknown extension: refused whatever it holds
        read_bytes("scan.xyz", make_pdf(["x"]))
    assert str(err.value) == messages.UNSUPPORTED
    assert read_bytes("scan.png", make_pdf(["a PDF named as a photo"])).kind == "pdf"


def test_supported_suffixes_are_lower_case_with_a_dot():
    assert {".txt", ".md", ".pdf", ".docx", ".csv"} <= set(SUPPORTED_SUFFIXES)
    assert all(s.startswith(".") and s == s.lower() for s in SUPPORTED_SUFFIXES)


def test_no_message_carries_document_text_or_the_file_name(tmp_path, monkeypatch):
    """Every refusal, on files whose name and content hold the canary."""
    bad = {
        "empty": b"",
        "junk.txt": CANARY.encode() + bytes(range(256)),
        "photo.png": CANARY.encode(),
        "locked.pdf": make_pdf([CANARY], user_password="pw"),
        "broken.pdf": make_pdf([CANARY])[:200],
        "broken.docx": make_docx([CANARY], [["x"]], [])[:300],
        "broken.xlsx": make_xlsx({"S": [[CANARY]]})[:300],
        "broken.ofx": b"OFXHEADER:100\n\n<OFX><" + CANARY.encode(),
        "other.zip.docx": make_zip({CANARY: CANARY.encode()}),
        "long.txt": ((CANARY + " ") * 10).encode(),
    }
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 50)
    messages_seen = []
    for name, data in bad.items():
        path = tmp_path / f"{CANARY}-{name}"
        path.write_bytes(data)
        message = refusal(path)
        messages_seen.append(message)
        assert CANARY not in message and path.name not in message
        assert str(tmp_path) not in message
    assert refusal(tmp_path / f"{CANARY}.txt").count(CANARY) == 0  # missing file
    assert len(set(messages_seen)) == len(bad)  # each failure says what it is


def test_all_messages_are_plain_sentences():
    texts = [v for k, v in vars(messages).items() if k.isupper()]
    assert len(texts) > 10
    for text in texts:
        assert text[0].isupper() and text.endswith(".") and "{" not in text


# -- expand_paths --------------------------------------------------------------

def make_tree(root):
    for rel in ["b.txt", "A.txt", "c.pdf", "sub/z.md", "sub/deeper/y.txt", "Sub2/x.docx",
                ".hidden.txt", ".git/config", "sub/.DS_Store", "~$lock.docx",
                "photo.xyz"]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rel)


def test_folders_are_walked_in_a_stable_order_without_hidden_entries(tmp_path):
    make_tree(tmp_path)
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert found == ["A.txt", "b.txt", "c.pdf", "photo.xyz",
                     "sub/z.md", "sub/deeper/y.txt", "Sub2/x.docx"]


def test_files_and_missing_paths_pass_through_as_given(tmp_path):
    make_tree(tmp_path)
    given = [tmp_path / ".hidden.txt", tmp_path / "photo.xyz", tmp_path / "nope.txt",
             tmp_path / "sub"]
    assert expand_paths(given) == [
        tmp_path / ".hidden.txt", tmp_path / "photo.xyz", tmp_path / "nope.txt",
        tmp_path / "sub" / "z.md", tmp_path / "sub" / "deeper" / "y.txt"]


def test_repeats_are_dropped(tmp_path):
    make_tree(tmp_path)
    paths = expand_paths([tmp_path / "A.txt", tmp_path, tmp_path / "sub"])
    assert paths[0] == tmp_path / "A.txt"
    assert len(paths) == len(set(paths)) == 7


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlink_loops_end(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "doc.txt").write_text("x")
    (tmp_path / "a" / "b" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "a" / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    # The dangling link is listed (read_path says it was not found: nothing in a
    # dropped folder is skipped unsaid, #22), the folder loop is walked once.
    assert expand_paths([tmp_path]) == [tmp_path / "a" / "dangling.txt",
                                        tmp_path / "a" / "b" / "doc.txt"]
    assert refusal(tmp_path / "a" / "dangling.txt") == messages.NOT_FOUND


def test_a_real_300_mb_text_file_is_refused_reading_no_more_than_the_cap(tmp_path):
    """The issue's hostile set, literally: a 300 MB text file (sparse, so the test
    costs no disk) is refused, and at most the cap plus one byte is ever read."""
    big = tmp_path / "huge.txt"
    with big.open("wb") as out:
        out.truncate(300 * 1024 * 1024)
    assert refusal(big) == messages.TOO_LARGE
