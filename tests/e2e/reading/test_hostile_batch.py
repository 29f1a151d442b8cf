"""Hostile files in a batch through the queue, as the CLI and the window run it:
each gets its clear message, the good file after it is read and stored, and
nothing already stored is touched. The real child process reads every file
(the default ``Processor`` reader); time and memory are bounded by its limits.
"""

from __future__ import annotations

import threading
from pathlib import Path

from strongroom.jobs import CANCELLED, DONE, FAILED, READING, Processor
from strongroom.reading import messages
from strongroom.reading.sandbox import Sandbox
from tests.helpers import readers
from tests.helpers.documents import (
    make_docx,
    make_docx_underdeclared,
    make_ofx_sgml,
    make_pdf,
    make_pdf_bomb,
    make_xlsx,
    make_xlsx_bomb,
)
from tests.unit.test_jobs import MemoryStore, fake_understand


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_bombs_fail_alone_and_the_good_files_after_them_are_stored(tmp_path):
    store = MemoryStore()
    first = write(tmp_path, "0-stored-before.txt", b"A note stored before the bombs.")
    assert [r.ok for r in Processor(fake_understand, store=store).run_all([first])] == [True]
    before = dict(store.docs)
    batch = [
        write(tmp_path, "1-bomb.pdf", make_pdf_bomb(4096)),  # 4 MB -> 4 GiB
        write(tmp_path, "2-good.pdf", make_pdf(["Invoice 7 Total 12.00 EUR"])),
        write(tmp_path, "3-bomb.docx", make_docx_underdeclared(  # says 1 KB, is 2.2 GB
            2200, name=b"word/document.xml")),
        write(tmp_path, "4-good.docx", make_docx(["Receipt", "Total 3.50"])),
    ]
    results = list(Processor(fake_understand, store=store).run_all(batch))
    assert [(r.ok, r.error) for r in results] == [
        (False, messages.READER_MEMORY), (True, None),
        (False, messages.DOCX_DAMAGED), (True, None)]
    assert results[1].document.text.startswith("Invoice 7")
    assert results[3].document.text == "Receipt\nTotal 3.50"
    assert {k: store.docs[k] for k in before} == before and len(store.docs) == 3


def test_bank_export_bombs_and_junk_fail_alone_in_the_child(tmp_path):
    """#22's hostile set for the new readers: an XLSX zip bomb and random bytes named
    .xlsx and .ofx, each before a good export, all read by the real child."""
    junk = bytes(range(13, 256)) * 40  # no signature, not text
    batch = [
        write(tmp_path, "1-bomb.xlsx", make_xlsx_bomb(300)),
        write(tmp_path, "2-good.xlsx", make_xlsx({"S": [["Date", "Amount"],
                                                        ["2024-01-03", -45.2]]})),
        write(tmp_path, "3-random.xlsx", junk),
        write(tmp_path, "4-random.ofx", junk),
        write(tmp_path, "5-good.ofx", make_ofx_sgml(
            [("20240103", "-45.20", "REWE Markt", "Kartenzahlung")],
            ledger="954.80", opening="1000.00")),
    ]
    results = list(Processor(fake_understand, store=MemoryStore()).run_all(batch))
    assert [(r.ok, r.error) for r in results] == [
        (False, messages.XLSX_TOO_BIG), (True, None), (False, messages.XLSX_DAMAGED),
        (False, messages.OFX_DAMAGED), (True, None)]
    assert results[1].document.text == "Date\tAmount\n2024-01-03\t-45.2"
    assert "2024-01-03\t-45.20\tREWE Markt\tKartenzahlung" in results[4].document.text


def test_a_reader_that_hangs_fails_alone(tmp_path):
    batch = [write(tmp_path, "hang.txt", readers.HANG + b" forever"),
             write(tmp_path, "good.txt", b"A good note after the hang.")]
    # 10 s: the good file's fresh child must start and read within it on a busy machine
    proc = Processor(fake_understand,
                     reader=Sandbox(reader=readers.misbehaving, wall_seconds=10))
    results = list(proc.run_all(batch))
    assert [(r.ok, r.error) for r in results] == [(False, messages.READER_TIMEOUT),
                                                  (True, None)]


def test_cancel_stops_a_long_read_on_the_worker_and_the_batch_goes_on(tmp_path):
    batch = [write(tmp_path, "hang.txt", readers.HANG + b" forever"),
             write(tmp_path, "good.txt", b"A good note after the hang.")]
    events, finished = [], threading.Event()
    reading = threading.Event()

    def on_event(event):
        events.append(event)
        if event.stage == READING and event.path.name == "hang.txt":
            reading.set()
        if event.stage in (DONE, FAILED, CANCELLED) and event.path.name == "good.txt":
            finished.set()

    proc = Processor(fake_understand, on_event=on_event,
                     reader=Sandbox(reader=readers.misbehaving, wall_seconds=600))
    proc.submit(batch)
    assert reading.wait(120)
    proc.cancel(events[0].job_id)
    assert finished.wait(120)
    final = {e.path.name: e.stage for e in events if e.result is not None}
    assert final == {"hang.txt": CANCELLED, "good.txt": DONE}
    assert proc.shutdown(timeout=60)


