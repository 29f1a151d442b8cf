"""Learning from the user's corrections: memory of vouched-for values, personal weights."""

from __future__ import annotations

from strongroom.understanding import personal
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.personal import Label, Memory, PersonalChooser, fit, offered
from strongroom.understanding.ranker import RankerChooser, features, load, score
from strongroom.understanding.schema import schema

BODY = """NO. {n}, LORONG MERAK 3,
41200 KLANG, SELANGOR
TEL: 03-3344 5566
DATE: 0{n}/02/2019
ITEM  QTY  AMOUNT
PAPER A4  2  2{n}.80
TOTAL: 2{n}.80
CASH 50.00
CHANGE 2{n}.20"""
PEOPLE = ["LIM SIEW LING", "TAN AH KOW", "NUR AISYAH BINTI ALI", "WONG MEI FONG", "RAJ KUMAR"]
STORES = ["ORCHARD LANTERN", "HILLTOP STATIONERY", "BLUE HERON HARDWARE", "SEVEN PINES BAKERY",
          "COPPER KETTLE"]
# Made-up receipts: a customer's name above the shop's, which the shipped ranker takes
# for the shop (it is the first line and looks like a name).
DOCS = [f"{p}\n{s}\n" + BODY.format(n=i + 3) for i, (p, s) in enumerate(zip(PEOPLE, STORES,
                                                                            strict=True))]


def label(doc: str, field: str, value: str) -> Label:
    at = doc.index(value)
    return Label("receipt", field, doc, at, at + len(value))


def merchant(doc: str, chooser: object) -> str | None:
    return extract_fields(doc, schema("receipt"), chooser)["merchant"].value  # type: ignore[arg-type]


def test_no_labels_is_the_shipped_ranker() -> None:
    for doc in DOCS:
        assert merchant(doc, PersonalChooser(load(), [])) == merchant(doc, RankerChooser(load()))
    assert fit(load(), []) == load()


def test_a_remembered_value_is_found_where_no_finder_offers_it() -> None:
    """The user pointed at a span no finder offers (line 14, below the first ten
    lines): the next receipt of that shop gets the same value, grounded."""
    footer = "\nGOODS SOLD ARE NOT RETURNABLE\nOPERATED BY KEDAI PELITA MAJU"
    first, second = DOCS[0] + footer, DOCS[1] + footer
    spec, cands, _, _ = offered(second, "receipt", "merchant", RankerChooser(load()))
    assert not any("PELITA" in c.text for c in cands)  # no finder offers it
    chooser = PersonalChooser(load(), [label(first, "merchant", "KEDAI PELITA MAJU")])
    fv = extract_fields(second, schema("receipt"), chooser)["merchant"]
    assert fv.value == "KEDAI PELITA MAJU"
    assert fv.span is not None and second[fv.span[0]:fv.span[1]] == fv.value
    # A receipt without the value is chosen for as before.
    assert merchant(DOCS[2], chooser) == merchant(DOCS[2], RankerChooser(load()))


def test_remembered_value_wins_over_the_ranker_and_matches_across_case() -> None:
    chooser = PersonalChooser(load(), [label(DOCS[0], "merchant", "ORCHARD LANTERN")])
    other = DOCS[3].replace("SEVEN PINES BAKERY", "Orchard Lantern")
    assert merchant(other, chooser) == "Orchard Lantern"


def test_dates_and_amounts_are_not_remembered() -> None:
    mem = Memory.of([label(DOCS[0], "date", "03/02/2019"), label(DOCS[0], "total", "23.80"),
                     label(DOCS[0], "merchant", "ORCHARD LANTERN")])
    assert [s.name for s in mem.values] == ["merchant"]


def test_personal_weights_learn_a_layout_from_a_few_corrections() -> None:
    """Four corrections of "customer line above the shop" move the weights so that a
    fifth receipt, of a shop never labelled, is read right; memory plays no part."""
    base = load()
    labels = [label(d, "merchant", s) for d, s in zip(DOCS[:4], STORES, strict=False)]
    spec, cands, ctx, pick = offered(DOCS[4], "receipt", "merchant", RankerChooser(base))

    def margin(w: dict[str, dict[str, float]]) -> float:
        by_text = {c.text: score(w["merchant"], features(spec, c, cands, ctx, pick))
                   for c in cands}
        return by_text["COPPER KETTLE"] - by_text["RAJ KUMAR"]

    tuned = fit(base, labels, l2=0.1)
    assert margin(tuned) > margin(base)
    assert margin(tuned) > 0
    # Stronger pull, smaller move: the shipped model is nudged, not overturned.
    assert margin(base) < margin(fit(base, labels, l2=10.0)) < margin(tuned)
    assert set(tuned) == set(base)


def test_a_span_that_was_not_offered_teaches_memory_not_weights() -> None:
    doc = DOCS[0] + "\nOPERATED BY KEDAI PELITA MAJU"
    lb = label(doc, "merchant", "KEDAI PELITA MAJU")
    cache: dict[Label, object] = {}
    assert fit(load(), [lb], cache=cache) == load()  # type: ignore[arg-type]
    assert cache == {lb: None}
    assert list(Memory.of([lb]).values.values()) == [["KEDAI PELITA MAJU"]]


def test_refitting_reuses_the_offers_it_has_seen(monkeypatch: object) -> None:
    calls: list[Label] = []
    real = personal._offer

    def counting(lb: Label, chooser: object) -> object:
        calls.append(lb)
        return real(lb, chooser)  # type: ignore[arg-type]

    monkeypatch.setattr(personal, "_offer", counting)  # type: ignore[attr-defined]
    labels = [label(d, "merchant", s) for d, s in zip(DOCS[:3], STORES, strict=False)]
    cache: dict[Label, object] = {}
    fit(load(), labels[:2], cache=cache)  # type: ignore[arg-type]
    fit(load(), labels, cache=cache)  # type: ignore[arg-type]
    assert calls == labels  # each label's document is read once
