"""The reader's child process itself: what comes back, and what each way of dying says.

Every test runs the real child (spawn). Time and memory are bounded by the
child's limits, which some tests set low; no test asserts a duration.
"""

from __future__ import annotations

import os
import threading

import pytest

from strongroom.errors import Cancelled, PasswordRequired, ReadError
from strongroom.reading import messages, read_bytes
from strongroom.reading.sandbox import ENV_IN_PROCESS, ReaderBug, Sandbox
from tests.helpers import readers
from tests.helpers.documents import CANARY, make_einvoice_pdf, make_pdf, make_pdf_bomb

GOOD = b"Receipt\nCoffee 3.50\nTotal 3.50 EUR\n"


@pytest.fixture
def sandbox():
    with Sandbox(reader=readers.misbehaving, wall_seconds=60) as box:
        yield box


def test_the_app_reads_in_a_child_by_default(monkeypatch):
    monkeypatch.delenv(ENV_IN_PROCESS, raising=False)
    assert Sandbox().in_process is False


def test_a_document_read_in_the_child_equals_one_read_here(tmp_path):
    pdf = make_einvoice_pdf("Invoice 42\nTotal 10.00 EUR", b"<Invoice/>")
    two_pages = make_pdf(["Page one " + CANARY, "Page two"])
    path = tmp_path / "two.pdf"
    path.write_bytes(two_pages)
    with Sandbox() as box:
        for name, data, doc in [("inv.pdf", pdf, box.read_bytes("inv.pdf", pdf)),
                                ("two.pdf", two_pages, box.read_path(path))]:
            assert doc == read_bytes(name, data)
            assert doc.einvoice == read_bytes(name, data).einvoice


def test_an_emails_attachments_come_back_from_the_child_as_they_left(tmp_path):
    from tests.helpers.documents import make_docx
    from tests.helpers.mail import make_eml, nest

    pdf, word = make_pdf(["Total 96.40 EUR " + CANARY]), make_docx(["Meter 4711"])
    mail = make_eml(plain="Dear Ann,\nsee attached.\n", html="<p>Dear Ann</p>",
                    attachments={"invoice.pdf": pdf, "reading.docx": word}).as_bytes()
    path = tmp_path / "m.eml"
    path.write_bytes(mail)
    page = b"<html><body><script>x()</script><p>Total 3.50</p></body></html>"
    with Sandbox() as box:
        doc = box.read_path(path)
        assert doc == read_bytes("m.eml", mail)
        assert doc.attachments == (("invoice.pdf", pdf), ("reading.docx", word))
        assert box.read_bytes("p.html", page) == read_bytes("p.html", page)
        with pytest.raises(ReadError) as exc:  # nested 50 deep: the child's own words
            box.read_bytes("deep.eml", nest(50))
        assert str(exc.value) == messages.EMAIL_TOO_DEEP
        assert box.read_bytes("m.eml", mail) == doc  # and the same child goes on


def test_a_child_handing_back_too_many_attachments_is_refused(sandbox):
    from strongroom.reading import limits

    doc = sandbox.read_bytes("m.eml", readers.ATTACHMENTS + b"3")
    assert [name for name, _ in doc.attachments] == ["a0.txt", "a1.txt", "a2.txt"]
    too_many = readers.ATTACHMENTS + str(limits.MAX_EMAIL_ATTACHMENTS + 1).encode()
    with pytest.raises(ReadError) as exc:
        sandbox.read_bytes("m.eml", too_many)
    assert str(exc.value) == messages.READER_CRASHED
    assert sandbox.read_bytes("ok.txt", GOOD).text == GOOD.decode()


def test_any_text_a_reader_returns_arrives_as_it_left(sandbox):
    doc = sandbox.read_bytes("odd.txt", readers.SURROGATE)
    assert doc == readers.misbehaving("odd.txt", readers.SURROGATE)


def test_a_photos_warning_comes_back_and_only_in_the_readers_words(sandbox):
    assert sandbox.read_bytes("p.jpg", readers.WARNED).warnings == (messages.PHOTO_BLURRED,)
    with pytest.raises(ReadError) as err:
        sandbox.read_bytes("p.jpg", readers.WARNED + b" FORGED " + CANARY.encode())
    assert str(err.value) == messages.READER_CRASHED
    assert sandbox.read_bytes("good.txt", GOOD).warnings == ()


def test_a_read_error_comes_back_with_its_message(sandbox):
    with pytest.raises(ReadError) as err:
        sandbox.read_bytes("nothing.txt", b"   \n ")
    assert str(err.value) == messages.NO_TEXT
    assert sandbox.read_bytes("good.txt", GOOD).text == GOOD.decode()


def test_only_the_readers_own_messages_come_back(sandbox):
    with pytest.raises(ReadError) as err:
        sandbox.read_bytes("forged.txt", readers.FORGED + b" " + CANARY.encode())
    assert str(err.value) == messages.READER_CRASHED


def test_a_pdf_bomb_meets_the_memory_limit_and_the_next_file_is_read(sandbox):
    bomb = make_pdf_bomb(4096)  # 4 MB on disk, 4 GiB inflated: the probe's file
    with pytest.raises(ReadError) as err:
        sandbox.read_bytes("bomb.pdf", bomb)
    assert str(err.value) == messages.READER_MEMORY
    assert sandbox.read_bytes("good.txt", GOOD).text == GOOD.decode()


