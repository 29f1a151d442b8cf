"""The document list: vault documents plus this session's jobs, newest first.

An e-mail's attachments are listed right under their message, indented ("↳"),
in the order they came in it (when the message is listed too: a search may show
an attachment without it; its tooltip then still names it as an attachment).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from strongroom import jobs
from strongroom.jobs import JobEvent
from strongroom.shown import shown
from strongroom.understanding.result import Extraction
from strongroom.vault.records import DocumentRow

#: The fields whose normalized value is "the document's date" (as the vault's list).

COLUMNS = ("Name", "Type", "Date", "Status")
NAME, TYPE, DATE, STATUS = range(len(COLUMNS))

_FAILED_COLOR = QColor("#a3281f")
_BUSY_COLOR = QColor("#1f5f99")
_QUIET_COLOR = QColor("#6b6f76")
_REVIEW_COLOR = QColor("#9a5b00")  # amber: look again, nothing failed

Index = QModelIndex | QPersistentModelIndex


def type_label(doc_type: str) -> str:
    """``bank_statement`` → ``Bank statement``."""
    return doc_type.replace("_", " ").strip().capitalize()


@dataclass
class Entry:
    """One row. ``doc_id`` is set once the document is in the vault."""

    name: str
    doc_type: str = ""
    date: str = ""  # the document's own date (ISO), "" when unknown
    doc_id: int | None = None
    job_id: int | None = None
    stage: str = jobs.DONE
    fraction: float = 1.0
    error: str | None = None
    duplicate: bool = False
    needs_review: bool = False  # a field's status is "needs_review"
    parent_id: int | None = None  # the e-mail this attachment came in
    parent_name: str = ""  # that e-mail's name, when it is listed above this row
    depth: int = 0  # rows under rows: 1 for an attachment listed under its message
    job_path: Path | None = None  # this session's job's path (attachments' sit under it)

    @classmethod
    def from_row(cls, row: DocumentRow) -> Entry:
        return cls(name=row.name, doc_type=row.doc_type, date=row.doc_date or "",
                   doc_id=row.id, needs_review=row.needs_review, parent_id=row.parent_id)

    @property
    def attached(self) -> bool:
        """It came in an e-mail (stored with its link, or listed under its message)."""
        return self.parent_id is not None or self.depth > 0

    @property
    def running(self) -> bool:
        return self.stage not in jobs.FINAL_STAGES

    @property
    def status(self) -> str:
        return status_text(self.stage, self.fraction, self.error, self.duplicate,
                           self.needs_review)


def status_text(stage: str, fraction: float, error: str | None = None,
                duplicate: bool = False, needs_review: bool = False) -> str:
    if stage == jobs.QUEUED:
        return "Waiting…"
    if stage == jobs.READING:
        return "Reading…"
    if stage == jobs.UNDERSTANDING:
        return f"Understanding… {round(100 * fraction)}%"
    if stage == jobs.SAVING:
        return "Saving…"
    if stage == jobs.FAILED:
        return f"Failed: {error or 'unknown error'}"
    if stage == jobs.CANCELLED:
        return "Cancelled"
    if duplicate:
        return "Already in vault"
    return "Needs review" if needs_review else "Saved"


def _date_of(extraction: Extraction) -> str:
    return extraction.doc_date or ""


class DocumentListModel(QAbstractTableModel):
    """Rows are ``Entry`` objects; ``Qt.UserRole`` hands one back."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []

    # -- reading ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry, column = self._entries[index.row()], index.column()
        if role == Qt.ItemDataRole.ToolTipRole and column == NAME and entry.attached:
            return attached_tip(entry)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            if entry.stage == jobs.FAILED:
                return _FAILED_COLOR
            if entry.running:
                return _BUSY_COLOR
            if entry.stage == jobs.CANCELLED or entry.duplicate:
                return _QUIET_COLOR
            if entry.needs_review:
                return _REVIEW_COLOR
        if role == Qt.ItemDataRole.UserRole:
            return entry
        return None

    @staticmethod
    def _text(entry: Entry, column: int) -> str:
        if column == NAME:
            name = shown(entry.name)  # a name may hold controls or bidi overrides
            return f"{'   ' * (entry.depth - 1)}↳ {name}" if entry.depth else name
        if column == TYPE:
            return type_label(entry.doc_type)
        if column == DATE:
            return entry.date
        return entry.status

    def entry(self, row: int) -> Entry:
        return self._entries[row]

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def row_of_job(self, job_id: int) -> int | None:
        return next((i for i, e in enumerate(self._entries) if e.job_id == job_id), None)

    def running_job_ids(self) -> list[int]:
        return [e.job_id for e in self._entries if e.running and e.job_id is not None]

    # -- changing --------------------------------------------------------------
    def set_documents(self, rows: Iterable[DocumentRow]) -> None:
        """The vault's documents, after this session's unsaved rows."""
        self.beginResetModel()
        session = [e for e in self._entries if e.doc_id is None]
        self._entries = session + nest([Entry.from_row(r) for r in rows])
        self.endResetModel()

    def clear(self) -> None:
        """Forget every row, this session's too (the window is locking)."""
        self.beginResetModel()
        self._entries = []
        self.endResetModel()

    def apply_events(self, events: Iterable[JobEvent]) -> None:
        for event in events:
            row = self.row_of_job(event.job_id)
            if row is None:
                row, entry = self._new_job_row(event)
                self.beginInsertRows(QModelIndex(), row, row)
                self._entries.insert(row, entry)
                self.endInsertRows()
            self._update(self._entries[row], event)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _new_job_row(self, event: JobEvent) -> tuple[int, Entry]:
        """A new job's row: on top, or, for an attachment, under its message's row
        (after the attachments already there)."""
        entry = Entry(name=event.path.name, job_id=event.job_id, job_path=event.path)
        up = next((i for i, e in enumerate(self._entries)
                   if e.job_path is not None and e.job_path == event.path.parent), None)
        if up is None:
            return 0, entry
        message = self._entries[up]
        entry.depth, entry.parent_name = message.depth + 1, message.name
        entry.parent_id = message.doc_id
        row = up + 1
        while row < len(self._entries) and self._entries[row].depth > message.depth:
            row += 1
        return row, entry

    def _update(self, entry: Entry, event: JobEvent) -> None:
        entry.stage, entry.fraction = event.stage, event.fraction
        result = event.result
        if result is None:
            return
        entry.error = None if event.stage == jobs.DONE else result.error
        entry.doc_id, entry.duplicate = result.doc_id, result.duplicate
        if result.parent_id is not None:
            entry.parent_id = result.parent_id
        if result.extraction is not None:
            entry.doc_type = result.extraction.doc_type
            entry.date = _date_of(result.extraction)
            entry.needs_review = any(fv.status == "needs_review"
                                     for fv in result.extraction.fields.values())
        elif result.duplicate:
            twin = next((e for e in self._entries if e.doc_id == result.doc_id
                         and e is not entry and e.doc_type), None)
            if twin is not None:
                entry.doc_type, entry.date = twin.doc_type, twin.date

    def set_document_info(self, doc_id: int, doc_type: str, date: str) -> None:
        """Fill in type and date for rows of ``doc_id`` (a duplicate of an unlisted one)."""
        for row, entry in enumerate(self._entries):
            if entry.doc_id == doc_id:
                entry.doc_type, entry.date = doc_type, date
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._entries[row]
        self.endRemoveRows()

    def remove_document(self, doc_id: int) -> None:
        """Every row showing ``doc_id`` (its own and any "Already in vault" ones)."""
        for row in reversed(range(len(self._entries))):
            if self._entries[row].doc_id == doc_id:
                self.remove_row(row)


