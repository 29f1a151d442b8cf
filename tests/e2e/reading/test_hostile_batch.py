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
