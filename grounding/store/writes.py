"""The writes of ingest: batches of reports with their chunks and links, rejects, prune, relink and
the run log. The `SqlIngestWrites` mixin of SqlStore.

Every method is one transaction (or one per page), committed before it returns, so ingest can
touch the vector index only after SQL holds what the vectors belong to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, update
from sqlalchemy.exc import DataError, IntegrityError, StatementError

from grounding.store.records import BatchResult, LinkRow, LinksFn, RecordRefused, RejectRow, ReportWrite, SplitFn
from grounding.store.schema import Chunk, IngestRun, Reject, Report, ReportConcept, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_REFUSED = (IntegrityError, DataError, StatementError)
_PART = 500


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc)


def _reject(r: RejectRow) -> Reject:
    return Reject(run_id=r.run_id, corpus=r.corpus, source_path=r.source_path, location=r.location,
                  record_id=r.record_id, reason=r.reason, severity=r.severity)


def _link(report_id: str, link: LinkRow) -> ReportConcept:
    return ReportConcept(report_id=report_id, concept=link.concept, mentions=link.mentions, score=link.score,
                         first_span=link.first_span)


class SqlIngestWrites:
    """Ingest's writes (uses the store's own `session()`)."""

    if TYPE_CHECKING:

        def session(self) -> AbstractContextManager[Session]: ...

    # --- batches ---------------------------------------------------------------------
    def write_reports(self, reports: Sequence[ReportWrite], rejects: Sequence[RejectRow], split: SplitFn, links: LinksFn) -> BatchResult:
        """One transaction: the reports (new, changed or unchanged, told apart by content hash) and the
        rejects read with them. A changed report whose text hash is unchanged keeps its chunks (their
        copied columns are updated); otherwise it is re-chunked and a chunk whose text is unchanged keeps
        its id (so its vector). Raises RecordRefused when the database refuses any of it (nothing is
        written then)."""
        res = BatchResult()
        try:
            with self.session() as s:
                ids = [d.id for d in reports]
                stored = dict(s.execute(select(Report.id, Report.content_hash).where(Report.id.in_(ids))).all()) if ids else {}
                new_reports: list[Report] = []
                children: list = []
                new_chunks: list[Chunk] = []
                for d in reports:
                    if d.id in stored:
                        if stored[d.id] == d.content_hash:
                            res.unchanged += 1
                        else:
                            new_chunks += self._update(s, d, split, links, res)
                        continue
                    new_reports.append(Report(id=d.id, **d.fields))
                    rows = [Chunk(report_id=d.id, ord=c.ord, text=c.text, start_char=c.start_char, flags=c.flags, **d.denorm)
                            for c in split(d.text)]
                    children += rows
                    children += [_link(d.id, lk) for lk in links(d.id, d.text)]
                    new_chunks += rows
                    res.ingested += 1
                    res.chunks += len(rows)
                if new_reports:
                    s.add_all(new_reports)
                    s.flush()  # report rows before the chunks and links that reference them
                s.add_all(children)
                if rejects:
                    s.add_all([_reject(r) for r in rejects])
                s.flush()
                res.new_chunks = [(c.id, c.text) for c in new_chunks]
        except _REFUSED as exc:
            raise RecordRefused(_reason(exc)) from exc
        return res

    @staticmethod
    def _update(s: Session, d: ReportWrite, split: SplitFn, links: LinksFn, res: BatchResult) -> list[Chunk]:
        """Apply a changed report in session s; returns its new chunk rows (removed ids go to res)."""
        old = s.get(Report, d.id)
        res.updated += 1
        same_text = old.text_hash == d.text_hash
        for k, v in d.fields.items():
            setattr(old, k, v)
        if same_text:
            # Only title/date/facility/metadata changed: same chunks, same vectors, same links.
            s.execute(update(Chunk).where(Chunk.report_id == d.id).values(**d.denorm))
            return []
        pool: dict[str, list[int]] = defaultdict(list)
        for cid, text in s.execute(select(Chunk.id, Chunk.text).where(Chunk.report_id == d.id).order_by(Chunk.ord)):
            pool[text].append(cid)
        rows: list[Chunk] = []
        for c in split(d.text):
            if pool.get(c.text):  # an unchanged chunk text keeps its id and its vector
                cid = pool[c.text].pop(0)
                s.execute(update(Chunk).where(Chunk.id == cid).values(ord=c.ord, start_char=c.start_char, flags=c.flags, **d.denorm))
                res.reused += 1
            else:
                rows.append(Chunk(report_id=d.id, ord=c.ord, text=c.text, start_char=c.start_char, flags=c.flags, **d.denorm))
        removed = [cid for ids in pool.values() for cid in ids]
        if removed:
            s.execute(delete(Chunk).where(Chunk.id.in_(removed)))
        s.execute(delete(ReportConcept).where(ReportConcept.report_id == d.id))
        s.add_all(rows)
        s.add_all([_link(d.id, lk) for lk in links(d.id, d.text)])
        s.flush()
        res.chunks += len(rows)
        res.removed += removed
        return rows

    # --- rejects ---------------------------------------------------------------------
    def add_rejects(self, rows: Sequence[RejectRow], one_by_one: bool = False) -> None:
        """Store rejects in one transaction or, `one_by_one`, each in its own, skipping any the database
        refuses (it is still in the run's messages)."""
        if not one_by_one:
            with self.session() as s:
                s.add_all([_reject(r) for r in rows])
            return
        for r in rows:
            try:
                with self.session() as s:
                    s.add(_reject(r))
            except _REFUSED:
                pass

    def clear_rejects(self, corpora: Sequence[str], keep_run: int | None) -> None:
        """Drop the rejects of these corpora left by other runs (the table describes the sources as last read in full)."""
        with self.session() as s:
            s.execute(delete(Reject).where(Reject.corpus.in_(list(corpora)), Reject.run_id != keep_run))

    # --- deletes and links -----------------------------------------------------------
    def delete_reports(self, ids: Sequence[str]) -> list[int]:
        """Delete reports with their chunks and links (one transaction); returns the deleted chunk ids."""
        with self.session() as s:
            chunk_ids = list(s.scalars(select(Chunk.id).where(Chunk.report_id.in_(list(ids)))))
            s.execute(delete(ReportConcept).where(ReportConcept.report_id.in_(list(ids))))
            s.execute(delete(Chunk).where(Chunk.report_id.in_(list(ids))))
            s.execute(delete(Report).where(Report.id.in_(list(ids))))
        return chunk_ids

    def relink(self, links: LinksFn, batch: int = _PART) -> int:
        """Recompute every report's concept links, a page of reports per transaction; returns reports done."""
        n = 0
        last = ""
        while True:
            with self.session() as s:
                rows = list(s.execute(select(Report.id, Report.text).where(Report.id > last).order_by(Report.id).limit(batch)).all())
                if not rows:
                    break
                ids = [r[0] for r in rows]
                s.execute(delete(ReportConcept).where(ReportConcept.report_id.in_(ids)))
                s.flush()
                for rid, text in rows:
                    s.add_all([_link(rid, lk) for lk in links(rid, text)])
                n += len(rows)
                last = rows[-1][0]
        return n

    # --- the run log -----------------------------------------------------------------
    def start_run(self, corpora: Sequence[str]) -> int:
        """Log a new run; a run still marked running died (the caller holds the write lock): interrupted."""
        with self.session() as s:
            s.execute(update(IngestRun).where(IngestRun.status == "running").values(status="interrupted"))
            run = IngestRun(status="running", corpora=list(corpora))
            s.add(run)
            s.flush()
            return run.id

    def finish_run(self, run_id: int, status: str, stats: dict) -> None:
        with self.session() as s:
            run = s.get(IngestRun, run_id)
            run.status = status
            run.finished_at = utcnow()
            run.stats = stats
