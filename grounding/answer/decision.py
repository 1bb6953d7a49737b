"""Answer or abstain: the first reason that holds, else the confidence against the threshold.

Hard reasons come before the confidence, in this order: no evidence; a generated claim the
ontology contradicts; a field the pinned report does not record; a cited report from another
place than the question names; a cause stated only by sentences addressed to a reader or an
assistant. An abstention says why and names the closest evidence; it never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass

from grounding.answer.fields import FieldHit
from grounding.answer.result import Passage, Sentence


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
) -> str:
    """Why the answer must not be given, or ""."""
    contradicted = [s for s in dropped if s.status == "contradicted"]
    if not passages:
        return "no evidence was found"
    if contradicted:
        return f"a generated claim contradicts the ontology ({contradicted[0].reason})"
    if field_hit is not None and field_hit.answer.missing:
        return f"report {field_hit.passage.report_id} does not record {field_hit.answer.spec.label.lower()}"
    if wrong_place:
        return f"the question names {wrong_place}, but the cited report {passages[0].report_id} is from {passages[0].facility or 'another place'}"
    if injected_cause:
        return (f"report {passages[0].report_id} states a cause only in sentences addressed to a reader or an assistant, "
                "which are not evidence")
    if confidence <= threshold:
        return f"confidence {confidence:.2f} is not above the threshold {threshold:.2f}"
    return ""


def cited_text(kept: list[Sentence]) -> str:
    """The kept sentences, each followed by its citations: "… [P1][K1] …"."""
    return " ".join(f"{s.text} " + "".join(f"[{c}]" for c in s.citations) for s in kept).strip()


def decide(reason: str, kept: list[Sentence], passages: list[Passage]) -> Decision:
    """The answer text: the cited sentences, or the abstention with its reason and the closest evidence."""
    draft = cited_text(kept)
    if not reason:
        return Decision(False, "", draft, draft)
    found = f"; the closest evidence is {passages[0].key}, report {passages[0].report_id}" if passages else ""
    if passages and passages[0].date:
        found += f" ({passages[0].facility or 'unknown place'}, {passages[0].date})"
    return Decision(True, reason, f"Not enough evidence to answer: {reason}{found}.", draft)
