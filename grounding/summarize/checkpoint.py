"""Summarization state in SQL: which reports each group holds, and each finished group's result.

`summary_members` is rewritten at the start of every run (it is what the statistics join
on, so every count is one GROUP BY). `summary_checkpoints` holds one row per finished
group, committed as soon as the group is done: a killed run loses at most the groups in
flight, and the next run with the same request reuses every row whose group still holds
the same reports (same ids, same stored content, same concept links).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, Integer, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from grounding.store.schema import Base, utcnow
from grounding.store.sql import SqlStore


class SummaryMember(Base):
    __tablename__ = "summary_members"

    run_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    report_id: Mapped[str] = mapped_column(String(255), primary_key=True)


class SummaryCheckpoint(Base):
    __tablename__ = "summary_checkpoints"

    run_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    members_hash: Mapped[str] = mapped_column(String(64))
    n_reports: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict] = mapped_column(JSON)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


TABLES = [SummaryMember.__table__, SummaryCheckpoint.__table__]


def ensure_tables(store: SqlStore) -> None:
    Base.metadata.create_all(store.engine, tables=TABLES, checkfirst=True)


def canonical(payload: dict) -> dict:
    """The payload as it reads back from SQL (a fresh result and a resumed one compare equal)."""
    return json.loads(json.dumps(payload, sort_keys=True, ensure_ascii=False))


def digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def write_members(store: SqlStore, run_key: str, groups: dict[str, list[str]]) -> None:
    rows = [{"run_key": run_key, "group_key": k, "report_id": rid} for k, ids in groups.items() for rid in ids]
    with store.session() as s:
        s.execute(delete(SummaryMember).where(SummaryMember.run_key == run_key))
        for i in range(0, len(rows), 2000):
            s.execute(SummaryMember.__table__.insert(), rows[i : i + 2000])


def load(store: SqlStore, run_key: str) -> dict[str, SummaryCheckpoint]:
    with store.session() as s:
        return {c.group_key: c for c in s.scalars(select(SummaryCheckpoint).where(SummaryCheckpoint.run_key == run_key))}


def save(store: SqlStore, run_key: str, group_key: str, members_hash: str, n_reports: int, payload: dict, seconds: float) -> None:
    with store.session() as s:
        s.merge(
            SummaryCheckpoint(
                run_key=run_key, group_key=group_key, members_hash=members_hash, n_reports=n_reports,
                payload=payload, seconds=round(seconds, 3),
            )
        )


def clear(store: SqlStore, run_key: str) -> int:
    with store.session() as s:
        return s.execute(delete(SummaryCheckpoint).where(SummaryCheckpoint.run_key == run_key)).rowcount or 0
