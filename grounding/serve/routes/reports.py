"""GET /reports/{report_id}: one stored report with its metadata, chunks and ontology links."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException

from grounding.serve import curation
from grounding.serve.auth import require_reader
from grounding.serve.deps import ERRORS, get_system
from grounding.serve.jobs import to_jsonable
from grounding.serve.schemas import ErrorOut, ReportOut

router = APIRouter(tags=["read"], dependencies=[Depends(require_reader)])


@router.get(
    "/reports/{report_id}",
    response_model=ReportOut,
    summary="One report with its metadata, chunks and ontology links",
    responses={**ERRORS, 404: {"model": ErrorOut, "description": "No such report."}},
)
def report(report_id: str, system=Depends(get_system)):
    rep = system.store.get_report(report_id)
    if rep is None:
        raise HTTPException(404, f"no report with id {report_id!r} (ids look like 'nrc:56912'; a bare source id works when unambiguous)")
    chunks = system.store.chunks_of(rep.id)
    links = system.store.concepts_of([rep.id])[rep.id]
    onto = curation.ontology_or_none(system)
    return {
        "id": rep.id,
        "corpus": rep.corpus,
        "source_id": rep.source_id,
        "title": rep.title or "",
        "date": rep.date,
        "facility": rep.facility or "",
        "metadata": to_jsonable(rep.meta or {}),
        "source": f"{Path(rep.source_path or '').name} {rep.source_location or ''}".strip(),
        "updated_at": rep.updated_at.isoformat() if rep.updated_at else None,
        "text": rep.text,
        "chunks": [{"id": c.id, "ord": c.ord, "start_char": c.start_char, "chars": len(c.text), "text": c.text} for c in chunks],
        "concepts": [
            {"concept": link.concept, "label": onto.label(link.concept) if onto else link.concept, "mentions": link.mentions, "score": link.score}
            for link in sorted(links, key=lambda x: -x.mentions)
        ],
    }
