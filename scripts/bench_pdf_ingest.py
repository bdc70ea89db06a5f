"""PDF ingest speed against text ingest, on PDFs rendered from the bundled documents.

Each bundled text document is rendered with fpdf2 (markdown headings larger and
bold, tab-separated runs as ruled tables, a running footer with a page marker),
then loaded and parsed both ways. Prints a Markdown table: pages, parse time of
the text and of the PDF, PDF pages per second, the ratio, and how much of the
text parse the PDF parse recovers (sections, tables, numeric cells). A second
table times the raw text extraction of pdfplumber (words with fonts, what the
loader uses) and of pypdfium2 (plain text) per page.

Usage: python scripts/bench_pdf_ingest.py [--docs DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _plain(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\*\*|__", "", text).strip()


def _new_pdf():  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    class _Pdf(FPDF):  # type: ignore[misc]
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(self.family, size=8)
            self.cell(0, 5, f"Sida {self.page_no()}", align="C")

    pdf = _Pdf(format="A4")
    if (FONT_DIR / "DejaVuSans.ttf").exists():
        pdf.add_font("body", "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font("body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        pdf.family = "body"
    else:  # core font: characters outside Windows-1252 become "?"
        pdf.core_fonts_encoding = "windows-1252"
        pdf.family = "Helvetica"
    pdf.set_auto_page_break(True, margin=20)
    return pdf


def _safe(pdf, text: str) -> str:  # type: ignore[no-untyped-def]
    if pdf.family == "Helvetica":
        return text.encode("cp1252", "replace").decode("cp1252")
    return text


def render_pdf(
    lines: list[str], out: Path, headings: dict[int, int] | None = None
) -> int:
    """Render a text document's lines to ``out``; returns the page count.

    ``headings`` maps 0-based line indexes to a heading depth (from the text
    parse), so plain numbered headings print in a heading font as in a real PDF.
    """
    headings = headings or {}
    pdf = _new_pdf()
    pdf.add_page()
    i = 0
    while i < len(lines):
        raw = lines[i]
        if "\t" in raw:
            # A header row in <b> prints bold, as the exported PDF had it.
            bold_header = all(
                re.fullmatch(r"\s*<b>.*</b>\s*", c)
                for c in raw.split("\t")
                if c.strip()
            )
            run = []
            while i < len(lines) and "\t" in lines[i]:
                # Very long cells are cut: fpdf2 cannot split a row over pages.
                run.append(
                    [_safe(pdf, _plain(c))[:300] or " " for c in lines[i].split("\t")]
                )
                i += 1
            width = max(len(r) for r in run)
            pdf.set_font(pdf.family, size=8)
            with pdf.table(
                text_align="LEFT", first_row_as_headings=bold_header
            ) as grid:
                for cells in run:
                    row = grid.row()
                    for cell in cells + [" "] * (width - len(cells)):
                        row.cell(cell)
            continue
        text = _safe(pdf, _plain(raw.lstrip("#").strip()))
        heading = re.match(r"^(#{1,6})\s", raw)
        depth = len(heading[1]) if heading else headings.get(i)
        if depth:
            size = max(16 - 2 * depth, 11)
            pdf.set_font(pdf.family, style="B", size=size)
            pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
        elif text:
            pdf.set_font(pdf.family, size=10)
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(2)
        i += 1
    pdf.output(str(out))
    return pdf.page_no()


def _timed(fn, repeat: int):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _counts(parsed) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    cells = sum(
        1 for t in parsed.tables for r in t.rows for c in r.cells if c.value is not None
    )
    return len(parsed.sections), len(parsed.tables), cells


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=Path, default=ROOT / "corpus" / "documents")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    import pdfplumber
    import pypdfium2

    from corpus.load import load_document
    from corpus.parse import parse_document

    rows, raw_rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for source in sorted(args.docs.glob("*.txt")):
            lines = source.read_text(encoding="utf-8").split("\n")
            pdf_path = Path(tmp) / f"{source.stem}.pdf"
            sections = parse_document(load_document(source)).sections
            depths = {
                s.line_start - 1: len(s.path) for s in sections if s.line_start > 1
            }
            pages = render_pdf(lines, pdf_path, depths)
            text_s, text_doc = _timed(
                lambda s=source: parse_document(load_document(s)), args.repeat
            )
            pdf_s, pdf_doc = _timed(
                lambda p=pdf_path: parse_document(load_document(p)), args.repeat
            )
            rows.append(
                (source.name, pages, text_s, pdf_s, _counts(text_doc), _counts(pdf_doc))
            )

            def plumber(p: Path = pdf_path) -> None:
                with pdfplumber.open(p) as pdf:
                    for page in pdf.pages:
                        page.extract_words(extra_attrs=["size", "fontname"])

            def pdfium(p: Path = pdf_path) -> None:
                doc = pypdfium2.PdfDocument(p)
                for page in doc:
                    page.get_textpage().get_text_range()
                doc.close()

            raw_rows.append(
                (source.name, pages, _timed(plumber, 1)[0], _timed(pdfium, 1)[0])
            )

    print(
        "| Document | Pages | Text parse s | PDF parse s | PDF pages/s | Text pages/s | PDF/text time | Sections PDF/text | Tables PDF/text | Numeric cells PDF/text |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, pages, text_s, pdf_s, tc, pc in rows:
        print(
            f"| {name} | {pages} | {text_s:.2f} | {pdf_s:.2f} | {pages / pdf_s:.1f} | "
            f"{pages / text_s:.0f} | {pdf_s / text_s:.0f}x | {pc[0]}/{tc[0]} | "
            f"{pc[1]}/{tc[1]} | {pc[2]}/{tc[2]} |"
        )
    pages = sum(r[1] for r in rows)
    text_total, pdf_total = sum(r[2] for r in rows), sum(r[3] for r in rows)
    print(
        f"| **all** | {pages} | {text_total:.2f} | {pdf_total:.2f} | "
        f"{pages / pdf_total:.1f} | {pages / text_total:.0f} | "
        f"{pdf_total / text_total:.0f}x | | | |"
    )
    print(
        "\n| Document | Pages | pdfplumber words+fonts ms/page | pypdfium2 text ms/page |"
    )
    print("|---|---|---|---|")
    for name, pages, plumber_s, pdfium_s in raw_rows:
        print(
            f"| {name} | {pages} | {1000 * plumber_s / pages:.0f} | {1000 * pdfium_s / pages:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
