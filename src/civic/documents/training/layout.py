"""What a template draws, and drawing it to a one-page A4 PDF with reportlab.

A template returns a :class:`Draft`: its blocks (title, paragraph, label-value rows, table,
address block, boxed lines, a letterhead) and the field values it was filled with. A template's
:class:`Style` (font, size, margins, alignment of the letterhead) and a little jitter from the
document's random source make layouts differ between templates and between copies.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

Block = tuple  # ("title", text) | ("text", text) | ("kv", [(label, value)]) | ("table", head, rows)
# | ("right", [lines]) | ("left", [lines]) | ("box", [lines]) | ("head", name, [lines]) | ("gap", pt)
# | ("rule",) | ("center", text)


@dataclass(frozen=True)
class Style:
    font: str = "Helvetica"
    size: float = 10.5
    margin: float = 60
    title_size: float = 16
    head_align: str = "left"  # where a letterhead's name stands: left, right, center
    kv_width: float = 170  # width of the label column of label-value rows
    leading: float = 1.35


@dataclass
class Draft:
    blocks: list[Block]
    fields: dict[str, Any] = field(default_factory=dict)


BOLD = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold", "Courier": "Courier-Bold"}


def draft_pdf(draft: Draft, style: Style, rng: random.Random) -> bytes:
    """The draft drawn on one A4 page (whatever does not fit is cut off, as on a real page)."""
    size = style.size + rng.uniform(-0.5, 0.8)
    margin = style.margin + rng.uniform(-12, 12)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    painter = _Painter(pdf, style, size, margin, rng)
    for block in draft.blocks:
        painter.draw(block)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class _Painter:
    def __init__(self, pdf, style: Style, size: float, margin: float, rng: random.Random):
        self.pdf, self.style, self.size, self.margin, self.rng = pdf, style, size, margin, rng
        self.width, self.height = A4
        self.y = self.height - margin - rng.uniform(0, 20)
        self.bold = BOLD.get(style.font, style.font)

    @property
    def line(self) -> float:
        return self.size * self.style.leading

    def text_at(self, x: float, text: str, *, font: str | None = None, size: float | None = None):
        self.pdf.setFont(font or self.style.font, size or self.size)
        self.pdf.drawString(x, self.y, text)

    def wrapped(self, text: str, x: float, width: float, font: str | None = None) -> None:
        for paragraph in text.split("\n"):
            for line in simpleSplit(paragraph, font or self.style.font, self.size, width) or [""]:
                self.text_at(x, line, font=font)
                self.y -= self.line

    def draw(self, block: Block) -> None:
        kind = block[0]
        inner = self.width - 2 * self.margin
        if kind == "title":
            self.y -= 4
            self.text_at(self.margin, block[1], font=self.bold, size=self.style.title_size)
            self.y -= self.style.title_size * 1.6
        elif kind == "center":
            self.pdf.setFont(self.bold, self.size + 2)
            self.pdf.drawCentredString(self.width / 2, self.y, block[1])
            self.y -= self.line * 1.5
        elif kind == "text":
            self.wrapped(block[1], self.margin, inner)
            self.y -= self.line * 0.5
        elif kind == "kv":
            for label, value in block[1]:
                self.text_at(self.margin, str(label), font=self.bold)
                self.wrapped(
                    str(value), self.margin + self.style.kv_width, inner - self.style.kv_width
                )
            self.y -= self.line * 0.5
        elif kind == "table":
            self._table(block[1], block[2], inner)
        elif kind in ("right", "left"):
            x = self.margin if kind == "left" else self.width - self.margin - 190
            for text in block[1]:
                self.text_at(x, text)
                self.y -= self.line
            self.y -= self.line * 0.5
        elif kind == "box":
            top = self.y + self.size
            self.y -= 4
            for text in block[1]:
                self.wrapped(text, self.margin + 8, inner - 16)
            self.pdf.rect(
                self.margin, self.y + self.line * 0.4, inner, top - self.y - self.line * 0.4
            )
            self.y -= self.line
        elif kind == "head":
            self._letterhead(block[1], block[2], inner)
        elif kind == "gap":
            self.y -= block[1]
        elif kind == "rule":
            self.pdf.line(
                self.margin,
                self.y + self.size * 0.6,
                self.width - self.margin,
                self.y + self.size * 0.6,
            )
            self.y -= self.line * 0.6

    def _letterhead(self, name: str, lines: list[str], inner: float) -> None:
        align = self.style.head_align
        mark = 26
        x = {
            "left": self.margin,
            "right": self.width - self.margin - mark,
            "center": self.width / 2 - mark / 2,
        }[align]
        if self.rng.random() < 0.5:
            self.pdf.rect(x, self.y - 6, mark, mark, fill=1)
        else:
            self.pdf.circle(x + mark / 2, self.y + 7, mark / 2, fill=1)
        self.y -= mark
        draw = {
            "left": lambda t, f, s: (
                self.pdf.setFont(f, s),
                self.pdf.drawString(self.margin, self.y, t),
            ),
            "right": lambda t, f, s: (
                self.pdf.setFont(f, s),
                self.pdf.drawRightString(self.width - self.margin, self.y, t),
            ),
            "center": lambda t, f, s: (
                self.pdf.setFont(f, s),
                self.pdf.drawCentredString(self.width / 2, self.y, t),
            ),
        }[align]
        draw(name, self.bold, self.size + 3)
        self.y -= self.line * 1.2
        for text in lines:
            draw(text, self.style.font, self.size - 1)
            self.y -= self.line * 0.9
        self.y -= self.line

    def _table(self, head: list[str], rows: list[list[str]], inner: float) -> None:
        columns = len(head)
        first = inner * (0.4 if columns > 2 else 0.6)
        rest = (inner - first) / max(columns - 1, 1)
        xs = [self.margin] + [self.margin + first + rest * i for i in range(columns - 1)]
        for cells, font in [(head, self.bold)] + [(row, self.style.font) for row in rows]:
            for i, (x, cell) in enumerate(zip(xs, cells, strict=False)):
                self.pdf.setFont(font, self.size)
                if i == 0:
                    self.pdf.drawString(x, self.y, str(cell))
                else:
                    self.pdf.drawRightString(x + rest - 6, self.y, str(cell))
            if font == self.bold:
                self.pdf.line(self.margin, self.y - 3, self.margin + inner, self.y - 3)
            self.y -= self.line
        self.y -= self.line * 0.5
