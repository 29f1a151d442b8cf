"""An e-mail and its attachments in the window (issue 22), on a real vault with real
Qt events: the list shows each attachment under its message; the detail pane says
which e-mail an attachment came in and lists a message's attachments, each a link
that opens it; deleting a message says its attachments stay (they do); and a
password-protected PDF attachment, which has no file, is read again from the bytes
the queue kept once the password is typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from strongroom.desktop.models import NAME
from strongroom.desktop.window import MainWindow
from strongroom.reading import messages
from strongroom.vault import Vault
from tests.helpers.desktop import drop, file_mime
from tests.helpers.documents import make_pdf
from tests.helpers.mail import make_eml
from tests.unit.desktop.test_window import select, statuses
from tests.unit.desktop.test_window_pdf_password import PASSWORD, answer, wait_for_dialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

SUBJECT = "Your letter from Dr. <b>Lee</b>"  # markup in a subject is text, never HTML
BODY = "Dear Ann,\nthe clinic's letter and your results are attached.\n"
LETTER = "Harbour Clinic\nDischarge letter\nDate: 2026-11-30"
RESULTS = "Blood results 2026-11-28\nHaemoglobin 13.9 g/dL\n"


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return Vault.create(tmp_path / "vault", passphrase="attachments window test")


def write_message(folder: Path, attachments: dict[str, bytes]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "clinic.eml"
    path.write_bytes(make_eml(plain=BODY, subject=SUBJECT, attachments=attachments).as_bytes())
    return path


def names(window: MainWindow) -> list[str]:
    model = window.model
    return [model.index(r, NAME).data() for r in range(model.rowCount())]


def ids(vault: Vault) -> dict[str, int]:
    return {row.name: row.id for row in vault.list_documents()}


def click_link(qtbot, label: QLabel, href: str) -> None:  # type: ignore[no-untyped-def]
    """Click the link to ``href`` in a rich-text label with the mouse: move over the
    label until Qt says the pointer is on that link, and click there."""
    qtbot.wait_until(lambda: label.isVisible() and label.height() > 0)
    qtbot.wait(20)  # laid out with its new text
    hovered: list[str] = []
    label.linkHovered.connect(hovered.append)
    try:
        for y in range(2, label.height(), 3):
            for x in range(0, label.width(), 3):
                hovered.clear()
                qtbot.mouseMove(label, QPoint(x, y))
                if hovered and hovered[-1] == href:
                    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
                    return
    finally:
        label.linkHovered.disconnect(hovered.append)
    raise AssertionError(f"no link to {href} in the label")


def test_attachments_sit_under_their_message_and_link_both_ways(qtbot, make_window, vault,
                                                                tmp_path: Path) -> None:
    path = write_message(tmp_path / "mail", {"letter.pdf": make_pdf([LETTER]),
                                             "results.txt": RESULTS.encode()})
    window = make_window(vault=vault)
    assert drop(window, file_mime([path]))
    qtbot.wait_until(lambda: len(statuses(window)) == 3
                     and set(statuses(window).values()) == {"Saved"})
    # this session's rows: the message, then its attachments in the order they came
    assert names(window) == ["clinic.eml", "↳ letter.pdf", "↳ results.txt"]
    window.refresh_documents()  # the vault's rows, grouped the same way
    assert names(window) == ["clinic.eml", "↳ letter.pdf", "↳ results.txt"]
    tip = window.model.index(1, NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "letter.pdf\nAttached to “clinic.eml”"

    select(window, "↳ letter.pdf")
    links = window.detail.links
    assert links.isVisible()
    assert links.text() == (f'Attached to the e-mail “<a href="doc:{ids(vault)["clinic.eml"]}">'
                            'Your letter from Dr. &lt;b&gt;Lee&lt;/b&gt;</a>”')
    message = ids(vault)["clinic.eml"]
    click_link(qtbot, links, f"doc:{message}")
    qtbot.wait_until(lambda: window.detail.document is not None
                     and window.detail.document.name == "clinic.eml")
    assert window.selected_entry() is not None and window.selected_entry().name == "clinic.eml"
    assert window.detail.links.text().startswith("2 attachments: ")

    click_link(qtbot, window.detail.links, f"doc:{ids(vault)['results.txt']}")
    qtbot.wait_until(lambda: window.detail.document is not None
                     and window.detail.document.name == "results.txt")
    assert "Haemoglobin" in window.detail.text_view.toPlainText()

    # a search that finds only the attachment: the link still opens its message
    window.search_box.setText("haemoglobin")
    qtbot.wait_until(lambda: names(window) == ["results.txt"])
    assert "Came attached to an e-mail" in window.model.index(0, NAME).data(
        Qt.ItemDataRole.ToolTipRole)
    select(window, "results.txt")
    click_link(qtbot, window.detail.links, f"doc:{message}")
    qtbot.wait_until(lambda: window.detail.document is not None
                     and window.detail.document.name == "clinic.eml")
    assert window.selected_entry() is None  # shown alone: the search hides its row


def test_a_plain_document_has_no_link_line(qtbot, make_window, vault, docs: Path) -> None:
    window = make_window(vault=vault)
    assert drop(window, file_mime([docs / "receipt.txt"]))
    qtbot.wait_until(lambda: statuses(window) == {"receipt.txt": "Saved"})
    select(window, "receipt.txt")
    qtbot.wait_until(lambda: window.detail.document is not None)
    assert window.detail.links.isHidden() and window.detail.links.text() == ""


def delete_answering(qtbot, window: MainWindow, button: str) -> str:  # type: ignore[no-untyped-def]
    """Trigger Delete, read the confirmation's words, press ``button`` in it."""
    seen: list[str] = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.informativeText())
        target = next(b for b in box.buttons() if b.text() == button)
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)

    QTimer.singleShot(100, press)
    window.act_delete.trigger()
    assert len(seen) == 1
    return seen[0]


