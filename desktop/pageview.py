"""The picture of a document's page, with the selected field's words outlined.

The reader (in its child process) makes a picture of each page of a photo, a scan
or a PDF (its first pages) and notes every word's box on it: OCR's boxes, or
pdfium's for a PDF's text layer. This view shows that picture, scaled to its
width, and outlines the boxes of the words a field was read from, so the person
compares the value with the paper itself. The picture is the reader's own JPEG or
PNG: the window never decodes the person's file.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QWidget

#: (start, end, page, x0, y0, x1, y1), as ``Document.boxes``.
Box = tuple[int, int, int, float, float, float, float]
_MARK = QColor("#f0a500")
_PNG = b"\x89PNG"


def boxes_for(boxes: Sequence[Box], start: int, end: int) -> list[Box]:
    """The word boxes that overlap ``text[start:end]``."""
    return [b for b in boxes if b[0] < end and start < b[1]]


class _Canvas(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.image = QImage()
        self.marks: list[tuple[float, float, float, float]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.width(), self.heightForWidth(self.width()))

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        if self.image.isNull() or self.image.width() == 0:
            return 0
        return round(width * self.image.height() / self.image.width())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self.image.isNull():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        target = QRectF(0, 0, self.width(), self.heightForWidth(self.width()))
        painter.drawImage(target, self.image)
        pen = QPen(_MARK)
        pen.setWidthF(2.5)
        painter.setPen(pen)
        fill = QColor(_MARK)
        fill.setAlpha(50)
        painter.setBrush(fill)
        pad = 3.0
        for x0, y0, x1, y1 in self.marks:
            painter.drawRect(QRectF(x0 * target.width() - pad, y0 * target.height() - pad,
                                    (x1 - x0) * target.width() + 2 * pad,
                                    (y1 - y0) * target.height() + 2 * pad))
        painter.end()


class PageView(QScrollArea):
    """One page's picture at a time; ``show_span`` turns to the page of a text span
    and outlines its words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = _Canvas()
        self.setWidget(self.canvas)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAcceptDrops(False)  # drops go to the window
        self._pictures: dict[int, bytes] = {}
        self._boxes: tuple[Box, ...] = ()
        self.page = 0

    def set_document(self, pictures: dict[int, bytes], boxes: Sequence[Box]) -> None:
        """The document's page pictures and word boxes; shows its first pictured page."""
        self._pictures, self._boxes = dict(pictures), tuple(boxes)
        self.page = -1  # no page shown: the next one is loaded whatever its number
        self._turn_to(min(self._pictures, default=0), [])

    def clear(self) -> None:
        """Drop the pictures and boxes (the window is locking or the document changed)."""
        self.set_document({}, ())

    @property
    def has_pages(self) -> bool:
        return bool(self._pictures)

    @property
    def marks(self) -> list[tuple[float, float, float, float]]:
        return list(self.canvas.marks)

    def show_span(self, start: int, end: int) -> bool:
        """Outline the words of ``text[start:end]`` on their page; False when the span
        has no box (typed text, or a PDF page past the pictured ones)."""
        hits = boxes_for(self._boxes, start, end)
        if not hits:
            self._turn_to(self.page, [])
            return False
        page = hits[0][2]
        self._turn_to(page, [b[3:] for b in hits if b[2] == page])
        top = min(b[4] for b in hits if b[2] == page)
        height = self.canvas.heightForWidth(self.viewport().width())
        self.verticalScrollBar().setValue(max(0, round(top * height) - 60))
        return True

    def _turn_to(self, page: int, marks: list[tuple[float, float, float, float]]) -> None:
        if page != self.page:
            self.page = page
            picture = self._pictures.get(page)
            image = QImage()
            if picture is not None:
                image.loadFromData(picture, "PNG" if picture.startswith(_PNG) else "JPG")
            self.canvas.image = image
        self.canvas.marks = marks
        self.canvas.updateGeometry()
        self.canvas.setMinimumHeight(self.canvas.heightForWidth(self.viewport().width()))
        self.canvas.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.canvas.setMinimumHeight(self.canvas.heightForWidth(self.viewport().width()))
