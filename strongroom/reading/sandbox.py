"""Readers in a child process: a hostile file may kill or hang its reader, never the app.

``Sandbox.read_path`` reads the file's bytes here (``files.load``), hands them to
a child process over a pipe, and gets back the ``Document`` or the ``ReadError``
the readers raised. The child runs with limits; when it dies or overruns, the
file gets a clear message from ``messages`` and the next read starts a fresh
child, so the batch goes on and nothing already stored is touched.

Choices, and why:

- **multiprocessing, spawn context.** Never fork: the app holds a loaded model
  and the vault's key, and a forked child would inherit both (and threads'
  locks). Spawn starts a fresh interpreter that imports only the readers. It
  also keeps working in a frozen (PyInstaller) app, provided
  ``multiprocessing.freeze_support()`` runs first thing in the entry point:
  ``launcher.main`` calls it, and ``strongroom/__main__.py`` and the
  ``strongroom`` script both go through ``launcher.main`` (so does the window).
  Spawn also starts multiprocessing's small resource-tracker process once.
- **One warm child.** Starting Python and importing pypdfium2, python-docx and
  lxml costs about 0.5 s (docs/MEASUREMENTS.md, issue 22), so one child serves
  a batch; it is replaced after any failure, and ``close`` ends it (the queue
  closes it when it goes idle and on shutdown, so no document text lingers in
  an idle process).
- **Limits, set in the child.** ``RLIMIT_AS`` (address space,
  ``MEMORY_BYTES``: OCR's 1.6 GB of reserved address space on a large page, with
  room; a 1,000-page, 9-million-character PDF needs 100 MB), ``RLIMIT_CPU``
  (``CPU_SECONDS`` per file, raised before each read since CPU time adds up over
  the child's life; the kernel's SIGXCPU ends it; each page read by OCR adds
  ``OCR_PAGE_SECONDS`` of CPU and wall clock, told to the parent by a "page"
  message, so a 50-page scan is not cut short),
  ``RLIMIT_CORE`` 0 (no core file with document text), and a wall-clock limit
  (``WALL_SECONDS``) enforced here by killing the child. Windows has no
  ``resource`` module and macOS ignores ``RLIMIT_AS``: there the wall-clock
  limit and the readers' own limits (``limits``) are what is left; nothing
  fails for want of them.
- **No network, no files.** The child installs the network guard
  (``netguard``) before reading, drops the app's secrets from its environment,
  and writes nothing: bytes and text travel over the pipe only.
- **No pickle from the child.** Replies are JSON plus raw bytes with a length
  cap: the app never unpickles what a child that read a hostile file sends.
- **A PDF's password** travels in the request's header, only when one is given;
  it is never logged, stored or sent back, and the child drops it with the rest
  of the request (``PasswordRequired`` comes back for a missing or wrong one).
- **Cancellation.** The parent waits in short slices and checks the job's
  cancel event: a cancelled long read kills the child and raises ``Cancelled``.

A daemonic multiprocessing process may not start children, so code running in
one (the tests' kill harness) reads with ``in_process=True``.

This is a boundary for resources (memory, time, crashes), not a jail for
code: a reader exploited into running code runs as the person's account.

``STRONGROOM_READ_IN_PROCESS=1`` (or ``in_process=True``) reads on the calling
thread instead, for tests of the readers' logic; the app always uses the child.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path, PurePath
from typing import Any

from ..errors import Cancelled, PasswordRequired, ReadError
from . import limits, messages, quality, read_bytes
from .base import Document
from .files import file_name, load

log = logging.getLogger("strongroom.reading")

#: Address space a reader may use: OCR of a 3,000-pixel page reserves 1.6 GB of
#: address space (840 MB resident; ONNX Runtime's threads and buffers); a 1,000-page
#: PDF's text needs about 100 MB.
MEMORY_BYTES = 5 << 29  # 2.5 GiB
#: CPU seconds a reader may use on one file (a 1,000-page PDF takes about 10 s).
CPU_SECONDS = 60
#: Seconds the app waits for one file before it kills the reader.
WALL_SECONDS = 120.0
#: CPU and wall-clock seconds allowed from the start of each page read by OCR (3-5 s
#: a page here, with two threads; a file's own allowance, so the first page is not
#: cut shorter than any file).
OCR_PAGE_SECONDS = CPU_SECONDS
ENV_IN_PROCESS = "STRONGROOM_READ_IN_PROCESS"
#: Environment variables the child drops before reading anything.
_SECRETS = ("STRONGROOM_PASSPHRASE", "STRONGROOM_NEW_PASSPHRASE", "STRONGROOM_RECOVERY_CODE",
            "STRONGROOM_PDF_PASSWORD")
_TICK = 0.1  # seconds between checks of the cancel event while waiting
_JOIN_SECONDS = 5.0
#: Largest reply accepted from the child: the text cap as UTF-8 JSON, and room.
_MAX_REPLY = 8 * limits.MAX_TEXT_CHARS + (1 << 20)
_MAX_EINVOICE_REPLY = limits.MAX_EINVOICE_BYTES + 1
_MAX_PREVIEW_REPLY = 8 * 1024 * 1024  # a 1,600-pixel JPEG is 100-300 KB

#: Every message a reader may raise; a child's reply naming anything else is refused.
_MESSAGES = frozenset(value for key, value in vars(messages).items()
                      if key.isupper() and isinstance(value, str))
_WARNINGS = frozenset(quality.WARNINGS)
#: The messages that mean "read it again with the (right) password".
_PASSWORD_MESSAGES = frozenset({messages.PDF_LOCKED, messages.PDF_WRONG_PASSWORD})

#: ``read_bytes``'s shape: ``(name, data)``, and ``password=`` when one is given.
Reader = Callable[..., Document]


class ReaderBug(Exception):  # noqa: N818 - named for what the person's report shows
    """The reader raised something other than ``ReadError`` (a bug, logged)."""


class Sandbox:
    """Reads documents in one warm child process with limits (see the module text).

    One read at a time (a lock serialises callers); ``close`` ends the child.
    ``reader`` is the function the child runs, a module-level one (tests hand
    in readers that hang).
    """

    def __init__(
        self,
        *,
        memory_bytes: int = MEMORY_BYTES,
        cpu_seconds: int = CPU_SECONDS,
        wall_seconds: float = WALL_SECONDS,
        reader: Reader = read_bytes,
        in_process: bool | None = None,
    ) -> None:
        self.memory_bytes = memory_bytes
        self.cpu_seconds = cpu_seconds
        self.wall_seconds = wall_seconds
        self._reader = reader
        self.in_process = (os.environ.get(ENV_IN_PROCESS) == "1"
                           if in_process is None else in_process)
        self._lock = threading.Lock()
        self._process: Any = None  # multiprocessing's SpawnProcess
        self._conn: Connection | None = None

    # -- reading ----------------------------------------------------------------
    def read_path(self, path: Path, cancel: threading.Event | None = None, *,
                  password: str | None = None) -> Document:
        """``reading.read_path`` in the child: the bytes are read here, once."""
        path = Path(path)
        return self.read_bytes(file_name(path), load(path), cancel, password=password)

    def read_bytes(self, name: str, data: bytes, cancel: threading.Event | None = None,
                   *, password: str | None = None) -> Document:
        """``reading.read_bytes`` in the child; ``ReadError`` for a file that fails
        or kills or hangs its reader, ``Cancelled`` when ``cancel`` is set.
        ``password`` opens a password-protected PDF (``PasswordRequired`` without
        it or with a wrong one)."""
        name = PurePath(name).name
        if self.in_process:
            return _call(self._reader, name, data, password)
        with self._lock:
            header = self._ask(name, data, cancel, password)
            if header.get("status") == "ok":
                return self._document(name, data, header)
        status = header.get("status")
        if status == "error":  # only the readers' own words reach the person
            message = header.get("message")
            if message in _PASSWORD_MESSAGES:
                raise PasswordRequired(message)
            raise ReadError(message if message in _MESSAGES else messages.READER_CRASHED)
        if status == "memory":
            raise ReadError(messages.READER_MEMORY)
        log.error("bug while reading a document in the child: %s\n%s",
                  header.get("type"), header.get("where", ""))
        raise ReaderBug(str(header.get("type")))

    def close(self) -> None:
        """End the child, if one runs (it is started again on the next read)."""
        with self._lock:
            self._stop()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the parent's side ------------------------------------------------------
    def _ask(self, name: str, data: bytes, cancel: threading.Event | None,
             password: str | None = None) -> dict[str, Any]:
        request: dict[str, str] = {"name": name}
        if password is not None:
            request["password"] = password
        conn = self._start()
        try:
            conn.send_bytes(json.dumps(request).encode())
            conn.send_bytes(data)
        except (OSError, ValueError):  # the idle child died: one fresh try
            self._stop()
            conn = self._start()
            conn.send_bytes(json.dumps(request).encode())
            conn.send_bytes(data)
        del request
        deadline = time.monotonic() + self.wall_seconds
        try:
            while True:
                if cancel is not None and cancel.is_set():
                    self._stop()
                    raise Cancelled
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._stop()
                    raise ReadError(messages.READER_TIMEOUT)
                if conn.poll(min(_TICK, remaining)):
                    raw = conn.recv_bytes(_MAX_REPLY)
                    header = json.loads(raw.decode("utf-8", "surrogatepass"))
                    if not isinstance(header, dict):
                        raise ValueError("reply is not an object")
                    if header.get("status") == "page":  # one more page for OCR
                        deadline += OCR_PAGE_SECONDS
                        continue
                    if header.get("status") == "ok":
                        header["einvoice"] = conn.recv_bytes(_MAX_EINVOICE_REPLY)
                        pages = header.get("preview_pages", [])
                        if len(pages) > limits.MAX_OCR_PAGES:
                            raise ValueError("more pictures than pages")
                        header["previews"] = [conn.recv_bytes(_MAX_PREVIEW_REPLY)
                                              for _ in pages]
                        header["attachments"] = _receive_attachments(conn, header)
                    if header.get("status") == "memory":
                        self._stop()  # a child that ran out of memory is not reused
                    return header
        except (EOFError, OSError, ValueError):  # died, or sent what no reader sends
            raise ReadError(self._why_dead()) from None

    @staticmethod
    def _document(name: str, data: bytes, header: dict[str, Any]) -> Document:
        try:
            starts = tuple(int(s) for s in header["page_starts"])
            einvoice = header["einvoice"] if header["has_einvoice"] else None
            boxes = tuple((int(a), int(z), int(p), float(x0), float(y0), float(x1), float(y1))
                          for a, z, p, x0, y0, x1, y1 in header.get("boxes", ()))
            previews = tuple((int(n), bytes(b)) for n, b in
                             zip(header["preview_pages"], header["previews"], strict=True))
            warnings = tuple(header.get("warnings", ()))
            if not set(warnings) <= _WARNINGS:  # only the readers' own words
                raise ValueError("unknown warning")
            return Document(name, str(header["kind"]), str(header["text"]), data,
                            starts, einvoice, boxes, previews,
                            tuple(header["attachments"]), warnings)
        except (KeyError, TypeError, ValueError):
            raise ReadError(messages.READER_CRASHED) from None

    def _start(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self._stop()
        if multiprocessing.current_process().daemon:  # multiprocessing forbids it
            raise RuntimeError("a daemonic process cannot start the reader's child process; "
                               "read with Sandbox(in_process=True) there")
        context = multiprocessing.get_context("spawn")
        parent_end, child_end = context.Pipe()
        process = context.Process(
            target=_child, name="strongroom-reader", daemon=True,
            args=(child_end, self.memory_bytes, self.cpu_seconds, self._reader))
        process.start()
        child_end.close()  # so the child's death reads as end-of-file here
        self._process, self._conn = process, parent_end
        return parent_end

    def _why_dead(self) -> str:
        """The message for a child that stopped answering; it is gone afterwards."""
        process = self._process
        if process is not None:
            process.join(_JOIN_SECONDS)
        code = None if process is None else process.exitcode
        self._stop()
        if code is not None and code < 0:
            if -code == getattr(signal, "SIGXCPU", None):
                return messages.READER_TIMEOUT
            # pdfium aborts when an allocation fails; the kernel's OOM killer kills.
            if -code in (signal.SIGABRT, getattr(signal, "SIGKILL", None)):
                return messages.READER_MEMORY
        return messages.READER_CRASHED

    def _stop(self) -> None:
        """Kill the child (it holds nothing to save) and forget it."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(_JOIN_SECONDS)
            with contextlib.suppress(ValueError):
                process.close()


