"""Which path answers a question, as one explicit step with its reasons.

Two decisions, in this order:
1. Before retrieval: a question across the archive (counts, rankings, trends, "what usually
   causes X", "is A a kind of B") is answered from SQL and the ontology by grounding/aggregate
   (its router decides, from configured patterns; `aggregate.enabled = false` turns it off).
2. After retrieval: a question about a configured structured field of the one report its place
   and date pin is read from that record (answer/fields.py) - no model call.
Every other question is a single event: the generator phrases an answer from the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from grounding.answer.evidence import Evidence
from grounding.answer.fields import FieldHit, pinned_field
from grounding.answer.result import Answer
from grounding.config import Config

if TYPE_CHECKING:
    from grounding.answer.agent import AnswerAgent


@dataclass
class Route:
    kind: str  # single_event | field | aggregate | distribution | ontology
    why: list[str] = field(default_factory=list)
    answer: Answer | None = None  # an archive route answers while routing
    field_hit: FieldHit | None = None  # the field route: the value read and the passage citing it


def route_archive(agent: "AnswerAgent", question: str, threshold: float) -> Route:
    """The archive routes (grounding/aggregate), or `single_event` for the evidence path below."""
    if not agent.cfg.aggregate.enabled:
        return Route("single_event", ["aggregate.enabled = false"])
    from grounding.aggregate.engine import answer_across

    answered = answer_across(agent, question, threshold)
    if answered is None:
        return Route("single_event", ["not a question across the archive (grounding/aggregate/router.py)"])
    return Route(answered.route, list((answered.aggregate or {}).get("why") or []), answer=answered)


def route_evidence(cfg: Config, question: str, evidence: Evidence) -> Route:
    """The field route when the pinned report's record answers, else the generator's single-event path."""
    hit = pinned_field(cfg.answer_field, question, evidence.passages, evidence.filters, evidence.reports)
    if hit is None:
        return Route("single_event", ["no configured field of one pinned report is asked for"])
    return Route("field", [f"asks for field '{hit.answer.spec.field}' of report {hit.passage.report_id}"], field_hit=hit)
