"""Bodies as hard constraints, end to end on the bundled documents with the real
model: a body the documents have no figures for is refused, the owner's own
administration is answered."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_a_figure_of_another_body_is_refused(real_assistant) -> None:
    answer = real_assistant.ask(
        "Hur hög var sjukfrånvaron hos samhällsbyggnadsförvaltningen i Enköping 2022?"
    )
    assert answer.refused, answer.answer
    english = real_assistant.ask(
        "What is the social committee's 2025 budget in Kramfors?"
    )
    assert english.refused, english.answer


def test_the_owners_administration_is_answered(real_assistant) -> None:
    answer = real_assistant.ask(
        "Hur hög var sjukfrånvaron på kommunledningsförvaltningen i Enköping 2022?"
    )
    assert not answer.refused and "4,3" in answer.answer, answer.answer
