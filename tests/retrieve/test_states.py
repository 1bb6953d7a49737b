"""Korean state names read as the English ones the reports use (grounding/retrieve/states.py)."""

from __future__ import annotations

from grounding.retrieve.metadata import US_STATES, norm_place
from grounding.retrieve.states import english_state_names, states


def test_every_state_dc_and_puerto_rico_have_a_code_an_english_and_a_korean_name():
    rows = states()
    assert len(rows) == 52 and len({c for c, _, _ in rows}) == 52
    assert all(c.isupper() and len(c) == 2 and en == en.lower() and ko for c, en, ko in rows)
    assert "texas" in US_STATES and "district of columbia" in US_STATES


def test_korean_names_become_english_with_or_without_ju_and_a_particle():
    assert norm_place("텍사스에서") == " texas 에서 "
    assert norm_place("텍사스주에서") == " texas 에서 "
    assert " west virginia " in norm_place("웨스트버지니아주의 사건")  # not read as 버지니아
    assert " virginia " in norm_place("버지니아 정전") and " west " not in norm_place("버지니아 정전")


def test_a_korean_name_that_is_also_a_word_needs_ju():
    assert english_state_names("메인 변압기 고장") == "메인 변압기 고장"  # a main transformer, not Maine
    assert " maine " in english_state_names("메인주 정전")


def test_english_text_is_unchanged():
    assert norm_place("Texas: ERCOT") == " texas ercot "
