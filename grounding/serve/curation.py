"""The server's bridge to ontology curation (grounding.ontology) and summarization (grounding.summarize).

Concept search and concept details work from the loaded `OntologyGraph` and the SQL links;
the review queue, the audit and summarization call those packages' functions and answer
501 when a function is missing from the build.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from fastapi import HTTPException

from grounding.serve.jobs import to_jsonable

_audit_lock = threading.Lock()


# --- ontology access ----------------------------------------------------------------------------
def ontology_or_none(system):
    try:
        return system.ontology
    except Exception:
        return None


def linker_or_none(system):
    try:
        return system.linker
    except Exception:
        return None


def _ontology(system):
    try:
        onto = system.ontology
    except Exception as exc:
        raise HTTPException(503, f"the ontology cannot be loaded: {exc}") from exc
    if onto is None:
        raise HTTPException(404, "no ontology is configured (ontology.files is empty)")
    return onto


def resolve_concept(onto, cid: str, base_namespace: str = "") -> str | None:
    """An IRI, a local name ('ReactorTrip'), a prefixed name ('gt:ReactorTrip') or a label -> the IRI (the CLI's resolution too)."""
    from grounding.ontology.review import resolve_concept as resolve

    return resolve(onto, cid, base_namespace)


def search_concepts(system, q: str, limit: int) -> list[dict]:
    from rapidfuzz import fuzz

    from grounding.ontology.graph import local_name

    onto = _ontology(system)
    query = q.strip().lower()
    if not query:
        return []
    scored: list[tuple[float, str, str]] = []
    for iri, c in onto.concepts.items():
        best, matched = 0.0, ""
        # Preferred and alternative labels (hidden misspellings are matched by the linker, never shown).
        names = [t for ts in c.labels.values() for t in ts] + [t for ts in c.alt_labels.values() for t in ts] + [local_name(iri)]
        for text in names:
            t = text.lower()
            if t == query:
                s = 100.0
            elif t.startswith(query):
                s = 90.0 + 5.0 * len(query) / max(len(t), 1)
            elif query in t:
                s = 80.0 + 5.0 * len(query) / max(len(t), 1)
            else:
                s = fuzz.WRatio(query, t) * 0.75
            if s > best:
                best, matched = s, text
        if query in iri.lower():
            best = max(best, 70.0)
        if getattr(c, "deprecated", False):
            best -= 20.0
        if best >= 50.0:
            scored.append((best, iri, matched))
    scored.sort(key=lambda x: (-x[0], onto.label(x[1])))
    return [{"iri": iri, "label": onto.label(iri), "score": round(s / 100.0, 4), "matched": m} for s, iri, m in scored[:limit]]


def _linked_reports(system, iri: str, limit: int) -> tuple[list[dict], int]:
    rows, total = system.store.linked_reports(iri, limit)
    return [
        {"report_id": r.report_id, "mentions": r.mentions, "title": r.title, "date": r.date, "facility": r.facility} for r in rows
    ], total


def concept_detail(system, cid: str, limit: int) -> dict:
    onto = _ontology(system)
    iri = resolve_concept(onto, cid, system.cfg.ontology.base_namespace)
    if iri is None:
        raise HTTPException(404, f"no concept {cid!r} (give its IRI, URL-encoded, or its local name; GET /ontology/concepts?q= searches)")
    c = onto.concepts[iri]
    relations = []
    if iri in onto.nx:
        for _, other, key, data in onto.nx.out_edges(iri, keys=True, data=True):
            relations.append({"direction": "out", "relation": key, "label": data.get("label", key) + (" (entailed)" if data.get("entailed") else ""),
                              "other": other, "other_label": onto.label(other), "entailed": bool(data.get("entailed"))})
        for other, _, key, data in onto.nx.in_edges(iri, keys=True, data=True):
            relations.append({"direction": "in", "relation": key, "label": data.get("label", key) + (" (entailed)" if data.get("entailed") else ""),
                              "other": other, "other_label": onto.label(other), "entailed": bool(data.get("entailed"))})
    reports, total = _linked_reports(system, iri, limit)
    return {
        "iri": iri,
        "label": c.label,
        "labels": c.labels,
        "alt_labels": c.alt_labels,
        "definition": c.definition,
        "parents": sorted(onto.parents(iri)),
        "children": sorted(onto.children(iri)),
        "relations": relations,
        "linked_reports": reports,
        "linked_total": total,
    }


# --- review queue and audit ---------------------------------------------------------------------
# The work is grounding.ontology.review's (the service under the CLI's `ontology propose|accept|reject`
# too); these functions word its results and refusals as HTTP. The audit is grounding.ontology.audit.
def _queue(system):
    from grounding.ontology import review

    return review.queue(system)


def candidate_json(row, onto) -> dict:
    label = (onto.label(row.concept) if onto is not None else row.concept) if row.concept else ""
    if row.kind == "synonym":
        summary = f"\"{row.term}\" as a synonym of {label or row.concept}"
    else:
        summary = f"new concept \"{row.term}\"" + (f" ({row.abbreviation})" if row.abbreviation else "")
        summary += f" under {label}" if label else ""
    return {
        "id": row.id,
        "kind": row.kind,
        "term": row.term,
        "concept": row.concept,
        "concept_label": label,
        "abbreviation": row.abbreviation,
        "summary": summary,
        "reports": row.reports,
        "mentions": row.mentions,
        "examples": list(row.examples or []),
        "context": row.context,
        "evidence": row.evidence,
        "status": row.status,
        "source": row.evidence or "propose",
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "decided_by": row.decided_by,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "note": row.note,
        "accepted_iri": row.accepted_iri,
    }


def review_list(system, status: str, limit: int) -> dict:
    q = _queue(system)
    onto = ontology_or_none(system)
    rows = q.list(status=None if status == "all" else status, limit=limit)
    return {"status": status, "counts": q.counts(), "items": [candidate_json(r, onto) for r in rows]}


def propose(system, body) -> dict:
    """A curator's own proposal, queued like a mined one (decided later, by anyone holding the token)."""
    from grounding.ontology import review

    onto = _ontology(system)
    try:
        row = review.propose(system, onto, kind=body.kind, term=body.term, concept=body.concept,
                             abbreviation=body.abbreviation, reports=list(body.reports), note=body.note)
    except review.UnknownConcept as exc:
        raise HTTPException(404, str(exc)) from exc
    except review.ReviewError as exc:
        raise HTTPException(422, str(exc)) from exc
    return candidate_json(row, onto)


def mine(system, body, progress) -> dict:
    """`grounding ontology propose` as a job: mine candidates from the stored reports into the queue."""
    from grounding.ontology import review

    if system.linker is None:
        raise ValueError("no ontology is configured")
    res = review.mine(system, corpus=body.corpus, limit=body.limit, min_reports=body.min_reports,
                      max_candidates=body.max_candidates, progress=lambda read: progress(reports_read=read))
    return {"added": res.added, "refreshed": res.refreshed, "candidates": len(res.candidates), "min_reports": res.min_reports,
            "reports_read": res.reports_read, "counts": _queue(system).counts()}


def decide(app, item_id: str, action: str, body) -> dict:
    from grounding.ontology import review

    system = app.state.system
    try:
        cid = int(item_id)
    except ValueError:
        raise HTTPException(404, f"no review item {item_id!r} (ids are integers)") from None
    result: dict = {}
    try:
        if action == "accept":
            row, res = review.accept(system, cid, body.reviewer, note=body.note)
            result = {"iri": res.iri, "file": Path(res.file).name, "block": res.block}
            review.reload_ontology(system)
            _ = system.agent  # rebuild now, not in the next asker's request
            app.state.audit_cache.clear()
        else:
            row = review.reject(system, cid, body.reviewer, body.note)
    except review.CandidateNotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except review.NoTurtleFile as exc:
        raise HTTPException(409, str(exc)) from exc
    except review.NotAccepted as exc:
        raise HTTPException(409, f"not accepted: {exc}") from exc
    except review.ReviewError as exc:
        raise HTTPException(409, str(exc)) from exc
    return {**candidate_json(row, ontology_or_none(system)), **result}


async def audit(app, refresh: bool) -> Any:
    system = app.state.system
    try:
        from grounding.ontology.audit import audit as run_audit
    except ImportError as exc:
        raise HTTPException(501, f"the alignment audit is not available in this build ({exc})") from exc
    onto = _ontology(system)
    cache = app.state.audit_cache

    def run():
        with _audit_lock:  # one audit at a time: it embeds every concept label
            if "result" not in cache or refresh:
                res = run_audit(onto, system.embedder, top=25)  # as `grounding ontology audit --top 25`
                cache["result"] = to_jsonable(res.as_dict())
            return cache["result"]

    if "result" in cache and not refresh:
        return cache["result"]
    return await asyncio.to_thread(run)


# --- summarization ------------------------------------------------------------------------------
def summarizer():
    """(run_summaries, SummarizeRequest) from grounding.summarize, or None when it is not installed."""
    try:
        from grounding.summarize import SummarizeRequest, run_summaries
    except ImportError:
        return None
    return run_summaries, SummarizeRequest


def summary_json(result: Any) -> dict:
    data = to_jsonable(result)
    return data if isinstance(data, dict) else {"result": data}
