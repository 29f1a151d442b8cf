"""The main window: drop documents in, watch them being understood, read the result.

All work runs on the processor's worker thread; the window only reacts to the
bridge's batched events (STYLE.md §2). Nothing here writes settings: file names
and folders are document content and are not remembered anywhere.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from strongroom import jobs, netguard
from strongroom.errors import UserError
from strongroom.jobs import JobEvent, Processor, Understand
from strongroom.shown import shown
from strongroom.understanding.schema import schema_problems
from strongroom.vault.protocol import OpenVault
from strongroom.vault.records import StoredDocument

from . import filedialogs, ops, theme, vaultfiles, vaultkeys
from .about import show_about
from .detail import DetailPane, field_label, message_title
from .dropzone import DropZone, local_paths
from .error_dialog import error_text, show_error
from .lock import IdleWatcher, LockedPage, auto_lock_minutes, release_memory
from .models import NAME, STATUS, DocumentListModel, Entry
from .ops import VaultOp
from .pdf_password import PdfPasswordAsker
from .screenlock import ScreenLockWatcher
from .session import Session
from .unlocking import QuitChosen, open_vault

log = logging.getLogger("strongroom.desktop")

LOCK_TEXT = {
    "keychain": "Encrypted vault · unlocked with OS keychain",
    "passphrase": "Encrypted vault · unlocked with passphrase",
    "recovery": "Encrypted vault · unlocked with recovery code",
}
LOCKED_TEXT = "Encrypted vault · locked"
LOCK_RETRY_MS = 250  # a lock waits for a running vault operation this often
LOCAL_TEXT = "Nothing leaves this computer"
SEARCH_DELAY_MS = 200  # typing pauses this long before the vault is searched


class MainWindow(QMainWindow):
    """``vault``: an open ``strongroom.vault.Vault``, or ``None`` to start locked (then
    ``data_dir`` names the vault's folder); ``understand``: see ``jobs.Understand``.

    ``relaunch``, when set (by ``app.run``), is called with the lock's reason after
    a lock has cleared the window: it replaces the process with a fresh one, so
    nothing the window showed survives even in freed memory (see lock.py).

    The session lifecycle (the open vault, the job queue on it, lock, unlock,
    shutdown) is ``self.session`` (``session.Session``, no widgets); the window keeps
    the views and shows what the session does.
    """

    def __init__(self, vault: OpenVault | None, understand: Understand,
                 parent: QWidget | None = None, *, data_dir: Path | None = None,
                 locked_reason: str = "") -> None:
        super().__init__(parent)
        if data_dir is None:
            assert vault is not None, "a window that starts locked needs data_dir"
            data_dir = vault.path
        self.session = Session(understand, Path(data_dir), self)
        self.session.attached.connect(self._show_attached)
        self.session.jobs_did_change.connect(self._jobs_did_change)
        self.relaunch: Callable[[str], None] | None = None
        self.setWindowTitle("Strongroom")
        self._quit_confirmed = False
        self.resize(1100, 700)
        self.setAcceptDrops(True)
        self.model = DocumentListModel(self)
        self.pdf_passwords = PdfPasswordAsker(self, self._read_again,
                                              lambda: not self.locked, self._give_up_password)

        self._build_actions()
        self._build_body()
        self._build_status_bar()
        self.model.rowsInserted.connect(self._update_empty_state)
        self.model.rowsRemoved.connect(self._update_empty_state)
        self.model.modelReset.connect(self._update_empty_state)
        # Lock after idle time and when the screen locks (issue 13).
        self.idle = IdleWatcher(auto_lock_minutes(), self)
        self.idle.idle.connect(lambda: self.lock("It locked itself after "
                                                 f"{self.idle.minutes:g} minutes without use."))
        self.screen_lock = ScreenLockWatcher(self)
        self.screen_lock.screen_locked.connect(
            lambda: self.lock("It locked itself because the screen was locked."))
        if vault is not None:
            self.session.attach(vault)
        else:
            self._show_locked(locked_reason)

    # -- the session's state, as the views and the tests read it ----------------
    @property
    def vault(self) -> OpenVault | None:
        return self.session.vault

    @property
    def understand(self) -> Understand:
        return self.session.understand

    @property
    def data_dir(self) -> Path:
        return self.session.data_dir

    @property
    def processor(self) -> Processor | None:
        return self.session.processor

    @property
    def locked(self) -> bool:
        return self.session.locked

    def _show_attached(self, vault: OpenVault) -> None:
        """The views for a vault the session just attached: at start and after unlock."""
        vaultkeys.update_texts(self)  # "Set a Passphrase…" or "Change Passphrase…"
        self.pages.setCurrentWidget(self.splitter)
        for act in self._vault_actions():
            act.setEnabled(True)
        self.search_box.setEnabled(True)
        self.review_filter.setEnabled(True)
        self.lock_label.setText(LOCK_TEXT.get(vault.key_method, "Encrypted vault"))
        try:
            self.model.set_documents(vault.list_documents())
        except UserError as exc:
            self.statusBar().showMessage(error_text(exc))
        self._update_empty_state()
        self._update_actions()
        if problems := schema_problems():  # a person's schema file that could not be used
            self.statusBar().showMessage(" ".join(problems), 20000)
        self.learn()
        self.idle.restart()

    # -- building --------------------------------------------------------------
    def _build_actions(self) -> None:
        def action(text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.setToolTip(tip or text.rstrip("…"))
            act.triggered.connect(slot)
            return act

        self.act_open_files = action("Open Files…", self.open_files, QKeySequence.StandardKey.Open,
                                     "Add documents to the vault")
        self.act_open_folder = action("Open Folder…", self.open_folder, "Ctrl+Shift+O",
                                      "Add every document in a folder")
        self.act_compact = action("Compact Vault", self.compact_vault, None,
                                  "After deleting documents: merge the search index and "
                                  "rebuild the vault file without the freed space")
        self.act_quit = action("Quit", self.request_quit, QKeySequence.StandardKey.Quit)
        self.act_lock = action("Lock", lambda: self.lock("You locked it."), "Ctrl+L",
                               "Close the vault and clear the window until you unlock it")
        self.act_cancel = action("Cancel", self.cancel, None,
                                 "Cancel the selected document, or all that are running")
        self.act_delete = action("Delete Document…", self.delete_selected,
                                 QKeySequence.StandardKey.Delete,
                                 "Delete the selected document from the vault")

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([self.act_open_files, self.act_open_folder])
        file_menu.addSeparator()
        vault_menu = QMenu("&Vault", self)
        vault_menu.addAction(self.act_lock)
        vault_menu.addSeparator()
        # Issue 13. Each of these needs the vault to itself: disabled while one runs
        # (ops.VaultOp) and wherever the vault is not open.
        self.vault_actions: list[QAction] = vaultfiles.add_actions(self, file_menu, vault_menu)
        vault_menu.addSeparator()
        vault_menu.addAction(self.act_compact)
        vault_menu.addSeparator()
        self.vault_actions += [self.act_compact, *vaultkeys.add_actions(self, vault_menu)]
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        self.menuBar().addMenu(vault_menu)
        doc_menu = self.menuBar().addMenu("&Document")
        doc_menu.addActions([self.act_cancel, self.act_delete])
        help_menu = self.menuBar().addMenu("&Help")
        self.act_about = help_menu.addAction("About Strongroom…")
        self.act_about.triggered.connect(lambda: show_about(self))

        toolbar = QToolBar("Main")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.act_add_files = action("Add Files…", self.open_files, None,
                                    "Add documents to the vault")
        self.act_add_folder = action("Add Folder…", self.open_folder, None,
                                     "Add every document in a folder")
        toolbar.addActions([self.act_add_files, self.act_add_folder])
        toolbar.addSeparator()
        toolbar.addActions([self.act_cancel, self.act_delete])
        self.addToolBar(toolbar)

    def _build_body(self) -> None:
        self.drop_zone = DropZone()
        self.drop_zone.open_files_requested.connect(self.open_files)
        self.drop_zone.open_folder_requested.connect(self.open_folder)

        # Search: the vault answers (Vault.search); this only debounces and shows.
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search text, names, summaries and fields")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search documents")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh_documents)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.review_filter = QCheckBox("Needs review")
        self.review_filter.setToolTip("Show only documents with a field to look at again: "
                                      "a check disagreed, the choice was unsure, or a "
                                      "field was not found.")
        self.review_filter.toggled.connect(lambda _on: self.refresh_documents())
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search_box, self.search_box.clear,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 122)
        header.resizeSection(2, 90)
        header.resizeSection(STATUS, 150)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(10, 10, 4, 10)
        layout.addWidget(self.drop_zone)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_box, 1)
        search_row.addWidget(self.review_filter)
        layout.addLayout(search_row)
        layout.addWidget(self.table, 1)

        self.detail = DetailPane()
        self.detail.confirm_requested.connect(self.confirm_field)
        self.detail.correct_requested.connect(self.correct_field)
        self.detail.open_requested.connect(self.open_document)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([520, 580])
        self.locked_page = LockedPage()
        self.locked_page.unlock_requested.connect(self.unlock)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.locked_page)
        self.setCentralWidget(self.pages)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self.lock_icon = QLabel()
        self.lock_icon.setPixmap(theme.padlock())
        self.lock_label = QLabel(LOCKED_TEXT)
        self.lock_label.setObjectName("lockLabel")
        self.activity_label = QLabel()
        self.local_label = QLabel(LOCAL_TEXT)
        self.local_label.setObjectName("localLabel")
        self.local_label.setToolTip("Documents are read and understood by a model running "
                                    "on this computer. Strongroom makes no network connections.")
        # Permanent widgets: a passing message (showMessage) never hides the lock state.
        bar.addWidget(self.activity_label, 1)
        bar.addPermanentWidget(self.lock_icon)
        bar.addPermanentWidget(self.lock_label)
        bar.addPermanentWidget(self.local_label)
        # The count comes from the same audit hook that refuses the attempts.
        self.network_label = QLabel()
        self.network_label.setObjectName("networkLabel")
        self.network_label.setContentsMargins(0, 0, 12, 0)  # clear of the window's edge
        bar.addPermanentWidget(self.network_label)
        self._network_timer = QTimer(self)
        self._network_timer.timeout.connect(self._update_network)
        self._network_timer.start(1000)
        self._update_network()

    def focus_search(self) -> None:
        """Ctrl+F (Cmd+F): to the search box, its text selected to type over."""
        if self.search_box.isVisible() and self.search_box.isEnabled():
            self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.search_box.selectAll()

    # -- adding documents ------------------------------------------------------
    def add_paths(self, paths: Iterable[Path]) -> None:
        """Queue files and folders; the work happens on the processor's thread."""
        paths = list(paths)
        if not paths or self.locked or self.processor is None:
            return
        self.processor.submit(paths)  # folders are walked on the worker thread

    def open_files(self) -> None:
        self.add_paths(filedialogs.ask_files(self))

    def open_folder(self) -> None:
        self.add_paths(filedialogs.ask_folder(self))

    # The whole window is a drop target; only local files and folders count.
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if not self.locked and local_paths(event.mimeData()):
            event.acceptProposedAction()
            self.drop_zone.set_active(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self.drop_zone.set_active(False)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self.drop_zone.set_active(False)
        paths = local_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_paths(paths)

    # -- job progress ----------------------------------------------------------
    def _jobs_did_change(self, events: list[JobEvent]) -> None:
        if any(e.stage == jobs.NOTHING_FOUND for e in events):
            self.statusBar().showMessage("No documents found to add.", 5000)
        self.model.apply_events([e for e in events if e.stage != jobs.NOTHING_FOUND])
        for event in events:
            result = event.result
            if result is not None and result.duplicate and result.doc_id is not None:
                self._fill_duplicate(result.doc_id)
            if result is not None and result.needs_password and event.stage == jobs.FAILED:
                self.pdf_passwords.ask(event.job_id, event.path, result.error or "")
        self._update_activity()
        self._update_actions()
        self._show_selected()

    def _read_again(self, job_id: int, path: Path, password: str) -> None:
        """A password-protected PDF's password, typed: the queue reads it again."""
        if self.processor is not None and not self.locked:
            self.processor.read_again(job_id, path, password)

    def _give_up_password(self, job_id: int) -> None:
        """The person cancelled a PDF's password: the queue drops what it kept."""
        if self.processor is not None:
            self.processor.forget(job_id)

    def _fill_duplicate(self, doc_id: int) -> None:
        """An "Already in vault" row whose twin is not listed yet: ask the vault."""
        entry = next((e for e in self.model.entries() if e.doc_id == doc_id), None)
        if entry is None or entry.doc_type:
            return
        try:
            stored = self.session.require_vault().get(doc_id)
        except UserError:
            return
        self.model.set_document_info(doc_id, stored.doc_type, stored.doc_date or "")

    def refresh_documents(self) -> None:
        """List the vault's documents matching the search box (all when it is empty).

        This session's unsaved rows (in flight, failed, cancelled) stay listed
        whatever the search: their text is not in the vault to be searched, and
        they are what the person is watching right now.
        """
        self._search_timer.stop()
        query, review = self.search_box.text(), self.review_filter.isChecked()
        try:
            vault = self.session.require_vault()
            rows = (vault.search(query, needs_review=review) if query.strip() or review
                    else vault.list_documents())
        except UserError as exc:
            self.statusBar().showMessage(error_text(exc), 5000)
            return
        self.model.set_documents(rows)
        self._show_selected()
        self._update_actions()

    def _update_network(self) -> None:
        self.network_label.setText(f"· network attempts since start: {netguard.attempts()}")

    def _update_activity(self) -> None:
        entries = [e for e in self.model.entries() if e.job_id is not None]
        running = sum(1 for e in entries if e.running)
        self.activity_label.setText(
            f"Processing… {running} document{'s' if running != 1 else ''} to go" if running else ""
        )

    # -- selection and the detail pane -----------------------------------------
    def selected_entry(self) -> Entry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._show_selected()
        self._update_actions()

    def _show_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.detail.show_empty()
        elif entry.stage == jobs.DONE and entry.doc_id is not None:
            shown = self.detail.document
            if shown is not None and shown.id == entry.doc_id:
                return  # keep the person's field selection and scroll position
            try:
                self.show_stored(entry.doc_id)
            except UserError as exc:
                self.detail.show_message(entry.name, "This document could not be opened",
                                         error_text(exc), failed=True)
        elif entry.stage == jobs.FAILED:
            self.detail.show_message(
                entry.name, "Strongroom could not process this document",
                f"{entry.error or 'Unknown error.'}\n\nNothing was saved to the vault.",
                failed=True)
        elif entry.stage == jobs.CANCELLED:
            self.detail.show_message(entry.name, "Cancelled",
                                     "Processing was stopped; nothing was saved. "
                                     "Add the file again to process it.")
        elif entry.stage == jobs.DONE:  # extract-only processors have no vault id
            self.detail.show_message(entry.name, "Done", "The document was processed.")
        else:
            self.detail.show_message(entry.name, entry.status,
                                     "This document is being read and understood on this "
                                     "computer. You can keep working meanwhile.")

    def show_stored(self, doc_id: int) -> None:
        """Show a stored document in the detail pane, with its OCR'd pages if any."""
        vault = self.session.require_vault()
        doc = vault.get(doc_id)
        came_in = None
        if doc.parent_id is not None:  # an attachment: name the e-mail it came in
            with contextlib.suppress(UserError):  # deleted this instant: no link, no error
                came_in = (doc.parent_id, message_title(vault.get(doc.parent_id)))
        self.detail.show_document(doc, pictures=vault.page_pictures(doc_id),
                                  boxes=vault.word_boxes(doc_id), came_in=came_in)

    def open_document(self, doc_id: int) -> None:
        """Select a stored document's row (an attachment's e-mail, a message's
        attachment), or show it alone when the search or filter hides it."""
        row = next((i for i, e in enumerate(self.model.entries())
                    if e.doc_id == doc_id and e.stage == jobs.DONE), None)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, NAME))
            return
        self.table.clearSelection()
        try:
            self.show_stored(doc_id)
        except UserError as exc:
            self.statusBar().showMessage(error_text(exc), 5000)

    # -- review ----------------------------------------------------------------
    def confirm_field(self, doc_id: int, name: str) -> None:
        self._review(doc_id, name,
                     lambda: self.session.require_vault().confirm_field(doc_id, name))

    def correct_field(self, doc_id: int, name: str, start: int, end: int) -> None:
        self._review(doc_id, name, lambda: self.session.require_vault().correct_field(
            doc_id, name, start, end))

    def _review(self, doc_id: int, name: str, change: Callable[[], object]) -> None:
        """Store the person's word on a field, show it, and let the chooser learn."""
        try:
            change()
            self.show_stored(doc_id)
        except UserError as exc:
            self.statusBar().showMessage(error_text(exc), 8000)
            return
        self.detail.select_field(name)
        self.statusBar().showMessage(f"{field_label(name)} verified. Strongroom will "
                                     "remember it for the next documents.", 5000)
        self.refresh_documents()
        self.learn()

    def learn(self) -> None:
        """Hand the vault's labels to the understander (when it can learn)."""
        try:
            self.session.learn()
        except UserError as exc:
            self.statusBar().showMessage(error_text(exc), 5000)

    def _update_actions(self) -> None:
        entry = self.selected_entry()
        self.act_cancel.setEnabled(bool(self.model.running_job_ids()))
        self.act_delete.setEnabled(entry is not None and not entry.running)
        in_vault = entry is not None and entry.doc_id is not None
        self.act_delete.setText("Delete Document…" if in_vault or entry is None
                                else "Remove from List")

    def _update_empty_state(self) -> None:
        filtered = bool(self.search_box.text()) or self.review_filter.isChecked()
        empty = self.model.rowCount() == 0 and not filtered
        self.table.setVisible(not empty)
        self.search_box.setVisible(not empty)
        self.review_filter.setVisible(not empty)
        self.detail.setVisible(not empty)  # nothing to detail: the drop area gets the room
        self.drop_zone.set_compact(not empty)

    # -- cancel and delete -----------------------------------------------------
    def cancel(self) -> None:
        """The selected job if it is running, else every running job."""
        entry = self.selected_entry()
        if entry is not None and entry.running and entry.job_id is not None:
            targets = [entry.job_id]
        else:
            targets = self.model.running_job_ids()
        processor = self.processor
        for job_id in targets:
            with contextlib.suppress(KeyError):  # finished in the meantime
                if processor is not None:
                    processor.cancel(job_id)
        if targets:
            self.statusBar().showMessage("Cancelling…", 3000)

    def delete_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        entry = self.model.entry(rows[0].row())
        if entry.running:
            return
        if entry.doc_id is None:  # a failed or cancelled row: nothing is stored
            self.model.remove_row(rows[0].row())
            return
        try:
            links = delete_note(self.session.require_vault().get(entry.doc_id))
        except UserError as exc:
            show_error(self, exc)
            return
        if not self.confirm_delete(entry.name, links):
            return
        try:
            self.session.require_vault().delete(entry.doc_id)
        except UserError as exc:
            show_error(self, exc)
            return
        self.model.remove_document(entry.doc_id)
        if links:  # its attachments are unlinked in the vault: list them afresh
            self.refresh_documents()
        self.statusBar().showMessage("Document deleted from the vault. Vault ▸ Compact Vault "
                                     "also shrinks the file.", 8000)

    def compact_vault(self) -> None:
        def compacted(sizes: tuple[int, int]) -> None:
            self.statusBar().showMessage(
                f"Vault compacted: {sizes[0] / 1e6:.1f} MB → {sizes[1] / 1e6:.1f} MB.", 5000)

        VaultOp(parent=self, op=self.session.require_vault().compact, success=compacted) \
            .with_progress("Compacting the vault…").run_in_background()

    def confirm_delete(self, name: str, note: str = "") -> bool:
        """Ask before deleting; ``note`` (``delete_note``) says what happens to the
        e-mail it came in or to its attachments."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Delete document",
                          f"Delete “{shown(name)}” from the vault?", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a file name, never HTML
        box.setInformativeText("Its text, fields and stored copy are erased from the "
                               "encrypted vault. The original file on disk is not touched. "
                               "This cannot be undone." + (f"\n\n{note}" if note else ""))
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is delete

    # -- locking ---------------------------------------------------------------
    def _vault_actions(self) -> list[QAction]:
        """Every action but the few that make sense while locked."""
        keep = {self.act_quit, self.act_about}
        return [a for a in self.findChildren(QAction) if a not in keep and not a.menu()]

    def lock(self, reason: str = "") -> None:
        """Close the vault and clear every view of its contents until ``unlock``.

        Documents still being processed are cancelled (nothing half-saved: each is
        one transaction) and the person is told how many to add again.
        """
        if self.locked or self.session.closed:
            return
        if ops.busy(self):  # a backup, restore, compaction or key change: let it finish
            QTimer.singleShot(LOCK_RETRY_MS, lambda: self.lock(reason))
            return
        unsaved = len(self.model.running_job_ids())
        for widget in QApplication.topLevelWidgets():  # open dialogs may show vault data
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.done(QDialog.DialogCode.Rejected)
        self.session.close_vault()  # worker stopped, vault closed, model unloaded
        self._clear_views()
        if unsaved:
            reason += (f" {unsaved} document{'s were' if unsaved != 1 else ' was'} still being "
                       "added and not saved; add them again after unlocking.")
        self._show_locked(reason)
        release_memory()
        if self.relaunch is not None:
            QTimer.singleShot(0, lambda: self._relaunch(reason))

    def _relaunch(self, reason: str) -> None:
        if self.relaunch is not None:  # read again: app.run may have replaced it
            self.relaunch(reason)

    def _show_locked(self, reason: str) -> None:
        self.idle.stop()
        for act in self._vault_actions():
            act.setEnabled(False)
        self.search_box.setEnabled(False)
        self.review_filter.setEnabled(False)
        self.lock_label.setText(LOCKED_TEXT)
        note = ""
        if "passphrase" not in self.session.unlock_methods():
            note = ("This vault opens with your system keychain, so anyone using this "
                    "computer account can unlock it. Set a passphrase to require it.")
        self.locked_page.show_reason(reason.strip(), note)
        self.pages.setCurrentWidget(self.locked_page)
        self.locked_page.unlock_button.setFocus()

    def _clear_views(self) -> None:
        self.pdf_passwords.forget()
        self.model.clear()
        self.detail.clear()
        self.search_box.setText("")  # setText, not clear(): no undo history is kept
        self._search_timer.stop()
        self.statusBar().clearMessage()
        self.activity_label.clear()
        clipboard = QApplication.clipboard()
        if clipboard.ownsClipboard():  # text copied from a document
            clipboard.clear()

    def unlock(self) -> None:
        """Ask for the vault's secret again; on success the window works as before."""
        if not self.locked or self.session.closed:
            return
        try:
            vault = open_vault(self.data_dir, self, after_lock=True)
        except QuitChosen:
            self.close()  # the dialog's "Quit": the vault is locked, nothing is lost
            return
        except UserError as exc:
            show_error(self, exc)
            return
        if vault is not None:
            self.session.attach(vault)

    # -- closing ---------------------------------------------------------------
    def request_quit(self) -> None:
        """File ▸ Quit: close, after asking if documents are still being added."""
        if self.confirm_quit():
            self._quit_confirmed = True
            self.close()

    def confirm_quit(self) -> bool:
        """True when nothing is being added, or the person chose to quit anyway."""
        running = len(self.model.running_job_ids())
        if not running or self.locked:
            return True
        some = "1 document is" if running == 1 else f"{running} documents are"
        box = QMessageBox(QMessageBox.Icon.Question, "Quit",
                          f"{some} still being added.", parent=self)
        box.setInformativeText("If you quit now, what is not finished is not saved (the "
                               "files on disk are not touched); add them again later. "
                               "Everything already saved stays in the vault.")
        quit_now = box.addButton("Quit Anyway", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep Working", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is quit_now

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # The close box asks as Quit does; a close from code (tests, a lock) does not.
        if event.spontaneous() and not self._quit_confirmed and not self.confirm_quit():
            event.ignore()
            return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Cancel running jobs, stop the worker, lock the vault. Safe to call twice."""
        self.idle.stop()
        self.session.shutdown()


def delete_note(doc: StoredDocument) -> str:
    """What deleting ``doc`` does to the documents linked to it, in words: the vault
    keeps an e-mail's attachments (documents of their own, unlinked: migration
    ``m006_parent``) and the e-mail an attachment came in."""
    count = len(doc.attachments)
    if count == 1:
        return ("Its attachment stays in the vault as a document of its own; delete it "
                "too if you want it gone.")
    if count:
        return (f"Its {count} attachments stay in the vault as documents of their own; "
                "delete them too if you want them gone.")
    if doc.parent_id is not None:
        return "The e-mail it came in stays in the vault."
    return ""