def test_deleting_a_message_says_and_keeps_its_attachments(qtbot, make_window, vault,
                                                           tmp_path: Path) -> None:
    path = write_message(tmp_path / "mail", {"letter.pdf": make_pdf([LETTER]),
                                             "results.txt": RESULTS.encode()})
    window = make_window(vault=vault)
    assert drop(window, file_mime([path]))
    qtbot.wait_until(lambda: len(statuses(window)) == 3
                     and set(statuses(window).values()) == {"Saved"})

    select(window, "↳ results.txt")
    said = delete_answering(qtbot, window, "Cancel")
    assert said.endswith("The e-mail it came in stays in the vault.")
    assert len(vault.list_documents()) == 3

    select(window, "clinic.eml")
    said = delete_answering(qtbot, window, "Delete")
    assert said.endswith("Its 2 attachments stay in the vault as documents of their own; "
                         "delete them too if you want them gone.")
    assert sorted(ids(vault)) == ["letter.pdf", "results.txt"]
    assert {vault.get(i).parent_id for i in ids(vault).values()} == {None}
    assert sorted(names(window)) == ["letter.pdf", "results.txt"]  # no longer under anything
    select(window, "letter.pdf")
    assert window.detail.links.isHidden()


def test_a_locked_pdf_attachment_is_read_again_from_the_bytes_the_queue_kept(
        qtbot, make_window, vault, tmp_path: Path) -> None:
    mail = tmp_path / "mail"
    path = write_message(mail, {"letter.pdf": make_pdf([LETTER], user_password=PASSWORD)})
    window = make_window(vault=vault)
    assert drop(window, file_mime([path]))
    dialog = wait_for_dialog(qtbot, window)
    assert dialog.name_label.text() == "letter.pdf"
    qtbot.wait_until(lambda: statuses(window) == {
        "clinic.eml": "Saved", "↳ letter.pdf": f"Failed: {messages.PDF_LOCKED}"})

    answer(qtbot, dialog, "wrong-guess")
    again = wait_for_dialog(qtbot, window)
    assert again.error_label.text() == messages.PDF_WRONG_PASSWORD
    answer(qtbot, again, PASSWORD)
    qtbot.wait_until(lambda: statuses(window) == {"clinic.eml": "Saved",
                                                  "↳ letter.pdf": "Saved"})
    stored = ids(vault)
    letter = vault.get(stored["letter.pdf"])
    assert letter.text.startswith("Harbour Clinic") and letter.parent_id == stored["clinic.eml"]
    assert window.processor is not None and window.processor._locked == {}
    assert sorted(p.name for p in mail.iterdir()) == ["clinic.eml"]  # nothing written beside it
    select(window, "↳ letter.pdf")
    assert "Attached to the e-mail" in window.detail.links.text()


def test_cancelling_an_attachments_password_drops_its_bytes(qtbot, make_window, vault,
                                                            tmp_path: Path) -> None:
    path = write_message(tmp_path / "mail",
                         {"letter.pdf": make_pdf([LETTER], user_password=PASSWORD)})
    window = make_window(vault=vault)
    assert drop(window, file_mime([path]))
    dialog = wait_for_dialog(qtbot, window)
    assert window.processor is not None and list(window.processor._locked) != []
    answer(qtbot, dialog, None)
    qtbot.wait_until(lambda: window.pdf_passwords.dialog is None)
    assert window.processor._locked == {}
    assert statuses(window)["↳ letter.pdf"] == f"Failed: {messages.PDF_LOCKED}"
    assert sorted(ids(vault)) == ["clinic.eml"]

    # the person changes their mind: the message dropped again asks for the one it lacks
    assert drop(window, file_mime([path]))
    answer(qtbot, wait_for_dialog(qtbot, window), PASSWORD)
    qtbot.wait_until(lambda: sorted(ids(vault)) == ["clinic.eml", "letter.pdf"])
    assert vault.get(ids(vault)["letter.pdf"]).parent_id == ids(vault)["clinic.eml"]
