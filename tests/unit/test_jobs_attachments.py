"""An e-mail's attachments through the real queue into a real vault (issue 22): each
is a document of its own, linked to its message, with events and a result of its own."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from strongroom.jobs import DONE, FAILED, QUEUED, JobEvent, JobResult, Processor
from strongroom.reading import messages
from strongroom.vault import Vault
from tests.helpers.documents import CANARY, make_docx, make_pdf
from tests.helpers.mail import make_eml, nest
from tests.unit.test_jobs import fake_understand

PDF_TEXT = "Northwind Electricity\nInvoice INV-2026-12\nTotal 96.40 EUR"
PLAIN = f"Dear Ann,\nyour invoice {CANARY} and the meter reading are attached.\n"


@pytest.fixture
def vault(tmp_path: Path, cheap_argon2: None):
    with Vault.create(tmp_path / "data", passphrase="correct horse") as v:
        yield v


def _message(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    pdf = make_pdf([PDF_TEXT])
    word = make_docx(["Meter reading 4711 kWh"])
    path = tmp_path / "invoice.eml"
    path.write_bytes(make_eml(plain=PLAIN, attachments={"invoice.pdf": pdf,
                                                        "reading.docx": word}).as_bytes())
    return path, pdf, word


def test_attachments_are_documents_of_their_own_linked_to_their_message(tmp_path, vault):
    path, pdf, word = _message(tmp_path)
    events = []
    results = list(Processor(fake_understand, store=vault, on_event=events.append)
                   .run_all([path]))

    assert [(r.path, r.ok) for r in results] == [
        (path, True), (path / "invoice.pdf", True), (path / "reading.docx", True)]
    message, first, second = results
    assert message.parent_id is None
    assert first.parent_id == second.parent_id == message.doc_id
    assert [r.path for r in message.attachments] == [first.path, second.path]

    stored = vault.get(message.doc_id)
    assert stored.kind == "email" and stored.parent_id is None and CANARY in stored.text
    assert "Meter reading" not in stored.text  # the attachments are not the body
    pdf_doc, word_doc = vault.get(first.doc_id), vault.get(second.doc_id)
    assert (pdf_doc.name, pdf_doc.kind, pdf_doc.parent_id) == ("invoice.pdf", "pdf",
                                                               message.doc_id)
    assert "Total 96.40 EUR" in pdf_doc.text and vault.original_bytes(first.doc_id) == pdf
    assert (word_doc.name, word_doc.kind, word_doc.parent_id) == ("reading.docx", "docx",
                                                                  message.doc_id)
    assert vault.original_bytes(second.doc_id) == word
    assert sorted(r.name for r in vault.search("4711")) == ["reading.docx"]

    # each attachment is a job of its own: queued, then done, after its message
    finals = [(e.job_id, e.path, e.stage) for e in events if e.stage in (QUEUED, DONE)]
    assert [(p, s) for _, p, s in finals] == [
        (path, QUEUED), (path, DONE), (path / "invoice.pdf", QUEUED),
        (path / "invoice.pdf", DONE), (path / "reading.docx", QUEUED),
        (path / "reading.docx", DONE)]
    assert len({job_id for job_id, _, _ in finals}) == 3


def test_the_same_message_again_brings_no_attachment_twice(tmp_path, vault):
    path, _, _ = _message(tmp_path)
    list(Processor(fake_understand, store=vault).run_all([path]))
    again = list(Processor(fake_understand, store=vault).run_all([path]))
    assert [(r.duplicate, r.attachments) for r in again] == [(True, [])]
    assert len(vault.list_documents()) == 3


def test_an_attachment_already_in_the_vault_is_a_duplicate_and_keeps_its_place(tmp_path,
                                                                                vault):
    path, pdf, _ = _message(tmp_path)
    alone = tmp_path / "invoice.pdf"
    alone.write_bytes(pdf)
    first = next(Processor(fake_understand, store=vault).run_all([alone]))
    results = list(Processor(fake_understand, store=vault).run_all([path]))
    assert [r.duplicate for r in results] == [False, True, False]
    assert results[1].doc_id == first.doc_id and vault.get(first.doc_id).parent_id is None


def test_a_bad_attachment_fails_alone(tmp_path, vault):
    path = tmp_path / "m.eml"
    message = make_eml(plain=PLAIN, attachments={"a.txt": b"A good note about 12.50 EUR"})
    message.add_attachment(b"", maintype="application", subtype="octet-stream",
                           filename="photo.xyz")
    message.add_attachment(b"\x00\x01junk", maintype="application", subtype="pdf",
                           filename="broken.pdf")
    path.write_bytes(message.as_bytes())
    results = list(Processor(fake_understand, store=vault).run_all([path]))
    assert [(r.path.name, r.ok, r.error) for r in results] == [
        ("m.eml", True, None), ("a.txt", True, None),
        ("broken.pdf", False, messages.PDF_DAMAGED)]  # the empty part carries nothing
    assert len(vault.list_documents()) == 2


def test_messages_inside_messages_are_documents_linked_down_the_chain(tmp_path, vault):
    path = tmp_path / "fwd.eml"
    inner = make_eml(plain=PLAIN, attachments={"invoice.pdf": make_pdf([PDF_TEXT])})
    path.write_bytes(nest(2, inner))
    results = list(Processor(fake_understand, store=vault).run_all([path]))
    assert [r.path.relative_to(tmp_path).as_posix() for r in results] == [
        "fwd.eml", "fwd.eml/message-1.eml", "fwd.eml/message-1.eml/message-1.eml",
        "fwd.eml/message-1.eml/message-1.eml/invoice.pdf"]
    ids = [r.doc_id for r in results]
    assert [vault.get(i).parent_id for i in ids] == [None, *ids[:-1]]


def test_an_email_nested_50_deep_gets_its_line_and_the_batch_goes_on(tmp_path, vault):
    deep, good = tmp_path / "deep.eml", tmp_path / "good.eml"
    deep.write_bytes(nest(50))
    good.write_bytes(make_eml(plain=PLAIN).as_bytes())
    results = list(Processor(fake_understand, store=vault).run_all([deep, good]))
    assert [(r.path, r.ok, r.error) for r in results] == [
        (deep, False, messages.EMAIL_TOO_DEEP), (good, True, None)]
    assert results[0].attachments == []


def test_extract_only_reads_the_attachments_too(tmp_path):
    path, _, _ = _message(tmp_path)
    events = []
    results = list(Processor(fake_understand, on_event=events.append).run_all([path]))
    assert [(r.path.name, r.ok, r.doc_id) for r in results] == [
        ("invoice.eml", True, None), ("invoice.pdf", True, None), ("reading.docx", True, None)]
    assert FAILED not in {e.stage for e in events}


LOCKED_PW = "att-pw-5e1b"  # noqa: S105 - a test's password


def _locked_message(tmp_path: Path) -> Path:
    path = tmp_path / "locked.eml"
    path.write_bytes(make_eml(plain=PLAIN, attachments={
        "invoice.pdf": make_pdf([PDF_TEXT], user_password=LOCKED_PW)}).as_bytes())
    return path


def _submit_and_wait(proc: Processor, done: threading.Event, events: list[JobEvent],
                     path: Path, again: tuple[int, Path, str] | None = None) -> JobResult:
    """Submit ``path`` (or read job ``again``) and wait for the attachment's result."""
    done.clear()
    del events[:]
    if again is None:
        proc.submit([path])
    else:
        proc.read_again(*again)
    assert done.wait(20)
    result = events[-1].result
    assert result is not None
    return result


