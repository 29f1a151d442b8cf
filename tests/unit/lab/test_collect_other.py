"""The ``other`` builders' pure functions (issue 21), on small texts written here."""

from __future__ import annotations

from lab.collect import ethereum_pm, mozilla_legal
from lab.collect import markdown_text as md


def test_front_matter_gives_the_simple_fields_and_the_rest() -> None:
    fields, body = md.front_matter('---\ntitle: "Apple Pie"\ntags: [\'pie\']\n'
                                   'redirect_from:\n  - /tos\nauthor: mfed3\n---\n\n# Pie\n')
    assert fields == {"title": "Apple Pie", "tags": "['pie']", "author": "mfed3"}
    assert body == "\n# Pie\n"
    assert md.front_matter("# No header\n") == ({}, "# No header\n")


def test_plain_drops_the_markup_and_keeps_the_words() -> None:
    source = ("---\ntitle: T\n---\n<!-- lint off -->\n# Firefox **Privacy** Notice\n"
              "Effective 4\\. May 2026\n{: datetime=\"2026-05-04\" }\n\n\n\n"
              "![Pie](/pix/pie.webp)\nSee [our terms](https://x.org/t) and <b>`this`</b>.\n"
              "[ref]: https://x.org/ref\n")
    assert md.plain(source) == ("Firefox Privacy Notice\nEffective 4. May 2026\n\n"
                                "See our terms and this.")


def test_plain_turns_a_table_into_spaced_cells_and_keeps_list_bullets() -> None:
    source = "| Item | Description |\n| --- | :---: |\n| 180.1 | **Besu** outage |\n\n* one\n- two"
    assert md.plain(source) == "Item  Description\n180.1  Besu outage\n\n* one\n- two"


def test_clip_cuts_at_a_line_break_in_the_second_half() -> None:
    text = "a" * 60 + "\n" + "b" * 60
    assert md.clip(text, 100) == "a" * 60
    assert md.clip("short", 100) == "short"
    assert md.clip("x" * 30 + "\n" + "y" * 200, 100) == ("x" * 30 + "\n" + "y" * 69)


def test_spread_caps_each_source_and_is_deterministic() -> None:
    source = {f"s{i}.md": ("a" if i < 8 else "b") for i in range(10)}
    chosen = md.spread(source, source, 3)
    assert chosen == sorted(chosen)
    assert sum(source[p] == "a" for p in chosen) == 3 and sum(source[p] == "b" for p in chosen) == 2
    assert md.spread(reversed(list(source)), source, 3) == chosen


def test_mozilla_legal_knows_a_document_by_its_locale_folder() -> None:
    assert mozilla_legal.document("de/firefox_privacy_notice.md") \
        == ("de", "firefox_privacy_notice")
    assert mozilla_legal.document("en/archive/hubs_tos.md") == ("en", "hubs_tos")
    assert mozilla_legal.document("de/pdf/mdn_plus_terms.pdf") is None
    assert mozilla_legal.document(".github/README.md") is None


def test_ethereum_pm_names_the_meeting_series() -> None:
    assert ethereum_pm.series("AllCoreDevs-EL-Meetings/Meeting 180.md") == "acd-execution"
    assert ethereum_pm.series("Breakout-Room-Meetings/PeerDAS/Meeting 01.md") == "breakout-peerdas"
    assert ethereum_pm.series("Breakout-Room-Meetings/Upgrade Community Calls/a.md") \
        == "breakout-upgrade-community-calls"
    assert ethereum_pm.series("Breakout-Room-Meetings/EOF/README.md") is None
    assert ethereum_pm.series("AllCoreDevs-EL-Meetings/perma-archive.md") is None
    assert ethereum_pm.series("README.md") is None
