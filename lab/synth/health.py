"""Synthetic lab reports, clinical notes and prescriptions.

Clinical words are generic (common tests, symptoms, drugs); patients,
doctors and clinics come from the made-up lists in ``common``.
"""

from __future__ import annotations

from datetime import timedelta

from .common import Gen, columns

# name, unit, low, high (reference range), decimals
TESTS_EN = (("Hemoglobin", "g/dL", 12.0, 16.0, 1), ("WBC", "x10^9/L", 4.0, 11.0, 1),
            ("Platelets", "x10^9/L", 150, 400, 0), ("Glucose (fasting)", "mmol/L", 3.9, 5.6, 1),
            ("Glucose", "mg/dL", 70, 99, 0), ("Total cholesterol", "mmol/L", 3.0, 5.2, 1),
            ("HDL cholesterol", "mg/dL", 40, 60, 0), ("LDL cholesterol", "mg/dL", 0, 130, 0),
            ("Triglycerides", "mmol/L", 0.4, 1.7, 2), ("Creatinine", "umol/L", 60, 110, 0),
            ("ALT", "U/L", 7, 56, 0), ("AST", "U/L", 10, 40, 0), ("TSH", "mIU/L", 0.4, 4.0, 2),
            ("HbA1c", "%", 4.0, 5.6, 1), ("Sodium", "mmol/L", 135, 145, 0),
            ("Potassium", "mmol/L", 3.5, 5.1, 1), ("Urea", "mmol/L", 2.5, 7.8, 1),
            ("Vitamin D", "nmol/L", 50, 125, 0), ("Ferritin", "ng/mL", 20, 250, 0),
            ("CRP", "mg/L", 0, 5, 1), ("Hematocrit", "%", 36, 46, 1),
            ("eGFR", "mL/min", 90, 120, 0))
TESTS_ZH = (("白细胞计数 WBC", "10^9/L", 3.5, 9.5, 1), ("红细胞计数 RBC", "10^12/L", 3.8, 5.1, 2),
            ("血红蛋白 HGB", "g/L", 115, 150, 0), ("血小板计数 PLT", "10^9/L", 125, 350, 0),
            ("葡萄糖 GLU", "mmol/L", 3.9, 6.1, 2), ("总胆固醇 TC", "mmol/L", 2.8, 5.2, 2),
            ("甘油三酯 TG", "mmol/L", 0.45, 1.7, 2), ("肌酐 CREA", "μmol/L", 44, 133, 0),
            ("尿酸 UA", "μmol/L", 150, 420, 0), ("谷丙转氨酶 ALT", "U/L", 7, 40, 0),
            ("谷草转氨酶 AST", "U/L", 13, 35, 0), ("糖化血红蛋白", "%", 4.0, 6.0, 1),
            ("尿素氮", "mmol/L", 2.8, 7.2, 1), ("促甲状腺激素 TSH", "mIU/L", 0.27, 4.2, 2))
SYMPTOMS = (("cough", "咳嗽"), ("fever", "发热"), ("sore throat", "咽痛"),
            ("lower back pain", "腰痛"), ("headache", "头痛"), ("chest tightness", "胸闷"),
            ("abdominal pain", "腹痛"), ("dizziness", "头晕"), ("knee pain", "膝关节疼痛"),
            ("rash on the forearm", "皮疹"), ("fatigue", "乏力"), ("shortness of breath", "气短"),
            ("nausea", "恶心"), ("insomnia", "失眠"))
DIAGNOSES = (("Acute upper respiratory infection", "急性上呼吸道感染"),
             ("Essential hypertension", "原发性高血压"), ("Type 2 diabetes mellitus", "2型糖尿病"),
             ("Mechanical low back pain", "腰肌劳损"), ("Tension-type headache", "紧张性头痛"),
             ("Gastroenteritis", "急性胃肠炎"), ("Contact dermatitis", "接触性皮炎"),
             ("Osteoarthritis of the knee", "膝骨关节炎"),
             ("Iron deficiency anaemia", "缺铁性贫血"),
             ("Allergic rhinitis", "过敏性鼻炎"))
