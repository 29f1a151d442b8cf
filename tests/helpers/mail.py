"""E-mails made at test time with the standard library's ``email`` package."""

from __future__ import annotations

from email.message import EmailMessage

SENDER = "Northwind Electricity <billing@northwind.example>"
RECIPIENT = "Ann Example <ann@example.org>"
DATE = "Mon, 07 Dec 2026 10:00:00 +0000"

#: MIME types of the attachments tests add, by file extension.
TYPES = {
    ".pdf": ("application", "pdf"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".txt": ("text", "plain"),
}


def make_eml(*, plain: str | None = None, html: str | None = None,
             subject: str = "Your invoice", attachments: dict[str, bytes] | None = None,
             ) -> EmailMessage:
    """A message with a plain body, an HTML body (both: multipart/alternative), and
    attachments by file name."""
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = RECIPIENT
    message["Date"] = DATE
    message["Subject"] = subject
    if plain is not None:
        message.set_content(plain)
        if html is not None:
            message.add_alternative(html, subtype="html")
    elif html is not None:
        message.set_content(html, subtype="html")
    for name, data in (attachments or {}).items():
        suffix = name[name.rfind("."):]
        maintype, subtype = TYPES[suffix]
        if maintype == "text":
            message.add_attachment(data.decode(), subtype=subtype, filename=name)
        else:
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def nest(depth: int, inner: EmailMessage | None = None) -> bytes:
    """A message forwarded inside a message ``depth`` times (as message/rfc822
    attachments), written by hand: the standard library's generator recurses per level."""
    message = (inner or make_eml(plain="The innermost message.", subject="leaf")).as_bytes()
    for level in range(depth):
        boundary = f"level-{level}-boundary"
        message = (
            f"From: {SENDER}\r\nTo: {RECIPIENT}\r\nDate: {DATE}\r\n"
            f"Subject: Fwd {level}\r\nMIME-Version: 1.0\r\n"
            f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
            f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Forwarded, level {level}.\r\n"
            f"--{boundary}\r\nContent-Type: message/rfc822\r\n"
            f"Content-Disposition: attachment\r\n\r\n"
        ).encode() + message + f"\r\n--{boundary}--\r\n".encode()
    return message
