"""Answer or abstain: the first reason that holds, else the confidence against the threshold.

Hard reasons come before the confidence, in this order: no evidence; a generated claim the
ontology contradicts; a field the pinned report does not record; a cited report from another
place than the question names; a cause stated only by sentences addressed to a reader or an
assistant. An abstention says why and names the closest evidence; it never guesses. A Korean question
gets the reason and the answer frame in Korean (answer/frame.py); the English reason stays in the trace.
"""

from __future__ import annotations

from dataclasses import dataclass

from grounding.answer.fields import FieldHit
from grounding.answer.frame import korean_abstention, korean_frame
from grounding.answer.result import Passage, Sentence


@dataclass
class Reason:
    """Why an answer must not be given, in English (the trace, evaluation) and in Korean."""

    en: str
    ko: str


@dataclass
class Decision:
    abstained: bool
    reason: str  # why it abstains; "" when it answers
    text: str  # what is returned
    draft: str  # what it would have said: the kept sentences with their citations (for audit and evaluation)


def abstain_reason(
    confidence: float,
    threshold: float,
    passages: list[Passage],
    dropped: list[Sentence],
    field_hit: FieldHit | None,
    wrong_place: str,
    injected_cause: bool,
) -> Reason | None:
    """Why the answer must not be given, or None."""
    contradicted = [s for s in dropped if s.status == "contradicted"]
    if not passages:
        return Reason("no evidence was found", "근거를 찾지 못했습니다")
    top = passages[0]
    if contradicted:
        why = contradicted[0].reason
        return Reason(f"a generated claim contradicts the ontology ({why})", f"생성된 주장이 온톨로지와 모순됩니다 ({why})")
    if field_hit is not None and field_hit.answer.missing:
        spec = field_hit.answer.spec
        rid = field_hit.passage.report_id
        return Reason(f"report {rid} does not record {spec.label.lower()}", f"보고서 {rid}에는 {spec.label_ko or spec.label}이(가) 기록되어 있지 않습니다")
    if wrong_place:
        other = top.facility or "another place"
        return Reason(f"the question names {wrong_place}, but the cited report {top.report_id} is from {other}",
                      f"질문은 {wrong_place}을(를) 가리키지만 인용된 보고서 {top.report_id}는 {top.facility or '다른 장소'}의 보고서입니다")
    if injected_cause:
        return Reason(f"report {top.report_id} states a cause only in sentences addressed to a reader or an assistant, "
                      "which are not evidence",
                      f"보고서 {top.report_id}는 독자나 어시스턴트에게 보내는 문장에서만 원인을 말하며, 그런 문장은 근거가 아닙니다")
    if confidence <= threshold:
        return Reason(f"confidence {confidence:.2f} is not above the threshold {threshold:.2f}",
                      f"신뢰도 {confidence:.2f}가 임계값 {threshold:.2f}를 넘지 않습니다")
    return None


def cited_text(kept: list[Sentence]) -> str:
    """The kept sentences, each followed by its citations: "… [P1][K1] …"."""
    return " ".join(f"{s.text} " + "".join(f"[{c}]" for c in s.citations) for s in kept).strip()


@dataclass
class Frame:
    """How a Korean question's answer is framed (None for an English question): the units it names and
    the topic word (the field's `label_ko` or the question kind's)."""

    question: str
    units: list[int]
    topic: str
    field: bool = False  # a field answer: framed by the field's name, not the question's event nouns


def decide(reason: Reason | None, kept: list[Sentence], passages: list[Passage], ko: Frame | None = None) -> Decision:
    """The answer text: the cited sentences, or the abstention with its reason and the closest evidence."""
    draft = cited_text(kept)
    if reason is None:
        text = korean_frame(ko.question, kept, passages, ko.units, ko.topic, draft, ko.field) if ko is not None and kept else draft
        return Decision(False, "", text, draft)
    if ko is not None:
        return Decision(True, reason.en, korean_abstention(reason.ko, passages), draft)
    found = f"; the closest evidence is {passages[0].key}, report {passages[0].report_id}" if passages else ""
    if passages and passages[0].date:
        found += f" ({passages[0].facility or 'unknown place'}, {passages[0].date})"
    return Decision(True, reason.en, f"Not enough evidence to answer: {reason.en}{found}.", draft)
