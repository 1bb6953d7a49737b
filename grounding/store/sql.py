"""The SQL store: one SQLAlchemy engine for any URL (SQLite file or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, func, inspect, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from grounding.store.schema import Base, Chunk, IngestRun, KeyValue, Reject, Report, ReportConcept

SCHEMA_VERSION = 2


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL + NORMAL survives a killed process (only power loss can drop the last commit).
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


class SqlStore:
    """Reports, chunks, links and bookkeeping behind one small API."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url, future=True, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        self._migrate()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _migrate(self) -> None:
        """Additive upgrade of a database made by an older version: add missing columns and
        indexes, then mark every report as changed so the next ingest refills the new columns
        (chunks whose text is unchanged keep their ids and vectors: nothing is re-embedded)."""
        insp = inspect(self.engine)
        added: set[str] = set()
        with self.engine.begin() as conn:
            for table in Base.metadata.sorted_tables:
                if not insp.has_table(table.name):
                    continue
                have = {c["name"] for c in insp.get_columns(table.name)}
                for col in table.columns:
                    if col.name not in have:
                        ddl = col.type.compile(dialect=self.engine.dialect)
                        conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{col.name}" {ddl}'))
                        added.add(table.name)
            if added & {"reports", "chunks"}:
                conn.execute(update(Report).values(content_hash="", text_hash=""))
        if added:
            for table in Base.metadata.sorted_tables:
                for ix in table.indexes:
                    ix.create(self.engine, checkfirst=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back on any error."""
        s = self._sessions()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    # --- counts -------------------------------------------------------------------
    def count(self, table: type[Base]) -> int:
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(table)) or 0)

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

    # --- reads --------------------------------------------------------------------
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
            for i in range(0, len(ids), 500):
                for r in s.scalars(select(Report).where(Report.id.in_(ids[i : i + 500]))):
                    out[r.id] = r
        return out

    def chunks_of(self, report_id: str) -> list[Chunk]:
        with self.session() as s:
            return list(s.scalars(select(Chunk).where(Chunk.report_id == report_id).order_by(Chunk.ord)))

    def get_chunks(self, ids: Sequence[int]) -> dict[int, Chunk]:
        out: dict[int, Chunk] = {}
        ids = [int(i) for i in ids]
        with self.session() as s:
            for i in range(0, len(ids), 500):
                for c in s.scalars(select(Chunk).where(Chunk.id.in_(ids[i : i + 500]))):
                    out[c.id] = c
        return out

    def chunk_ids(self) -> set[int]:
        with self.session() as s:
            return set(s.scalars(select(Chunk.id)))

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
        from grounding.ingest.records import facility_key

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
            for i in range(0, len(ids), 500):
                out.update(s.scalars(q.where(Chunk.report_id.in_(ids[i : i + 500]))))
            return out

    def facilities(self) -> dict[str, str]:
        """facility_key -> one display spelling, for every facility stored."""
        with self.session() as s:
            rows = s.execute(select(Report.facility_key, func.min(Report.facility)).group_by(Report.facility_key))
            return {k: v for k, v in rows if k}

    def rejects(self, corpus: str | None = None, limit: int = 100) -> list[Reject]:
        with self.session() as s:
            q = select(Reject).order_by(Reject.id)
            if corpus:
                q = q.where(Reject.corpus == corpus)
            return list(s.scalars(q.limit(limit)))

    def last_run(self) -> IngestRun | None:
        with self.session() as s:
            return s.scalars(select(IngestRun).order_by(IngestRun.id.desc()).limit(1)).first()

    def concepts_of(self, report_ids: Iterable[str]) -> dict[str, list[ReportConcept]]:
        ids = list(dict.fromkeys(report_ids))
        out: dict[str, list[ReportConcept]] = {i: [] for i in ids}
        with self.session() as s:
            for i in range(0, len(ids), 500):
                q = select(ReportConcept).where(ReportConcept.report_id.in_(ids[i : i + 500]))
                for rc in s.scalars(q):
                    out[rc.report_id].append(rc)
        return out

    # --- key/value ----------------------------------------------------------------
    def kv_get(self, key: str) -> dict | None:
        with self.session() as s:
            row = s.get(KeyValue, key)
            return dict(row.value) if row is not None else None

    def kv_set(self, key: str, value: dict) -> None:
        with self.session() as s:
            s.merge(KeyValue(key=key, value=value))

    def dispose(self) -> None:
        self.engine.dispose()
