"""The person's word on a field (issue 12): statuses stored, confirm and correct,
labels kept inside the vault, search following a corrected value, and a bad span
refused with every byte unchanged."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from strongroom.errors import VaultError
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault import Vault
from tests.helpers.vault import make_doc, snapshot

TEXT = ("Harbour Dental Care\nInvoice No: INV-77\nInvoice date: 05/03/2024\n"
        "Treatment: root canal\nTotal due: 480.00\nPay by 20/03/2024\n")
PW = "review passphrase"


def extraction() -> Extraction:
    def span(value: str, **kw: object) -> FieldValue:
        at = TEXT.index(value)
        return FieldValue(value, kw.pop("normalized", value), (at, at + len(value)),
                          **kw)  # type: ignore[arg-type]

    fields = {
        "vendor": span("Invoice No: INV-77", score=0.31, status="needs_review",
                       note="Low confidence (31%) in this choice."),
        "invoice_number": span("INV-77", status="grounded"),
        "invoice_date": span("05/03/2024", normalized="2024-03-05", status="grounded"),
        "due_date": FieldValue(),
        "total": span("480.00", status="verified", note="Subtotal and tax add up to it."),
        "currency": FieldValue(),
        "customer": FieldValue(),
    }
    return Extraction("invoice", "An invoice.", "template", fields, doc_date="2024-03-05")


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Vault, int]:
    vault = Vault.create(tmp_path / "vault", passphrase=PW)
    vault.take_recovery_code()
    doc_id = vault.add_document(make_doc("dental.txt", TEXT), extraction())
    other = dataclasses.replace(extraction(), fields={
        name: dataclasses.replace(fv, status="grounded" if fv.value else None)
        for name, fv in extraction().fields.items()})
    vault.add_document(make_doc("calm.txt", TEXT + "copy\n"), other)
    yield vault, doc_id
    vault.close()


def test_statuses_and_notes_are_stored(stored: tuple[Vault, int]) -> None:
    vault, doc_id = stored
    fields = vault.get(doc_id).fields
    assert fields["vendor"].status == "needs_review"
    assert fields["vendor"].note == "Low confidence (31%) in this choice."
    assert fields["vendor"].score == pytest.approx(0.31)
    assert fields["total"].status == "verified"
    assert fields["due_date"].status is None


def test_the_list_filters_to_what_needs_review(stored: tuple[Vault, int]) -> None:
    vault, doc_id = stored
    rows = {r.name: r.needs_review for r in vault.list_documents()}
    assert rows == {"dental.txt": True, "calm.txt": False}
    assert [r.id for r in vault.search("", needs_review=True)] == [doc_id]
    assert [r.id for r in vault.search("root canal", needs_review=True)] == [doc_id]
    assert len(vault.search("root canal")) == 2


def test_confirming_a_field_verifies_it_and_keeps_a_label(stored: tuple[Vault, int]) -> None:
    vault, doc_id = stored
    vault.confirm_field(doc_id, "invoice_number")
    fv = vault.get(doc_id).fields["invoice_number"]
    assert (fv.status, fv.note, fv.value) == ("verified", "Confirmed by you.", "INV-77")
    [label] = vault.labels()
    assert (label.doc_type, label.field, label.value) == ("invoice", "invoice_number", "INV-77")


def test_correcting_a_field_stores_the_span_and_search_follows(
        stored: tuple[Vault, int]) -> None:
    vault, doc_id = stored
    at = TEXT.index("Harbour Dental Care")
    # The selection took a space and the line break with it: the words are kept.
    value = vault.correct_field(doc_id, "vendor", at, at + len("Harbour Dental Care") + 1)
    assert value == "Harbour Dental Care"
    doc = vault.get(doc_id)
    fv = doc.fields["vendor"]
    assert (fv.value, fv.span, fv.status) == (value, (at, at + len(value)), "verified")
    assert doc.text[fv.span[0]:fv.span[1]] == fv.value
    assert [r.id for r in vault.search("", needs_review=True)] == []
    assert vault.labels()[0].value == "Harbour Dental Care"
    # A corrected date is normalized with the document's own day-first reading and
    # becomes the document's date when it is the first date of its schema.
    due = TEXT.index("20/03/2024")
    vault.correct_field(doc_id, "invoice_date", due, due + 10)
    doc = vault.get(doc_id)
    assert doc.fields["invoice_date"].normalized == "2024-03-20"
    assert doc.doc_date == "2024-03-20"
    assert [r.id for r in vault.search("", date_from="2024-03-20")] == [doc_id]
    assert len(vault.labels()) == 2


def test_a_corrected_value_is_searchable_and_the_old_one_is_gone(tmp_path: Path) -> None:
    vault = Vault.create(tmp_path / "vault", passphrase=PW)
    vault.take_recovery_code()
    text = "Zephyrine Opticians\nTotal 12.00\nQuuxbridge Lane\n"
    ex = Extraction("receipt", "A receipt.", "template", {
        "merchant": FieldValue("Quuxbridge Lane", "Quuxbridge Lane", (32, 47))})
    doc_id = vault.add_document(make_doc("r.txt", text), ex)
    # "Quuxbridge" is also in the text: search by a field-only word instead.
    assert vault.search("Zephyrine")
    vault.correct_field(doc_id, "merchant", 0, 19)
    assert vault.get(doc_id).fields["merchant"].value == "Zephyrine Opticians"
    assert [r.id for r in vault.search("Zephyrine Opticians")] == [doc_id]
    assert vault._conn.execute("INSERT INTO search (search) VALUES ('integrity-check')") \
        is not None  # the index agrees with the documents after the change
    vault.close()


@pytest.mark.parametrize("span", [(-1, 4), (5, 5), (10, 4), (0, 10_000), (19, 20)])
def test_a_span_outside_the_text_is_refused_and_nothing_changes(
        stored: tuple[Vault, int], span: tuple[int, int]) -> None:
    vault, doc_id = stored
    vault.close()
    before = snapshot(vault.path)
    with Vault.open(vault.path, passphrase=PW) as again:
        with pytest.raises(VaultError, match="Nothing was changed"):
            again.correct_field(doc_id, "vendor", *span)
        with pytest.raises(VaultError, match="Nothing was changed"):
            again.correct_field(doc_id, "no_such_field", 0, 7)
        with pytest.raises(VaultError, match="Nothing was changed"):
            again.confirm_field(doc_id, "due_date")  # nothing to confirm
        with pytest.raises(VaultError, match="Nothing was changed"):
            again.confirm_field(doc_id + 100, "vendor")
        assert again.labels() == []
    assert snapshot(vault.path) == before


def test_labels_go_with_their_document(stored: tuple[Vault, int]) -> None:
    vault, doc_id = stored
    vault.confirm_field(doc_id, "total")
    vault.delete(doc_id)
    assert vault.labels() == []
