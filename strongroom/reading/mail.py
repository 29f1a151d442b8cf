"""E-mail saved as a file (``.eml``, RFC 5322 with MIME): the message and its attachments.

Parsed by the standard library's ``email`` package (``policy.default``: headers
decoded from RFC 2047, bodies from their transfer encoding and charset). The
message's text is a header block — From, To, Cc, Date, Subject as the message
prints them — then its plain-text body, or its HTML body rendered by ``html``
when it has no plain one. Each attachment (and each message forwarded as an
attachment, as ``.eml``) is handed back as ``(name, bytes)``: the queue reads
and stores it as a document of its own, linked to this one.

Limits, checked on the whole tree before anything is handed back: messages
nested in messages (``limits.MAX_EMAIL_DEPTH``: a hostile file nests 50 deep),
MIME parts walked, attachments in number and in decoded bytes. The parser
itself recurses on nesting, so a RecursionError is one more way of saying "too
deep". Headers are parsed only when read, and the standard library's header
parser is slow on long values (a To: of 20,000 addresses took 15 s here, 200,000
encoded words in a Subject over 280 s), so a shown header is cut before it is
parsed; MIME headers longer or more numerous than real ones, and more "--" lines
than the parts allowed, are refused before parsing; a forwarded message is
written back out with its headers as they came (``compat32``), never re-parsed.

``.msg`` (Outlook) is not read: its one maintained reader, extract-msg, brings
an RTF decoder and seven more packages for a format Outlook also saves
as ``.eml``.
"""

from __future__ import annotations

import email
import email.errors
import mimetypes
import re
from email import policy
from email.message import EmailMessage, Message
from pathlib import PurePath

from ..errors import ReadError
from . import html, limits, messages, text

#: Header lines printed above the body, in this order.
HEADERS = ("From", "To", "Cc", "Date", "Subject")
#: What the standard library's parser raises on malformed input besides its own
#: errors (known bugs in header folding and parameter parsing).
_PARSER_ERRORS = (email.errors.MessageError, ValueError, LookupError, IndexError,
                  AttributeError, TypeError, UnicodeError)
_NAME_JUNK = re.compile(r"[\x00-\x1f\x7f]")

#: Headers that say how a part is built, with their folded lines: the parser reads
#: them for every part while it parses, so they are measured in the bytes first.
_MIME_HEADER = re.compile(
    rb"^content-(?:type|disposition|transfer-encoding)[ \t]*:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*",
    re.IGNORECASE | re.MULTILINE)
#: Lines starting "--" allowed per MIME part before parsing (room for a body's
#: own "-- " signature lines and dashes).
_DELIMITERS_PER_PART = 4

Attachment = tuple[str, bytes]


def read(data: bytes) -> tuple[str, tuple[Attachment, ...]]:
    """The message's text and its attachments; ``ReadError`` for what is not an e-mail."""
    if b"\x00" in data[:4096]:
        raise ReadError(messages.EMAIL_DAMAGED)
    _check_mime_headers(data)
    try:
        message = email.message_from_bytes(data, policy=policy.default)
        if not isinstance(message, EmailMessage) or not _looks_like_mail(message):
            raise ReadError(messages.EMAIL_DAMAGED)
        _check_shape(message)
        body = _text(message)
        attachments = _attachments(message)
    except RecursionError:
        raise ReadError(messages.EMAIL_TOO_DEEP) from None
    except _PARSER_ERRORS:
        raise ReadError(messages.EMAIL_DAMAGED) from None
    if not body.strip():
        raise ReadError(messages.NO_TEXT)
    limits.check_text_size(len(body))
    return body, attachments


def _check_mime_headers(data: bytes) -> None:
    """Refuse MIME headers longer than real ones, alone or together, or with more
    parameters, before the parser reads them: its parameter parsing is quadratic (a
    Content-Type with 700 parameters took 0.5 s) and runs at every read of a header."""
    # Every MIME part starts on a "--boundary" line: the parser's cost grows with
    # them even when a part has no header at all (10,000 empty parts: 3.8 s).
    if data.count(b"\n--") > _DELIMITERS_PER_PART * limits.MAX_EMAIL_PARTS:
        raise ReadError(messages.EMAIL_TOO_MANY_PARTS)
    total = 0
    for header in _MIME_HEADER.finditer(data):
        size = header.end() - header.start()
        if (size > limits.MAX_EMAIL_MIME_HEADER_CHARS
                or header.group().count(b";") > limits.MAX_EMAIL_MIME_PARAMETERS):
            raise ReadError(messages.EMAIL_DAMAGED)
        total += size
        if total > limits.MAX_EMAIL_MIME_HEADERS_TOTAL:
            raise ReadError(messages.EMAIL_TOO_MANY_PARTS)