DRUGS = (("Amoxicillin", "500 mg capsule", "阿莫西林胶囊", "0.25g×24粒"),
         ("Metformin", "500 mg tablet", "二甲双胍片", "0.5g×48片"),
         ("Amlodipine", "5 mg tablet", "氨氯地平片", "5mg×28片"),
         ("Ibuprofen", "400 mg tablet", "布洛芬缓释胶囊", "0.3g×20粒"),
         ("Omeprazole", "20 mg capsule", "奥美拉唑肠溶胶囊", "20mg×14粒"),
         ("Atorvastatin", "20 mg tablet", "阿托伐他汀钙片", "20mg×7片"),
         ("Salbutamol inhaler", "100 mcg", "沙丁胺醇气雾剂", "100μg×200揿"),
         ("Cetirizine", "10 mg tablet", "氯雷他定片", "10mg×6片"),
         ("Prednisolone", "5 mg tablet", "头孢克肟分散片", "0.1g×6片"),
         ("Lisinopril", "10 mg tablet", "复方甘草口服溶液", "100ml"),
         ("Paracetamol", "500 mg tablet", "对乙酰氨基酚片", "0.5g×12片"),
         ("Sertraline", "50 mg tablet", "蒙脱石散", "3g×10袋"))
SIG_EN = ("Take 1 tablet by mouth twice daily", "Take 1 capsule three times a day for 7 days",
          "1 tab PO daily", "Take 2 tablets every 6 hours as needed for pain",
          "Inhale 2 puffs every 4-6 hours as needed", "1 cap PO BID with food",
          "Take one at night", "Apply thinly twice daily")
SIG_ZH = ("口服 每次1片 每日2次", "口服 每次2粒 每日3次", "每日1次 每次1片 饭后服用",
          "必要时服用 每次1片", "吸入 每次2揿 必要时", "每日3次 每次10ml", "外用 每日2次")


def _patient(g: Gen) -> list[str]:
    age = g.r.randint(2, 90)
    sex = g.t(("M", "F", "Male", "Female"), ("男", "女"))
    return g.some([
        g.t(("Patient: ", "Name: ", "Patient name: "), ("姓名：", "患者：")) + g.person(),
        g.t((f"DOB: {g.date(g.day(back=25000))}", f"Age: {age}", f"Age/Sex: {age}/{sex}"),
            (f"年龄：{age}岁", f"性别：{sex}  年龄：{age}")),
        g.t((f"MRN: {g.num(7)}", f"Patient ID: {g.num(8)}",
             f"NHS No: {g.num(3)} {g.num(3)} {g.num(4)}"),
            (f"病历号：{g.num(8)}", f"门诊号：{g.num(10)}", f"住院号：{g.num(6)}")),
        g.t((f"Sex: {sex}",), (f"性别：{sex}",)),
    ], 2, 4)


def _clinic(g: Gen) -> str:
    if g.zh:
        return g.pick((f"{g.company('firm')[:2]}市人民医院",
                       g.pick(("协和", "仁爱", "博爱", "中心")) + "医院",
                       "社区卫生服务中心", g.pick(("康健", "安心", "长青")) + "诊所"))
    return g.pick((f"{g.pick(('Riverside', 'St Mary', 'Lakeside', 'Northgate', 'Cedar'))} "
                   f"{g.pick(('Medical Centre', 'Hospital', 'Family Clinic', 'Health Centre'))}",
                   f"Dr {g.person()} - General Practice", f"{g.pick(('Meridian', 'Apex'))} "
                   "Diagnostics Laboratory"))


def _doctor(g: Gen) -> str:
    return g.t((f"Dr. {g.person()}", f"Dr {g.person()}, MD", f"{g.person()}, MBBS"),
               (f"{g.person()}医师", f"医生：{g.person()}"))


