"""candidates → chooser → grounded value, on tiny made-up documents."""

from strongroom.understanding.candidates import find_amounts, find_currencies, find_dates
from strongroom.understanding.chooser import Context, RuleChooser
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.schema import DOC_TYPES, schema

RECEIPT = """JOHN DOE
PINEWOOD TRADING SDN BHD (123456-X)
NO. 5, JALAN MAWAR 2,
TAMAN INDAH, 81100 JOHOR BAHRU
TEL: 07-555 1234
DATE: 25/12/2018 8:13:39 PM
ITEM A        2 x 4.50     9.00
ITEM B                     12.40
SUBTOTAL                   21.40
GST 6%                      1.28
TOTAL (RM)                 22.68
ROUNDING                   -0.03
ROUNDED TOTAL              22.65
CASH                       50.00
CHANGE                     27.35
"""


def test_every_value_is_the_text_at_its_span():
    fields = extract_fields(RECEIPT, schema("receipt"))
    for name, fv in fields.items():
        if fv.value is not None:
            start, end = fv.span
            assert RECEIPT[start:end] == fv.value, name


def test_receipt_fields():
    f = extract_fields(RECEIPT, schema("receipt"))
    assert f["merchant"].value == "PINEWOOD TRADING SDN BHD"  # registration number left out
    assert f["merchant_address"].normalized == (
        "NO. 5, JALAN MAWAR 2, TAMAN INDAH, 81100 JOHOR BAHRU")
    assert f["date"].normalized == "2018-12-25"
    assert f["total"].normalized == "22.65"  # cash − change, the rounded total
    assert f["currency"].normalized == "MYR"
    assert f["tax"].normalized == "1.28"


def test_missing_fields_are_honestly_empty():
    f = extract_fields("Thank you for your visit", schema("receipt"))
    assert f["total"].value is None and f["total"].span is None
    assert f["date"].value is None


def test_invoice_fields():
    text = ("Acme Widgets LLC\n100 Main St\nINVOICE\nInvoice No: INV-0042\n"
            "Invoice Date: 03/04/2024\nDue Date: 04/03/2024\nBill To: Jane Roe\n"
            "Subtotal $90.00\nTotal Due $99.00\n")
    f = extract_fields(text, schema("invoice"))
    assert f["vendor"].value == "Acme Widgets LLC"
    assert f["invoice_number"].value == "INV-0042"
    assert f["invoice_date"].normalized == "2024-03-04"  # "$" → month-first
    assert f["due_date"].normalized == "2024-04-03"
    assert f["total"].normalized == "99.00"
    assert f["currency"].normalized == "USD" and f["currency"].inferred
    assert f["customer"].value == "Jane Roe"


def test_candidates_skip_times_dates_and_words():
    text = "Time 12:30\nDate 01.02.2024\nRef AB12.34CD\nPaid 7.50\n"
    assert [c.text for c in find_amounts(text)] == ["7.50"]
    assert [c.normalized for c in find_dates(text)] == ["2024-02-01"]
    assert [c.normalized for c in find_currencies("HK$ 5.00")] == ["HKD"]


def test_chooser_returns_none_without_keyword_when_required():
    spec = next(f for f in schema("invoice").fields if f.name == "due_date")
    text = "Invoice 12/01/2024"
    ctx = Context(text=text, lines=__import__(
        "strongroom.understanding.candidates", fromlist=["lines"]).lines(text))
    assert RuleChooser().choose(spec, find_dates(text), ctx) is None


def test_every_type_has_a_schema_with_fields():
    for t in DOC_TYPES:
        sch = schema(t)
        assert sch.type == t and sch.fields


def test_a_chooser_is_a_seam():
    """Any object with ``choose`` plugs in; its pick is still grounded."""

    class LastCandidate:
        def choose(self, spec, candidates, ctx):
            return candidates[-1] if candidates else None

    f = extract_fields(RECEIPT, schema("receipt"), LastCandidate())
    assert f["total"].value == "27.35"  # wrong on purpose, but from the text
    start, end = f["total"].span
    assert RECEIPT[start:end] == "27.35"


