"""The receipt, bank-statement and hard-negative builders' pure functions (issue 21),
on small texts written here."""

from __future__ import annotations

from lab.collect import mirror_text as mt
from lab.collect import openprice, portfolio_pdf, tianchi_yiyao, wildreceipt

JAVA = '''
    @Value("classpath:/testFiles/Arbys/2015_10_10_14_55_54.jpg.txt")
    private Resource receipt_a;

    @Value("classpath:/testfiles/arbys/2015_10_10_14_57_05.jpg.txt")
    private Resource receipt_b;

    @Test
    public void receipt_a() throws Exception {
        TextResourceUtils.loadFromTextResource(receipt_a, (line)-> receiptLines.add(line));
        assertEquals("arbys", receipt.getChainCode());
        verifyParsedField(fieldValues, ReceiptFieldType.Total, "8.70",3);
//        verifyParsedField(fieldValues, ReceiptFieldType.Date, "2015/10/8",4);
    }

    @Test
    public void receipt_b() throws Exception {
//        TextResourceUtils.loadFromTextResource(receipt_b, (line)-> receiptLines.add(line));
        verifyParsedField(fieldValues, ReceiptFieldType.Total, "1.00",1);
    }
'''


def test_openprice_reads_the_active_asserts_of_each_test():
    assert openprice.expectations(JAVA) == [
        ("testFiles/Arbys/2015_10_10_14_55_54.jpg.txt", "Total", "8.70", 3),
        ("testFiles/Arbys/2015_10_10_14_55_54.jpg.txt", "Chain", "arbys", -1)]


def test_openprice_finds_the_printed_date_of_a_normalised_one():
    assert openprice.printed_date("0803 TIME: 17:11 #01 DATE: OCT.08'15 REG0001", "2015/10/8") \
        == "OCT.08'15"
    assert openprice.printed_date("Served by: Sam DATE: 10/8/2015 TIME: 3:28", "2015/10/8") \
        == "10/8/2015"
    assert openprice.printed_date("15/02/28 12:01", "2015/2/28") == "15/02/28"
    assert openprice.printed_date("Date: Jun 4, 2015", "2015/6/4") == "Jun 4, 2015"
    assert openprice.printed_date("DATE 10/9/2015", "2015/10/8") is None


def test_openprice_gold_needs_the_value_on_its_line_and_agreeing_tests():
    lines = ["ARBY'S", "SBTL 8.29", "GST .41", "TOTAL 8.70", "DATE: OCT.08'15"]
    assert openprice.gold_for(lines, [("Total", "8.70", 3), ("Date", "2015/10/8", 4)]) == {
        "total": "8.70", "date": "OCT.08'15"}
    assert openprice.gold_for(lines, [("Total", "8.70", 2)]) == {}
    assert openprice.gold_for(lines, [("Total", "8.70", 3), ("Total", "8.29", 1)]) == {}


def test_openprice_chain_is_the_asserted_one_else_the_folder():
    assert openprice.chain("generic/x.jpg.txt", [("Chain", "timhortons", -1)]) == "timhortons"
    assert openprice.chain("sears/walmart_use_sears_card/x.jpg.txt", []) == "walmart"
    assert openprice.chain("arbys/x.jpg.txt", []) == "arbys"
    assert openprice.photo("a/b/2015_07_03_14_25_18.jpg.hengshuai.txt") == "2015_07_03_14_25_18"


def test_wildreceipt_record_becomes_lines_and_gold():
    def ann(text, x, y, label):
        return {"text": text, "label": label, "box": [x, y + 10, x + 40, y + 10, x + 40, y, x, y]}

    record = {"file_name": "image_files/Image_1/0/abc.jpeg", "annotations": [
        ann("TOTAL", 0, 100, 24), ann("$9.50", 60, 101, 23), ann("JOE'S", 0, 0, 1),
        ann("DINER", 50, 1, 1), ann("12/30/2016FRI", 0, 50, 7), ann("", 0, 70, 0)]}
    text, store, gold = wildreceipt.convert(record)
    assert text == "JOE'S DINER\n12/30/2016FRI\nTOTAL $9.50"
    assert store == "JOESDINER"
    assert gold == {"merchant": "JOE'S DINER", "date": "12/30/2016", "total": "$9.50"}
    assert wildreceipt.one(["1.00", "2.00"]) is None


