"""The detail pane: what Strongroom found in one document, and where.

Selecting a field highlights its span in the document text: every value shown as
found is quoted from the text, and the person can check it with their own eyes.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from strongroom.shown import shown
from strongroom.understanding.result import FieldValue
from strongroom.vault.records import StoredDocument

from .models import type_label
from .pageview import Box, PageView

NOT_FOUND = "—"
_HIGHLIGHT = QColor("#ffe08a")
_QUIET = QColor("#6b6f76")
_KINDS = {"text": "Text file", "pdf": "PDF", "docx": "Word document", "xlsx": "Excel workbook",
          "ofx": "Bank export (OFX)", "image": "Photo or scan", "html": "Web page",
          "email": "E-mail"}
#: Below this router probability the type is shown as a guess (issue 21).
TYPE_SURE = 0.8


def type_meta(doc: StoredDocument) -> str:
    """The type as the detail pane names it: a guess says it is one, in numbers."""
    label = type_label(doc.doc_type)
    if doc.type_confidence is not None and doc.type_confidence < TYPE_SURE:
        return f"{label}? (type uncertain: {doc.type_confidence:.0%} sure)"
    return label


def qt_offset(text: str, index: int) -> int:
    """Position in a QTextDocument holding ``text`` of the Python index ``index``.

    Qt counts UTF-16 code units (an emoji is two) and turns "\\r\\n" into one
    paragraph break; Python counts code points.
    """
    head = text[:index]
    return len(head.encode("utf-16-le")) // 2 - head.count("\r\n")


def py_offset(text: str, qt_index: int) -> int:
    """The Python index in ``text`` of a QTextDocument position (``qt_offset``'s inverse)."""
    lo, hi = 0, len(text)
    while lo < hi:  # qt_offset only grows with the index
        mid = (lo + hi) // 2
        if qt_offset(text, mid) < qt_index:
            lo = mid + 1
        else:
            hi = mid
    return lo


#: How each review status reads in the fields table, and its colour.
STATUS_TEXT = {"verified": "✓ Verified", "grounded": "In the text",
               "needs_review": "⚠ Needs review"}
_STATUS_COLOR = {"verified": QColor("#1f7a3a"), "needs_review": QColor("#9a5b00")}
#: A lab value out of its range reads in this colour, bold, whatever its review status:
#: a high result in the verified green read as good news (issue 24).
_OUT_OF_RANGE = QColor("#a3281f")
_OUT_OF_RANGE_FLAGS = frozenset({"high", "low", "abnormal"})


def status_cell(fv: FieldValue) -> str:
    """"✓ Verified", "In the text · 84%", "⚠ Needs review · 41%" or ""."""
    text = STATUS_TEXT.get(fv.status or "", "")
    if text and fv.score is not None and fv.status != "verified":
        text += f" · {fv.score:.0%}"
    return text


def list_cell(name: str) -> tuple[str, int, str] | None:
    """``tests.2.value`` → ("tests", 2, "value"): a cell of a list field; else None."""
    parts = name.split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1]), parts[2]


#: Column headings of a list's table (lab tests); other columns read as their names.
LIST_HEADINGS = {"name": "Test", "value": "Result", "unit": "Unit",
                 "range": "Reference range", "flag": "Flag"}


def field_label(name: str) -> str:
    """``total_due`` → "Total due"; a list's cell ``tests.2.value`` → "Test 2 · value"."""
    if name.count(".") == 2:
        field, row, column = name.split(".")
        return f"{field_label(field).removesuffix('s')} {row} · {column}"
    return name.replace("_", " ").strip().capitalize()


def message_title(doc: StoredDocument) -> str:
    """How an e-mail is named to the person: its subject (the reader's header block
    starts its text), else its file name; any other document, its name."""
    if doc.kind == "email":
        for line in doc.text.split("\n", 8)[:8]:
            if not line.strip():
                break  # the end of the header block
            if line.startswith("Subject: ") and line[9:].strip():
                return line[9:].strip()
    return doc.name


def _link(doc_id: int, text: str) -> str:
    """A link to a document: ``text`` (a name or a subject) made safe, then escaped."""
    return f'<a href="doc:{doc_id}">{html.escape(shown(text))}</a>'


