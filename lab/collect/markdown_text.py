"""What the builders of Markdown-written ``other`` documents share (issue 21).

Policies, recipes and meeting notes kept as Markdown in a repository: the text a
person's copy would give (the page as printed or saved as text) is the Markdown less
its markup. ``front_matter`` splits off the YAML header, ``plain`` drops the markup,
``clip`` cuts a long document at a line break, and ``spread`` picks a deterministic,
capped sample per source.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

LIMIT = 3000  # characters kept of a document (its first pages)

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
_DROP = [
    re.compile(r"<!--.*?-->", re.S),              # HTML comments
    re.compile(r"\{:[^}\n]*\}"),                   # kramdown attribute lists {: #id }
    re.compile(r"\{%.*?%\}", re.S),                # Liquid tags
    re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"),       # images
    re.compile(r"^\s*\[[^\]\n]+\]:\s*\S+.*$", re.M),  # link reference definitions
    re.compile(r"</?[A-Za-z][^<>\n]*>"),           # HTML tags
]
_LINK = re.compile(r"\[([^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*(.*?)[ \t#]*$", re.M)
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t:|-]*-{3,}[ \t:|-]*(?:\n|\Z)", re.M)  # and rules
_EMPHASIS = re.compile(r"(\*\*|__|`+)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def front_matter(md: str) -> tuple[dict[str, str], str]:
    """The ``key: value`` lines of a leading YAML header (quotes stripped; nested or
    list values left out) and the Markdown after it."""
    m = _FRONT.match(md)
    if not m:
        return {}, md
    fields: dict[str, str] = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key and not key[0].isspace() and value.strip():
            fields[key.strip()] = value.strip().strip("'\"")
    return fields, md[m.end():]


def plain(md: str) -> str:
    """The text of Markdown less its markup: no header, comments, images, tags or
    link targets; headings, emphasis and table pipes dropped, escapes undone."""
    text = front_matter(md)[1]
    for pattern in _DROP:
        text = pattern.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _HEADING.sub(r"\1", text)
    text = _TABLE_RULE.sub("", text)
    text = "\n".join(_table_row(line) for line in text.splitlines())
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _table_row(line: str) -> str:
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        return "  ".join(c for c in cells if c)
    return line


def clip(text: str, limit: int = LIMIT) -> str:
    """The first ``limit`` characters of ``text``, cut back to the last line break when
    there is one in the second half."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = head.rfind("\n")
    return (head[:cut] if cut > limit // 2 else head).rstrip()


def spread(paths: Iterable[str], source_of: dict[str, str], per_source: int) -> list[str]:
    """At most ``per_source`` paths of each source, the ones whose SHA-256 comes first
    (a fixed pseudo-random sample), in path order."""
    by: dict[str, list[str]] = {}
    for p in sorted(paths, key=lambda p: hashlib.sha256(p.encode()).hexdigest()):
        chosen = by.setdefault(source_of[p], [])
        if len(chosen) < per_source:
            chosen.append(p)
    return sorted(p for chosen in by.values() for p in chosen)
