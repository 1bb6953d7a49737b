"""GET /healthz: liveness, what is loaded, and the current load."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from grounding.serve.auth import curator_token
from grounding.serve.deps import get_jobs, get_limiter, get_serve_cfg, get_system
from grounding.serve.schemas import HealthOut

router = APIRouter()


def _generator_name(system) -> str:
    """The loaded generator's name; the configured backend while none is loaded (asking does not load it)."""
    if system.built("generator"):
        return getattr(system.generator, "name", type(system.generator).__name__)
    return system.cfg.generator.backend


@router.get("/healthz", response_model=HealthOut, tags=["health"], summary="Liveness, what is loaded, and current load")
def healthz(request: Request, system=Depends(get_system), cfg=Depends(get_serve_cfg), limiter=Depends(get_limiter), jobs=Depends(get_jobs)):
    errors = list(request.app.state.load_errors)
    stats = {"reports": 0, "chunks": 0}
    try:
        stats = system.store.stats()
    except Exception as exc:
        errors.append(f"store: {exc}")
    try:
        vectors = int(system.index.count())
    except Exception as exc:
        vectors = 0
        errors.append(f"index: {exc}")
    generation = int(getattr(system.index, "published_generation", 0)) if system.built("index") else 0
    onto = None
    try:
        onto = system.ontology
    except Exception as exc:
        errors.append(f"ontology: {exc}")
    return {
        "status": "degraded" if errors else "ok",
        "reports": stats.get("reports", 0),
        "chunks": stats.get("chunks", 0),
        "vectors": vectors,
        "index_generation": generation,
        "generator": _generator_name(system),
        "ontology_concepts": len(onto.concepts) if onto is not None else 0,
        "curator_enabled": bool(curator_token(cfg)),
        "reads_open": not cfg.reader_token,
        "threshold": system.cfg.confidence.threshold,
        "max_question_chars": system.cfg.retrieval.max_question_chars,
        "load": limiter.snapshot(),
        "jobs": jobs.counts(),
        "errors": errors,
    }
