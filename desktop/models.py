"""The document list: vault documents plus this session's jobs, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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

    @classmethod
    def from_row(cls, row: DocumentRow) -> Entry:
        return cls(name=row.name, doc_type=row.doc_type, date=row.doc_date or "",
                   doc_id=row.id, needs_review=row.needs_review)

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
            return shown(entry.name)  # a name may hold controls or bidi overrides
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
        self._entries = session + [Entry.from_row(r) for r in rows]
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
                self.beginInsertRows(QModelIndex(), 0, 0)
                self._entries.insert(0, Entry(name=event.path.name, job_id=event.job_id))
                self.endInsertRows()
                row = 0
            self._update(self._entries[row], event)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _update(self, entry: Entry, event: JobEvent) -> None:
        entry.stage, entry.fraction = event.stage, event.fraction
        result = event.result
        if result is None:
            return
        entry.error = None if event.stage == jobs.DONE else result.error
        entry.doc_id, entry.duplicate = result.doc_id, result.duplicate
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