def lab_report(g: Gen) -> list[str]:
    out = [_clinic(g), g.t(("LABORATORY REPORT", "Laboratory Results", "Pathology Report",
                            "Test Results", "Complete Blood Count", "Lipid Panel",
                            "Clinical Chemistry Report", "Lab results"),
                           ("检验报告单", "化验单", "检验科报告", "血常规检验报告", "生化检验报告",
                            "检验结果报告"))]
    out += _patient(g)
    out += g.some([
        g.t((f"Ordering physician: {_doctor(g)}", f"Requested by: {_doctor(g)}"),
            (f"送检医生：{g.person()}", f"申请医师：{g.person()}")),
        g.t(("Specimen: Blood", "Specimen: Serum", "Sample: Urine", "Specimen type: EDTA blood"),
            ("标本类型：血清", "标本：全血", "样本类型：尿液")),
        g.t((f"Collected: {g.date()} {g.time()}", f"Collection date: {g.date()}"),
            (f"采样时间：{g.date()} {g.time()}", f"采集日期：{g.date()}")),
        g.t((f"Reported: {g.date()}", f"Report date: {g.date()}"), (f"报告日期：{g.date()}",)),
    ], 2, 4)
    if g.chance(0.7):
        out.append(g.t(("Test  Result  Units  Reference range  Flag",
                        "TEST NAME RESULT UNIT REF. RANGE"), ("检验项目 结果 单位 参考范围 提示",
                                                               "项目 结果 参考值 单位")))
    for name, unit, lo, hi, dec in g.some(TESTS_ZH if g.zh else TESTS_EN, 2, 10):
        v = g.r.uniform(lo * 0.7, hi * 1.3)
        flag = ("H" if v > hi else "L" if v < lo else "")
        if g.zh:
            flag = {"H": "↑", "L": "↓", "": ""}[flag]
        ref = g.pick((f"{lo}-{hi}", f"{lo} - {hi}", f"({lo}-{hi})", f"<{hi}" if lo == 0 else
                      f"{lo}-{hi}"))
        out.append(columns(g, name, f"{v:.{dec}f}", unit, ref, flag))
    if g.chance(0.5):
        out.append(g.t(("Comment: Results reviewed.", "Verified by: " + g.person(),
                        "*** End of report ***", "H = high, L = low",
                        "Please correlate clinically."),
                       ("检验者：" + g.person() + "  审核者：" + g.person(),
                        "本报告仅对所检标本负责", "↑偏高 ↓偏低")))
    return out


