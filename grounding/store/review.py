"""The curation review queue in SQL: candidate concepts and synonyms mined from the reports.

One row per (kind, normalized term, target concept). `upsert_candidates` inserts new candidates and
refreshes the counts of pending ones; it never touches a candidate a curator accepted or rejected,
so a rejection is remembered and the term is not proposed again.

`SqlReviewQueue` is the mixin of SqlStore; `ReviewQueue(store)` is the same queue under its short
method names (upsert, list, get, decide, counts), the way the CLI and the HTTP curation use it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column

from grounding.store.schema import Base, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from grounding.store.base import ReviewQueueStore


class OntologyCandidate(Base):
    __tablename__ = "ontology_candidates"
    __table_args__ = (
        UniqueConstraint("kind", "term_key", "concept", name="uq_ontology_candidate"),
        Index("ix_ontology_candidates_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # concept | synonym
    term: Mapped[str] = mapped_column(String(255))  # as most often written
    term_key: Mapped[str] = mapped_column(String(255))  # normalized (case, plural)
    concept: Mapped[str] = mapped_column(String(512), default="")  # synonym: its concept; concept: suggested parent
    abbreviation: Mapped[str] = mapped_column(String(32), default="")  # concept: an abbreviation defined with it
    reports: Mapped[int] = mapped_column(Integer, default=0)  # reports mentioning it
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    examples: Mapped[list] = mapped_column(JSON, default=list)  # report ids
    context: Mapped[str] = mapped_column(Text, default="")  # a snippet around one mention
    evidence: Mapped[str] = mapped_column(String(64), default="")  # how it was found: abbreviation | definition | phrase | modifier
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | accepted | rejected
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[str] = mapped_column(String(128), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    accepted_iri: Mapped[str] = mapped_column(String(512), default="")


@dataclass
class Candidate:
    """A mined candidate before it is stored."""

    kind: str
    term: str
    term_key: str
    concept: str = ""
    abbreviation: str = ""
    reports: int = 0
    mentions: int = 0
    examples: list[str] = field(default_factory=list)
    context: str = ""
    evidence: str = ""


class SqlReviewQueue:
    """The review queue's SQL (uses the store's own `session()`)."""

    if TYPE_CHECKING:

        def session(self) -> AbstractContextManager[Session]: ...

    def upsert_candidates(self, cands: list[Candidate]) -> dict[str, int]:
        """Insert new candidates, refresh pending ones; decided ones are left alone."""
        added = refreshed = decided = 0
        with self.session() as s:
            existing = {(r.kind, r.term_key, r.concept): r for r in s.scalars(select(OntologyCandidate))}
            for c in cands:
                row = existing.get((c.kind, c.term_key, c.concept))
                if row is None:
                    row = OntologyCandidate(
                        kind=c.kind, term=c.term[:255], term_key=c.term_key[:255], concept=c.concept, abbreviation=c.abbreviation[:32],
                        reports=c.reports, mentions=c.mentions, examples=c.examples[:10], context=c.context[:500],
                        evidence=c.evidence, status="pending",
                    )
                    s.add(row)
                    existing[(c.kind, c.term_key, c.concept)] = row
                    added += 1
                elif row.status == "pending":
                    row.term, row.reports, row.mentions = c.term[:255], c.reports, c.mentions
                    row.examples, row.context, row.evidence = c.examples[:10], c.context[:500], c.evidence
                    row.abbreviation = c.abbreviation[:32] or row.abbreviation
                    row.updated_at = utcnow()
                    refreshed += 1
                else:
                    decided += 1
        return {"added": added, "refreshed": refreshed, "already_decided": decided}

    def candidates(self, status: str | None = "pending", kind: str | None = None, limit: int = 50, min_reports: int = 0) -> list[OntologyCandidate]:
        """Candidates by status ("all" or None: any), most reports first."""
        with self.session() as s:
            q = select(OntologyCandidate)
            if status and status != "all":
                q = q.where(OntologyCandidate.status == status)
            if kind:
                q = q.where(OntologyCandidate.kind == kind)
            if min_reports:
                q = q.where(OntologyCandidate.reports >= min_reports)
            q = q.order_by(OntologyCandidate.reports.desc(), OntologyCandidate.id).limit(limit)
            return list(s.scalars(q))

    def candidate(self, cid: int) -> OntologyCandidate | None:
        with self.session() as s:
            return s.get(OntologyCandidate, cid)

    def decided_candidate_keys(self) -> set[tuple[str, str, str]]:
        """(kind, term_key, concept) of every accepted or rejected candidate: never proposed again."""
        with self.session() as s:
            rows = s.execute(select(OntologyCandidate.kind, OntologyCandidate.term_key, OntologyCandidate.concept)
                             .where(OntologyCandidate.status != "pending"))
            return {tuple(r) for r in rows}

    def decide_candidate(self, cid: int, status: str, by: str, note: str = "", iri: str = "") -> OntologyCandidate:
        """Record a curator's decision; KeyError when there is no such candidate."""
        with self.session() as s:
            row = s.get(OntologyCandidate, cid)
            if row is None:
                raise KeyError(cid)
            row.status, row.decided_by, row.decided_at, row.note = status, by, utcnow(), note
            if iri:
                row.accepted_iri = iri
            row.updated_at = utcnow()
            return row

    def candidate_counts(self) -> dict[str, int]:
        with self.session() as s:
            return {st: int(n) for st, n in s.execute(select(OntologyCandidate.status, func.count()).group_by(OntologyCandidate.status))}


class ReviewQueue:
    """The review queue of a store, under the short names its users call."""

    def __init__(self, store: ReviewQueueStore) -> None:
        self.store = store

    def upsert(self, cands: list[Candidate]) -> dict[str, int]:
        return self.store.upsert_candidates(cands)

    def list(self, status: str | None = "pending", kind: str | None = None, limit: int = 50, min_reports: int = 0) -> list[OntologyCandidate]:
        return self.store.candidates(status=status, kind=kind, limit=limit, min_reports=min_reports)

    def get(self, cid: int) -> OntologyCandidate | None:
        return self.store.candidate(cid)

    def decided_keys(self) -> set[tuple[str, str, str]]:
        return self.store.decided_candidate_keys()

    def decide(self, cid: int, status: str, by: str, note: str = "", iri: str = "") -> OntologyCandidate:
        return self.store.decide_candidate(cid, status, by, note=note, iri=iri)

    def counts(self) -> dict[str, int]:
        return self.store.candidate_counts()
