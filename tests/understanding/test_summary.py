from strongroom.understanding.result import FieldValue
from strongroom.understanding.summary import grounded, template_summary

DOC = "GREENLEAF GROCERS LTD\nDate: 12/03/2024\nApples 2.40\nTOTAL 7.25\n"


def test_grounded_accepts_words_from_the_document():
    assert grounded("A receipt from Greenleaf Grocers Ltd for apples, total 7.25.", DOC)


def test_grounded_rejects_invented_words_and_numbers():
    assert not grounded("A receipt from Greenleaf Grocers Ltd for a latte, total 7.25.", DOC)
    assert not grounded("A receipt from Greenleaf Grocers Ltd, total 8.25.", DOC)
    assert not grounded("Receipt.", DOC)


def test_template_uses_only_grounded_fields():
    fields = {
        "merchant": FieldValue("GREENLEAF GROCERS LTD", "GREENLEAF GROCERS LTD", (0, 21)),
        "date": FieldValue("12/03/2024", "2024-03-12", (28, 38)),
        "total": FieldValue("7.25", "7.25", (57, 61)),
        "currency": FieldValue(),
    }
    assert template_summary("receipt", fields) == (
        "Receipt from GREENLEAF GROCERS LTD, dated 2024-03-12, total 7.25.")
    assert template_summary("receipt", {}) == "Receipt; no details could be found in its text."


def test_numbers_must_come_from_the_chosen_fields():
    doc = "SHOP\nApples 2.40\nTOTAL 7.25\n"
    assert grounded("A receipt from Shop, total 7.25.", doc, ["SHOP", "7.25"])
    assert not grounded("A receipt from Shop, total 2.40.", doc, ["SHOP", "7.25"])


def test_a_date_is_one_word_not_three_numbers():
    doc = "ACCOUNT 4402-118-7731\nBalance 2,315.40\nDate 01/03/2024\n"
    values = ["4402-118-7731", "2,315.40", "01/03/2024"]
    assert not grounded("A bank statement for the 15/02/2024.", doc, values)