def test_hostile_mail_and_pages_fail_alone_on_the_worker_and_attachments_follow(
        tmp_path, cheap_argon2):
    """Issue 22's hostile set for e-mail and HTML, through ``submit`` (the window's
    path, the real child): a message nested 50 deep and random bytes named .eml and
    .html each get their message; a message whose attachment is a decompression bomb
    is stored, the bomb fails alone, and the good attachment after it is stored linked
    to its message."""
    import random

    from strongroom.vault import Vault
    from tests.helpers.mail import make_eml, nest

    junk = random.Random(3).randbytes(8192)
    mail = make_eml(plain="Dear Ann,\nthe statements are attached.\n",
                    attachments={"bomb.pdf": make_pdf_bomb(4096),
                                 "statement.pdf": make_pdf(["Statement Total 12.00 EUR"])})
    batch = [write(tmp_path, "1-deep.eml", nest(50)),
             write(tmp_path, "2-junk.eml", junk), write(tmp_path, "3-junk.html", junk),
             write(tmp_path, "4-mail.eml", mail.as_bytes()),
             write(tmp_path, "5-page.html", b"<p>Receipt</p><p>Total 3.50</p>")]
    finals, idle = [], threading.Event()

    def on_event(event):
        if event.stage in (DONE, FAILED, CANCELLED):
            finals.append(event)
            if len(finals) == 7:
                idle.set()

    with Vault.create(tmp_path / "data", passphrase="correct horse") as vault:
        proc = Processor(fake_understand, store=vault, on_event=on_event)
        proc.submit(batch)
        assert idle.wait(300)
        assert proc.shutdown(timeout=60)
        rows = [(e.path.relative_to(tmp_path).as_posix(), e.result.ok, e.result.error)
                for e in finals]
        assert rows == [
            ("1-deep.eml", False, messages.EMAIL_TOO_DEEP),
            ("2-junk.eml", False, messages.EMAIL_DAMAGED),
            ("3-junk.html", False, messages.NOT_TEXT),
            ("4-mail.eml", True, None),
            ("4-mail.eml/bomb.pdf", False, messages.READER_MEMORY),
            ("4-mail.eml/statement.pdf", True, None),
            ("5-page.html", True, None)]
        message_id, statement_id = finals[3].result.doc_id, finals[5].result.doc_id
        assert vault.get(statement_id).parent_id == message_id
        assert vault.get(finals[6].result.doc_id).text == "Receipt\n\nTotal 3.50"
        assert len(vault.list_documents()) == 3


def test_image_bombs_and_noise_fail_alone_and_the_photo_after_them_is_read(tmp_path):
    from tests.helpers.scans import draw, encode, photo, png_bomb

    image, _ = draw(["GREENLEAF GROCERS LTD", "TOTAL                   5.05"])
    batch = [
        write(tmp_path, "1-bomb.png", png_bomb(40_000, 40_000)),  # 1.6 gigapixels
        write(tmp_path, "2-noise.jpg", bytes(range(256)) * 64),
        write(tmp_path, "3-photo.jpg", encode(photo(image), "JPEG", quality=85)),
    ]
    store = MemoryStore()
    results = list(Processor(fake_understand, store=store).run_all(batch))
    assert [(r.ok, r.error) for r in results] == [
        (False, messages.IMAGE_TOO_LARGE), (False, messages.IMAGE_DAMAGED), (True, None)]
    doc = results[2].document
    assert doc.kind == "image" and "GREENLEAF GROCERS LTD" in doc.text
    assert doc.boxes and [n for n, _ in doc.previews] == [1]


def test_an_encrypted_pdf_asks_for_its_password_and_is_read_with_it_in_the_child(tmp_path):
    locked = write(tmp_path, "locked.pdf",
                   make_pdf(["Night Taxi, Total 9.99 EUR"], user_password="pw-e2e"))
    good = write(tmp_path, "good.txt", b"A note after the locked one.")
    store = MemoryStore()
    results = list(Processor(fake_understand, store=store, reader=Sandbox(in_process=False))
                   .run_all([locked, good]))
    assert [(r.ok, r.needs_password, r.error) for r in results] == [
        (False, True, messages.PDF_LOCKED), (True, False, None)]
    events, done = [], threading.Event()

    def on_event(event):
        events.append(event)
        if event.result is not None:
            done.set()

    proc = Processor(fake_understand, store=store, on_event=on_event,
                     reader=Sandbox(in_process=False))
    proc.read_again(results[0].job_id, locked, "pw-e2e")
    assert done.wait(60)
    assert events[-1].stage == DONE and events[-1].job_id == results[0].job_id
    assert sorted(doc.text for doc, _ in store.docs.values()) == [
        "A note after the locked one.", "Night Taxi, Total 9.99 EUR"]
    assert proc.shutdown(10)
