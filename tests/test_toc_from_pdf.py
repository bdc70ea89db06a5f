"""A table of contents whose tab or dot leader a PDF extraction lost on one entry
stays one table of contents (and is never read as table rows)."""

from __future__ import annotations

from corpus.sections import detect_toc

LINES = (
    "Delårsrapport augusti 2023",
    "",
    "Innehåll",
    "1 Sammanfattning.....\t3",
    "",
    "2 Väsentliga händelser.....\t4",
    "",
    "3 Uppföljning verksamhetsmål 4",  # the leader was lost in the PDF
    "",
    "4 Uppföljning medarbetarmål\t11",
    "",
    "5 Internkontroll.....\t19",
    "",
    "1 Sammanfattning",
    "Kommunstyrelsens prognos visar ett överskott på 5 mnkr.",
)


def test_an_entry_without_its_leader_continues_the_contents() -> None:
    toc = detect_toc(LINES)
    assert toc == tuple(range(3, 13)), toc  # "Innehåll" .. "5 Internkontroll"
    assert 14 not in toc  # the real heading after the contents


def test_a_bare_numbered_line_does_not_start_a_contents() -> None:
    lines = ("Inledning", "", "3 Uppföljning verksamhetsmål 4", "", "Text.")
    assert detect_toc(lines) == ()


def test_wrapped_entries_and_lost_pages_stay_in_the_contents() -> None:
    lines = (
        "Innehållsförteckning",
        "1 Styrning\t3",
        "2 Nämndens grunduppdrag",  # its page was lost
        "2.1 Följetal kopplade till grunduppdraget\t13",
        "3.1 Strategiska områden: I Mark ska barn",  # wrapped over two lines
        "och unga få en bra start i livet\t14",
        "3.2 Strategiska områden: I Mark ska det",  # wrapped over three lines
        "vara lätt att starta företag",
        "14",
        "4 Ekonomi 16",
        "",
        "1 Styrning",
        "Kommunstyrelsen leder och samordnar kommunens arbete med styrning.",
    )
    assert detect_toc(lines) == tuple(range(1, 11))


def test_captions_and_table_rows_are_not_a_contents() -> None:
    rows = [
        line
        for i in range(1, 8)
        for line in (f"Tabell {i}.", "Mått\tVärde", f"Antal\t{i}")
    ]
    lines = ("1 Tabeller", *rows)
    assert detect_toc(lines) == ()