def _receive_attachments(conn: Connection, header: dict[str, Any]) -> list[tuple[str, bytes]]:
    """The attachments that follow an "ok" reply: names in the header, each file's
    bytes as one message after the e-invoice, within the e-mail reader's caps."""
    names = header.get("attachments", [])
    if (not isinstance(names, list) or len(names) > limits.MAX_EMAIL_ATTACHMENTS
            or not all(isinstance(n, str) for n in names)):
        raise ValueError("attachments out of bounds")
    received, total = [], 0
    for attachment_name in names:
        blob = conn.recv_bytes(limits.MAX_EMAIL_ATTACHMENT_BYTES + 1)
        total += len(blob)
        if total > limits.MAX_EMAIL_ATTACHMENT_BYTES:
            raise ValueError("attachments out of bounds")
        received.append((attachment_name, blob))
    return received


# -- the child's side ------------------------------------------------------------
def _child(conn: Connection, memory_bytes: int, cpu_seconds: int, reader: Reader) -> None:
    """Serve reads until the parent closes the pipe (or a limit ends the process)."""
    from .. import netguard

    netguard.install()
    for secret in _SECRETS:
        os.environ.pop(secret, None)
    _limit(memory_bytes)
    from . import ocr

    def next_page() -> None:
        _limit_cpu(OCR_PAGE_SECONDS)
        conn.send_bytes(b'{"status": "page"}')

    ocr.on_page = next_page
    while True:
        try:
            header = json.loads(conn.recv_bytes())
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        _limit_cpu(cpu_seconds)
        einvoice, previews = b"", ()  # type: tuple[bytes, tuple[tuple[int, bytes], ...]]
        attachments: list[bytes] = []
        password = header.pop("password", None)  # dropped with the request, read or not
        try:
            doc = _call(reader, str(header["name"]), data,
                        None if password is None else str(password))
            del data
            einvoice, previews = doc.einvoice or b"", doc.previews
            reply: dict[str, Any] = {
                "status": "ok", "kind": doc.kind, "text": doc.text,
                "page_starts": list(doc.page_starts), "has_einvoice": doc.einvoice is not None,
                "boxes": [list(b) for b in doc.boxes],
                "preview_pages": [n for n, _ in doc.previews],
                "warnings": list(doc.warnings),
                "attachments": [attachment_name for attachment_name, _ in doc.attachments]}
            attachments = [blob for _, blob in doc.attachments]
        except ReadError as exc:
            reply = {"status": "error", "message": str(exc)}
        except MemoryError:
            reply = {"status": "memory"}
        except Exception as exc:  # a bug: the name and where, never the message (content)
            import traceback

            reply = {"status": "bug", "type": type(exc).__name__,
                     "where": "".join(traceback.format_tb(exc.__traceback__))}
        password = None  # read or refused: not kept for the next file
        try:
            # surrogatepass: a reader may hand back a lone surrogate; it must
            # arrive as it left, as it would in-process
            conn.send_bytes(json.dumps(reply, ensure_ascii=False).encode("utf-8", "surrogatepass"))
            if reply["status"] == "ok":
                conn.send_bytes(einvoice)
                for _, picture in previews:
                    conn.send_bytes(picture)
                for blob in attachments:
                    conn.send_bytes(blob)
        except MemoryError:
            return  # the parent reads the end of the pipe as a crash
        if reply["status"] == "memory":
            return


def _call(reader: Reader, name: str, data: bytes, password: str | None) -> Document:
    """``reader(name, data)``, with ``password=`` only when there is one (the tests'
    readers take no password)."""
    if password is None:
        return reader(name, data)
    return reader(name, data, password=password)


def _limit(memory_bytes: int) -> None:
    """Address space and core files; silently less where the platform has less."""
    try:
        import resource
    except ImportError:  # Windows
        return
    for which, soft in ((resource.RLIMIT_CORE, 0), (resource.RLIMIT_AS, memory_bytes)):
        with contextlib.suppress(ValueError, OSError):
            _, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                soft = min(soft, hard)
            resource.setrlimit(which, (soft, hard))


def _limit_cpu(cpu_seconds: int) -> None:
    """Allow ``cpu_seconds`` more CPU time from now (SIGXCPU ends the child after)."""
    try:
        import resource
    except ImportError:  # Windows
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime) + cpu_seconds
    with contextlib.suppress(ValueError, OSError):
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))