def links_html(came_in: tuple[int, str] | None,
               attachments: tuple[tuple[int, str], ...]) -> str:
    """The detail pane's "Attached to" and "Attachments" lines (rich text, every
    name escaped); "" when the document has neither."""
    lines = []
    if came_in is not None:
        lines.append(f"Attached to the e-mail “{_link(*came_in)}”")
    if attachments:
        count = f"{len(attachments)} attachment{'s' if len(attachments) != 1 else ''}"
        lines.append(f"{count.capitalize()}: " + " · ".join(_link(i, n) for i, n in attachments))
    return "<br>".join(lines)


class DetailPane(QStackedWidget):
    #: (document id, field name): the user says the value is right.
    confirm_requested = Signal(int, str)
    #: (document id, field name, start, end): the user says this span of the text is it.
    correct_requested = Signal(int, str, int, int)
    #: A document id: the person clicked the e-mail this came in, or an attachment.
    open_requested = Signal(int)

    """Three faces: nothing selected, a message (in progress / failed), a document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc: StoredDocument | None = None
        self._build_placeholder()
        self._build_message()
        self._build_document()
        self.show_empty()

    # -- building --------------------------------------------------------------
    def _build_placeholder(self) -> None:
        self.placeholder = QLabel("Select a document to see what Strongroom found in it.")
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.addWidget(self.placeholder)

    def _build_message(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 24, 24, 24)
        self.message_name = QLabel()
        self.message_name.setObjectName("docTitle")
        self.message_name.setTextFormat(Qt.TextFormat.PlainText)  # a file name, never HTML
        self.message_name.setWordWrap(True)
        self.message_box = QFrame()
        self.message_box.setObjectName("messageBox")
        box = QVBoxLayout(self.message_box)
        self.message_title = QLabel()
        self.message_title.setObjectName("messageTitle")
        self.message_text = QLabel()
        self.message_text.setWordWrap(True)
        self.message_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.message_title)
        box.addWidget(self.message_text)
        layout.addWidget(self.message_name)
        layout.addSpacing(8)
        layout.addWidget(self.message_box)
        layout.addStretch(1)
        self.message_page = page
        self.addWidget(page)

    def _build_document(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        self.title = QLabel()
        self.title.setObjectName("docTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a file name, never HTML
        self.title.setWordWrap(True)
        self.meta = QLabel()
        self.meta.setObjectName("meta")
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The e-mail an attachment came in, and a message's attachments, as links.
        self.links = QLabel()
        self.links.setObjectName("links")
        self.links.setTextFormat(Qt.TextFormat.RichText)  # names escaped in links_html
        self.links.setWordWrap(True)
        self.links.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                           | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.links.setOpenExternalLinks(False)
        self.links.linkActivated.connect(self._link_activated)
        for widget in (self.title, self.meta, self.links, self.summary):
            layout.addWidget(widget)

        self.fields_table = _table(4, QAbstractItemView.SelectionBehavior.SelectRows)
        self.fields_table.setHorizontalHeaderLabels(["Field", "Value", "Normalized", "Check"])
        header = self.fields_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.fields_table.itemSelectionChanged.connect(self._field_selected)
        # A list field (a lab report's tests) is a table of its own: one row a test.
        self.list_title = _section("Tests")
        self.list_table = _table(0, QAbstractItemView.SelectionBehavior.SelectItems)
        self.list_table.itemSelectionChanged.connect(self._cell_selected)
        self._selected: str | None = None
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.confirm_button = QPushButton("Confirm")
        self.confirm_button.setToolTip("This value is right: mark it verified. Strongroom "
                                       "learns from it, inside the vault.")
        self.confirm_button.clicked.connect(self._confirm)
        self.use_selection_button = QPushButton("Use selected text")
        self.use_selection_button.setToolTip("Select the right value in the document text "
                                             "below, then press this.")
        self.use_selection_button.clicked.connect(self._use_selection)
        review_row = QHBoxLayout()
        review_row.setContentsMargins(0, 0, 0, 0)
        review_row.addWidget(self.hint, 1)
        review_row.addWidget(self.confirm_button)
        review_row.addWidget(self.use_selection_button)

        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.text_view.setAcceptDrops(False)  # drops go to the window
        self.text_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.text_view.setFont(mono)
        self.text_view.selectionChanged.connect(self._update_review_buttons)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 6, 0, 0)
        top_layout.addWidget(_section("Fields"))
        top_layout.addWidget(self.fields_table)
        top_layout.addWidget(self.list_title)
        top_layout.addWidget(self.list_table)
        top_layout.addLayout(review_row)
        top_layout.addStretch(1)  # tables as tall as their rows, spare room below
        # A photo, scan or PDF: its page beside its text, the field outlined.
        self.page_view = PageView()
        self.page_view.hide()
        self.text_and_page = QSplitter(Qt.Orientation.Horizontal)
        self.text_and_page.addWidget(self.text_view)
        self.text_and_page.addWidget(self.page_view)
        self.text_and_page.setChildrenCollapsible(False)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 6, 0, 0)
        self.text_title = _section("Document text")
        bottom_layout.addWidget(self.text_title)
        # A photo too blurred, dark or small to trust (issue 22): said beside its page.
        self.photo_warning = QLabel()
        self.photo_warning.setObjectName("photoWarning")
        self.photo_warning.setWordWrap(True)
        self.photo_warning.setSizePolicy(QSizePolicy.Policy.Preferred,
                                         QSizePolicy.Policy.Maximum)  # one line tall
        self.photo_warning.hide()
        bottom_layout.addWidget(self.photo_warning)
        bottom_layout.addWidget(self.text_and_page, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([300, 300])
        layout.addWidget(self.splitter, 1)
        self.document_page = page
        self.addWidget(page)

    # -- showing ---------------------------------------------------------------
    @property
    def document(self) -> StoredDocument | None:
        return self._doc

    def show_empty(self) -> None:
        self._doc = None
        self.setCurrentWidget(self.placeholder)

    def clear(self) -> None:
        """Drop every piece of document text the pane holds (the window is locking)."""
        self.show_empty()
        for label in (self.title, self.meta, self.links, self.summary, self.hint,
                      self.photo_warning,
                      self.message_name, self.message_title, self.message_text):
            label.clear()
        self.photo_warning.hide()
        self.text_view.setExtraSelections([])
        self.text_view.setPlainText("")  # also drops the undo history
        self.page_view.clear()
        self.page_view.hide()
        for table in (self.fields_table, self.list_table):
            table.blockSignals(True)
            table.clearContents()
            table.setRowCount(0)
            table.blockSignals(False)
        self._selected = None

    def show_message(self, name: str, title: str, message: str, *, failed: bool = False) -> None:
        """An unfinished or failed job: its name and what happened, in words."""
        self._doc = None
        self.message_name.setText(shown(name))
        self.message_title.setText(title)
        self.message_text.setText(message)
        self.message_box.setProperty("failed", failed)
        self.message_box.style().unpolish(self.message_box)
        self.message_box.style().polish(self.message_box)
        self.setCurrentWidget(self.message_page)

    def show_document(self, doc: StoredDocument, *, pictures: dict[int, bytes] | None = None,
                      boxes: tuple[Box, ...] = (),
                      came_in: tuple[int, str] | None = None) -> None:
        """Show ``doc``; ``pictures`` and ``boxes`` (from the vault) are its pages'
        pictures, shown beside the text with the selected field's words outlined;
        ``came_in`` is the e-mail it was attached to (id, ``message_title``)."""
        self._doc = doc
        links = links_html(came_in, doc.attachments)
        self.links.setText(links)
        self.links.setVisible(bool(links))
        self.page_view.set_document(pictures or {}, boxes)
        self.page_view.setVisible(self.page_view.has_pages)
        if self.page_view.has_pages:
            self.text_title.setText("Document text, beside its page")
            half = max(1, self.text_and_page.width() // 2)
            self.text_and_page.setSizes([half, half])
        else:
            self.text_title.setText("Document text")
        self.photo_warning.setText("\n".join(f"⚠ {w}" for w in doc.warnings))
        self.photo_warning.setVisible(bool(doc.warnings))
        self.title.setText(shown(doc.name))
        pages = len(doc.page_starts)
        meta = [type_meta(doc), _KINDS.get(doc.kind, doc.kind)]
        if pages > 1:
            meta.append(f"{pages} pages")
        meta.append(f"added {doc.added_at[:10]}")
        self.meta.setText(" · ".join(meta))
        self.summary.setText(doc.summary)
        self.text_view.setPlainText(doc.text)
        self.text_view.setExtraSelections([])
        self._fill_fields(doc)
        self.hint.setText("Select a field to see where it was found in the text.")
        self.setCurrentWidget(self.document_page)

    def _link_activated(self, href: str) -> None:
        if href.startswith("doc:") and href[4:].isdigit():
            self.open_requested.emit(int(href[4:]))

    def _fill_fields(self, doc: StoredDocument) -> None:
        self._selected = None
        plain = {n: fv for n, fv in doc.fields.items() if list_cell(n) is None}
        table = self.fields_table
        table.blockSignals(True)
        table.clearContents()
        table.setRowCount(len(plain))
        for row, (name, fv) in enumerate(plain.items()):
            cells = [
                QTableWidgetItem(field_label(name)),
                QTableWidgetItem(fv.value if fv.value is not None else NOT_FOUND),
                QTableWidgetItem(fv.normalized or ("not found" if fv.value is None else "")),
                QTableWidgetItem(status_cell(fv)),
            ]
            cells[0].setData(Qt.ItemDataRole.UserRole, name)
            if fv.note:
                cells[3].setToolTip(fv.note)
            if fv.value is None:
                cells[1].setToolTip("Not found in this document")
            elif fv.inferred:
                cells[1].setToolTip("Inferred, not quoted from the text")
            else:
                cells[1].setToolTip(fv.value)  # a long value is elided in its cell
            for column, item in enumerate(cells):
                if fv.value is None or fv.inferred:
                    item.setForeground(_QUIET)
                    font = item.font()
                    font.setItalic(column > 0)
                    item.setFont(font)
                table.setItem(row, column, item)
            if fv.status in _STATUS_COLOR:
                cells[3].setForeground(_STATUS_COLOR[fv.status or ""])
        table.blockSignals(False)
        self._fill_list(doc)
        self._fit_tables()
        self._update_review_buttons()

    def _fill_list(self, doc: StoredDocument) -> None:
        """The cells of list fields (``tests.<n>.<column>``) as a table of rows."""
        cells = {n: c for n in doc.fields if (c := list_cell(n)) is not None}
        lists = list(dict.fromkeys(c[0] for c in cells.values()))
        table = self.list_table
        table.blockSignals(True)
        table.clearContents()
        shown = bool(lists)
        self.list_title.setVisible(shown)
        table.setVisible(shown)
        if not shown:
            table.setRowCount(0)
            table.blockSignals(False)
            return
        field = lists[0]  # one list per schema today (a lab report's tests)
        self.list_title.setText(field_label(field))
        columns = list(dict.fromkeys(c[2] for c in cells.values() if c[0] == field))
        rows = sorted({c[1] for c in cells.values() if c[0] == field})
        table.setColumnCount(len(columns))
        table.setHorizontalHeaderLabels([LIST_HEADINGS.get(c, field_label(c)) for c in columns])
        table.setRowCount(len(rows))
        for r, number in enumerate(rows):
            for k, column in enumerate(columns):
                name = f"{field}.{number}.{column}"
                fv = doc.fields.get(name)
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, name)
                if fv is None:
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                elif fv.value is None:
                    item.setText(fv.normalized or "")
                    item.setForeground(_QUIET)
                    font = item.font()
                    font.setItalic(True)
                    item.setFont(font)
                    item.setToolTip(fv.note or "Inferred, not quoted from the text")
                else:
                    item.setText(fv.value)
                    tip = STATUS_TEXT.get(fv.status or "", "")
                    item.setToolTip(" — ".join(t for t in (tip, fv.note or "") if t))
                if fv is not None and column == "flag" and fv.normalized in _OUT_OF_RANGE_FLAGS:
                    item.setForeground(_OUT_OF_RANGE)
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(r, k, item)
        header = table.horizontalHeader()
        for k in range(len(columns)):
            header.setSectionResizeMode(k, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.blockSignals(False)

    def _fit_tables(self) -> None:
        """Each table as tall as its rows (the fields part of the splitter up to
        seven tenths of it); the document text takes the rest."""
        want = 0
        for table in (self.fields_table, self.list_table):
            if table.isHidden():
                continue
            rows = table.rowCount()
            height = (table.horizontalHeader().sizeHint().height()
                      + rows * table.verticalHeader().defaultSectionSize()
                      + 2 * table.frameWidth() + 2)
            table.setMaximumHeight(height)
            want += height + 30  # the section title
        total = sum(self.splitter.sizes()) or 600
        top = min(want + 40, int(total * 0.7))  # the review row
        self.splitter.setSizes([top, total - top])

    # -- fields ↔ text ---------------------------------------------------------
    def select_field(self, name: str) -> None:
        for row in range(self.fields_table.rowCount()):
            item = self.fields_table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == name:
                self.fields_table.selectRow(row)
                return
        table = self.list_table
        for row in range(table.rowCount()):
            for column in range(table.columnCount()):
                item = table.item(row, column)
                if item is not None and item.data(Qt.ItemDataRole.UserRole) == name:
                    table.setCurrentCell(row, column)
                    return
        raise KeyError(name)

    def _field_selected(self) -> None:
        rows = self.fields_table.selectionModel().selectedRows()
        item = self.fields_table.item(rows[0].row(), 0) if rows else None
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if name is not None:
            self._clear_selection(self.list_table)
        self._show_field(name)

    def _cell_selected(self) -> None:
        items = self.list_table.selectedItems()
        name = items[0].data(Qt.ItemDataRole.UserRole) if items else None
        if name is not None:
            self._clear_selection(self.fields_table)
        self._show_field(name)

    @staticmethod
    def _clear_selection(table: QTableWidget) -> None:
        table.blockSignals(True)
        table.clearSelection()
        table.blockSignals(False)

    def _show_field(self, name: str | None) -> None:
        doc = self._doc
        self._selected = name if doc is not None and name in doc.fields else None
        if doc is None or self._selected is None:
            self.text_view.setExtraSelections([])
            self._update_review_buttons()
            return
        fv = doc.fields[self._selected]
        hint = _where(doc, fv)
        if fv.note and fv.value is not None:
            hint += f" {fv.note}"
        if fv.value is None and fv.status == "needs_review":
            hint += (" If it is there, select it in the text below and press "
                     "“Use selected text”.")
        elif fv.status == "needs_review":
            hint += (" If it is wrong, select the right text below and press "
                     "“Use selected text”.")
        self.hint.setText(hint)
        self._update_review_buttons()
        if fv.span is None:
            self.text_view.setExtraSelections([])
            self.page_view.show_span(0, 0)
            return
        self.highlight(*fv.span)
        if self.page_view.has_pages:
            self.page_view.show_span(*fv.span)

    # -- review ----------------------------------------------------------------
    def selected_field(self) -> str | None:
        """The field (or list cell) selected in either table."""
        return self._selected if self._doc is not None else None

    def _update_review_buttons(self) -> None:
        name, doc = self.selected_field(), self._doc
        fv = doc.fields.get(name) if doc is not None and name else None
        self.confirm_button.setEnabled(fv is not None and fv.span is not None
                                       and fv.status != "verified")
        self.use_selection_button.setEnabled(
            fv is not None and self.text_view.textCursor().hasSelection())

    def _confirm(self) -> None:
        name = self.selected_field()
        if self._doc is not None and name:
            self.confirm_requested.emit(self._doc.id, name)

    def _use_selection(self) -> None:
        name, cursor = self.selected_field(), self.text_view.textCursor()
        if self._doc is None or not name or not cursor.hasSelection():
            return
        text = self._doc.text
        self.correct_requested.emit(self._doc.id, name,
                                    py_offset(text, cursor.selectionStart()),
                                    py_offset(text, cursor.selectionEnd()))

    def highlight(self, start: int, end: int) -> None:
        """Mark ``text[start:end]`` and scroll it into the middle of the view."""
        text = self._doc.text if self._doc is not None else self.text_view.toPlainText()
        cursor = QTextCursor(self.text_view.document())
        cursor.setPosition(qt_offset(text, start))
        cursor.setPosition(qt_offset(text, end), QTextCursor.MoveMode.KeepAnchor)
        mark = QTextEdit.ExtraSelection()
        mark.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(_HIGHLIGHT)
        fmt.setForeground(QColor("#1d1d1f"))
        mark.format = fmt
        self.text_view.setExtraSelections([mark])
        here = QTextCursor(cursor)
        here.setPosition(cursor.selectionStart())
        self.text_view.setTextCursor(here)
        self.text_view.centerCursor()


def _where(doc: StoredDocument, fv: FieldValue) -> str:
    if fv.value is None:
        return "Not found in this document."
    if fv.span is None:
        return "Inferred: not quoted from the text, so nothing to highlight."
    start = fv.span[0]
    page_start = max((s for s in doc.page_starts if s <= start), default=0)
    line = doc.text.count("\n", page_start, start) + 1
    if len(doc.page_starts) > 1:
        page = sum(1 for s in doc.page_starts if s <= start)
        return f"Found on page {page}, line {line} (highlighted below)."
    return f"Found on line {line} (highlighted below)."


def _table(columns: int, select: QAbstractItemView.SelectionBehavior) -> QTableWidget:
    """A read-only table, one item selected at a time, compact rows."""
    table = QTableWidget(0, columns)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(select)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    return table


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("section")
    return label