def test_words_inside_words_do_not_disqualify_a_name():
    text = "GREENLEAF GROCERS LTD\n14 Harbour Road\nPortsmouth PO1 3AB\nTel: 023 9200 1144\n"
    f = extract_fields(text, schema("receipt"))
    assert f["merchant"].value == "GREENLEAF GROCERS LTD"  # "GROCERS" holds "roc"
    assert f["merchant_address"].normalized == "14 Harbour Road, Portsmouth PO1 3AB"


def test_the_document_date_is_the_schemas_first_date_found(monkeypatch):
    """The list's Date column: payslip → pay date, lab report → collection date..."""
    import threading

    from strongroom.reading.base import Document
    from strongroom.understanding import pipeline

    text = "ACME LTD\nPAYSLIP\nEmployee: Sam Roe\nPay Date: 31/05/2024\nNet Pay 2,699.50\n"
    class Payslips:  # type stubbed: this test is about the date rule, not the router
        def route(self, text):
            return "payslip", {"payslip": 1.0}

    monkeypatch.setattr(pipeline, "summarize", lambda *a, **k: ("A payslip.", "template"))
    u = pipeline.Understander(lambda: object(), router=Payslips())  # type: ignore[arg-type, return-value]
    ex = u(Document("p.txt", "text", text, text.encode()), cancel=threading.Event(),
           progress=lambda f: None)
    assert ex.doc_date == "2024-05-31"


def test_chinese_labels_and_full_width_colons():
    text = ("上海明达科技有限公司\n发票\n发票号码：No. 04418827\n开票日期：2024年6月12日\n"
            "购买方：杭州云帆设计工作室\n金额：¥8,000.00\n价税合计：¥8,480.00\n")
    f = extract_fields(text, schema("invoice"))
    assert f["vendor"].value == "上海明达科技有限公司"
    assert f["invoice_date"].normalized == "2024-06-12"
    assert f["customer"].value == "杭州云帆设计工作室"
    assert f["total"].normalized == "8480.00"
    assert f["currency"].normalized == "CNY" and f["currency"].inferred  # ¥ in Chinese text


def test_a_labelled_value_stops_where_the_next_column_starts():
    text = "Clinic\nPatient: A. Jones  Collected: 02/03/2024\n姓名：李娜  工号：A1027\n"
    f = extract_fields(text, schema("lab_report"))
    assert f["patient"].value == "A. Jones"


def test_a_labelled_value_stops_where_the_next_label_starts():
    text = "Clinic\nPatient: Jane Roe MRN: 00431\nName on card: Li Na Date of birth: 01/02/1990\n"
    f = extract_fields(text, schema("discharge_summary"))
    assert f["patient"].value == "Jane Roe"
    assert f["mrn"].value == "00431"
    from strongroom.understanding.candidates import labelled_candidates
    assert [c.text for c in labelled_candidates(text, ["name on card"])] == ["Li Na"]


def test_a_value_starts_after_the_rest_of_a_longer_label():
    from strongroom.understanding.candidates import labelled_candidates
    text = ("PAYER'S name: Keystone Credit Union, 410 Orchard Ave\n纳税人名称：邓志远\n"
            "Employee Name: Marco Silva\nPatient Jane Roe MRN: 0043\nDate 12/01/2024 Time: 10:00\n")
    got = {kw: [c.text for c in labelled_candidates(text, [kw])]
           for kw in ("payer", "纳税人", "employee", "patient", "date")}
    assert got == {"payer": ["Keystone Credit Union, 410 Orchard Ave"], "纳税人": ["邓志远"],
                   "employee": ["Marco Silva"], "patient": ["Jane Roe"],
                   "date": ["12/01/2024"]}


def test_a_date_of_birth_is_never_the_documents_date():
    text = ("Westbrook Pathology\nPatient: Oliver Grant   DOB 1978-11-02\n"
            "Reported: 2024-05-06 15:42\nHemoglobin   11.4  g/dL      (13.5-17.5)  L\n")
    f = extract_fields(text, schema("lab_report"))
    assert f["report_date"].normalized == "2024-05-06"
    # Not the birthday, and not the report date either: the report names no collection.
    assert f["collection_date"].value is None
    labelled = extract_fields(text.replace("Reported:", "Collected: 2024-05-05\nReported:"),
                              schema("lab_report"))
    assert labelled["collection_date"].normalized == "2024-05-05"
