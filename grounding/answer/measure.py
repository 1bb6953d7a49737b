"""Measuring a single-event answer: its Signals, from the evidence, the draft and what survived the checks.

The calibrator (verify/calibration.py) maps these to P(correct); docs/confidence.md says what
each one means.
"""

from __future__ import annotations

from grounding.answer.check import concept_alignment
from grounding.answer.compose import DEFAULT_KINDS, QuestionKinds, kind_cue, novelty, states_cause_unknown
from grounding.answer.draft import Draft
from grounding.answer.evidence import Evidence
from grounding.answer.fields import FieldHit
from grounding.answer.result import Passage, Sentence
from grounding.answer.signals import Signals
from grounding.ontology.graph import OntologyGraph
from grounding.ontology.linker import Linker
from grounding.retrieve.metadata import unit_conflict


def _retrieval(s: Signals, passages: list[Passage], rrf_k: int, n_candidates: int, kept: list[Sentence]) -> None:
    finals = sorted(((p.scores.get("final", 0.0), p.report_id) for p in passages), reverse=True)
    runner_up = next((f for f, rid in finals[1:] if rid != finals[0][1]), 0.0)
    votes = (finals[0][0] - runner_up) * (rrf_k + 1)
    top = passages[0]
    s.retrieval_top = max(p.scores.get("dense", 0.0) for p in passages)
    s.meta_top = top.scores.get("meta", 0.0)
    s.evidence_top = top.scores.get("evidence", 0.0)
    s.margin = max(0.0, min(1.0, votes))
    s.support_ratio = (sum(1 for x in kept if x.status == "supported") / n_candidates) if n_candidates else 0.0
    s.kg_match = top.scores.get("kg_match", 0.0)


def measure(
    question: str,
    ev: Evidence,
    draft: Draft,
    kept: list[Sentence],
    dropped: list[Sentence],
    n_candidates: int,
    extractive: bool,
    field_hit: FieldHit | None,
    rrf_k: int,
    onto: OntologyGraph | None,
    linker: Linker | None,
    kinds: QuestionKinds = DEFAULT_KINDS,
) -> Signals:
    """The calibrator's inputs for one answer. `kept` is what will be said (an extractive quote
    when no generated sentence survived); `n_candidates` counts the generated sentences checked."""
    s = Signals()
    if ev.passages:
        _retrieval(s, ev.passages, rrf_k, n_candidates, kept)
    s.n_passages = float(len(ev.passages))
    s.has_filters = float(ev.filters_given())
    s.update(draft.signals)
    s.extractive = float(extractive)
    s.field_answer = float(field_hit is not None and not field_hit.answer.missing)
    said = " ".join(x.text for x in kept)
    s.kind_cue = 1.0 if s.field_answer else kind_cue(question, said, kinds)
    s.novelty = 1.0 if s.field_answer else novelty(ev.bridge or question, said)
    top = ev.top_report()
    s.unit_conflict = float(unit_conflict(ev.filters.units if ev.filters else [], (top.meta or {}) if top else {}))
    s.cause_unknown = float(states_cause_unknown(question, ev.top_texts(), kinds))
    s.concept_alignment = concept_alignment(onto, linker, ev.concepts, kept)
    s.kg_contradictions = float(sum(1 for x in dropped if x.status == "contradicted"))
    return s
