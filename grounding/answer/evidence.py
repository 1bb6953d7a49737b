"""Evidence for a single-event question: the passages [P1].. the model is shown and the KG paths [K1]..

When the question names the facility/place and date, the answer must come from those reports:
another plant's similar event is context the model would misuse, so passages of "pinned"
reports replace the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grounding.answer.result import Passage, PathEvidence
from grounding.config import Config
from grounding.embed.base import Embedder
from grounding.ontology.graph import OntologyGraph
from grounding.ontology.paths import kg_paths
from grounding.retrieve.evidence import SelectedPassage, select_evidence
from grounding.retrieve.hybrid import HybridRetriever
from grounding.retrieve.query import QueryFilters
from grounding.store.schema import Report
from grounding.store.base import ReportStore

PINNED_META = 0.75  # passages whose report matches this share of the question's facility/date are "pinned"


@dataclass
class Evidence:
    """What a single-event answer may cite, and what was read from the question to find it."""

    concepts: list[str] = field(default_factory=list)  # the question's ontology concepts
    passages: list[Passage] = field(default_factory=list)
    selected: list[SelectedPassage] = field(default_factory=list)  # the selection behind each passage
    filters: QueryFilters | None = None
    reports: dict[str, Report] = field(default_factory=dict)  # the reports the passages come from
    paths: list[PathEvidence] = field(default_factory=list)
    bridge: str = ""  # a Korean question's English bridge (answer/bridge.py); "" for an English one

    @property
    def top(self) -> Passage | None:
        return self.passages[0] if self.passages else None

    def top_report(self) -> Report | None:
        return self.reports.get(self.passages[0].report_id) if self.passages else None

    def top_texts(self) -> list[str]:
        """The texts of every passage from the top passage's report."""
        return [p.text for p in self.passages if p.report_id == self.passages[0].report_id]

    def top_marked(self) -> list[str]:
        """The top report's sentences marked at ingest as not evidence (addressed to an assistant)."""
        top_id = self.passages[0].report_id if self.passages else ""
        return [m for sp in self.selected if sp.hit.report_id == top_id for m in sp.marked]

    def filters_given(self) -> bool:
        return bool(self.filters and not self.filters.empty)


def find_passages(
    cfg: Config, store: ReportStore, retriever: HybridRetriever, embedder: Embedder, question: str, top_k: int, concepts: list[str],
    bridge: str = "",
) -> Evidence:
    """Passages [P1].., the selection behind them, the question's filters and the reports they come from.
    Evidence sentences are scored against `bridge` when given (a Korean question's English words)."""
    hits, filters = retriever.search_with_filters(question, top_k, question_concepts=concepts)
    pinned = [h for h in hits if h.scores.get("meta", 0.0) >= PINNED_META]
    if pinned:
        hits = pinned
    selected = select_evidence(bridge or question, hits, embedder, cfg.retrieval.max_evidence_sentences)
    reports = store.get_reports(p.hit.report_id for p in selected)
    out = []
    for n, p in enumerate(selected, start=1):
        r = reports.get(p.hit.report_id)
        out.append(
            Passage(
                key=f"P{n}",
                report_id=p.hit.report_id,
                chunk_id=p.hit.chunk_id,
                text=p.text,
                score=p.score,
                source_id=r.source_id if r else "",
                title=r.title if r else "",
                date=r.date if r else None,
                facility=(r.facility if r else "") or "",  # the corpus's `facility` field, whatever it is called
                scores={**p.hit.scores, "evidence": p.score},
            )
        )
    return Evidence(concepts, out, selected, filters, reports, bridge=bridge)


def find_paths(cfg: Config, store: ReportStore, onto: OntologyGraph | None, concepts: list[str], passages: list[Passage]) -> list[PathEvidence]:
    """Ontology paths [K1].. from the question's concepts to the concepts linked to the passages' reports."""
    if onto is None or not concepts or not passages:
        return []
    linked = store.concepts_of(p.report_id for p in passages)
    targets = list(dict.fromkeys(rc.concept for p in passages for rc in linked.get(p.report_id, [])))
    paths = kg_paths(onto, concepts, targets, cfg.ontology.max_hops, cfg.ontology.max_paths)
    return [
        PathEvidence(f"K{i}", p.as_list(onto), p.render(onto), list(p.nodes), list(p.entailed))
        for i, p in enumerate(paths, start=1)
    ]
