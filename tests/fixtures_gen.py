"""Generate PDF and DOCX test documents at test time (no binaries in the repo).

The documents follow the layout of a Swedish plan: numbered headings ("1 Ekonomi",
"1.1 Driftbudget") and a budget table in mnkr.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

BUDGET_HEADER = ("Driftbudget (mnkr)", "Budget 2024", "Budget 2025")
BUDGET_ROWS = (
    ("Intäkter", "112,4", "118,9"),
    ("Kostnader", "-318,0", "-331,7"),
    ("Nettokostnader", "-205,6", "-212,8"),
)
INTRO = (
    "Nämndplanen beskriver nämndens uppdrag, mål och ekonomi för planperioden.",
    "Planen antas av nämnden och följs upp i delårsrapporten.",
)
ECONOMY = "Nämndens ekonomi ska vara i balans under hela planperioden."
BUDGET_TEXT = "Driftbudgeten visar nämndens intäkter och kostnader per år."
TITLE = "Nämndplan 2024-2025 för Exempelnämnden i Provs kommun"


def _pdf():
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_font("Helvetica", size=11)
    return pdf


def _pdf_line(pdf, text: str, size: int = 11) -> None:  # type: ignore[no-untyped-def]
    pdf.set_font("Helvetica", size=size)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")


def _pdf_table(pdf, rows: Sequence[Sequence[str]]) -> None:  # type: ignore[no-untyped-def]
    pdf.set_font("Helvetica", size=10)
    with pdf.table(col_widths=(70, 40, 40), text_align="LEFT") as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)


def make_budget_pdf(path: Path) -> Path:
    """Title and intro on page 1; "1 Ekonomi", "1.1 Driftbudget" and the table on page 2."""
    pdf = _pdf()
    pdf.add_page()
    _pdf_line(pdf, TITLE, 14)
    for line in INTRO:
        _pdf_line(pdf, line)
    pdf.add_page()
    _pdf_line(pdf, "1 Ekonomi", 13)
    _pdf_line(pdf, ECONOMY)
    _pdf_line(pdf, "1.1 Driftbudget", 12)
    _pdf_line(pdf, BUDGET_TEXT)
    _pdf_table(pdf, (BUDGET_HEADER, *BUDGET_ROWS))
    _pdf_line(pdf, "Budgeten följs upp varje månad.")
    pdf.output(str(path))
    return path


def make_image_only_pdf(path: Path) -> Path:
    """A "scanned" page: only an image, no text operators."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(image).text((20, 80), "Skannad sida utan textlager", fill="black")
    png = path.with_suffix(".png")
    image.save(png)
    pdf = _pdf()
    pdf.add_page()
    pdf.image(str(png), x=10, y=10, w=180)
    pdf.output(str(path))
    png.unlink()
    return path


def make_encrypted_pdf(path: Path) -> Path:
    pdf = _pdf()
    pdf.set_encryption(owner_password="ägare", user_password="hemligt")
    pdf.add_page()
    _pdf_line(pdf, "1 Hemlig plan")
    _pdf_line(pdf, "Denna text kräver lösenord.")
    pdf.output(str(path))
    return path


def make_budget_docx(
    path: Path, *, word_numbering: bool = False, title: str = TITLE
) -> Path:
    """The same plan as DOCX with Heading 1/2 styles and a Word table.

    With ``word_numbering`` the headings carry no number in their text (Word's
    list numbering would print it), so the loader must write the number out.
    """
    import docx

    document = docx.Document()
    document.add_paragraph(title, style="Title")
    for line in INTRO:
        document.add_paragraph(line)
    if word_numbering:
        for name in ("Heading 1", "Heading 2"):
            _add_numbering(document.styles[name])
    document.add_heading("Ekonomi" if word_numbering else "1 Ekonomi", level=1)
    document.add_paragraph(ECONOMY)
    document.add_heading(
        "Driftbudget" if word_numbering else "1.1 Driftbudget", level=2
    )
    document.add_paragraph(BUDGET_TEXT)
    rows = (BUDGET_HEADER, *BUDGET_ROWS)
    table = document.add_table(rows=len(rows), cols=len(BUDGET_HEADER))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.add_paragraph("Budgeten följs upp varje månad.")
    document.save(str(path))
    return path


def _add_numbering(style) -> None:  # type: ignore[no-untyped-def]
    """Mark a paragraph style as list-numbered (what Word's multilevel lists do)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = style.element.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), "1")
    num_pr.append(num_id)
    ppr.insert(0, num_pr)


def make_junk_docx(path: Path) -> Path:
    """A zip archive that is not a Word document."""
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("junk.bin", bytes(range(256)) * 8)
    return path
