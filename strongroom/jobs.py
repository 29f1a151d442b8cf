"""The document queue: read → understand → save, one document at a time.

One worker thread serialises the model (the backend is not thread-safe) and
vault writes, as Anki's collection executor does. Progress goes out through a
plain callback; the window's bridge re-emits it as Qt signals, the CLI calls
``run`` synchronously. Cancelling raises ``Cancelled`` inside the job and is
reported as the "cancelled" stage, never as an error. A failed document is a
result (``ok=False``): the batch goes on.

An e-mail's attachments are documents of their own: once the message is read
(and saved), each becomes a job of its own right after it, with its own events
and result, read from its bytes in the same child and saved with a link to the
message (``parent_id``). A message already in the vault brings only the
attachments the vault lacks (one that needed a password, or was cancelled):
those are read again, the rest are not even opened.

Reading runs in a child process with limits (``reading.sandbox.Sandbox``), so a
file that kills or hangs its reader fails alone; one warm child serves a batch
and is ended when the queue goes idle, on shutdown and at the end of ``run_all``.

A password-protected PDF fails with ``needs_password`` set; ``read_again`` runs
the same job (same id) once more with the password the person typed. The
password lives on the job only until the file has been read; it is never logged
or stored. Such a job is kept until it is read again or ``forget``-ten: an
e-mail's attachment has no file to read again, so its bytes (already in this
process's memory, never written anywhere) and its link to the message come from
the kept job. ``run_all``'s ``pdf_password`` is tried on attachments too.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import queue
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from .errors import Cancelled, PasswordRequired, UserError
from .reading import expand_paths, limits
from .reading.base import Document
from .reading.sandbox import Sandbox
from .understanding.result import Extraction

log = logging.getLogger("strongroom.jobs")

QUEUED, READING, UNDERSTANDING, SAVING = "queued", "reading", "understanding", "saving"
DONE, FAILED, CANCELLED = "done", "failed", "cancelled"
FINAL_STAGES = frozenset({DONE, FAILED, CANCELLED})
#: A submitted batch held no file at all (an empty folder); ``job_id`` is 0.
NOTHING_FOUND = "nothing_found"


class Understand(Protocol):
    def __call__(
        self, doc: Document, *, cancel: threading.Event, progress: Callable[[float], None]
    ) -> Extraction: ...


class Store(Protocol):
    """The part of the vault the queue needs."""

    def find_by_sha256(self, sha256: str) -> int | None: ...

    def add_document(self, doc: Document, extraction: Extraction, *,
                     parent_id: int | None = None) -> int: ...


@dataclass
class JobResult:
    job_id: int
    path: Path
    ok: bool
    error: str | None = None
    doc_id: int | None = None  # set once saved (or already in the vault)
    duplicate: bool = False
    needs_password: bool = False  # a password-protected PDF: ``read_again`` with one
    document: Document | None = field(default=None, repr=False)
    extraction: Extraction | None = None
    parent_id: int | None = None  # the saved message this attachment came in
    #: The results of this document's attachments, in order (each also a result of its own).
    attachments: list[JobResult] = field(default_factory=list, repr=False)

    def with_attachments(self) -> Iterator[JobResult]:
        """This result, then its attachments' (and theirs), depth first."""
        yield self
        for child in self.attachments:
            yield from child.with_attachments()


@dataclass(frozen=True)
class JobEvent:
    """Sent on every stage change and progress step (``job_did_change``)."""

    job_id: int
    path: Path
    stage: str
    fraction: float  # 0..1 across the whole job
    result: JobResult | None = None  # set on the final stage


@dataclass
class Job:
    job_id: int
    path: Path  # for an attachment: its message's path / the attachment's name
    cancel: threading.Event = field(default_factory=threading.Event)
    #: An attachment's bytes (read from memory, never from ``path``), its message's
    #: id in the vault, and how many messages deep it sits.
    data: bytes | None = field(default=None, repr=False)
    parent_id: int | None = None
    depth: int = 0
    password: str | None = field(default=None, repr=False)  # dropped once read


@dataclass(frozen=True)
class _Batch:
    paths: list[Path]
    epoch: int  # cancel-all before the walk drops the batch
    again: Job | None = None  # ``read_again``: this job, not ``paths``


