"""The answer object: what was said, on which evidence, with which scores (the trace)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Passage:
    key: str  # "P1"
    report_id: str
    chunk_id: int
    text: str  # the selected sentences the model was shown
    score: float
    source_id: str = ""
    title: str = ""
    date: str | None = None
    facility: str = ""
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class PathEvidence:
    key: str  # "K1"
    path: list[str]
    text: str
    concepts: list[str] = field(default_factory=list)
    entailed: list[bool] = field(default_factory=list)  # per hop: entailed by the reasoner, not asserted


@dataclass
class Sentence:
    text: str
    citations: list[str] = field(default_factory=list)
    status: str = "supported"  # supported | unsupported | contradicted | extractive
    reason: str = ""
    support: float = 0.0
    confidence: float | None = None
    model_cites: list[str] | None = None  # claims output: the passages the model named (None: free text)


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    confidence: float
    sentences: list[Sentence] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    paths: list[PathEvidence] = field(default_factory=list)
    dropped: list[Sentence] = field(default_factory=list)
    signals: dict[str, float] = field(default_factory=dict)
    question_concepts: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    generator: str = ""
    raw_generation: str = ""
    draft_answer: str = ""  # what it would have said before the abstention decision (for audit and evaluation)
    route: str = "single_event"  # single_event | aggregate | distribution | ontology (grounding/aggregate)
    aggregate: dict[str, Any] | None = None  # the query, SQL, result and counted reports of an aggregate answer

    def to_json(self) -> dict[str, Any]:
        evidence: dict[str, Any] = {
            p.key: {
                "report_id": p.report_id,
                "source_id": p.source_id,
                "chunk_id": p.chunk_id,
                "text": p.text,
                "score": round(p.score, 6),
                "scores": {k: round(v, 6) for k, v in p.scores.items()},
                "title": p.title,
                "date": p.date,
                "facility": p.facility,
            }
            for p in self.passages
        }
        evidence.update({k.key: {"path": k.path, "text": k.text, "concepts": k.concepts,
                                 **({"entailed": k.entailed} if any(k.entailed) else {})} for k in self.paths})
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "confidence": round(self.confidence, 4),
            "sentences": [
                {k: v for k, v in asdict(s).items() if v is not None} for s in self.sentences
            ],
            "dropped_sentences": [asdict(s) for s in self.dropped],
            "evidence": evidence,
            "question_concepts": self.question_concepts,
            "signals": {k: round(v, 6) for k, v in self.signals.items()},
            "generator": self.generator,
            "raw_generation": self.raw_generation,
            "draft_answer": self.draft_answer,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "route": self.route,
            **({"aggregate": self.aggregate} if self.aggregate is not None else {}),
        }