def test_a_python_memory_error_is_told_as_memory(sandbox):
    with pytest.raises(ReadError) as err:
        sandbox.read_bytes("hoard.txt", readers.MEMORY)
    assert str(err.value) == messages.READER_MEMORY
    assert sandbox.read_bytes("good.txt", GOOD).text == GOOD.decode()


def test_a_reader_that_hangs_is_killed_at_the_wall_clock_limit():
    with Sandbox(reader=readers.misbehaving, wall_seconds=10) as box:
        with pytest.raises(ReadError) as err:
            box.read_bytes("hang.txt", readers.HANG)
        assert str(err.value) == messages.READER_TIMEOUT
        assert box.read_bytes("good.txt", GOOD).text == GOOD.decode()


def test_each_page_read_by_ocr_extends_the_wall_clock():
    """A long scan is not cut short: 3 pages of 3 s each under a 5 s limit are read,
    since every page announces itself; the same time without pages is a timeout."""
    with Sandbox(reader=readers.misbehaving, wall_seconds=5) as box:
        assert box.read_bytes("scan.pdf", readers.PAGES + b" 3 3").text == "3 pages read"
        with pytest.raises(ReadError) as err:
            box.read_bytes("hang.txt", readers.HANG)
        assert str(err.value) == messages.READER_TIMEOUT


def test_a_reader_that_spins_meets_the_cpu_limit():
    with Sandbox(reader=readers.misbehaving, cpu_seconds=1, wall_seconds=300) as box:
        with pytest.raises(ReadError) as err:
            box.read_bytes("spin.txt", readers.SPIN)
        assert str(err.value) == messages.READER_TIMEOUT
        assert box.read_bytes("good.txt", GOOD).text == GOOD.decode()


def test_an_aborted_reader_is_told_as_memory(sandbox):
    with pytest.raises(ReadError) as err:
        sandbox.read_bytes("abort.txt", readers.ABORT)
    assert str(err.value) == messages.READER_MEMORY  # pdfium aborts when memory runs out
    assert sandbox.read_bytes("good.txt", GOOD).text == GOOD.decode()


def test_a_reader_that_crashes_otherwise_is_told_as_a_crash(sandbox):
    with pytest.raises(ReadError) as err:
        sandbox.read_bytes("segv.txt", readers.SEGV)
    assert str(err.value) == messages.READER_CRASHED
    assert sandbox.read_bytes("good.txt", GOOD).text == GOOD.decode()


def test_a_bug_in_a_reader_is_a_bug_without_the_document_text(sandbox, caplog):
    with pytest.raises(ReaderBug) as err:
        sandbox.read_bytes("bug.txt", readers.BUG + CANARY.encode())
    assert str(err.value) == "KeyError"
    assert CANARY not in caplog.text and "KeyError" in caplog.text
    assert sandbox.read_bytes("good.txt", GOOD).text == GOOD.decode()


def test_cancel_kills_a_long_read():
    cancel = threading.Event()
    with Sandbox(reader=readers.misbehaving, wall_seconds=600) as box:
        threading.Timer(0.5, cancel.set).start()
        with pytest.raises(Cancelled):
            box.read_bytes("hang.txt", readers.HANG, cancel)
        assert box.read_bytes("good.txt", GOOD).text == GOOD.decode()


def test_the_child_has_no_network_and_no_secrets(monkeypatch):
    monkeypatch.setenv("STRONGROOM_PASSPHRASE", "hunter2-" + CANARY)
    with Sandbox(reader=readers.network_probe) as box:
        doc = box.read_bytes("probe.txt", GOOD)
    assert doc.text == "NetworkBlocked none"


def test_a_pdf_password_travels_to_the_child_and_back_comes_the_text(caplog):
    data = make_pdf(["Total 12.34 " + CANARY], user_password="open-sesame")
    with Sandbox() as box:
        with pytest.raises(PasswordRequired) as locked:
            box.read_bytes("locked.pdf", data)
        with pytest.raises(PasswordRequired) as wrong:
            box.read_bytes("locked.pdf", data, password="not-it")
        doc = box.read_bytes("locked.pdf", data, password="open-sesame")
    assert str(locked.value) == messages.PDF_LOCKED
    assert str(wrong.value) == messages.PDF_WRONG_PASSWORD
    assert doc == read_bytes("locked.pdf", data, password="open-sesame")
    assert "open-sesame" not in caplog.text and "not-it" not in caplog.text


def test_a_child_that_died_between_reads_is_replaced(sandbox):
    assert sandbox.read_bytes("good.txt", GOOD).text == GOOD.decode()
    sandbox._process.kill()
    sandbox._process.join()
    assert sandbox.read_bytes("good.txt", GOOD).text == GOOD.decode()


def test_close_ends_the_child(sandbox):
    sandbox.read_bytes("good.txt", GOOD)
    pid = sandbox._process.pid
    sandbox.close()
    assert sandbox._process is None
    with pytest.raises(ProcessLookupError):  # killed and reaped
        os.kill(pid, 0)
