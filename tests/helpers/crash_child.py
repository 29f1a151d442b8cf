"""The child side of the kill tests (tests/e2e/vault/test_vault_crash.py).

Each function here runs in a child process forked from a multiprocessing fork
server (imports are paid once there, so a child costs milliseconds rather than a
fresh interpreter's quarter second). ``Killer`` replaces
``strongroom.vault.crash.point`` so that the child SIGKILLs itself at one named
point, at a counted SQLite progress step after it (inside the statements that
follow: a VACUUM, an FTS rebuild) or a few milliseconds after it from a thread
(inside a COMMIT's writes and fsyncs, where SQLite calls nothing back). The
batch scenario is instead killed by the parent after a random delay.

Messages to the parent go through a pipe and survive the kill once sent:
``("loaded", s)``, ``("ready",)``, ``("saved", sha256)``, ``("failed", path, error)``,
``("elapsed", s)``,
``("steps", n)``,
``("killing", how)``, ``("finished", hits)``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from strongroom.jobs import Processor
from strongroom.reading.base import Document
from strongroom.reading.sandbox import Sandbox
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.ranker import RankerChooser
from strongroom.understanding.ranker import load as load_weights
from strongroom.understanding.result import Extraction
from strongroom.understanding.schema import schema
from strongroom.understanding.summary import template_summary
from strongroom.vault import Vault, backup, crash, db, store

#: SQLite virtual-machine instructions between two progress callbacks ("steps").
STEP_OPS = 100


@dataclass(frozen=True)
class Kill:
    """Where the child dies: the ``occurrence``-th time ``point`` is reached, then
    at once, or ``steps`` progress callbacks later, or ``delay`` seconds later."""

    point: str
    occurrence: int = 1
    steps: int = 0
    delay: float = 0.0

    def __str__(self) -> str:
        after = (f" +{self.steps} steps" if self.steps else
                 f" +{self.delay * 1000:.2f} ms" if self.delay else "")
        return f"{self.point}#{self.occurrence}{after}"


class Killer:
    """The replacement for ``crash.point`` in one child."""

    def __init__(self, kill: Kill, tell: Callable[[tuple[Any, ...]], None]) -> None:
        self.kill, self.tell = kill, tell
        self.hits = 0
        self.last = "(none)"  # the last point passed: where a later kill landed
        self.armed = False
        self.steps = 0  # progress callbacks counted since the kill was armed
        self.connections: list[Any] = []
        real_connect = db.connect

        def connect(*args: Any, **kwargs: Any) -> Any:  # every vault connection, to arm steps
            conn = real_connect(*args, **kwargs)
            self.connections.append(conn)
            return conn

        db.connect = connect  # type: ignore[assignment]
        crash.point = self.point

    def point(self, name: str) -> None:
        self.last = name
        if name != self.kill.point or self.armed:
            return
        self.hits += 1
        if self.hits != self.kill.occurrence:
            return
        self.armed = True
        if self.kill.steps:
            def progress() -> int:
                self.steps += 1
                if self.steps == self.kill.steps:
                    self.die(f"{self.steps} steps after {name}, last point {self.last}")
                return 0

            for conn in self.connections:
                conn.set_progress_handler(progress, STEP_OPS)
        elif self.kill.delay:
            threading.Thread(target=self._die_later, daemon=True).start()
        else:
            self.die(f"at {name}")

    def _die_later(self) -> None:
        time.sleep(self.kill.delay)
        self.die(f"{self.kill.delay * 1000:.2f} ms after {self.kill.point}, last point {self.last}")

    def die(self, how: str) -> None:
        self.tell(("killing", how))
        os.kill(os.getpid(), signal.SIGKILL)

    def finished(self) -> None:
        """The operation ended: an armed kill that has not fired fires now (late);
        a point never reached is reported (the parent fails the test). The steps
        counted tell the parent how many there are after a point (calibration)."""
        if self.armed:
            self.tell(("steps", self.steps))
            self.die(f"late: after the operation (armed at {self.kill})")
        self.tell(("finished", self.hits))


def run(scenario: str, kill: Kill | None, pipe: Connection, *args: Any) -> None:
    """The fork server's target: ``SCENARIOS[scenario](*args)`` under ``kill``."""
    tell = pipe.send
    killer = Killer(kill, tell) if kill is not None else None
    SCENARIOS[scenario](tell, *args)
    if killer is not None:
        killer.finished()
    else:
        tell(("finished", 0))


# -- scenarios -------------------------------------------------------------------
Tell = Callable[[tuple[Any, ...]], None]


