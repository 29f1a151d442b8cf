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
from tests.helpers.documents import make_docx, make_docx_underdeclared, make_pdf, make_pdf_bomb
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
        write(tmp_path, "3-bomb.docx", make_docx_underdeclared(2200)),  # says 1 KB, is 2.2 GB
        write(tmp_path, "4-good.docx", make_docx(["Receipt", "Total 3.50"])),
    ]
    results = list(Processor(fake_understand, store=store).run_all(batch))
    assert [(r.ok, r.error) for r in results] == [
        (False, messages.READER_MEMORY), (True, None),
        (False, messages.DOCX_DAMAGED), (True, None)]
    assert results[1].document.text.startswith("Invoice 7")
    assert results[3].document.text == "Receipt\nTotal 3.50"
    assert {k: store.docs[k] for k in before} == before and len(store.docs) == 3


def test_a_reader_that_hangs_fails_alone(tmp_path):
    batch = [write(tmp_path, "hang.txt", readers.HANG + b" forever"),
             write(tmp_path, "good.txt", b"A good note after the hang.")]
    proc = Processor(fake_understand,
                     reader=Sandbox(reader=readers.misbehaving, wall_seconds=2))
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