def test_a_locked_pdf_attachment_is_read_again_from_the_bytes_its_job_kept(tmp_path, vault):
    path = _locked_message(tmp_path)
    events: list[JobEvent] = []
    done = threading.Event()

    def on_event(event: JobEvent) -> None:
        events.append(event)
        if event.result is not None and event.path.name == "invoice.pdf":
            done.set()

    proc = Processor(fake_understand, store=vault, on_event=on_event)
    first = _submit_and_wait(proc, done, events, path)
    assert first.needs_password and first.error == messages.PDF_LOCKED
    message_id = first.parent_id
    assert message_id is not None and vault.get(message_id).kind == "email"
    assert list(proc._locked) == [first.job_id]

    wrong = _submit_and_wait(proc, done, events, path, (first.job_id, first.path, "nope"))
    assert wrong.needs_password and wrong.error == messages.PDF_WRONG_PASSWORD
    right = _submit_and_wait(proc, done, events, path, (first.job_id, first.path, LOCKED_PW))
    assert right.ok and right.job_id == first.job_id and right.parent_id == message_id
    stored = vault.get(right.doc_id)
    assert (stored.name, stored.parent_id) == ("invoice.pdf", message_id)
    assert "Total 96.40 EUR" in stored.text and proc._locked == {}
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.parts[len(tmp_path.parts)]
               != "data"]
    assert written == [path]  # the attachment's bytes went nowhere but into the vault
    proc.shutdown(5)


