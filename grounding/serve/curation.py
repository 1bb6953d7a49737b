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
from sqlalchemy import func, select

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


def resolve_concept(onto, cid: str) -> str | None:
    """An IRI, a local name ('ReactorTrip'), or a prefixed name ('gt:ReactorTrip') -> the IRI."""
    from grounding.ontology.graph import local_name

    cid = cid.strip()
    if cid in onto.concepts:
        return cid
    tail = cid.split(":", 1)[1] if (":" in cid and "://" not in cid) else cid
    hits = [iri for iri in onto.concepts if local_name(iri) == tail]
    if len(hits) == 1:
        return hits[0]
    if hits:
        return sorted(hits)[0]
    low = cid.lower()
    for iri, c in onto.concepts.items():
        if c.label.lower() == low:
            return iri
    return None


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
    from grounding.store.schema import Report, ReportConcept

    with system.store.session() as s:
        total = int(s.scalar(select(func.count()).select_from(ReportConcept).where(ReportConcept.concept == iri)) or 0)
        rows = s.execute(
            select(ReportConcept.report_id, ReportConcept.mentions, Report.title, Report.date, Report.facility)
            .join(Report, Report.id == ReportConcept.report_id)
            .where(ReportConcept.concept == iri)
            .order_by(ReportConcept.mentions.desc(), ReportConcept.report_id)
            .limit(limit)
        ).all()
    return [
        {"report_id": rid, "mentions": int(m or 0), "title": t or "", "date": d, "facility": f or ""} for rid, m, t, d, f in rows
    ], total


def concept_detail(system, cid: str, limit: int) -> dict:
    onto = _ontology(system)
    iri = resolve_concept(onto, cid)
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
# grounding.ontology: ReviewQueue (review_store.py) holds the candidates `grounding ontology propose`
# mined from the reports; accept_into_file (accept.py) appends an accepted one to a Turtle file with
# provenance; audit (audit.py) compares the embedder's similarities with the taxonomy.
_decide_lock = threading.Lock()


def _queue(system):
    try:
        from grounding.ontology.review_store import ReviewQueue
    except ImportError as exc:
        raise HTTPException(501, f"the review queue is not available in this build ({exc})") from exc
    return ReviewQueue(system.store)


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
    from grounding.ontology.linker import _norm
    from grounding.ontology.review_store import Candidate

    onto = _ontology(system)
    concept = ""
    if body.concept:
        concept = resolve_concept(onto, body.concept) or ""
        if not concept:
            raise HTTPException(404, f"no concept {body.concept!r} in the ontology")
    if body.kind == "synonym" and not concept:
        raise HTTPException(422, "a synonym needs `concept`: the concept it names")
    term = " ".join(body.term.split())
    key = term if term.isupper() else " ".join(_norm(w) for w in term.split())
    q = _queue(system)
    q.upsert([Candidate(kind=body.kind, term=term, term_key=key, concept=concept, abbreviation=body.abbreviation,
                        examples=list(body.reports), reports=len(body.reports), context=body.note, evidence="curator")])
    rows = [r for r in q.list(status="all", limit=100000) if (r.kind, r.term_key, r.concept) == (body.kind, key, concept)]
    return candidate_json(rows[0], onto)


def mine(system, body, progress) -> dict:
    """`grounding ontology propose` as a job: mine candidates from the stored reports into the queue."""
    from sqlalchemy import select

    from grounding.ontology.propose import mine_candidates
    from grounding.store.schema import Report

    linker = system.linker
    if linker is None:
        raise ValueError("no ontology is configured")
    queue = _queue(system)
    store = system.store
    read = 0

    def reports():
        nonlocal read
        last = ""
        while True:
            with store.session() as s:
                q = select(Report.id, Report.text).where(Report.id > last).order_by(Report.id).limit(1000)
                if body.corpus:
                    q = q.where(Report.corpus == body.corpus)
                rows = list(s.execute(q))
            if not rows:
                return
            for rid, text in rows:
                yield rid, text
                read += 1
                if read % 200 == 0:
                    progress(reports_read=read)
                if body.limit and read >= body.limit:
                    return
            last = rows[-1][0]

    min_reports = body.min_reports or system.cfg.ontology.propose_min_reports
    cands = mine_candidates(reports(), linker, min_reports=min_reports, max_candidates=body.max_candidates, skip=queue.decided_keys())
    res = queue.upsert(cands)
    progress(reports_read=read)
    return {**res, "candidates": len(cands), "min_reports": min_reports, "reports_read": read, "counts": queue.counts()}


def _turtle_target(cfg) -> Path:
    for f in cfg.ontology.files:
        p = cfg.resolve(f)
        if p.suffix.lower() in (".ttl", ".turtle"):
            return Path(p)
    raise HTTPException(409, "no Turtle file in ontology.files to write an accepted proposal into")


def reload_ontology(system) -> None:
    """Drop the loaded ontology and what was built from it; the next use loads the changed files."""
    for name in ("ontology", "linker", "retriever", "agent"):
        system.__dict__.pop(name, None)
    _ = system.agent  # rebuild now, not in the next asker's request


def decide(app, item_id: str, action: str, body) -> dict:
    system = app.state.system
    try:
        cid = int(item_id)
    except ValueError:
        raise HTTPException(404, f"no review item {item_id!r} (ids are integers)") from None
    q = _queue(system)
    with _decide_lock:  # one decision at a time: check-then-write must not interleave
        row = q.get(cid)
        if row is None:
            raise HTTPException(404, f"no review item {cid}")
        if row.status != "pending":
            raise HTTPException(409, f"review item {cid} was already {row.status} by {row.decided_by or 'someone'}")
        result: dict = {}
        if action == "accept":
            from grounding.ontology.accept import AcceptError, accept_into_file

            cfg = system.cfg
            files = [cfg.resolve(f) for f in cfg.ontology.files]
            target = _turtle_target(cfg)
            try:
                res = accept_into_file(
                    target,
                    kind=row.kind,
                    term=row.term,
                    by=body.reviewer,
                    reports=list(row.examples or []),
                    candidate_id=row.id,
                    concept=row.concept if row.kind == "synonym" else "",
                    parent=row.concept if row.kind == "concept" else "",
                    abbreviation=row.abbreviation if row.kind == "concept" else "",
                    base_namespace=cfg.ontology.base_namespace,
                    backup_dir=system.data_dir / cfg.ontology.backup_dir,
                    max_backups=cfg.ontology.max_backups,
                    report_count=row.reports,
                    check_with=[f for f in files if f.suffix.lower() in (".ttl", ".turtle")],
                )
            except AcceptError as exc:
                raise HTTPException(409, f"not accepted: {exc}") from exc
            row = q.decide(cid, "accepted", body.reviewer, body.note, iri=res.iri)
            result = {"iri": res.iri, "file": Path(res.file).name, "block": res.block}
            reload_ontology(system)
            app.state.audit_cache.clear()
        else:
            row = q.decide(cid, "rejected", body.reviewer, body.note)
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