def attached_tip(entry: Entry) -> str:
    """An attachment's name column tooltip: its name and the e-mail it came in."""
    where = (f"Attached to “{shown(entry.parent_name)}”" if entry.parent_name
             else "Came attached to an e-mail (select it to see which)")
    return f"{shown(entry.name)}\n{where}"


def nest(entries: list[Entry]) -> list[Entry]:
    """``entries`` in their order, each listed message followed by its attachments
    (oldest first: the order they came in it), indented; an attachment whose message
    is not among ``entries`` keeps its own place."""
    by_id = {e.doc_id: e for e in entries if e.doc_id is not None}
    under: dict[int, list[Entry]] = {}
    top: list[Entry] = []
    for e in entries:
        if e.parent_id is not None and e.parent_id in by_id and e.parent_id != e.doc_id:
            under.setdefault(e.parent_id, []).append(e)
        else:
            top.append(e)
    out: list[Entry] = []
    placed: set[int] = set()

    def place(e: Entry, depth: int, parent: Entry | None) -> None:
        if e.doc_id is not None:
            if e.doc_id in placed:
                return
            placed.add(e.doc_id)
        e.depth, e.parent_name = depth, parent.name if parent is not None else ""
        out.append(e)
        for child in sorted(under.get(e.doc_id or -1, []), key=lambda c: c.doc_id or 0):
            place(child, depth + 1, e)

    for e in top:
        place(e, 0, None)
    for e in entries:  # a loop of links (never written by the vault) is listed flat
        if e.doc_id not in placed:
            place(e, 0, None)
    return out
