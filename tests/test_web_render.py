"""The pure HTML rendering of answers: escaping, passages in context, table rows."""

from __future__ import annotations

from dataclasses import replace

from test_web_support import MARK_DOC, find_row, net_cost_answer, sample_lines

from assistant.models import Answer, Citation
from assistant.web.render import (
    highlighted_lines,
    passage_lines,
    render_answer,
    render_answer_text,
    render_user_message,
)


def test_number_answer_shows_value_source_file_and_line_range() -> None:
    answer = net_cost_answer("Hur stor är kommunstyrelsens nettokostnad 2024 i Mark?")
    header_no, row_no, _ = find_row(MARK_DOC, "Nettokostnader", "Budget 2024")
    html = render_answer(answer, sample_lines)
    assert "205,6" in html
    assert f"{MARK_DOC}</span> · rader {header_no}–{row_no}" in html
    assert "<details" in html and "Avsnitt:</b> 5 Ekonomi &gt; 5.1 Driftbudget" in html


def test_document_html_remnants_are_escaped_in_passage_and_stripped_in_fact_table() -> (
    None
):
    answer = net_cost_answer("Hur stor är kommunstyrelsens nettokostnad 2024 i Mark?")
    html = render_answer(answer, sample_lines)
    # The passage shows the raw line (tags as text) highlighted.
    assert "<mark>&lt;b&gt;Nettokostnader&lt;/b&gt;" in html
    assert "<b>Nettokostnader" not in html
    # The fact table shows clean cells with the used cell emphasised under its header.
    fact_table = html[html.index('<table class="ps-fact">') : html.index("</table>")]
    assert "<th>Budget 2024</th>" in fact_table
    assert "<strong>-205,6</strong>" in fact_table
    assert "<td>-207,0</td>" in fact_table


def test_script_in_a_document_or_question_renders_as_text() -> None:
    lines = ("Rubrik", "<script>alert('x')</script> Budget 2024\t5,0", "slut")
    citation = Citation(
        1, "evil.txt", "<img src=x onerror=alert(1)>", "1 <i>A</i>", 2, 2, lines[1]
    )
    answer = Answer(
        question="<script>q</script>",
        answer="Svar <script>alert(1)</script> [1].",
        refused=False,
        citations=(citation,),
        interpretation="Tolkat som: <b>x</b>",
        notice="<iframe>",
    )
    html = render_answer(answer, lambda doc: lines) + render_user_message(
        "<script>alert(2)</script>"
    )
    for tag in ("<script", "<img", "<iframe", "<i>", "<b>x"):
        assert tag not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_output_is_one_html_block_without_blank_lines() -> None:
    # A blank line would end the HTML block and let Markdown rewrite document text.
    answer = net_cost_answer("Hur stor är kommunstyrelsens nettokostnad 2025 i Mark?")
    answer = replace(answer, answer="Rad ett [1].\n\nRad *två* med _understreck_ [1].")
    html = render_answer(answer, sample_lines)
    assert "\n" not in html
    assert "Rad *två* med _understreck_" in html


def test_passage_is_shown_with_context_lines_around_it() -> None:
    lines = tuple(f"rad {n}" for n in range(1, 21))
    citation = Citation(1, "d.txt", "T", "S", 10, 11, "rad 10\nrad 11")
    assert passage_lines(citation, lines) == [8, 9, 10, 11, 12, 13]
    at_start = replace(citation, line_start=1, line_end=1, text="rad 1")
    assert passage_lines(at_start, lines) == [1, 2, 3]
    beyond = replace(citation, line_start=19, line_end=25)
    assert passage_lines(beyond, lines) == []


def test_skipped_lines_in_a_quote_leave_a_gap_and_are_not_highlighted() -> None:
    lines = tuple(f"rad {n}" for n in range(1, 31))
    citation = Citation(1, "d.txt", "T", "S", 5, 20, "rad 5\n[…]\nrad 20")
    assert highlighted_lines(citation, lines) == {5, 20}
    assert passage_lines(citation, lines) == [3, 4, 5, 6, 7, None, 18, 19, 20, 21, 22]


def test_unknown_or_changed_document_falls_back_to_the_quote() -> None:
    citation = Citation(1, "gone.txt", "T", "S", 3, 3, "citerad text")
    answer = Answer("q", "Svar [1].", False, citations=(citation,))
    html = render_answer(answer, lambda doc: ())
    assert "<mark>citerad text</mark>" in html
    changed = render_answer(answer, lambda doc: ("a", "b", "annan text", "d"))
    assert "<mark>citerad text</mark>" in changed and "annan text" not in changed


def test_interpretation_comes_first_and_markers_are_styled() -> None:
    answer = net_cost_answer("Och?", history=["Nettokostnad 2025 i Mark?"])
    html = render_answer(answer, sample_lines)
    assert html.index("Tolkat som: nettokostnad, budget 2025") < html.index(
        "207,0 mnkr"
    )
    assert '<span class="ps-ref">[1]</span>' in html


def test_markdown_table_in_an_answer_becomes_an_html_table() -> None:
    text = "Mark nio [1].\n\n| Kommun | Antal |\n|---|---|\n| Mark | nio [1] |"
    html = render_answer_text(text)
    assert "<th>Kommun</th>" in html
    assert '<td>nio <span class="ps-ref">[1]</span></td>' in html
    assert "---" not in html


def test_english_answers_get_english_labels() -> None:
    answer = net_cost_answer("What is the net cost 2024 in Mark?")
    answer = replace(answer, interpreted_query={"lang": "en"})
    html = render_answer(answer, sample_lines)
    assert "Sources" in html and "File:</b>" in html and "Källor" not in html
