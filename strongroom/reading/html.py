"""HTML pages and HTML e-mail bodies: the text a person sees, nothing else.

Parsed with lxml's HTML parser (``no_network=True``: nothing a page names is
ever fetched, no image, no style sheet, no frame) and rendered by inscriptis,
which drops scripts, styles and ``display:none`` and lays tables out as rows
with a gap between cells: invoices and statements sent as HTML keep their
"Total  12.50" lines, which the field finders read. Before rendering, whatever
a browser would not show is cut out of the tree: comments, ``<template>``,
``<noscript>`` (a browser with scripts on hides it), the ``hidden`` attribute
and inline ``display:none`` / ``visibility:hidden`` (the tricks phishing and
tracking mail use to hide text from the reader but not from a parser).

The encoding comes from a byte-order mark, then the page's own ``<meta
charset>``, then the text reader's detection (``text.decode``). Depth is capped
by libxml2 itself (256 levels without ``huge_tree``); the element count is
capped here before rendering.
"""

from __future__ import annotations

import codecs
import re

import lxml.etree
import lxml.html
from inscriptis import Inscriptis
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig

from ..errors import ReadError
from . import limits, messages, text

_BOM_ENCODINGS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
                  codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
#: ``<meta charset="x">`` or ``<meta http-equiv=... content="text/html; charset=x">``,
#: looked for where browsers look: the first 1,024 bytes (HTML's prescan), and a little more.
_META_CHARSET = re.compile(rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})",
                           re.IGNORECASE)
_PRESCAN_BYTES = 4096
#: An XML declaration naming an encoding: lxml refuses it on an already decoded string.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")
_HIDDEN_STYLE = re.compile(r"(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.IGNORECASE)
#: Never shown by a browser as text.
_INVISIBLE_TAGS = ("template", "noscript", "script", "style", "head", "object", "embed",
                   "iframe", "frame", "svg", "math", "canvas", "audio", "video")
_BLANK_LINES = re.compile(r"\n{3,}")

#: "strict": HTML's own rendering rules; the "relaxed" profile pads spans and
#: indents blocks that follow whitespace, which shifts lines the finders read.
_CONFIG = ParserConfig(css=dict(CSS_PROFILES["strict"]), display_images=False,
                       display_links=False, display_anchors=False)


def read(data: bytes) -> str:
    """The visible text of the HTML page in ``data``; ``ReadError`` if there is none."""
    return render(decode(data))


def decode(data: bytes) -> str:
    """``data`` as text: BOM, else the page's meta charset, else ``text.decode``."""
    if not data.startswith(_BOM_ENCODINGS):
        found = _META_CHARSET.search(data[:_PRESCAN_BYTES])
        if found is not None:
            declared = found.group(1).decode("ascii").lower()
            try:
                return text.checked(data.decode(declared))
            except (LookupError, UnicodeDecodeError):
                pass  # unknown to Python, or the page lies about it: detect instead
    return text.decode(data)


def render(markup: str) -> str:
    """The visible text of ``markup`` (already decoded), blocks as lines, rows as lines."""
    markup = _XML_DECLARATION.sub("", markup, count=1)
    if not markup.strip():
        raise ReadError(messages.NO_TEXT)
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  remove_blank_text=False, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        raise ReadError(messages.NO_TEXT) from None
    _cut_invisible(root)
    out = Inscriptis(root, _CONFIG).get_text()
    # line by line: a pattern for trailing blanks would backtrack on a long run of them
    out = "\n".join(line.rstrip() for line in out.replace("\r", "").split("\n"))
    out = _BLANK_LINES.sub("\n\n", out).strip()
    if not out:
        raise ReadError(messages.NO_TEXT)
    limits.check_text_size(len(out))
    return out


def _cut_invisible(root: lxml.html.HtmlElement) -> None:
    """Remove what a browser would not show; refuse a tree with too many elements."""
    doomed = []
    for count, element in enumerate(root.iter(), 1):
        if count > limits.MAX_HTML_ELEMENTS:
            raise ReadError(messages.HTML_TOO_BIG)
        if not isinstance(element.tag, str):  # comments and processing instructions
            doomed.append(element)
            continue
        if (element.tag.lower() in _INVISIBLE_TAGS or element.get("hidden") is not None
                or _HIDDEN_STYLE.search(element.get("style") or "")):
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        # keep the text that follows the element (it belongs to the parent)
        element.drop_tree()
