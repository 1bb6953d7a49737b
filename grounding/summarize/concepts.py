"""Which linked concepts are equipment and which are causes, and their top-level class.

The ontology decides, not the model: a concept is "equipment" when it is (a descendant
of) one of `summarize.equipment_roots`, a "cause" when under one of `cause_roots`
(matched by local name or label, case-insensitively). Its top-level class is the
ancestor just below that root ("Transformer" for "Main transformer" under "Equipment"),
which is what `--by concept` groups on. Without an ontology every concept is "other"
and is its own top level, named by its IRI's local name.
"""

from __future__ import annotations

from functools import lru_cache

from grounding.config import SummarizeConfig
from grounding.ontology.graph import OntologyGraph, local_name

CATEGORIES = ("equipment", "cause", "other")


class ConceptIndex:
    def __init__(self, onto: OntologyGraph | None, cfg: SummarizeConfig) -> None:
        self.onto = onto
        self._roots: dict[str, set[str]] = {"equipment": set(), "cause": set()}
        self._abstract: set[str] = set()
        if onto is None:
            return
        # Grouping classes marked `<ns>#abstract true` ("equipment", "event"): generic words, not concepts.
        for subj, pred, obj in onto.rdf:
            if str(pred).endswith("#abstract") and str(obj).lower() in ("true", "1"):
                self._abstract.add(str(subj))
        wanted = {"equipment": {n.casefold() for n in cfg.equipment_roots}, "cause": {n.casefold() for n in cfg.cause_roots}}
        for iri, c in onto.concepts.items():
            names = {local_name(iri).casefold(), c.label.casefold()}
            names |= {t.casefold() for ts in c.labels.values() for t in ts}
            for cat, want in wanted.items():
                if names & want:
                    self._roots[cat].add(iri)

    @property
    def fingerprint(self) -> str:
        parts = [self.onto.fingerprint if self.onto is not None else "none"]
        parts += sorted(self._roots["equipment"]) + ["|"] + sorted(self._roots["cause"])
        return "|".join(parts)

    def is_root(self, iri: str) -> bool:
        """A category root itself ("equipment", "cause"): a word the linker found, not a concept to count."""
        return iri in self._roots["equipment"] or iri in self._roots["cause"] or iri in self._abstract

    def counted(self, iri: str, categories: tuple[str, ...] = CATEGORIES) -> bool:
        return not self.is_root(iri) and self.category(iri) in categories

    def label(self, iri: str) -> str:
        if self.onto is not None:
            return self.onto.label(iri)
        return local_name(iri)

    @lru_cache(maxsize=65536)
    def category(self, iri: str) -> str:
        if self.onto is None:
            return "other"
        line = {iri} | self.onto.ancestors(iri)
        for cat in ("equipment", "cause"):
            if line & self._roots[cat]:
                return cat
        return "other"

    @lru_cache(maxsize=65536)
    def top(self, iri: str) -> str:
        """The concept's class just below its category root (itself when it is a root or unclassified)."""
        if self.onto is None:
            return iri
        cat = self.category(iri)
        roots = self._roots.get(cat, set())
        if iri in roots:
            return iri
        if cat == "other":
            # Unclassified: the ancestor just below a top of the hierarchy (a class with no parents).
            chain = self._chain_to(iri, lambda n: not self.onto.parents(n))
            return chain[-2] if len(chain) >= 2 else iri
        chain = self._chain_to(iri, lambda n: n in roots)
        return chain[-2] if len(chain) >= 2 else iri

    def _chain_to(self, iri: str, is_end) -> list[str]:
        """Shortest subClassOf path iri -> ... -> end (deterministic: parents in sorted order)."""
        seen = {iri}
        frontier = [[iri]]
        while frontier:
            nxt = []
            for path in frontier:
                node = path[-1]
                if is_end(node):
                    return path
                for p in sorted(self.onto.parents(node)):
                    if p not in seen:
                        seen.add(p)
                        nxt.append(path + [p])
            frontier = nxt
        return [iri]

    def members(self, top_iri: str) -> set[str]:
        """The concept and its descendants: what a report must be linked to, to belong to its group."""
        if self.onto is None:
            return {top_iri}
        return {top_iri} | self.onto.descendants(top_iri)

    def find(self, value: str) -> list[str]:
        """Concept IRIs named by `value` (an IRI, a local name or a label, case-insensitive)."""
        v = value.strip()
        if self.onto is None:
            return [v]
        if v in self.onto.concepts:
            return [v]
        key = v.casefold()
        hits = []
        for iri, c in self.onto.concepts.items():
            names = {local_name(iri).casefold(), c.label.casefold()}
            names |= {t.casefold() for ts in list(c.labels.values()) + list(c.alt_labels.values()) for t in ts}
            if key in names:
                hits.append(iri)
        return sorted(hits)
