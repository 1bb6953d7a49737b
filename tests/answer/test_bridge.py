"""The English bridge of a Korean question (grounding/answer/bridge.py)."""

from __future__ import annotations

from types import SimpleNamespace

from grounding.answer.bridge import english_bridge


def test_the_bridge_keeps_the_latin_words_states_labels_and_kind_and_drops_numbers():
    onto = SimpleNamespace(label=lambda iri: {"urn:x#Scram": "reactor scram", "urn:x#EDG": "emergency diesel generator"}[iri])
    q = "2008년 2월 26일 텍사스 Turkey Point 3호기 원자로 스크램과 비상 디젤 발전기 고장의 원인은 무엇입니까?"
    bridge = english_bridge(q, ["urn:x#Scram", "urn:x#EDG"], onto, "cause")
    assert bridge == "texas Turkey Point reactor scram emergency diesel generator what caused it"


def test_an_english_question_has_no_bridge():
    assert english_bridge("What caused the trip at Turkey Point?", [], None, "cause") == ""
