"""The queue's logic with a fake understand (the real one is in test_pipeline/test_cli)."""

from __future__ import annotations

import threading
from pathlib import Path

from strongroom.jobs import CANCELLED, DONE, FAILED, QUEUED, READING, Processor
from strongroom.reading import messages
from strongroom.understanding.result import Extraction, FieldValue
from tests.helpers.documents import make_pdf


def fake_understand(doc, *, cancel, progress):
    progress(0.5)
    return Extraction("other", "A test document.", "template",
                      {"date": FieldValue(None)})


class MemoryStore:
    def __init__(self):
        self.docs: dict[int, tuple] = {}
        self.by_sha: dict[str, int] = {}

    def find_by_sha256(self, sha256):
        return self.by_sha.get(sha256)

    def add_document(self, doc, extraction, *, parent_id=None):
        import hashlib

        doc_id = len(self.docs) + 1
        self.docs[doc_id] = (doc, extraction)
        self.by_sha[hashlib.sha256(doc.data).hexdigest()] = doc_id
        return doc_id


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_a_bad_document_fails_alone_and_the_batch_goes_on(tmp_path):
    good = write(tmp_path, "a.txt", b"Hello there, this is a note.")
    empty = write(tmp_path, "b.txt", b"")
    other = write(tmp_path, "c.txt", b"Another note for the batch.")
    store = MemoryStore()
    results = list(Processor(fake_understand, store=store).run_all([good, empty, other]))
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error == "The file is empty."
    assert sorted(store.docs) == [1, 2]


def test_duplicates_are_recognised_not_stored_twice(tmp_path):
    a = write(tmp_path, "a.txt", b"Same bytes twice.")
    b = write(tmp_path, "copy.txt", b"Same bytes twice.")
    store = MemoryStore()
    results = list(Processor(fake_understand, store=store).run_all([a, b]))
    assert results[1].ok and results[1].duplicate and results[1].doc_id == results[0].doc_id
    assert len(store.docs) == 1


def test_a_file_that_vanishes_before_its_turn_fails_clearly(tmp_path):
    gone = write(tmp_path, "gone.txt", b"soon deleted")
    stay = write(tmp_path, "stay.txt", b"still here")
    proc = Processor(fake_understand)

    def results():
        it = proc.run_all([stay, gone])
        first = next(it)
        gone.unlink()  # vanishes mid-run, after the folder walk listed it
        return [first, *it]

    first, second = results()
    assert first.ok
    assert not second.ok
    assert second.error == "The file was not found: it may have been moved, renamed or deleted."


def test_bug_in_understanding_is_reported_without_document_text(tmp_path, caplog):
    secret = "SECRET-CANARY-TEXT"

    def broken(doc, *, cancel, progress):
        raise ValueError(f"could not parse {doc.text}")

    p = write(tmp_path, "x.txt", secret.encode())
    [r] = Processor(broken).run_all([p])
    assert not r.ok and r.error.startswith("Internal error (ValueError)")
    assert secret not in caplog.text and secret not in r.error


def test_worker_thread_events_and_cancel(tmp_path):
    started, release = threading.Event(), threading.Event()

    def slow(doc, *, cancel, progress):
        started.set()
        while not cancel.is_set():
            cancel.wait(0.01)
        from strongroom.errors import Cancelled

        raise Cancelled

    events = []
    done = threading.Event()

    def on_event(e):
        events.append(e)
        if e.stage in (DONE, FAILED, CANCELLED):
            done.set()

    proc = Processor(slow, on_event=on_event)
    proc.submit([write(tmp_path, "a.txt", b"text to wait on")])
    assert started.wait(5)
    proc.cancel(events[0].job_id)
    assert done.wait(5)
    proc.shutdown(timeout=5)
    stages = [e.stage for e in events]
    assert stages[0] == QUEUED and stages[-1] == CANCELLED
    assert events[-1].result is not None and not events[-1].result.ok
    release.set()


def test_folders_are_read_recursively(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    write(tmp_path / "d", "one.txt", b"first file")
    write(tmp_path / "d" / "sub", "two.md", b"# second file")
    write(tmp_path / "d", ".hidden.txt", b"skip me")
    results = list(Processor(fake_understand).run_all([tmp_path / "d"]))
    assert sorted(r.path.name for r in results) == ["one.txt", "two.md"]
    assert all(r.ok for r in results)


def test_folders_are_walked_on_the_worker_and_an_empty_one_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    seen: list = []
    done = threading.Event()

    def on_event(e):
        seen.append((e.stage, threading.current_thread().name))
        done.set()

    proc = Processor(fake_understand, on_event=on_event)
    proc.submit([tmp_path / "empty"])
    assert done.wait(5)
    proc.shutdown(timeout=5)
    assert seen == [("nothing_found", "strongroom-jobs")]


def test_a_locked_pdf_fails_asking_for_its_password_and_is_read_again_with_it(tmp_path):
    locked = write(tmp_path, "locked.pdf",
                   make_pdf(["Corner Pharmacy, Total 12.34"], user_password="pw-1f9c"))
    events, done = [], threading.Event()

    def on_event(event):
        events.append(event)
        if event.result is not None:
            done.set()

    store = MemoryStore()
    proc = Processor(fake_understand, store=store, on_event=on_event)
    proc.submit([locked])
    assert done.wait(10)
    first = events[-1].result
    assert events[-1].stage == FAILED and first.needs_password
    assert first.error == messages.PDF_LOCKED and not store.docs
    for password, stage, error in [("nope", FAILED, messages.PDF_WRONG_PASSWORD),
                                   ("pw-1f9c", DONE, None)]:
        done.clear()
        del events[:]
        proc.read_again(first.job_id, locked, password)
        assert done.wait(10)
        assert {e.job_id for e in events} == {first.job_id}  # the same row moves on
        assert [e.stage for e in events][:2] == [QUEUED, READING]
        assert events[-1].stage == stage and events[-1].result.error == error
        assert events[-1].result.needs_password == (stage == FAILED)
    assert len(store.docs) == 1 and store.docs[1][0].text == "Corner Pharmacy, Total 12.34"
    assert not any("pw-1f9c" in repr(e) or "nope" in repr(e) for e in events)
    proc.shutdown(5)


def test_the_command_line_password_is_tried_on_each_locked_pdf(tmp_path):
    a = write(tmp_path, "a.pdf", make_pdf(["First receipt, total 1.00"], user_password="same"))
    b = write(tmp_path, "b.pdf", make_pdf(["Second receipt, total 2.00"]))
    c = write(tmp_path, "c.pdf", make_pdf(["Third receipt, total 3.00"], user_password="other"))
    results = list(Processor(fake_understand).run_all([a, b, c], pdf_password="same"))
    assert [r.ok for r in results] == [True, True, False]
    assert results[2].needs_password and results[2].error == messages.PDF_WRONG_PASSWORD
