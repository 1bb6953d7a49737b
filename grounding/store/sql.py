"""The SQL store: one SQLAlchemy engine for any URL (SQLite file or PostgreSQL).

`SqlStore` implements grounding.store.base.ReportStore. It is assembled from mixins, one per job,
each using `self.session()`: reads (reports.py), ingest's writes (writes.py), the review queue
(review.py), the aggregate queries (aggregates.py), summary checkpoints (summaries.py) and index
leases (leases.py). Opening
a store brings its database to the head schema revision (migrate.py, Alembic).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from grounding.store import migrate
from grounding.store.aggregates import SqlAggregateQueries
from grounding.store.leases import SqlIndexLeases
from grounding.store.reports import SqlReports
from grounding.store.review import SqlReviewQueue
from grounding.store.schema import KeyValue
from grounding.store.summaries import SqlSummaryQueries
from grounding.store.writes import SqlIngestWrites

SCHEMA_VERSION = 2  # the schema of the baseline revision (migrations/versions/0001_baseline.py)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL + NORMAL survives a killed process (only power loss can drop the last commit).
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


class SqlStore(SqlReports, SqlIngestWrites, SqlReviewQueue, SqlAggregateQueries, SqlSummaryQueries, SqlIndexLeases):
    """Reports, chunks, links and bookkeeping behind one small API."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url, future=True, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        migrate.upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

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
