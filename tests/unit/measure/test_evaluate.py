"""``strongroom eval`` on a tiny made-up data set: exact figures, exact output."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from strongroom.launcher import main
from strongroom.measure.evaluate import (
    Options,
    Row,
    group_folds,
    load_rows,
    matches,
    run_eval,
    token_f1,
)
from strongroom.understanding.candidates import Candidate
from strongroom.understanding.chooser import Context, RuleChooser
from strongroom.understanding.schema import FieldSpec

PINEWOOD = """PINEWOOD TRADING SDN BHD (123456-X)
NO. 5, JALAN MAWAR 2,
TAMAN INDAH, 81100 JOHOR BAHRU
TEL: 07-555 1234
DATE: 25/12/2018 8:13:39 PM
ITEM A                      9.00
GST 6%                      0.54
TOTAL (RM)                  9.54
CASH                       10.00
CHANGE                      0.46
"""
MAPLE = """THANK YOU
MAPLE BAKERY
12 Orchard Road
Date: 7 Mar 2019
Bread 3.00
TOTAL 3.00
"""
ROWS = [
    # Same store twice: gold printed differently from the document (case, dots, RM).
    {"id": "a", "doc_type": "receipt", "text": PINEWOOD,
     "gold": {"merchant": "Pinewood Trading Sdn. Bhd.",
              "merchant_address": "NO.5 JALAN MAWAR 2 TAMAN INDAH 81100 JOHOR BAHRU",
              "date": "25-12-18", "total": "RM9.54", "tax": None}},
    # A wrong gold address (one line of two: offered, not chosen by the rules) and a
    # total that is not in the text.
    {"id": "b", "text": PINEWOOD.replace("25/12/2018", "03/01/2019").replace("9.54", "9.55"),
     "gold": {"merchant": "PINEWOOD TRADING SDN BHD", "merchant_address": "NO. 5, JALAN MAWAR 2",
              "date": "03/01/2019", "total": "9.54", "tax": "0.54"}},
    # Read from a file; the gold merchant has a word the document does not.
    {"id": "c", "doc_type": "receipt", "path": "c.txt",
     "gold": {"merchant": "MAPLE BAKERY LTD", "merchant_address": "12 ORCHARD ROAD",
              "date": "07/03/2019", "total": "3.00", "tax": None}},
]
TABLE = """\
strongroom eval: 3 documents, chooser rules, no model (types from the file)

field                    n   exact  token F1  cand. recall
merchant                 3   0.667     0.933         0.667
merchant_address         3   0.667     0.889         1.000
date                     3   1.000         —         1.000
total                    3   0.667         —         0.667
tax                      1   1.000         —         1.000

type accuracy       1.000 (2/2; routed without the model, fields read as typed)
grounding           100.0% of 16 values
invented            1 of 2 gold-null fields answered"""


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    (tmp_path / "c.txt").write_text(MAPLE, encoding="utf-8")
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_table(dataset, capsys):
    code, out = run_cli(capsys, "eval", str(dataset), "--no-model", "--chooser", "rules")
    assert code == 0
    *table, speed = out.rstrip("\n").split("\n")
    assert "\n".join(table) == TABLE
    assert speed.startswith("speed ") and speed.endswith(" documents/minute")


def test_json(dataset, capsys):
    code, out = run_cli(capsys, "eval", str(dataset), "--no-model", "--json")
    report = json.loads(out)
    assert code == 0
    assert report["documents"] == 3 and report["model"] is False
    assert report["fields"]["merchant"] == {"n": 3, "exact": 2 / 3,
                                            "token_f1": pytest.approx((1 + 1 + 0.8) / 3),
                                            "candidate_recall": 2 / 3}
    assert report["fields"]["date"]["token_f1"] is None  # F1 only for text fields
    assert report["grounding_rate"] == 1.0 and report["values"] == 16
    assert (report["gold_null"], report["invented"]) == (2, 1)
    assert (report["type_accuracy"], report["typed_documents"]) == (1.0, 2)  # b has no type
    assert report["misrouted"] == {}
    assert report["docs_per_minute"] > 0


def test_misrouted_documents_are_counted(tmp_path, capsys):
    """A receipt labelled as an invoice: the router's receipt is reported as a misroute."""
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"id": "x", "doc_type": "invoice", "text": PINEWOOD,
                                "gold": {}}) + "\n", encoding="utf-8")
    code, out = run_cli(capsys, "eval", str(path), "--no-model")
    assert code == 0
    assert "type accuracy       0.000 (0/1; routed without the model, fields read as typed)\n" \
           "misrouted           invoice -> receipt 1\n" in out
    report = run_eval(load_rows(path), RuleChooser, None, Options())
    assert (report["type_accuracy"], report["routed"]) == (None, False)  # no router given


def test_group_by_reports_seen_stores(dataset, capsys):
    code, out = run_cli(capsys, "eval", str(dataset), "--no-model", "--json",
                        "--group-by", "merchant", "--folds", "2")
    report = json.loads(out)
    assert code == 0
    assert (report["groups"], report["folds"]) == (2, 2)
    assert report["fields"]["merchant"]["exact"] == 2 / 3  # nothing is trained: same figures
    assert set(report["seen"]) == {"merchant", "merchant_address", "date", "total", "tax"}


