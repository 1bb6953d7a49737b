"""Reads of reports, chunks, concept links, runs and rejects: the `SqlReports` mixin of SqlStore.

Rows come back as detached ORM objects (read their attributes; never write them back) or as
plain tuples and records (grounding/store/records.py). Ids are queried 500 at a time so no
statement grows past a database's parameter limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from grounding.store.records import LinkedReport, facility_key
from grounding.store.schema import Chunk, IngestRun, Reject, Report, ReportConcept

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_PART = 500


class SqlReports:
    """Report, chunk and link reads (uses the store's own `session()`)."""

    if TYPE_CHECKING:

        def session(self) -> AbstractContextManager[Session]: ...

    # --- counts -------------------------------------------------------------------
    def count(self, table: type) -> int:
        """Rows of one table (an ORM class of grounding.store.schema)."""
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(table)) or 0)

    def count_reports(self) -> int:
        return self.count(Report)

    def stats(self) -> dict[str, int]:
        with self.session() as s:
            warnings = int(s.scalar(select(func.count()).select_from(Reject).where(Reject.severity == "warning")) or 0)
        return {
            "reports": self.count(Report),
            "chunks": self.count(Chunk),
            "rejects": self.count(Reject) - warnings,
            "warnings": warnings,
            "concept_links": self.count(ReportConcept),
        }

    def corpus_counts(self) -> dict[str, int]:
        with self.session() as s:
            return {c: int(n) for c, n in s.execute(select(Report.corpus, func.count()).group_by(Report.corpus))}

    # --- reports ------------------------------------------------------------------
    def get_report(self, report_id: str) -> Report | None:
        """Look up by full id ("nrc:56912") or, when unambiguous, by the bare source id."""
        with self.session() as s:
            rep = s.get(Report, report_id)
            if rep is not None:
                return rep
            found = s.scalars(select(Report).where(Report.source_id == report_id).limit(2)).all()
            return found[0] if len(found) == 1 else None

    def get_reports(self, ids: Iterable[str]) -> dict[str, Report]:
        ids = list(dict.fromkeys(ids))
        out: dict[str, Report] = {}
        with self.session() as s:
            for i in range(0, len(ids), _PART):
                for r in s.scalars(select(Report).where(Report.id.in_(ids[i : i + _PART]))):
                    out[r.id] = r
        return out

    def report_ids(self, corpora: Sequence[str]) -> list[str]:
        """Ids of every report of these corpora."""
        with self.session() as s:
            return list(s.scalars(select(Report.id).where(Report.corpus.in_(list(corpora)))))

    def report_texts(self, corpus: str | None = None, batch: int = 1000) -> Iterator[tuple[str, str]]:
        """(id, text) of every report (of one corpus when given), in id order, read a page at a time
        (each page its own short transaction, so a slow consumer holds no lock)."""
        last = ""
        while True:
            with self.session() as s:
                q = select(Report.id, Report.text).where(Report.id > last).order_by(Report.id).limit(batch)
                if corpus:
                    q = q.where(Report.corpus == corpus)
                rows = list(s.execute(q))
            if not rows:
                return
            for rid, text in rows:
                yield rid, text
            last = rows[-1][0]

    def report_meta_pages(self, batch: int = 5000) -> Iterator[list[tuple[str, str | None, dict | None]]]:
        """(id, date, meta) of every report in id order, a page at a time (the metadata catalog)."""
        last = ""
        while True:
            with self.session() as s:
                page = [tuple(r) for r in s.execute(
                    select(Report.id, Report.date, Report.meta).where(Report.id > last).order_by(Report.id).limit(batch)
                ).all()]
            if not page:
                return
            yield page
            last = page[-1][0]

    def facilities(self) -> dict[str, str]:
        """facility_key -> one display spelling, for every facility stored."""
        with self.session() as s:
            rows = s.execute(select(Report.facility_key, func.min(Report.facility)).group_by(Report.facility_key))
            return {k: v for k, v in rows if k}

    # --- chunks -------------------------------------------------------------------
    def chunks_of(self, report_id: str) -> list[Chunk]:
        with self.session() as s:
            return list(s.scalars(select(Chunk).where(Chunk.report_id == report_id).order_by(Chunk.ord)))

    def get_chunks(self, ids: Sequence[int]) -> dict[int, Chunk]:
        out: dict[int, Chunk] = {}
        ids = [int(i) for i in ids]
        with self.session() as s:
            for i in range(0, len(ids), _PART):
                for c in s.scalars(select(Chunk).where(Chunk.id.in_(ids[i : i + _PART]))):
                    out[c.id] = c
        return out

    def chunk_ids(self) -> set[int]:
        with self.session() as s:
            return set(s.scalars(select(Chunk.id)))

    def chunk_report_ids(self, report_ids: Sequence[str]) -> list[tuple[int, str]]:
        """(chunk id, report id) of every chunk of these reports (in the database's order)."""
        ids = list(report_ids)
        rows: list[tuple[int, str]] = []
        with self.session() as s:
            for i in range(0, len(ids), _PART):
                rows += [tuple(r) for r in s.execute(select(Chunk.id, Chunk.report_id).where(Chunk.report_id.in_(ids[i : i + _PART]))).all()]
        return rows

    def iter_chunks(self, batch: int = 2000) -> Iterator[list[Chunk]]:
        """All chunks in id order, in batches (for BM25 and index rebuilds)."""
        last = -1
        while True:
            with self.session() as s:
                rows = list(s.scalars(select(Chunk).where(Chunk.id > last).order_by(Chunk.id).limit(batch)))
            if not rows:
                return
            yield rows
            last = rows[-1].id

    def chunk_ids_where(
        self,
        corpus: str | Sequence[str] | None = None,
        facility: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        report_ids: Iterable[str] | None = None,
    ) -> set[int]:
        """Chunk ids matching all given filters (facility ignores case and spacing; dates are
        ISO strings, inclusive). Uses the indexed columns copied onto chunks: no join."""
        q = select(Chunk.id)
        if corpus:
            q = q.where(Chunk.corpus.in_([corpus] if isinstance(corpus, str) else list(corpus)))
        if facility:
            q = q.where(Chunk.facility_key == facility_key(facility))
        if date_from:
            q = q.where(Chunk.date >= date_from)
        if date_to:
            q = q.where(Chunk.date <= date_to)
        with self.session() as s:
            if report_ids is None:
                return set(s.scalars(q))
            ids = list(dict.fromkeys(report_ids))
            out: set[int] = set()
            for i in range(0, len(ids), _PART):
                out.update(s.scalars(q.where(Chunk.report_id.in_(ids[i : i + _PART]))))
            return out

    # --- concept links --------------------------------------------------------------
    def concepts_of(self, report_ids: Iterable[str]) -> dict[str, list[ReportConcept]]:
        ids = list(dict.fromkeys(report_ids))
        out: dict[str, list[ReportConcept]] = {i: [] for i in ids}
        with self.session() as s:
            for i in range(0, len(ids), _PART):
                q = select(ReportConcept).where(ReportConcept.report_id.in_(ids[i : i + _PART]))
                for rc in s.scalars(q):
                    out[rc.report_id].append(rc)
        return out

    def linked_reports(self, concept: str, limit: int) -> tuple[list[LinkedReport], int]:
        """The reports linked to a concept, most mentions first (up to `limit`), and how many there are."""
        with self.session() as s:
            total = int(s.scalar(select(func.count()).select_from(ReportConcept).where(ReportConcept.concept == concept)) or 0)
            rows = s.execute(
                select(ReportConcept.report_id, ReportConcept.mentions, Report.title, Report.date, Report.facility)
                .join(Report, Report.id == ReportConcept.report_id)
                .where(ReportConcept.concept == concept)
                .order_by(ReportConcept.mentions.desc(), ReportConcept.report_id)
                .limit(limit)
            ).all()
        return [LinkedReport(rid, int(m or 0), t or "", d, f or "") for rid, m, t, d, f in rows], total

    # --- runs and rejects --------------------------------------------------------------
    def rejects(self, corpus: str | None = None, limit: int = 100) -> list[Reject]:
        with self.session() as s:
            q = select(Reject).order_by(Reject.id)
            if corpus:
                q = q.where(Reject.corpus == corpus)
            return list(s.scalars(q.limit(limit)))

    def last_run(self) -> IngestRun | None:
        with self.session() as s:
            return s.scalars(select(IngestRun).order_by(IngestRun.id.desc()).limit(1)).first()


__all__ = ["SqlReports"]