def add_documents(tell: Tell, data_dir: Path, passphrase: str,
                  docs: list[tuple[Document, Extraction]], atomic: bool = True,
                  cache_pages: int | None = None, journal_mode: str | None = None) -> None:
    """``atomic=False`` is the control: ``store.transaction`` made a no-op, each
    statement commits on its own (the kill test must then find half a document).
    ``cache_pages``: a page cache so small that a large document spills pages into
    vault.db before COMMIT, so a kill before COMMIT leaves a hot journal.
    ``journal_mode="delete"``: the rollback journal, as releases before #20 wrote."""
    if not atomic:  # the store's transactions (db.Vault's documents live there, #20)
        store.transaction = lambda conn: contextlib.nullcontext()  # type: ignore[assignment]
    with Vault.open(data_dir, passphrase=passphrase) as vault:
        if journal_mode == "delete":
            vault._conn.execute("PRAGMA journal_mode = DELETE")
        if cache_pages is not None:
            vault._conn.execute(f"PRAGMA cache_size = {int(cache_pages)}")
        for doc, extraction in docs:
            vault.add_document(doc, extraction)
            tell(("saved", doc.sha256))


def write_backup(tell: Tell, data_dir: Path, passphrase: str, dest: Path) -> None:
    with Vault.open(data_dir, passphrase=passphrase) as vault:
        backup.write_backup(vault, dest)


def open_vault(tell: Tell, data_dir: Path, passphrase: str) -> None:
    Vault.open(data_dir, passphrase=passphrase).close()  # migrates


def create_vault(tell: Tell, data_dir: Path, passphrase: str) -> None:
    """A first start: the vault created (cheap Argon2id: the fork server's module
    values are the real ones, and the kills are about the files, not the KDF)."""
    from strongroom.vault import keys

    keys.ARGON2_MEMORY_KIB, keys.ARGON2_TIME_COST, keys.ARGON2_CALIBRATE = 1024, 1, False
    tell(("ready",))
    Vault.create(data_dir, passphrase=passphrase).close()


def compact(tell: Tell, data_dir: Path, passphrase: str) -> None:
    with Vault.open(data_dir, passphrase=passphrase) as vault:
        vault.compact()


def process(tell: Tell, data_dir: Path, passphrase: str, paths: list[Path],
            model_path: Path | None) -> None:
    """The job queue over a batch, as ``strongroom process`` runs it."""
    understand: Any
    if model_path is None:
        understand = CodeOnly()
    else:
        from strongroom.model import backend_class
        from strongroom.understanding.pipeline import Understander

        started = time.perf_counter()
        understand = Understander(lambda: backend_class("llama.cpp").load(model_path))
        understand.backend  # noqa: B018 - load now, so "ready" means processing starts
        tell(("loaded", time.perf_counter() - started))
    with Vault.open(data_dir, passphrase=passphrase) as vault:
        tell(("ready",))
        started = time.perf_counter()
        # In-process reading: this child is daemonic, and multiprocessing lets no
        # daemonic process start children (the reader's); these runs are about kills
        # of the vault's writer, and tests/e2e/reading covers the reader's child.
        reader = Sandbox(in_process=True)
        for result in Processor(understand, store=vault, reader=reader).run_all(paths):
            if not result.ok:
                tell(("failed", str(result.path), result.error))
            elif result.document is not None:
                tell(("saved", result.document.sha256))
        tell(("elapsed", time.perf_counter() - started))


class CodeOnly:
    """The pipeline without the model, as ``strongroom eval --no-model`` runs it:
    the type is given (here by the file name, ``<type>-NNN.txt``), fields come
    from the candidate finders and the shipped ranker, the summary from the
    template. Deterministic, so a run with kills can be compared with one without."""

    def __init__(self) -> None:
        self.chooser = RankerChooser(load_weights())

    def __call__(self, doc: Document, *, cancel: threading.Event,
                 progress: Callable[[float], None]) -> Extraction:
        doc_type = doc.name.split("-")[0]
        doc_schema = schema(doc_type)
        fields = extract_fields(doc.text, doc_schema, self.chooser)
        dates = (fields[f.name].normalized for f in doc_schema.fields if f.kind == "date")
        return Extraction(doc_type=doc_type, summary=template_summary(doc_type, fields),
                          summary_source="template", fields=fields,
                          doc_date=next((d for d in dates if d), None))


SCENARIOS: dict[str, Callable[..., None]] = {
    "add_documents": add_documents, "write_backup": write_backup, "open_vault": open_vault,
    "compact": compact, "process": process, "create_vault": create_vault,
}