def _report_bug(exc: BaseException) -> str:
    # Log where it broke but not the exception text: it may quote document content.
    log.error("bug while processing a document: %s\n%s", type(exc).__name__,
              "".join(traceback.format_tb(exc.__traceback__)))
    return f"Internal error ({type(exc).__name__}); the document was not saved."


class Processor:
    """Runs jobs; ``store=None`` means extract only (``strongroom extract``)."""

    def __init__(
        self,
        understand: Understand,
        *,
        store: Store | None = None,
        on_event: Callable[[JobEvent], Any] | None = None,
        reader: Sandbox | None = None,
    ) -> None:
        self._understand = understand
        self._reader = reader or Sandbox()
        self._store = store
        self._on_event = on_event or (lambda event: None)
        self._ids = itertools.count(1)
        self._jobs: dict[int, Job] = {}
        self._queue: queue.Queue[_Batch | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._epoch = 0
        #: Jobs that failed for want of a PDF password, by id, until read again.
        self._locked: dict[int, Job] = {}
        self._pdf_password: str | None = None  # ``run_all``'s, while it runs

    # -- queueing ------------------------------------------------------------
    def submit(self, paths: Iterable[Path]) -> None:
        """Queue files and folders for the worker thread. Folders are walked there
        too, so a huge folder never freezes the caller: each file found is
        announced by its "queued" event; a batch with no file at all, by one
        ``NOTHING_FOUND`` event."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="strongroom-jobs", daemon=True)
            self._thread.start()
        self._queue.put(_Batch([Path(p) for p in paths], self._epoch))

    def read_again(self, job_id: int, path: Path, password: str) -> None:
        """Run job ``job_id`` (one that failed with ``needs_password``) again on the
        worker thread, opening its PDF with ``password``; its events carry the same
        id, so the window's row for it moves on from "failed". An attachment is read
        from the bytes its job kept (``path`` is not a file) and stays linked to its
        message; a job no longer kept is read from ``path``."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="strongroom-jobs", daemon=True)
            self._thread.start()
        kept = self._locked.pop(job_id, None)
        job = (Job(job_id, Path(path)) if kept is None
               else replace(kept, cancel=threading.Event()))
        job.password = password
        self._queue.put(_Batch([], self._epoch, job))

    def forget(self, job_id: int | None = None) -> None:
        """Drop a job kept for ``read_again`` (every one for ``None``): the person
        gave up on its password; an attachment's bytes go with it."""
        if job_id is None:
            self._locked.clear()
        else:
            self._locked.pop(job_id, None)

    def run_all(self, paths: Iterable[Path], *,
                pdf_password: str | None = None) -> Iterator[JobResult]:
        """Synchronous, for the command line: the same steps, on this thread.
        ``pdf_password`` is tried on every password-protected PDF."""
        self._pdf_password = pdf_password
        try:
            for job in [self._new_job(p) for p in expand_paths(paths)]:
                job.password = pdf_password
                yield from self.run(job).with_attachments()
        finally:
            self._pdf_password = None
            self._locked.clear()  # nobody reads these again: no bytes kept
            self._reader.close()

    def cancel(self, job_id: int | None = None) -> None:
        """Cancel one job, or every unfinished one (and every batch not yet walked)."""
        if job_id is None:
            self._epoch += 1
            self._locked.clear()
        targets = self._jobs.values() if job_id is None else [self._jobs[job_id]]
        for job in list(targets):
            job.cancel.set()

    def shutdown(self, timeout: float | None = None) -> bool:
        """Cancel everything and stop the worker; True once it has stopped (or never ran)."""
        self.cancel()
        thread, self._thread = self._thread, None
        if thread is None:
            self._reader.close()
            return True
        self._queue.put(None)
        thread.join(timeout)
        return not thread.is_alive()

    def _new_job(self, path: Path, **attachment: Any) -> Job:
        job = Job(next(self._ids), Path(path), **attachment)
        self._jobs[job.job_id] = job
        self._emit(job, QUEUED, 0.0)
        return job

    def _work(self) -> None:
        while (batch := self._queue.get()) is not None:
            if batch.epoch != self._epoch:
                continue
            if batch.again is not None:
                job = batch.again
                self._jobs[job.job_id] = job
                self._emit(job, QUEUED, 0.0)
                jobs = [job]
            else:
                jobs = [self._new_job(p) for p in expand_paths(batch.paths)]
            if not jobs:
                where = batch.paths[0] if batch.paths else Path()
                self._on_event(JobEvent(0, where, NOTHING_FOUND, 1.0))
            for job in jobs:
                self.run(job)
            if self._queue.empty():
                self._reader.close()  # idle: no reader process holds document text
        self._reader.close()

    # -- one document --------------------------------------------------------
    def run(self, job: Job) -> JobResult:
        try:
            result = self._run(job)
            stage = DONE if result.ok else FAILED
        except Cancelled:
            result, stage = JobResult(job.job_id, job.path, ok=False, error="Cancelled."), CANCELLED
        except PasswordRequired as exc:
            result = JobResult(job.job_id, job.path, ok=False, error=str(exc),
                               needs_password=True)
            stage = FAILED
            self._locked[job.job_id] = job  # before the event: the window may answer at once
        except UserError as exc:
            result, stage = JobResult(job.job_id, job.path, ok=False, error=str(exc)), FAILED
        except Exception as exc:  # a bug: report it, keep the batch going
            result = JobResult(job.job_id, job.path, ok=False, error=_report_bug(exc))
            stage = FAILED
        result.parent_id = job.parent_id
        job.password = None
        self._jobs.pop(job.job_id, None)
        self._emit(job, stage, 1.0, result)
        self._run_attachments(job, result)
        return result

    def _run_attachments(self, job: Job, result: JobResult) -> None:
        """Each attachment of a document just read, as a job of its own."""
        doc = result.document
        if doc is None or not result.ok or not doc.attachments:
            return
        if job.depth >= limits.MAX_EMAIL_DEPTH:  # the reader refuses deeper; never loop
            return
        attachments = doc.attachments
        if result.duplicate:  # only what the vault lacks, linked to the stored message
            store = self._store
            if store is None:
                return
            attachments = tuple((name, data) for name, data in attachments
                                if store.find_by_sha256(hashlib.sha256(data).hexdigest()) is None)
        epoch = self._epoch
        for name, data in attachments:
            if self._epoch != epoch:  # everything was cancelled meanwhile
                break
            child = self._new_job(job.path / name, data=data, parent_id=result.doc_id,
                                  depth=job.depth + 1, password=self._pdf_password)
            result.attachments.append(self.run(child))

    def _run(self, job: Job) -> JobResult:
        def check() -> None:
            if job.cancel.is_set():
                raise Cancelled

        check()
        self._emit(job, READING, 0.02)
        try:
            if job.data is None:
                doc = self._reader.read_path(job.path, cancel=job.cancel, password=job.password)
            else:
                doc = self._reader.read_bytes(job.path.name, job.data, cancel=job.cancel,
                                              password=job.password)
        finally:
            job.password = None  # read (or refused): no longer needed
        check()
        if self._store is not None:
            existing = self._store.find_by_sha256(doc.sha256)
            if existing is not None:
                return JobResult(job.job_id, job.path, ok=True, doc_id=existing,
                                 duplicate=True, document=doc, parent_id=job.parent_id)
        self._emit(job, UNDERSTANDING, 0.1)
        extraction = self._understand(
            doc, cancel=job.cancel,
            progress=lambda f: self._emit(job, UNDERSTANDING, 0.1 + 0.8 * max(0.0, min(1.0, f))),
        )
        check()
        doc_id = None
        if self._store is not None:
            self._emit(job, SAVING, 0.95)
            doc_id = self._store.add_document(doc, extraction, parent_id=job.parent_id)
        return JobResult(job.job_id, job.path, ok=True, doc_id=doc_id, document=doc,
                         extraction=extraction, parent_id=job.parent_id)

    def _emit(self, job: Job, stage: str, fraction: float, result: JobResult | None = None) -> None:
        self._on_event(JobEvent(job.job_id, job.path, stage, fraction, result))