def clinical_note(g: Gen) -> list[str]:
    sym, sym_zh = g.pick(SYMPTOMS)
    dx, dx_zh = g.pick(DIAGNOSES)
    days = g.r.randint(1, 21)
    age = g.r.randint(18, 88)
    out = [_clinic(g), g.t(("Clinic Note", "Progress Note", "Consultation Note", "SOAP note",
                            "Outpatient Visit", "Clinical notes", "Follow-up visit"),
                           ("门诊病历", "病程记录", "就诊记录", "门诊记录", "复诊记录"))]
    out += g.some([g.t((f"Date of visit: {g.date()}", f"Seen: {g.date()}"),
                       (f"就诊日期：{g.date()}", f"日期：{g.date()}"))] + _patient(g), 2, 4)
    if g.zh:
        sections = [
            f"主诉：{sym_zh}{days}天",
            f"现病史：患者{days}天前出现{sym_zh}，"
            + g.pick(("无发热", "伴乏力", "夜间加重", "休息后缓解")) + "。",
            g.pick(("既往史：高血压病史5年", "既往史：体健", "既往史：糖尿病史")),
            g.pick(("过敏史：无", "过敏史：青霉素过敏")),
            f"体格检查：体温{g.r.randint(360, 392) / 10}℃ 脉搏{g.r.randint(60, 110)}次/分 "
            f"血压{g.r.randint(100, 160)}/{g.r.randint(60, 100)}mmHg",
            f"诊断：{dx_zh}",
            g.pick(("处理：注意休息，多饮水，一周后复诊", "治疗计划：口服药物治疗，两周后复查",
                    "建议：完善相关检查，门诊随访")),
            f"医师签名：{g.person()}",
        ]
    else:
        plan = g.pick(("rest and fluids, review in one week",
                       "start medication, recheck bloods in 2 weeks", "refer to physiotherapy",
                       "safety-net advice given, return if worse"))
        sections = [
            f"{g.pick(('Chief complaint', 'CC', 'Reason for visit'))}: {sym} for {days} days",
            f"{g.pick(('HPI', 'History', 'S'))}: {age}-year-old "
            f"{g.pick(('man', 'woman', 'patient'))} presents with {sym} for {days} days. "
            + g.pick(("No fever.", "Worse at night.", "Improves with rest.",
                      "Denies chest pain.")),
            g.pick(("PMH: hypertension", "Past history: nil significant", "PMH: asthma, T2DM")),
            g.pick(("Allergies: NKDA", "Allergies: penicillin (rash)")),
            f"{g.pick(('Exam', 'O', 'Examination'))}: BP {g.r.randint(100, 160)}/"
            f"{g.r.randint(60, 100)}, HR {g.r.randint(55, 110)}, Temp "
            f"{g.r.randint(360, 392) / 10} C, SpO2 {g.r.randint(93, 100)}%",
            f"{g.pick(('Assessment', 'A', 'Impression', 'Diagnosis'))}: {dx}",
            f"{g.pick(('Plan', 'P'))}: {plan}",
            f"Signed: {_doctor(g)}",
        ]
    keep = [s for s in sections if g.chance(0.85)] or sections[:3]
    return out + keep


def prescription(g: Gen) -> list[str]:
    out = [_clinic(g), g.t(("PRESCRIPTION", "Prescription", "Rx", "Outpatient prescription",
                            "Medication order"), ("处方笺", "处方", "普通处方", "门诊处方",
                                                   "处方单"))]
    out += g.some([g.t((f"Prescriber: {_doctor(g)}", f"Dr {g.person()}  Reg. No. {g.num(6)}",
                        f"DEA {g.pick('ABFM')}{g.pick('ABCDEFGHJK')}{g.num(7)}",
                        f"NPI {g.num(10)}"),
                       (f"医师：{g.person()}",
                        "科别：" + g.pick(("内科", "儿科", "外科", "皮肤科")),
                        f"费别：{g.pick(('自费', '医保'))}")),
                   g.t((f"Date: {g.date()}",), (f"开具日期：{g.date()}", f"日期：{g.date()}"))]
                  + _patient(g), 2, 5)
    if g.zh and g.chance(0.6):
        out.append(f"临床诊断：{g.pick(DIAGNOSES)[1]}")
    if g.chance(0.6):
        out.append(g.pick(("Rp:", "Rx:", "R/")) if not g.zh else g.pick(("Rp:", "Rp.", "药品")))
    for en, form, zh, pack in g.some(DRUGS, 1, 4):
        if g.zh:
            out.append(columns(g, zh, pack, f"×{g.r.randint(1, 3)}{g.pick(('盒', '瓶', '袋'))}"))
            out.append(f"{g.pick(('用法：', 'Sig：', ''))}{g.pick(SIG_ZH)}")
        else:
            out.append(f"{en} {form}")
            out.append(f"{g.pick(('Sig: ', 'Directions: ', ''))}{g.pick(SIG_EN)}")
            out.append(f"{g.pick(('Disp: #', 'Qty: ', 'Quantity '))}{g.pick((14, 21, 28, 30, 60))}"
                       f"{g.pick(('', '  Refills: 0', '  Refills: 2', '  Repeats: 1'))}")
    if g.chance(0.6):
        out.append(g.t(("Substitution permitted", "Dispense as written", "Signature: ________",
                        "Valid for 30 days", "Pharmacist: " + g.person()),
                       (f"医师签名：{g.person()}", f"审核药师：{g.person()}  调配：{g.person()}",
                        "本处方当日有效", f"药费：{g.amt(g.money(10, 300))}")))
    return out


