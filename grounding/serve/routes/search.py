"""GET /search: retrieval only, every signal's score.

A router factory, not a module-level router: the query's length and `k`'s maximum are this
server's configured limits, and FastAPI takes them when the route is declared (so they are in
the OpenAPI document and a request over them is a validation error like any other).
"""

from __future__ import annotations

import copy

from fastapi import APIRouter, Depends, HTTPException, Query

from grounding.config import ServeConfig
from grounding.serve import curation
from grounding.serve.answering import Asker
from grounding.serve.auth import require_reader
from grounding.serve.deps import ERRORS, LOAD, get_asker
from grounding.serve.schemas import SearchOut


def make_router(cfg: ServeConfig, max_question_chars: int) -> APIRouter:
    router = APIRouter(tags=["read"], dependencies=[Depends(require_reader)])

    @router.get(
        "/search",
        response_model=SearchOut,
        summary="Retrieval only: the best chunks for a query, with every signal's score",
        responses={**ERRORS, **LOAD},
    )
    def search(
        q: str = Query(
            min_length=1, max_length=max_question_chars, pattern=r"\S",
            description="The query (at most retrieval.max_question_chars characters; not only spaces).",
        ),
        k: int = Query(10, ge=1, le=cfg.max_search_k, description="How many hits (at most serve.max_search_k)."),
        mode: str = Query("full", pattern="^(dense|bm25|hybrid|full)$", description="dense | bm25 | hybrid | full."),
        asker: Asker = Depends(get_asker),
    ):
        system = asker.system
        query = asker.question(q)
        if k > cfg.max_search_k:
            raise HTTPException(422, f"k is {k}; the limit is {cfg.max_search_k} (serve.max_search_k)")
        asker.ready_to_answer()
        retriever = copy.copy(system.retriever)
        linker = curation.linker_or_none(system)
        concepts = linker.concepts(query) if (linker is not None and mode == "full") else []
        hits = retriever.search(query, k, mode=mode, question_concepts=concepts)
        reports = system.store.get_reports(h.report_id for h in hits)
        out = []
        for rank, h in enumerate(hits, start=1):
            r = reports.get(h.report_id)
            out.append(
                {
                    "rank": rank,
                    "chunk_id": h.chunk_id,
                    "report_id": h.report_id,
                    "text": h.text,
                    "score": h.score,
                    "scores": h.scores,
                    "ranks": h.ranks,
                    "title": (r.title or "") if r else "",
                    "date": r.date if r else None,
                    "facility": (r.facility or "") if r else "",
                }
            )
        return {"query": query, "mode": mode, "hits": out}

    return router