def sourced(tmp_path: Path) -> Path:
    """Three documents from three sources; the last is an invoice the router calls a receipt."""
    rows = [{**ROWS[0], "source": "sroie:pinewood"},
            {"id": "m", "doc_type": "receipt", "source": "bakeries:maple", "text": MAPLE,
             "gold": {"total": "3.00"}},
            {"id": "x", "doc_type": "invoice", "source": "invoices:pinewood", "text": PINEWOOD,
             "gold": {"total": "9.54"}}]
    path = tmp_path / "sourced.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_figures_per_source_and_the_routing_matrix(tmp_path, capsys):
    code, out = run_cli(capsys, "eval", str(sourced(tmp_path)), "--no-model", "--json",
                        "--chooser", "rules")
    report = json.loads(out)
    assert code == 0
    assert report["routing_matrix"] == {"receipt": {"receipt": 2}, "invoice": {"receipt": 1}}
    assert report["to_other"] == 0.0
    assert set(report["by_source"]) == {"sroie:pinewood", "bakeries:maple", "invoices:pinewood"}
    assert report["by_source"]["invoices:pinewood"] == {
        "n": 1, "type_accuracy": 0.0, "exact": {"total": 1.0}}
    assert report["by_source"]["bakeries:maple"]["type_accuracy"] == 1.0
    code, text = run_cli(capsys, "eval", str(sourced(tmp_path)), "--no-model",
                         "--chooser", "rules")
    assert "\ngold \\ routed          receipt  invoice\n" \
           "receipt                       2        .\n" \
           "invoice                       1        .\n\n" in text
    assert "\n  bakeries:maple                        1  type 1.000  total 1.000" in text


def test_leave_one_source_out(tmp_path):
    """--group-by source --folds 0: one fold per source, each fitted on all the others."""
    rows = load_rows(sourced(tmp_path))
    Recording.fitted = []
    report = run_eval(rows, Recording, None, Options(group_by="source", folds=0))
    assert report["folds"] == 3
    assert sorted(map(sorted, Recording.fitted[:3])) == [["a", "m"], ["a", "x"], ["m", "x"]]


def test_missing_dataset_is_one_line(tmp_path, capsys):
    assert main(["eval", str(tmp_path / "nope.jsonl"), "--no-model"]) == 1
    assert capsys.readouterr().err == f"strongroom: There is no file {tmp_path / 'nope.jsonl'}.\n"


class Recording(RuleChooser):
    """A trainable chooser that remembers what it was fitted on."""

    fitted: list[set[str]] = []

    def fit(self, rows: Sequence[Row]) -> None:
        self.fitted.append({r.id for r in rows})


def test_store_disjoint_folds_fit_without_the_test_store(dataset):
    rows = load_rows(dataset)
    Recording.fitted = []
    report = run_eval(rows, Recording, None, Options(group_by="merchant", folds=2))
    # Two store-disjoint folds, then two ordinary folds for the seen figures.
    assert len(Recording.fitted) == 4
    assert {"a", "b"} in Recording.fitted[:2] and {"c"} in Recording.fitted[:2]
    assert report["fields"]["total"]["n"] == 3


def test_folds_never_split_a_group():
    groups = ["x"] * 5 + ["y"] * 3 + ["z"] * 2 + ["w"]
    folds = group_folds(groups, 3)
    fold_of = dict(zip(groups, folds, strict=True))
    assert folds == [fold_of[g] for g in groups]
    assert sorted(folds.count(k) for k in range(3)) == [3, 3, 5]


@pytest.mark.parametrize(("kind", "value", "normalized", "gold", "expected"), [
    ("date", "25/12/2018", "2018-12-25", "25 DEC 2018", True),
    ("date", "03/01/2019", "2019-01-03", "01/03/2019", False),
    ("amount", "9.54", "9.54", "RM 9.54", True),
    ("amount", "9.54", "9.54", "$9.55", False),
    ("name", "ACME  CO.", "ACME CO.", "acme co", True),
    ("address", "1 A ST", "1 A ST", "", False),
    ("currency", "RM", "MYR", "RM", True),
])
def test_matches(kind, value, normalized, gold, expected):
    assert matches(kind, value, normalized, gold, dayfirst=True) is expected


def test_token_f1():
    assert token_f1("MAPLE BAKERY", "Maple Bakery Ltd.") == pytest.approx(0.8)
    assert token_f1(None, "x") == 0.0


def test_a_chooser_only_returns_given_candidates():
    c = Candidate("amount", 0, 4, "9.54", "9.54", 0)
    chosen = RuleChooser().choose(FieldSpec("total", "Total", "amount", prefer="largest"), [c],
                                  Context("9.54", []))
    assert chosen is c


def test_eval_with_the_shipped_ranker(dataset, capsys):
    code, out = run_cli(capsys, "eval", str(dataset), "--no-model", "--chooser", "ranker",
                        "--json")
    report = json.loads(out)
    assert code == 0 and report["chooser"] == "ranker"
    assert report["grounding_rate"] == 1.0 and report["documents"] == 3
