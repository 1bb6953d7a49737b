"""POST /index/reload (curator): pick up what an ingest in another process saved."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from grounding.serve.auth import require_curator
from grounding.serve.deps import ERRORS, get_system

router = APIRouter(tags=["ontology"], dependencies=[Depends(require_curator)])


@router.post("/index/reload", summary="Pick up what an ingest in another process saved to the index", responses=ERRORS)
def reload_index(system=Depends(get_system)):
    changed = bool(system.index.reload_if_changed())
    bm25 = getattr(system.retriever, "bm25", None)
    if bm25 is not None and hasattr(bm25, "ensure"):
        bm25.ensure()
    return {"reloaded": changed, "vectors": int(system.index.count())}
