"""Ontology curation as one service: resolve a concept, propose, mine, accept, reject.

The CLI (`grounding ontology propose|review|accept|reject`) and the HTTP API (/ontology/review...)
are two faces of this module; each only parses its input and words its output. The candidates
live in the store's review queue (grounding.store.review); an accepted one is appended to a
Turtle file with provenance (grounding.ontology.accept).

Errors are typed (`ReviewError` subclasses) and carry what a surface needs to word them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grounding.store.review import Candidate, ReviewQueue

# One decision at a time within a process: check-then-write must not interleave (two curators on
# the server deciding the same item). accept_into_file also locks the file across processes.
_decide_lock = threading.Lock()


class ReviewError(ValueError):
    """A curation request that cannot be carried out; the message says why."""


class CandidateNotFound(ReviewError):
    def __init__(self, cid: int) -> None:
        super().__init__(f"no review item {cid}")
        self.cid = cid


class AlreadyDecided(ReviewError):
    def __init__(self, row: Any) -> None:
        super().__init__(f"review item {row.id} was already {row.status} by {row.decided_by or 'someone'}")
        self.row = row


class NotAccepted(ReviewError):
    """The ontology refused the change (label taken, bad target) or there is no Turtle file to write."""


class NoTurtleFile(NotAccepted):
    """ontology.files has no Turtle file (accept writes Turtle only) and none was given."""


class UnknownConcept(ReviewError):
    def __init__(self, ref: str) -> None:
        super().__init__(f"no concept {ref!r} in the ontology")
        self.ref = ref


class InvalidProposal(ReviewError):
    pass


# --- concepts -------------------------------------------------------------------------------------
def resolve_concept(onto: Any, ref: str, base_namespace: str = "", linker: Any = None) -> str | None:
    """An IRI, a prefixed name (gr:Pump), a local name (Pump) or a label -> the concept's IRI, or None.

    In order: the IRI itself; a declared prefix, then the base namespace, for `prefix:Local`; the
    local name (when several concepts share it, the base namespace's, else the first IRI in order);
    an exact preferred label, then an exact label of any kind when only one concept has it
    (case-insensitive); last, when `linker` is given, a linker match spanning the whole text
    (fuzzy: for read-only look-ups such as `ontology paths`, never for what is written).
    """
    from grounding.ontology.graph import local_name

    ref = ref.strip()
    if not ref:
        return None
    if ref in onto.concepts:
        return ref
    prefixed = ":" in ref and "://" not in ref
    local = ref.split(":", 1)[1] if prefixed else ref
    if prefixed:
        prefix = ref.split(":", 1)[0]
        for p, ns in onto.rdf.namespaces():
            if p == prefix and str(ns) + local in onto.concepts:
                return str(ns) + local
    if base_namespace and base_namespace + local in onto.concepts:
        return base_namespace + local
    hits = sorted(iri for iri in onto.concepts if local_name(iri) == local)
    if hits:
        return hits[0]
    low = ref.casefold()
    for iri, c in onto.concepts.items():
        if c.label.casefold() == low:
            return iri
    exact = [i for i, c in onto.concepts.items() if any(t.casefold() == low for t, _, _ in c.all_labels())]
    if len(exact) == 1:
        return exact[0]
    if linker is not None:
        full = [m for m in linker.link(ref, fuzzy=True) if m.start == 0 and m.end >= len(ref)]
        if full:
            return full[0].concept
    return None


# --- the queue ------------------------------------------------------------------------------------
def queue(system: Any) -> ReviewQueue:
    return ReviewQueue(system.store)


def term_key(term: str) -> str:
    """The queue's key for a term: an abbreviation as written, else each word normalized (case, plural)."""
    from grounding.ontology.linker import _norm

    term = " ".join(term.split())
    return term if term.isupper() else " ".join(_norm(w) for w in term.split())


def propose(system: Any, onto: Any, *, kind: str, term: str, concept: str = "", abbreviation: str = "",
            reports: list[str] | None = None, note: str = "") -> Any:
    """A curator's own proposal, queued like a mined one (decided later, by anyone holding the token)."""
    iri = ""
    if concept:
        iri = resolve_concept(onto, concept, system.cfg.ontology.base_namespace) or ""
        if not iri:
            raise UnknownConcept(concept)
    if kind == "synonym" and not iri:
        raise InvalidProposal("a synonym needs `concept`: the concept it names")
    term = " ".join(term.split())
    key = term_key(term)
    reports = list(reports or [])
    q = queue(system)
    q.upsert([Candidate(kind=kind, term=term, term_key=key, concept=iri, abbreviation=abbreviation,
                        examples=reports, reports=len(reports), context=note, evidence="curator")])
    return next(r for r in q.list(status="all", limit=100000) if (r.kind, r.term_key, r.concept) == (kind, key, iri))


@dataclass
class MineResult:
    added: int
    refreshed: int
    candidates: list  # what was mined, most frequent first
    min_reports: int
    reports_read: int


def mine(system: Any, *, corpus: str | None = None, limit: int = 0, min_reports: int | None = None,
         max_candidates: int = 300, progress: Callable[[int], None] | None = None) -> MineResult:
    """Mine candidate concepts and synonyms from the stored reports into the queue (decided ones are skipped)."""
    from grounding.ontology.propose import mine_candidates

    linker = system.linker
    if linker is None:
        raise ReviewError("no ontology is configured")
    q = queue(system)
    read = 0

    def reports() -> Iterator[tuple[str, str]]:
        nonlocal read
        for rid, text in system.store.report_texts(corpus=corpus or None):
            yield rid, text
            read += 1
            if progress is not None and read % 200 == 0:
                progress(read)
            if limit and read >= limit:
                return

    mr = min_reports or system.cfg.ontology.propose_min_reports
    cands = mine_candidates(reports(), linker, min_reports=mr, max_candidates=max_candidates, skip=q.decided_keys())
    res = q.upsert(cands)
    if progress is not None:
        progress(read)
    return MineResult(res["added"], res["refreshed"], cands, mr, read)


def turtle_target(cfg: Any) -> Path | None:
    """The first Turtle file of ontology.files: where accepted proposals are written."""
    for f in cfg.ontology.files:
        p = Path(cfg.resolve(f))
        if p.suffix.lower() in (".ttl", ".turtle"):
            return p
    return None


def _pending(q: ReviewQueue, cid: int) -> Any:
    row = q.get(cid)
    if row is None:
        raise CandidateNotFound(cid)
    if row.status != "pending":
        raise AlreadyDecided(row)
    return row


def accept(system: Any, cid: int, by: str, *, note: str = "", label: str = "", parent: str = "", concept: str = "",
           ko_label: str = "", definition: str = "", file: Path | None = None, force: bool = False) -> tuple[Any, Any]:
    """Write a pending candidate into the ontology file (with provenance) and mark it accepted.

    `parent` / `concept` are already-resolved IRIs that override the mined ones (`concept` makes it
    a synonym). Returns (the decided row, the AcceptResult). The caller reloads its ontology.
    """
    from grounding.ontology.accept import AcceptError, accept_into_file

    cfg = system.cfg
    q = queue(system)
    with _decide_lock:
        row = _pending(q, cid)
        target = file or turtle_target(cfg)
        if target is None:
            raise NoTurtleFile("no Turtle file in ontology.files to write an accepted proposal into")
        kind = "synonym" if (concept or row.kind == "synonym") else "concept"
        turtle = [p for p in (Path(cfg.resolve(f)) for f in cfg.ontology.files) if p.suffix.lower() in (".ttl", ".turtle")]
        try:
            res = accept_into_file(
                target, kind=kind, term=label or row.term, by=by, reports=list(row.examples or []), candidate_id=row.id,
                concept=(concept or row.concept) if kind == "synonym" else "",
                parent=(parent or row.concept) if kind == "concept" else "",
                abbreviation=row.abbreviation if kind == "concept" else "",
                ko_label=ko_label, definition=definition, base_namespace=cfg.ontology.base_namespace,
                backup_dir=system.data_dir / cfg.ontology.backup_dir, max_backups=cfg.ontology.max_backups,
                report_count=row.reports, check_with=turtle, force=force,
            )
        except AcceptError as exc:
            raise NotAccepted(str(exc)) from exc
        row = q.decide(cid, "accepted", by, note, iri=res.iri)
    return row, res


def reject(system: Any, cid: int, by: str, note: str = "") -> Any:
    """Mark a pending candidate rejected: remembered, so the term is not proposed again."""
    q = queue(system)
    with _decide_lock:
        _pending(q, cid)
        return q.decide(cid, "rejected", by, note)


def reload_ontology(system: Any) -> None:
    """Drop the loaded ontology and what was built from it; the next use loads the changed files."""
    system.forget("ontology", "linker", "retriever", "agent")
