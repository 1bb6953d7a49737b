"""/ontology/...: concept search and details, the alignment audit, and the review queue (curation).

Reading needs the reader token (when one is set); proposing and deciding need the curator token.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request

from grounding.serve import curation
from grounding.serve.auth import require_curator, require_reader
from grounding.serve.deps import ERRORS, get_jobs, get_system
from grounding.serve.schemas import (
    AuditOut,
    ConceptOut,
    ConceptSearchOut,
    DecisionOut,
    ErrorOut,
    JobOut,
    MineIn,
    ProposalIn,
    ReviewDecisionIn,
    ReviewItemOut,
    ReviewListOut,
)

router = APIRouter(tags=["ontology"])

READ = [Depends(require_reader)]
CURATE = [Depends(require_curator)]
_NO_QUEUE = {501: {"model": ErrorOut, "description": "The review queue is not available in this build."}}
_DECIDED = {
    404: {"model": ErrorOut, "description": "No such review item."},
    409: {"model": ErrorOut, "description": "Already decided, or the ontology refused it (e.g. the label already names another concept)."},
}


@router.get(
    "/ontology/concepts",
    response_model=ConceptSearchOut,
    summary="Search concepts by label, synonym or abbreviation",
    dependencies=READ,
    responses={**ERRORS, 404: {"model": ErrorOut, "description": "No ontology is configured."}},
)
def concept_search(
    q: str = Query(min_length=1, max_length=200, description="Label, synonym, abbreviation or IRI fragment."),
    limit: int = Query(20, ge=1, le=100, description="Most hits returned."),
    system=Depends(get_system),
):
    return {"query": q, "hits": curation.search_concepts(system, q, limit)}


@router.get(
    "/ontology/concepts/{concept_id:path}",
    response_model=ConceptOut,
    summary="One concept: labels, relations and linked reports (id = IRI, URL-encoded, or its local name)",
    dependencies=READ,
    responses={**ERRORS, 404: {"model": ErrorOut, "description": "No such concept."}},
)
def concept(concept_id: str, limit: int = Query(50, ge=1, le=500, description="Most linked reports returned."), system=Depends(get_system)):
    return curation.concept_detail(system, concept_id, limit)


@router.get(
    "/ontology/audit",
    response_model=AuditOut,
    summary="The alignment audit: where the embedding space and the ontology disagree",
    dependencies=READ,
    responses={**ERRORS, 501: {"model": ErrorOut, "description": "The audit is not available in this build."}},
)
async def audit(request: Request, refresh: bool = Query(False, description="Recompute instead of returning the audit cached since the last change.")):
    return await curation.audit(request.app, refresh)


@router.get(
    "/ontology/review",
    response_model=ReviewListOut,
    summary="The review queue of proposed ontology changes",
    dependencies=READ,
    responses={**ERRORS, **_NO_QUEUE},
)
def review_queue(
    status: str = Query("pending", pattern="^(pending|accepted|rejected|all)$", description="pending | accepted | rejected | all."),
    limit: int = Query(100, ge=1, le=1000, description="Most items returned."),
    system=Depends(get_system),
):
    return curation.review_list(system, status, limit)


@router.post(
    "/ontology/review",
    response_model=ReviewItemOut,
    status_code=201,
    summary="Propose a concept or a synonym (queued for review like a mined candidate)",
    dependencies=CURATE,
    responses={**ERRORS, 404: {"model": ErrorOut, "description": "The concept named is not in the ontology."}, **_NO_QUEUE},
)
def propose(body: ProposalIn, system=Depends(get_system)):
    return curation.propose(system, body)


@router.post(
    "/ontology/propose",
    response_model=JobOut,
    status_code=202,
    summary="Mine candidate concepts and synonyms from the stored reports into the review queue (a job)",
    dependencies=CURATE,
    responses={**ERRORS, 429: {"model": ErrorOut, "description": "Too many jobs queued."}},
)
def propose_mining(body: MineIn | None = None, system=Depends(get_system), jobs=Depends(get_jobs)):
    body = body or MineIn()
    return jobs.submit("propose", body.model_dump(), lambda job, progress: curation.mine(system, body, progress)).to_json()


@router.post(
    "/ontology/review/{item_id}/accept",
    response_model=DecisionOut,
    summary="Accept a proposal: it is written into the ontology file (with provenance) and the ontology reloaded",
    dependencies=CURATE,
    responses={**ERRORS, **_DECIDED},
)
def accept(item_id: str, request: Request, body: ReviewDecisionIn | None = None):
    return curation.decide(request.app, item_id, "accept", body or ReviewDecisionIn())


@router.post(
    "/ontology/review/{item_id}/reject",
    response_model=DecisionOut,
    summary="Reject a proposal",
    dependencies=CURATE,
    responses={**ERRORS, **_DECIDED},
)
def reject(item_id: str, request: Request, body: ReviewDecisionIn | None = None):
    return curation.decide(request.app, item_id, "reject", body or ReviewDecisionIn())