def test_an_attachment_whose_message_was_deleted_meanwhile_is_saved_unlinked(tmp_path,
                                                                            vault):
    path = _locked_message(tmp_path)
    events: list[JobEvent] = []
    done = threading.Event()

    def on_event(event: JobEvent) -> None:
        events.append(event)
        if event.result is not None and event.path.name == "invoice.pdf":
            done.set()

    proc = Processor(fake_understand, store=vault, on_event=on_event)
    first = _submit_and_wait(proc, done, events, path)
    assert first.parent_id is not None
    vault.delete(first.parent_id)
    right = _submit_and_wait(proc, done, events, path, (first.job_id, first.path, LOCKED_PW))
    assert right.ok and vault.get(right.doc_id).parent_id is None
    proc.shutdown(5)


def test_forget_and_cancel_drop_the_kept_bytes(tmp_path, vault):
    path = _locked_message(tmp_path)
    proc = Processor(fake_understand, store=vault)
    results = list(proc.run_all([path]))
    assert results[1].needs_password
    assert proc._locked == {}  # run_all: nobody reads it again, nothing is kept
    job = proc._new_job(path)
    job_result = proc.run(proc._new_job(path / "x.pdf", data=make_pdf(
        ["x"], user_password=LOCKED_PW)))
    assert job_result.needs_password and list(proc._locked) == [job_result.job_id]
    proc.forget(job_result.job_id)
    assert proc._locked == {}
    proc.run(proc._new_job(path / "y.pdf", data=make_pdf(["y"], user_password=LOCKED_PW)))
    proc.cancel()
    assert proc._locked == {} and job.password is None


def test_the_command_line_password_opens_locked_attachments_too(tmp_path, vault):
    path = _locked_message(tmp_path)
    results = list(Processor(fake_understand, store=vault).run_all([path],
                                                                   pdf_password=LOCKED_PW))
    assert [(r.path.name, r.ok) for r in results] == [("locked.eml", True), ("invoice.pdf", True)]
    assert vault.get(results[1].doc_id).parent_id == results[0].doc_id


def test_the_same_message_again_brings_only_the_attachment_the_vault_lacks(tmp_path, vault):
    path = _locked_message(tmp_path)
    first = list(Processor(fake_understand, store=vault).run_all([path]))
    assert [r.ok for r in first] == [True, False]
    again = list(Processor(fake_understand, store=vault).run_all([path],
                                                                 pdf_password=LOCKED_PW))
    assert [(r.path.name, r.ok, r.duplicate) for r in again] == [
        ("locked.eml", True, True), ("invoice.pdf", True, False)]
    assert vault.get(again[1].doc_id).parent_id == first[0].doc_id
    third = list(Processor(fake_understand, store=vault).run_all([path]))
    assert [(r.duplicate, r.attachments) for r in third] == [(True, [])]  # none opened
