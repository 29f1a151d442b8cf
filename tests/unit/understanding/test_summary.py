from strongroom.understanding.result import FieldValue
from strongroom.understanding.schema import schema
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


def test_a_chinese_sentence_is_grounded_piece_by_piece():
    doc = "福满多便利店\n2023-06-18 08:12\n豆浆 3.50\n包子 x2 6.00\n合计 9.50"
    assert grounded("福满多便利店的收据，购买豆浆和包子，合计 9.50。", doc)
    # a name from the few-shot examples, a number not printed, only type words
    assert not grounded("好味來麵館的收據，牛肉麵，總計 NT$190。", doc)
    assert not grounded("福满多便利店的收据，合计 19.50。", doc)
    assert not grounded("收据，合计，日期。", doc)
    assert not grounded("福满多超市的收据，合计 9.50。", doc)


def test_the_gist_line_is_quoted_verbatim():
    from strongroom.understanding.summary import gist
    note = ("Riverside Clinic\nPatient: Ana Ruiz\nAssessment: viral URTI, improving. "
            "Review if worse.\nPlan: fluids")
    assert gist(note, "clinical_note") == "Assessment: viral URTI, improving."
    alone = "Riverside Clinic\nIMPRESSION\nStable angina, low risk\n"
    assert gist(alone, "clinical_note") == "IMPRESSION: Stable angina, low risk."
    rx = "处方\n用法：每日一次，每次一片，口服。"
    assert gist(rx, "prescription") == "用法：每日一次，每次一片，口服。"
    assert gist("Greenleaf Grocers\nTOTAL 7.25", "receipt") is None  # receipts name no gist


def test_a_lab_summary_names_the_tests_out_of_range():
    from strongroom.understanding.fields import extract_fields
    text = ("Westbrook Pathology\nPatient: Oliver Grant\nReported: 2024-05-06\n"
            "WBC          6.2   x10^9/L   (4.0-11.0)\nHemoglobin   11.4  g/dL   (13.5-17.5)\n")
    s = template_summary("lab_report", extract_fields(text, schema("lab_report")), "en", text)
    assert "out of range: Hemoglobin 11.4 g/dL (low)" in s and "WBC" not in s
