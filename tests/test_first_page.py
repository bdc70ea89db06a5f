"""First-page metadata (format-neutral): title, body, municipality, date, case
number; page markers."""

from __future__ import annotations

import pytest

from corpus.first_page import (
    PageLine,
    find_date,
    find_dnr,
    is_page_marker,
    read_first_page,
)
from corpus.load import load_document


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dnr KS 2024/628", "KS 2024/628"),
        ("Diarienummer: KS2023/623", "KS 2023/623"),
        ("Vårt dnr BUN 2022/45", "BUN 2022/45"),
        ("Ärende KS2021/1001 gäller", "KS 2021/1001"),
        ("Budget 2024/2025 i tkr", ""),
    ],
)
def test_case_numbers(text, expected):
    assert find_dnr(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Datum: 2025-02-11", "2025-02-11"),
        ("Antagen av fullmäktige 14 december 2023", "2023-12-14"),
        ("Beslutad 3 mars 2024 §12", "2024-03-03"),
        ("Verksamhetsplan 2025", ""),
    ],
)
def test_dates(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("1 (9)", True),
        ("Sida 2 av 9", True),
        ("sida 3", True),
        ("2/9", True),
        ("- 4 -", True),
        ("Page 5 of 12", True),
        ("1 Inledning", False),
        ("2024 års budget", False),
    ],
)
def test_page_markers(text, marker):
    assert is_page_marker(text) is marker


def test_largest_text_is_the_title_and_a_marker_never_is():
    meta = read_first_page(
        [
            PageLine("1 (9)", 24),
            PageLine("Dnr SN 2024/77", 9),
            PageLine("Årsredovisning 2024", 22),
            PageLine("Vård- och omsorgsnämnden", 14),
            PageLine("Upplands-Bro kommun", 11),
            PageLine("Datum 2025-02-20", 11),
        ]
    )
    assert (meta.title, meta.organ, meta.municipality) == (
        "Årsredovisning 2024",
        "Vård- och omsorgsnämnden",
        "Upplands-Bro kommun",
    )
    assert (meta.date, meta.dnr, meta.kind, meta.year) == (
        "2025-02-20",
        "SN 2024/77",
        "årsredovisning",
        2024,
    )


def test_docx_first_lines_give_the_metadata(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Dnr KS 2024/628")
    document.add_paragraph("Delårsrapport augusti 2024", style="Title")
    document.add_paragraph("Kommunstyrelsen, Provs kommun")
    document.add_paragraph("Beslutad 24 september 2024")
    document.add_heading("1 Inledning", level=1)
    path = tmp_path / "rapport.docx"
    document.save(str(path))
    meta = load_document(path).meta
    assert (meta.title, meta.organ, meta.municipality) == (
        "Delårsrapport augusti 2024",
        "Kommunstyrelsen",
        "Provs kommun",
    )
    assert (meta.decided, meta.dnr, meta.kind) == (
        "2024-09-24",
        "KS 2024/628",
        "delårsrapport",
    )
