"""The clinical corpus builders' parsing (issue 21), on small made-up inputs: no
fetched text and no mirror needed."""

from __future__ import annotations

import struct

from lab.collect import aci_bench, ccks2017_emr, mtsamples, yidu_s4k
from lab.collect import mirror_text as mt


def test_aci_gold_is_the_metadata_name_only_where_the_note_prints_it():
    note = "HISTORY OF PRESENT ILLNESS\n\nMs. Jane   Roe is a 40-year-old female."
    meta = {"patient_firstname": "jane ", "patient_familyname": "roe", "doctor_name": "poe"}
    assert aci_bench.gold_for(note, meta) == {"patient": "Jane Roe"}
    assert aci_bench.gold_for(note + " Seen by Dr. Poe.", meta) == {
        "patient": "Jane Roe",
        "clinician": "Poe",
    }
    assert aci_bench.verbatim("Ro", note) is None  # whole words only
    assert aci_bench.gold_for("No names here.", meta) == {}
    assert aci_bench.verbatim("", note) is None


def test_yidu_records_their_first_diagnosis_span_and_clean_text():
    line = (
        '\ufeff{"originalText": "，患者因“胃癌”入院。\\\\U0004   既往高血压。", "entities": ['
        '{"label_type": "疾病和诊断", "start_pos": 11, "end_pos": 14},'
        '{"label_type": "疾病和诊断", "start_pos": 5, "end_pos": 7},'
        '{"label_type": "药物", "start_pos": 0, "end_pos": 1}]}\n\n'
    )
    [record] = yidu_s4k.parse_records(line)
    assert yidu_s4k.first_entity(record, "疾病和诊断") == "胃癌"
    assert yidu_s4k.first_entity(record, "手术") is None
    assert yidu_s4k.clean(record["originalText"]) == "患者因“胃癌”入院。\n既往高血压。"


def test_yidu_near_duplicates_are_told_from_different_records():
    a = yidu_s4k.shingles("患者反复解黑色大便一年，伴头昏乏力，于我院诊断为消化道出血。")
    b = yidu_s4k.shingles("患者反复解黑色大便一年，伴头昏乏力，于我院诊断为消化道出血！")
    c = yidu_s4k.shingles("入院前三天患者无明显诱因出现咳嗽咳痰，伴发热，最高体温三十九度。")
    assert mt.similar(a, b)
    assert not mt.similar(a, c)


def test_ccks_sections_join_under_their_headings_with_the_first_diagnosis():
    text = ccks2017_emr.assemble(
        {"出院情况": "无发热。\n", "一般项目": "男，39岁。", "诊疗经过": "  "}
    )
    assert text == "一般项目：\n男，39岁。\n\n出院情况：\n无发热。"
    labels = "腹痛\t3\t4\t症状和体征\n胰腺囊肿\t20\t23\t疾病和诊断\n急性胰腺炎\t9\t13\t疾病和诊断\n"
    assert ccks2017_emr.first_label(labels, "疾病和诊断") == "急性胰腺炎"
    assert ccks2017_emr.first_label(labels, "药物") is None


def test_mtsamples_line_breaks_and_document_kinds():
    assert mtsamples.restore_breaks("HISTORY:, Cough, fever.,PLAN:,1.  Rest.") == (
        "HISTORY:\nCough, fever.\nPLAN:\n1.  Rest."
    )
    assert mtsamples.doc_type(["Discharge Summary", "Urology"], "TURP") == "discharge_summary"
    assert mtsamples.doc_type(["Neurology"], "Stroke - Discharge Summary") == "discharge_summary"
    assert mtsamples.doc_type(["Office Notes", "Dermatology"], "Rash") == "clinical_note"
    assert mtsamples.doc_type(["Lab Medicine - Pathology"], "Pathology - Prostate") == "lab_report"
    assert mtsamples.doc_type(["Lab Medicine - Pathology"], "BNP v/s BMP") == ""
    assert mtsamples.doc_type(["Surgery"], "Appendectomy") == ""
    assert mtsamples.source(["Consult - History and Phy.", "Neurology"]) == "Neurology"
    assert mtsamples.source(["Office Notes"]) == "Office Notes"


def _r_string(text: str) -> bytes:
    raw = text.encode()
    return struct.pack(">ii", 9 | 1 << 15, len(raw)) + raw


def _r_strings(*texts: str) -> bytes:
    return struct.pack(">ii", 16, len(texts)) + b"".join(_r_string(t) for t in texts)


def test_mtsamples_reads_a_data_frame_from_r_serialisation():
    tagged, symbol, null = 2 | 1024, 1, 254
    attributes = (
        struct.pack(">ii", tagged, symbol)
        + _r_string("names")
        + _r_strings("note_id", "text")
        + struct.pack(">ii", tagged, symbol)
        + _r_string("class")
        + _r_strings("data.frame")
        + struct.pack(">i", null)
    )
    frame = (
        struct.pack(">ii", 19 | 256 | 512, 2)
        + struct.pack(">iiii", 13, 2, 7, 8)
        + _r_strings("first note", "second note")
        + attributes
    )
    data = (
        b"RDX2\nX\n"
        + struct.pack(">iii", 2, 0x040000, 0x020300)
        + struct.pack(">ii", tagged, symbol)
        + _r_string("notes")
        + frame
        + struct.pack(">i", null)
    )
    objects = mtsamples.read_rdata(data)
    assert list(objects) == ["notes"]
    assert mtsamples.data_frame(objects["notes"]) == [
        {"note_id": 7, "text": "first note"},
        {"note_id": 8, "text": "second note"},
    ]
