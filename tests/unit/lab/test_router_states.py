"""lab.router_states' sample: a few documents of every collection, spread over sources."""

from lab.corpus import Doc
from lab.router_states import sample


def doc(i: int, collection: str, source: str) -> Doc:
    return Doc(id=f"{collection}-{i}", collection=collection, source=source,
               doc_type="receipt", lang="en", text=f"text {i}", gold={})


def test_sample_takes_every_source_before_a_second_of_any():
    docs = [doc(i, "a", "big") for i in range(20)] + [doc(100 + i, "a", f"s{i}")
                                                     for i in range(3)]
    docs += [doc(200 + i, "b", "only") for i in range(2)]
    got = sample(docs, 4)
    a = [d for d in got if d.collection == "a"]
    assert len(a) == 4 and {d.source for d in a} == {"big", "s0", "s1", "s2"}
    assert len([d for d in got if d.collection == "b"]) == 2
    assert [d.id for d in sample(list(reversed(docs)), 4)] == [d.id for d in got]
