"""Hybrid retrieval: dense + BM25 + metadata-filtered candidates, fused by RRF, re-ranked by the KG.

Every hit keeps the per-signal scores and ranks that placed it, so an answer can
show why a passage was chosen.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from grounding.config import RetrievalConfig
from grounding.ontology.graph import OntologyGraph
from grounding.retrieve.dense import DenseRetriever
from grounding.retrieve.fusion import rrf
from grounding.retrieve.kg import ConceptScorer
from grounding.retrieve.lexical import BM25Index
from grounding.retrieve.metadata import MetadataCatalog
from grounding.retrieve.query import QueryFilters
from grounding.retrieve.types import Hit
from grounding.store.base import ReportStore

Mode = Literal["dense", "bm25", "hybrid", "full"]


class HybridRetriever:
    def __init__(
        self,
        cfg: RetrievalConfig,
        store: ReportStore,
        dense: DenseRetriever,
        bm25: BM25Index | None,
        catalog: MetadataCatalog | None = None,
        onto: OntologyGraph | None = None,
    ) -> None:
        self.cfg = cfg
        self.store = store
        self.dense = dense
        self.bm25 = bm25
        self.catalog = catalog
        self.onto = onto

    def _meta_ranking(self, q_vec: np.ndarray, strengths: dict[str, float]) -> list[tuple[int, float]]:
        """Chunks of metadata-matched reports, ordered by match strength then similarity."""
        rows = self.store.chunk_report_ids(list(strengths))
        index = self.dense.index
        rows = [(cid, rid) for cid, rid in rows if cid in index]  # a chunk not embedded yet (ingest in progress) is skipped
        vecs = index.vectors([cid for cid, _ in rows])
        # One dot product per row (not one matrix product): the same float rounding as ever, so ties stay ties.
        scored = [(cid, strengths[rid], float(v @ q_vec)) for (cid, rid), v in zip(rows, vecs)]
        scored.sort(key=lambda x: (-x[1], -x[2]))
        return [(cid, strength + 0.001 * sim) for cid, strength, sim in scored]

    def search(self, query: str, k: int | None = None, mode: Mode = "full", question_concepts: list[str] | None = None) -> list[Hit]:
        return self.search_with_filters(query, k, mode, question_concepts)[0]

    def search_with_filters(
        self, query: str, k: int | None = None, mode: Mode = "full", question_concepts: list[str] | None = None
    ) -> tuple[list[Hit], QueryFilters | None]:
        """Hits plus what the question was read to say about facility/date (stateless: safe across threads)."""
        k = k or self.cfg.top_k
        q_vec = self.dense.embed(query)
        rankings: dict[str, list[tuple[int, float]]] = {}
        if mode in ("dense", "hybrid", "full"):
            rankings["dense"] = self.dense.search_vector(q_vec, self.cfg.dense_k)
        if mode in ("bm25", "hybrid", "full") and self.bm25 is not None:
            rankings["bm25"] = self.bm25.search(query, self.cfg.bm25_k)
        strengths: dict[str, float] = {}
        filters: QueryFilters | None = None
        if mode == "full" and self.catalog is not None:
            filters = self.catalog.analyze(query)
            matches = self.catalog.match(filters)
            strengths = {m.report_id: m.strength for m in matches}
            if strengths:
                rankings["meta"] = self._meta_ranking(q_vec, strengths)
        fused = rrf(rankings, self.cfg.rrf_k)
        pool = sorted(fused.items(), key=lambda kv: -kv[1][0])[: max(k * 8, 50)]
        chunks = self.store.get_chunks([cid for cid, _ in pool])
        scorer = ConceptScorer(self.onto, question_concepts or []) if (mode == "full" and self.onto is not None) else None
        linked = self.store.concepts_of({c.report_id for c in chunks.values()}) if scorer and scorer.q else {}
        unit = 1.0 / (self.cfg.rrf_k + 1)  # one first-place vote in RRF
        hits: list[Hit] = []
        for cid, (fused_score, ranks, raw) in pool:
            c = chunks.get(cid)
            if c is None:
                continue  # a vector without a chunk: never cite what SQL does not hold
            scores = {**raw, "rrf": fused_score}
            final = fused_score
            strength = strengths.get(c.report_id, 0.0)
            if strength:
                final += self.cfg.metadata_boost * strength * unit
                scores["meta"] = strength
            if scorer is not None and scorer.q:
                ks = scorer.score({rc.concept for rc in linked.get(c.report_id, [])})
                final += (self.cfg.kg_boost * ks.match - self.cfg.kg_sibling_penalty * ks.confusion) * unit
                scores["kg_match"] = ks.match
                scores["kg_confusion"] = ks.confusion
            scores["final"] = final
            hits.append(Hit(cid, c.report_id, c.text, final, scores, ranks, list((c.flags or {}).get("injection") or [])))
        hits.sort(key=lambda h: -h.score)
        return hits[:k], filters