def discharge_summary(g: Gen) -> list[str]:
    """A hospital stay from admission to discharge: dates, course, medicines, follow-up."""
    dx, dx_zh = g.pick(DIAGNOSES)
    stay = g.r.randint(1, 21)
    out = [_clinic(g), g.t(("DISCHARGE SUMMARY", "Discharge Summary", "Discharge Letter",
                            "Hospital Discharge Summary", "Inpatient discharge summary",
                            "Summary of hospital stay"),
                           ("出院小结", "出院记录", "出院摘要", "住院病历出院小结", "出院证明书"))]
    admitted = g.day(back=30 + stay)
    left = admitted + timedelta(days=stay)
    out += g.some([g.t((f"Admission date: {g.date(admitted)}", f"Admitted: {g.date(admitted)}",
                        f"Date of admission: {g.date(admitted)}"),
                       (f"入院日期：{g.date(admitted)}", f"入院时间：{g.date(admitted)}")),
                   g.t((f"Discharge date: {g.date(left)}", f"Discharged: {g.date(left)}",
                        f"Date of discharge: {g.date(left)}"),
                       (f"出院日期：{g.date(left)}", f"出院时间：{g.date(left)}")),
                   g.t((f"Length of stay: {stay} days", f"Ward: {g.pick('ABCDEFG')}{g.num(1)}"),
                       (f"住院天数：{stay}天", f"科室：{g.pick(('心内科', '呼吸科', '骨科'))}"))]
                  + _patient(g), 3, 6)
    if g.zh:
        sections = [f"入院诊断：{dx_zh}", f"出院诊断：{dx_zh}",
                    "入院情况：患者因" + g.pick(SYMPTOMS)[1] + f"{g.r.randint(1, 14)}天入院。",
                    "诊疗经过：入院后完善相关检查，予" + g.pick(("抗感染", "降压", "降糖",
                                                        "对症支持")) + "治疗，病情好转。",
                    "出院情况：一般情况可，生命体征平稳。",
                    "出院医嘱：" + g.pick(DRUGS)[2] + " " + g.pick(SIG_ZH),
                    g.pick(("随访：两周后门诊复查", "出院后一周复诊", "不适随诊")),
                    f"主治医师：{g.person()}"]
    else:
        heading = g.pick(("Principal diagnosis", "Diagnosis on discharge", "Final diagnosis"))
        sections = [f"{heading}: {dx}",
                    f"{g.pick(('Presenting complaint', 'Reason for admission'))}: "
                    f"{g.pick(SYMPTOMS)[0]}",
                    f"{g.pick(('Hospital course', 'Clinical course', 'Course in hospital'))}: "
                    + g.pick(("Treated with intravenous fluids and antibiotics; improved.",
                              "Observed on the ward; symptoms settled over the stay.",
                              "Medication adjusted; mobilising independently at discharge.")),
                    f"{g.pick(('Discharge medications', 'Medications on discharge', 'TTO'))}: "
                    + ", ".join(f"{d[0]} {d[1]}" for d in g.some(DRUGS, 1, 3)),
                    f"{g.pick(('Follow-up', 'Follow up', 'Plan after discharge'))}: "
                    + g.pick(("GP review in 2 weeks", "outpatient clinic in 6 weeks",
                              "repeat bloods in one week")),
                    f"{g.pick(('Attending physician', 'Consultant', 'Discharging doctor'))}: "
                    f"{_doctor(g)}"]
    keep = [s for s in sections if g.chance(0.85)] or sections[:3]
    return out + keep
