"""KG-aware re-ranking: reward reports about the question's concepts, demote confusable neighbours.

The embedder places "auxiliary transformer" next to "main transformer"; the ontology
knows they are different (siblings, often disjoint). A report that mentions only the
neighbour and never the asked-about concept (or a subclass of it) is demoted.
"""

from __future__ import annotations

from dataclasses import dataclass

from grounding.ontology.graph import OntologyGraph


@dataclass
class KGScore:
    match: float  # share of question concepts the report covers (concept or a descendant)
    confusion: float  # share of question concepts only present as a sibling/disjoint neighbour
    matched: list[str]
    confused: list[str]


class ConceptScorer:
    def __init__(self, onto: OntologyGraph, question_concepts: list[str]) -> None:
        self.onto = onto
        self.q = [c for c in question_concepts if c in onto.concepts]
        self._accept = {c: {c} | onto.descendants(c) for c in self.q}
        self._confusable = {}
        for c in self.q:
            near = set()
            for s in onto.siblings(c):
                near |= {s} | onto.descendants(s)
            self._confusable[c] = near - self._accept[c]

    def score(self, report_concepts: set[str]) -> KGScore:
        if not self.q:
            return KGScore(0.0, 0.0, [], [])
        matched, confused = [], []
        for c in self.q:
            if report_concepts & self._accept[c]:
                matched.append(c)
            elif report_concepts & self._confusable[c]:
                confused.append(c)
        n = len(self.q)
        return KGScore(len(matched) / n, len(confused) / n, matched, confused)
