"""Small PDFs built with fpdf2 at test time, one layout feature each.

Helvetica in Windows-1252, so "•" and "–" print; sizes in points, positions in mm.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Paint = Callable[[Any, int], None]


def new_pdf(header: Paint | None = None, footer: Paint | None = None) -> Any:
    """An A4 PDF whose header/footer callbacks get (pdf, page number)."""
    from fpdf import FPDF

    class _Pdf(FPDF):  # type: ignore[misc]
        def header(self) -> None:
            if header:
                header(self, self.page_no())

        def footer(self) -> None:
            if footer:
                footer(self, self.page_no())

    pdf = _Pdf(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(True, margin=25)
    pdf.set_margins(20, 25, 20)
    pdf.set_font("Helvetica", size=11)
    return pdf


def line(pdf: Any, text: str, size: float = 11, bold: bool = False) -> None:
    pdf.set_font("Helvetica", style="B" if bold else "", size=size)
    pdf.cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")


def paragraph(pdf: Any, text: str, width: float = 0, size: float = 11) -> None:
    pdf.set_font("Helvetica", size=size)
    pdf.multi_cell(width, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")


def table(
    pdf: Any,
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    heading_rows: int = 1,
    size: float = 10,
) -> None:
    """Rows of cells; a cell is text or (text, {"colspan": n} / {"rowspan": n})."""
    pdf.set_font("Helvetica", size=size)
    with pdf.table(
        col_widths=tuple(widths), num_heading_rows=heading_rows, text_align="LEFT"
    ) as grid:
        for values in rows:
            row = grid.row()
            for value in values:
                if isinstance(value, tuple):
                    row.cell(value[0], **value[1])
                else:
                    row.cell(value)


def save(pdf: Any, path: Path) -> Path:
    pdf.output(str(path))
    return path
