"""One calm, light look on every platform: Fusion, a quiet palette, a little QSS."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication

INK = "#1d2329"
MUTED = "#66707a"
ACCENT = "#1f5f99"
LINE = "#dde2e8"

STYLESHEET = f"""
QMainWindow {{ background: #f4f6f8; }}
#dropZone {{ border: 2px dashed #b9c4cf; border-radius: 10px; background: #fbfcfd; }}
#dropZone[active="true"] {{ border-color: {ACCENT}; background: #e9f1f9; }}
#dropTitle {{ font-size: 15px; font-weight: 600; color: #2a3641; }}
#dropZone[compact="true"] #dropTitle {{ font-size: 12px; font-weight: normal; color: {MUTED}; }}
#dropZone[compact="true"] {{ border-width: 1px; }}
#dropHint {{ color: {MUTED}; }}
QTableView, QTableWidget {{ background: #ffffff; alternate-background-color: #f8f9fb;
    border: 1px solid {LINE}; border-radius: 6px; outline: 0; }}
QTableView::item {{ padding: 3px 6px; }}
QHeaderView::section {{ background: #eef1f4; color: #46505a; font-weight: 600;
    border: none; border-bottom: 1px solid {LINE}; padding: 5px 8px; }}
QPlainTextEdit {{ background: #ffffff; color: {INK}; border: 1px solid {LINE};
    border-radius: 6px; padding: 6px; }}
#docTitle {{ font-size: 17px; font-weight: 600; color: {INK}; }}
#meta, #hint, #links {{ color: {MUTED}; }}
#summary {{ color: {INK}; background: #ffffff; border: 1px solid {LINE};
    border-left: 3px solid {ACCENT}; border-radius: 4px; padding: 8px 10px; }}
#section {{ color: #46505a; font-weight: 600; }}
#placeholder {{ color: {MUTED}; font-size: 14px; }}
#messageBox {{ background: #ffffff; border: 1px solid {LINE}; border-radius: 8px;
    padding: 10px; }}
#messageBox[failed="true"] {{ background: #fcf0ee; border-color: #e4b3ab; }}
#messageTitle {{ font-size: 14px; font-weight: 600; color: {INK}; }}
QStatusBar {{ background: #e9edf1; color: #3b444d; }}
QStatusBar::item {{ border: none; }}
#lockLabel {{ color: #1d6a3a; font-weight: 600; padding: 0 6px; }}
#localLabel {{ color: #3b444d; padding: 0 6px; }}
#unlockWarning, #photoWarning {{ background: #fff7e6; border: 1px solid #ecd29a; border-radius: 6px;
    padding: 8px; color: #5b4708; }}
#unlockError {{ color: #a3281f; }}
QToolBar {{ background: #f4f6f8; border: none; border-bottom: 1px solid {LINE};
    spacing: 4px; padding: 3px; }}
"""


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = app.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Highlight, QColor("#d6e6f5"))
        palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor(INK))
    palette.setColor(QPalette.ColorRole.Window, QColor("#f4f6f8"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(INK))
    palette.setColor(QPalette.ColorRole.Text, QColor(INK))
    app.setPalette(palette)
    app.setStyleSheet(STYLESHEET)


def padlock(size: int = 14, color: str = "#1d6a3a") -> QPixmap:
    """A small closed padlock, drawn (no icon files, no emoji fonts needed)."""
    ratio = 2.0
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(color), size * 0.13)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    w = size * 0.5
    painter.drawArc(QRectF((size - w) / 2, size * 0.08, w, size * 0.62), 0, 180 * 16)
    painter.drawLine(QPointF((size - w) / 2, size * 0.39), QPointF((size - w) / 2, size * 0.47))
    painter.drawLine(QPointF((size + w) / 2, size * 0.39), QPointF((size + w) / 2, size * 0.47))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(QRectF(size * 0.14, size * 0.45, size * 0.72, size * 0.5), 1.5, 1.5)
    painter.end()
    return pixmap