def test_portfolio_types_by_kind():
    assert portfolio_pdf.kind("x/pdf/dkb/GiroKontoauszug12.txt") == "GiroKontoauszug"
    assert portfolio_pdf.doc_type("GiroKontoauszug") == "bank_statement"
    assert portfolio_pdf.doc_type("AccountStatement") == "bank_statement"
    assert portfolio_pdf.doc_type("FlatExDegiroKauf") == "other"
    assert portfolio_pdf.doc_type("Dividende") == "other"
    assert portfolio_pdf.doc_type("SteuerbehandlungVonDividende") is None
    assert portfolio_pdf.doc_type("Depotauszug") is None


def test_portfolio_strips_the_harness_lines_only():
    raw = ("```\nPDFBox Version: 1.8.17\nPortfolio Performance Version: 0.69.2\n"
           "System: win32 | x86_64\n-----------------------------------------\n"
           "Kontoauszug\nAlter Saldo 0,00\n---------------\n```\n")
    assert portfolio_pdf.strip_harness(raw) == "Kontoauszug\nAlter Saldo 0,00\n---------------"
    assert portfolio_pdf.strip_harness("Seite 1/2\nKauf\n") == "Seite 1/2\nKauf"


def test_portfolio_takes_kinds_in_turn_up_to_the_cap():
    paths = ["b/Kauf01.txt", "b/Kauf02.txt", "b/Kauf03.txt", "b/Dividende01.txt", "b/Verkauf01.txt"]
    assert portfolio_pdf.take_in_turn(paths, 4) == [
        "b/Dividende01.txt", "b/Kauf01.txt", "b/Verkauf01.txt", "b/Kauf02.txt"]


def test_portfolio_bank_gold_is_a_printed_name():
    java = ('addBankIdentifier("DKB"); addBankIdentifier("Deutsche Kreditbank AG");'
            ' addBankIdentifier("info@dkb.de"); addBankIdentifier("10629 Berlin");'
            ' addBankIdentifier("BYLADEM1001"); addBankIdentifier("")')
    names = portfolio_pdf.identifiers(java)
    assert names == ["DKB", "Deutsche Kreditbank AG"]
    assert portfolio_pdf.bank_gold("Deutsche Kreditbank AG\nKontoauszug 7/2024 DKB", names) \
        == {"bank": "Deutsche Kreditbank AG"}
    assert portfolio_pdf.bank_gold("Sparkasse", names) == {}


def test_tianchi_sections_go_on_lines():
    assert tianchi_yiyao.sections(" 灌肠用。  红虎灌肠液-安徽  清热解毒 ") \
        == "灌肠用。\n红虎灌肠液-安徽\n清热解毒"


def test_gold_must_be_printed_and_repeats_are_dropped():
    assert mt.grounded({"total": "1 2.50", "date": "01/02/2020", "merchant": None},
                       "TOTAL 12.50\n") == {"total": "1 2.50"}
    rows = [mt.row("c", str(i), "s", "receipt", "en", t, {}) for i, t in
            enumerate(["TOTAL 12.50 thank you", "total 12.50, thank you!", "TOTAL 99.00"])]
    assert [r["id"] for r in mt.dedupe(rows)] == ["c/0", "c/2"]
    assert rows[0]["source"] == "c:s"


def test_language_guess_needs_words_not_letters():
    assert mt.guess_lang("Summe EUR 3,50 Datum 01.02.2020 für die Bank", "en") == "de"
    assert mt.guess_lang("E 325112 ICETEA E 461070 CAFE", "en", ("en", "it")) == "en"
    assert mt.guess_lang("Thank you for your visit and the total", "de") == "en"