def _looks_like_mail(message: Message) -> bool:
    """A file of random bytes parses too (as a body without headers): an e-mail has
    at least one header a mail program writes."""
    known = {"from", "to", "date", "subject", "message-id", "content-type", "mime-version"}
    return any(key.lower() in known for key in message)


def _check_shape(message: Message) -> None:
    """Refuse trees too deep or too wide, walking without recursion."""
    stack: list[tuple[Message, int]] = [(message, 0)]
    parts = 0
    while stack:
        part, depth = stack.pop()
        parts += 1
        if parts > limits.MAX_EMAIL_PARTS:
            raise ReadError(messages.EMAIL_TOO_MANY_PARTS)
        if depth > limits.MAX_EMAIL_DEPTH:
            raise ReadError(messages.EMAIL_TOO_DEEP)
        if part.is_multipart():
            inner = depth + (part.get_content_type() == "message/rfc822")
            payload = part.get_payload()
            stack.extend((child, inner) for child in payload if isinstance(child, Message))


def _text(message: EmailMessage) -> str:
    lines = []
    raw = {name.lower(): value for name, value in reversed(list(message.raw_items()))}
    for name in HEADERS:
        if name.lower() in raw:
            value = _header(name, str(raw[name.lower()]))
            if value.strip():
                lines.append(f"{name}: {_one_line(value)}")
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = ""
    if isinstance(body_part, EmailMessage):
        content = _part_text(body_part)
        if body_part.get_content_subtype() == "html":
            try:
                content = html.render(content)
            except ReadError as exc:  # nothing visible in it: the headers remain
                if str(exc) != messages.NO_TEXT:
                    raise
                content = ""
        body = content
    head = "\n".join(lines)
    return f"{head}\n\n{body}".strip() + "\n" if head else body


def _header(name: str, raw: str) -> str:
    """A header as its message prints it (RFC 2047 decoded), its raw value cut to
    ``limits.MAX_EMAIL_HEADER_CHARS`` first; the cut raw text if it will not parse."""
    cut = raw[:limits.MAX_EMAIL_HEADER_CHARS]
    try:
        return str(policy.default.header_factory(name, cut))
    except (*_PARSER_ERRORS, RecursionError):  # nested comments recurse per level
        return cut


def _part_text(part: EmailMessage) -> str:
    """A text part as text: its charset, else the text reader's detection."""
    try:
        content = part.get_content()
    except LookupError:  # a charset Python does not know
        content = None
    if not isinstance(content, str):
        raw = part.get_payload(decode=True)
        content = text.decode(raw) if isinstance(raw, bytes) and raw else ""
    return text.checked(content.replace("\r\n", "\n").replace("\r", "\n"))


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _attachments(message: EmailMessage) -> tuple[Attachment, ...]:
    """This message's attachments (not those of messages inside it: each nested
    message is one attachment, read in its turn), in order."""
    found: list[Attachment] = []
    total = 0
    stack: list[Message] = [message]
    while stack:
        part = stack.pop(0)
        nested = part is not message and part.get_content_type() == "message/rfc822"
        if part.is_multipart() and not nested:
            stack[:0] = [p for p in part.get_payload() if isinstance(p, Message)]
            continue
        if not (nested or (isinstance(part, EmailMessage) and part.is_attachment())):
            continue
        data = _attachment_bytes(part, nested)
        if not data:
            continue
        total += len(data)
        if (len(found) >= limits.MAX_EMAIL_ATTACHMENTS
                or total > limits.MAX_EMAIL_ATTACHMENT_BYTES):
            raise ReadError(messages.EMAIL_TOO_MANY_PARTS)
        found.append((_name(part, len(found) + 1, nested), data))
    return tuple(found)


def _attachment_bytes(part: Message, nested: bool) -> bytes:
    if nested:
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return inner[0].as_bytes(policy=policy.compat32)
        return b""
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _name(part: Message, number: int, nested: bool) -> str:
    """The attachment's own file name (no folders, no control characters), else a
    made-up one with the extension of its content type, so it is read by its kind."""
    name = PurePath(_NAME_JUNK.sub("", part.get_filename() or "").replace("\\", "/")).name
    if nested and not name.lower().endswith(".eml"):
        name = f"{name or f'message-{number}'}.eml"
    if not name or name in (".", ".."):
        extension = mimetypes.guess_extension(part.get_content_type()) or ""
        name = f"attachment-{number}{extension}"
    return name
