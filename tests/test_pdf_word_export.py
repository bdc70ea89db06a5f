"""A Word-style report (python-docx) exported to PDF by LibreOffice, read back:
the layout a municipality's PDF has (running header with the case number, a
"Sida N av M" footer, heading styles, justified text, bullets, a two-row table
header with merged cells repeated on every page)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from corpus.load import load_document
from corpus.parse import parse_document

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice missing"),
]

BODY = (
    "Socialnämnden redovisar här verksamhetens resultat för året. Kommun-"
    "styrelsen har under året följt upp nämndens arbete med budget i balans, "
    "och nämnden har vidtagit åtgärder för att minska kostnaderna inom "
    "äldreomsorgen och individ- och familjeomsorgen."
)


def _field(run, code: str) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (
        ("begin", None),
        (None, code),
        ("separate", None),
        ("end", None),
    ):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _word_report(path: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Provs kommun\tDnr SN 2025/17"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Sida ")
    _field(footer.add_run(), "PAGE")
    footer.add_run(" av ")
    _field(footer.add_run(), "NUMPAGES")
    document.add_paragraph("Verksamhetsberättelse 2024", style="Title")
    document.add_paragraph("Socialnämnden")
    document.add_paragraph("Datum: 2025-02-11")
    document.add_heading("1 Inledning", level=1)
    for _ in range(2):
        document.add_paragraph(BODY).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    document.add_heading("1.1 Viktiga händelser", level=2)
    for item in ("ny biståndsenhet startade i mars", "hemtjänsten fick nya lokaler"):
        document.add_paragraph(item, style="List Bullet")
    document.add_heading("2 Ekonomi", level=1)
    document.add_paragraph("Driftredovisning per verksamhet (tkr)")
    rows = [(f"Verksamhet {n}", f"-{n} 100", f"-{n} 000", "-100") for n in range(1, 46)]
    table = document.add_table(rows=2 + len(rows), cols=4)
    table.style = "Table Grid"
    top, sub = table.rows[0].cells, table.rows[1].cells
    top[0].merge(sub[0]).text = "Verksamhet"
    top[1].merge(top[3]).text = "Ack Utfall/resultat"
    for cell, text in zip(
        sub[1:],
        ("Utfall jan - dec", "Budget jan - dec", "Avvikelse jan - dec"),
        strict=True,
    ):
        cell.text = text
    _repeat_header(table.rows[0])
    _repeat_header(table.rows[1])
    for row, values in zip(table.rows[2:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_heading("3 Personal", level=1)
    document.add_paragraph("Sjukfrånvaron minskade till 7,9 procent.")
    source = path.with_suffix(".docx")
    document.save(str(source))
    profile = path.parent / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(path.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory):  # type: ignore[no-untyped-def]
    path = _word_report(tmp_path_factory.mktemp("word") / "berattelse.pdf")
    document = load_document(path)
    return document, parse_document(document)


def test_word_export_metadata_and_no_furniture(exported):
    document, _ = exported
    meta = document.meta
    assert meta.title == "Verksamhetsberättelse 2024"
    assert (meta.organ, meta.municipality, meta.decided, meta.dnr) == (
        "Socialnämnden",
        "Provs kommun",
        "2025-02-11",
        "SN 2025/17",
    )
    text = "\n".join(document.lines)
    assert "Sida" not in text and "Dnr SN" not in text
    assert max(document.pages) >= 2


def test_word_export_sections_bullets_and_hyphenation(exported):
    document, parsed = exported
    assert [s.section_path for s in parsed.sections] == [
        "Verksamhetsberättelse 2024",
        "1 Inledning",
        "1 Inledning > 1.1 Viktiga händelser",
        "2 Ekonomi",
        "3 Personal",
    ]
    assert "• ny biståndsenhet startade i mars" in document.lines
    assert "kommun-" not in "\n".join(document.lines).lower()


def test_word_export_table_merged_header_across_pages(exported):
    document, parsed = exported
    (table,) = [t for t in parsed.tables if t.header and t.header[0] == "Verksamhet"]
    assert table.header == (
        "Verksamhet",
        "Ack Utfall jan - dec",
        "Ack Budget jan - dec",
        "Ack Avvikelse jan - dec",
    )
    assert table.unit == "tkr"
    assert [r.label for r in table.rows] == [f"Verksamhet {n}" for n in range(1, 46)]
    last = {c.column: c.value for c in table.rows[-1].cells}
    assert last["Ack Avvikelse jan - dec"] == -100
    assert document.page_of(table.rows[-1].line_start) > document.page_of(
        table.rows[0].line_start
    )
