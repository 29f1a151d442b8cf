"""Meeting notes and minutes of Ethereum's core-developer calls and breakout rooms, as
``other``.

Reads ethereum/pm at COMMIT: ``AllCoreDevs-EL-Meetings/*.md``,
``AllCoreDevs-CL-Meetings/*.md``, ``Breakout-Room-Meetings/<topic>/*.md`` and
``Interop-Notes/<event>/*.md`` (date, attendees, agenda, decisions, what each speaker
said), licensed CC BY-SA 3.0. READMEs and index pages are left out. Each is turned into
plain text (``markdown_text.plain``) and cut to its first ``LIMIT`` characters. The
source is the meeting series (EL or CL core-devs call, breakout topic, interop event),
at most PER_SOURCE each (``markdown_text.spread``). No gold.

    python -m lab.collect.ethereum_pm --mirror /work/.mirror/ethereum+pm/repo
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from . import markdown_text as md
from . import mirror_text as mt

COLLECTION = "ethereum_pm"
COMMIT = "cea5a16928f6f233a038d237bb0706c3a6f7bc6f"
SERIES = {"AllCoreDevs-EL-Meetings": "acd-execution", "AllCoreDevs-CL-Meetings": "acd-consensus"}
GROUPED = ("Breakout-Room-Meetings", "Interop-Notes")  # <folder>/<topic or event>/...
SKIP = {"readme", "perma-archive", "active-breakout-series"}
PER_SOURCE = 25


def series(path: str) -> str | None:
    """The meeting series a notes file belongs to, else None (not notes)."""
    parts = PurePosixPath(path).parts
    if not path.endswith(".md") or PurePosixPath(path).stem.casefold() in SKIP:
        return None
    if parts[0] in SERIES and len(parts) == 2:
        return SERIES[parts[0]]
    if parts[0] in GROUPED and len(parts) >= 3:
        kind = "breakout" if parts[0] == GROUPED[0] else "interop"
        return f"{kind}-{parts[1].casefold().replace(' ', '-')}"
    return None


def build(mirror: Path) -> list[mt.Row]:
    source = {p: s for p in mt.list_files(mirror, COMMIT, ".") if (s := series(p))}
    rows: list[mt.Row] = []
    for path, data in mt.read_blobs(mirror, COMMIT, md.spread(source, source, PER_SOURCE)).items():
        text = md.clip(md.plain(mt.app_text(PurePosixPath(path).name, data) or ""))
        if len(text) >= 300:
            doc_id = path.removesuffix(".md").replace("/", "-").replace(" ", "_")
            rows.append(mt.row(COLLECTION, doc_id, source[path], "other", "en", text, {}))
    return mt.dedupe(rows)


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, build, __doc__ or ""))
