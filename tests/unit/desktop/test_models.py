"""The document list model and the bridge that feeds it."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from strongroom import jobs
from strongroom.desktop.bridge import JobBridge
from strongroom.desktop.models import NAME, STATUS, TYPE, DocumentListModel, status_text
from strongroom.jobs import JobEvent, JobResult
from strongroom.vault.records import DocumentRow
from tests.helpers.desktop import extract

pytestmark = pytest.mark.gui


def row(doc_id: int, name: str, doc_type: str = "invoice",
        date: str | None = "2024-03-05") -> DocumentRow:
    return DocumentRow(id=doc_id, name=name, kind="text", doc_type=doc_type, doc_date=date,
                       added_at="2024-05-01T10:00:00+00:00", summary="An invoice.")


def event(job_id: int, stage: str, fraction: float = 0.0,
          result: JobResult | None = None) -> JobEvent:
    return JobEvent(job_id, Path(f"/docs/job{job_id}.txt"), stage, fraction, result)


def test_the_model_passes_qt_model_checks(qtmodeltester) -> None:
    model = DocumentListModel()
    model.set_documents([row(2, "b.txt", "bank_statement"), row(1, "a.txt", date=None)])
    qtmodeltester.check(model, force_py=True)
    model.apply_events([event(1, jobs.QUEUED), event(2, jobs.QUEUED)])
    model.apply_events([event(1, jobs.UNDERSTANDING, 0.5)])
    text = "Shop\nDate: 2024-01-02\nTotal 3.00 EUR\n"
    model.apply_events([event(1, jobs.DONE, 1.0, JobResult(
        1, Path("/docs/job1.txt"), ok=True, doc_id=3, extraction=extract(text)))])
    model.apply_events([event(2, jobs.FAILED, 1.0, JobResult(
        2, Path("/docs/job2.txt"), ok=False, error="The file is empty."))])
    model.remove_document(1)
    qtmodeltester.check(model, force_py=True)


def test_rows_say_what_is_happening() -> None:
    model = DocumentListModel()
    model.set_documents([row(1, "old.txt", "lab_report")])
    model.apply_events([event(7, jobs.QUEUED)])
    assert [model.index(r, 0).data() for r in range(2)] == ["job7.txt", "old.txt"]
    assert model.index(1, TYPE).data() == "Lab report"
    assert model.index(0, STATUS).data() == "Waiting…"
    model.apply_events([event(7, jobs.READING, 0.02)])
    assert model.index(0, STATUS).data() == "Reading…"
    model.apply_events([event(7, jobs.UNDERSTANDING, 0.45)])
    assert model.index(0, STATUS).data() == "Understanding… 45%"
    assert model.running_job_ids() == [7]
    model.apply_events([event(7, jobs.DONE, 1.0, JobResult(
        7, Path("/docs/job7.txt"), ok=True, doc_id=1, duplicate=True))])
    assert model.index(0, STATUS).data() == "Already in vault"
    assert model.index(0, TYPE).data() == "Lab report"  # from the stored twin
    assert model.running_job_ids() == []


@pytest.mark.parametrize(("stage", "error", "text"), [
    (jobs.SAVING, None, "Saving…"),
    (jobs.DONE, None, "Saved"),
    (jobs.FAILED, "The file is empty.", "Failed: The file is empty."),
    (jobs.CANCELLED, "Cancelled.", "Cancelled"),
])
def test_status_text(stage: str, error: str | None, text: str) -> None:
    assert status_text(stage, 1.0, error) == text


def test_the_bridge_coalesces_a_flood_of_progress(qtbot) -> None:
    bridge = JobBridge(interval_ms=50)
    batches: list[list[JobEvent]] = []
    bridge.jobs_did_change.connect(batches.append)

    def flood() -> None:
        for i in range(2000):
            bridge.emit_event(event(1, jobs.UNDERSTANDING, i / 2000))
        bridge.emit_event(event(1, jobs.DONE, 1.0))

    with qtbot.wait_signal(bridge.jobs_did_change, timeout=2000):
        worker = threading.Thread(target=flood)
        worker.start()
        worker.join()
    qtbot.wait_until(lambda: batches and batches[-1][-1].stage == jobs.DONE)
    assert len(batches) <= 5
    assert all(len(batch) == 1 for batch in batches)  # one job: its newest event only
    bridge.close()
    bridge.emit_event(event(2, jobs.QUEUED))  # after close: dropped, no crash
    with qtbot.assert_not_emitted(bridge.jobs_did_change, wait=120):
        pass


def test_bridge_delivers_on_the_gui_thread(qtbot) -> None:
    bridge = JobBridge(interval_ms=10)
    seen: list[bool] = []
    bridge.jobs_did_change.connect(
        lambda events: seen.append(threading.current_thread() is threading.main_thread()))
    with qtbot.wait_signal(bridge.jobs_did_change):
        threading.Thread(target=bridge.emit_event, args=(event(1, jobs.QUEUED),)).start()
    assert seen == [True]


def test_a_hostile_name_is_listed_with_its_controls_spelled_out() -> None:
    from strongroom.desktop.models import NAME

    model = DocumentListModel()
    model.set_documents([row(1, "a\nb\u202ec.txt"), row(2, "Résumé.pdf")])
    names = [model.data(model.index(i, NAME)) for i in range(2)]
    assert names == [r"a\x0ab\u202ec.txt", "Résumé.pdf"]


def test_attachments_are_listed_under_their_message_in_the_order_they_came(
        qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    def child(doc_id: int, name: str, parent: int) -> DocumentRow:
        return dataclasses.replace(row(doc_id, name), parent_id=parent)

    model = DocumentListModel()
    # newest first, as the vault lists them: attachments were saved after the message
    model.set_documents([row(9, "later.txt"), child(8, "b.pdf", 5), child(7, "fwd.eml", 5),
                         child(6, "a.pdf", 5), row(5, "mail.eml"), child(4, "lost.pdf", 2),
                         row(3, "first.txt"), child(10, "inner.txt", 7)])
    names = [model.index(r, NAME).data() for r in range(model.rowCount())]
    assert names == ["later.txt", "mail.eml", "↳ a.pdf", "↳ fwd.eml", "   ↳ inner.txt",
                     "↳ b.pdf", "lost.pdf", "first.txt"]
    assert model.index(2, NAME).data(Qt.ItemDataRole.ToolTipRole) == (
        "a.pdf\nAttached to “mail.eml”")
    assert model.index(6, NAME).data(Qt.ItemDataRole.ToolTipRole) == (
        "lost.pdf\nCame attached to an e-mail (select it to see which)")  # its e-mail unlisted
    assert model.index(0, NAME).data(Qt.ItemDataRole.ToolTipRole) == "later.txt"
    qtmodeltester.check(model, force_py=True)


def test_a_loop_of_links_is_listed_flat_and_whole() -> None:
    model = DocumentListModel()
    model.set_documents([dataclasses.replace(row(2, "x"), parent_id=1),
                         dataclasses.replace(row(1, "y"), parent_id=2)])
    assert sorted(e.name for e in model.entries()) == ["x", "y"]


def test_an_attachments_job_row_goes_under_its_messages_row() -> None:
    model = DocumentListModel()
    mail = Path("/docs/mail.eml")
    model.apply_events([JobEvent(1, mail, jobs.QUEUED, 0.0),
                        JobEvent(2, Path("/docs/other.txt"), jobs.QUEUED, 0.0),
                        JobEvent(3, mail / "a.pdf", jobs.QUEUED, 0.0),
                        JobEvent(4, mail / "b.pdf", jobs.QUEUED, 0.0)])
    assert [model.index(r, NAME).data() for r in range(model.rowCount())] == [
        "other.txt", "mail.eml", "↳ a.pdf", "↳ b.pdf"]
