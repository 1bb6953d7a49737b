"""The summary queries of the store: which reports a summary run covers and how they group, the run's
members and checkpoints, and the SQL statistics over them (docs/summarization.md).

`SummaryQueries` is what grounding/summarize calls; `SqlSummaryQueries` is its SQLAlchemy implementation,
a mixin of `SqlStore` that uses the store's own `session()`.

`summary_members` is rewritten at the start of every run (it is what the statistics join on, so every
count is one GROUP BY). `summary_checkpoints` holds one row per finished group, committed as soon as the
group is done: a killed run loses at most the groups in flight.

Field names resolve to a `reports` column when one exists and to the metadata JSON otherwise, so a value
that ingestion later promotes from metadata to a column keeps working. Statistics about one list item
(a `[[measure]]`'s `where`, e.g. "any unit scrammed") expand the JSON array in SQL (`json_each` in SQLite,
`json_array_elements` in PostgreSQL); other dialects read the metadata rows (documented fallback).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from sqlalchemy import JSON, DateTime, Float, Integer, String, case, cast, delete, distinct, func, literal, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from grounding.config import FieldPredicate
from grounding.store.aggregate_sql import QueryError, where_clause, where_holds
from grounding.store.schema import Base, Report, ReportConcept, utcnow

OVERALL = "*"  # the group key of the whole run's statistics (each report once)
_RESERVED = {"meta", "text", "content_hash", "text_hash"}


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


@dataclass(frozen=True)
class SummaryFilter:
    """Which reports a run covers. `where` is (key, value) pairs: corpus, facility (a facility key, matched
    against the facility column or `facility_fields`), id / report / report_id, concept (the concept IRIs,
    subclasses included), year, month, or any other field (equal as trimmed, lower-cased text)."""

    since: str | None = None
    until: str | None = None
    where: tuple[tuple[str, Any], ...] = ()
    facility_fields: tuple[str, ...] = ()  # metadata fields naming the facility of reports stored without one


@dataclass
class CountRow:
    """One group's count of the reports satisfying a condition, and of those satisfying each subset."""

    group_key: str
    reports: int
    subsets: list[int] = field(default_factory=list)


@runtime_checkable
class SummaryQueries(Protocol):
    """Selection, membership, checkpoints and statistics of summary runs (grounding/summarize)."""

    def ensure_summary_tables(self) -> None: ...

    def summary_links(self, flt: SummaryFilter) -> tuple[list[tuple[str, str, str]], int]:
        """(report id, content hash, concept) of every concept link of the selected reports, and how many are selected."""
        ...

    def summary_rows(self, flt: SummaryFilter, by: str) -> list[tuple[str, str, Any, Any]]:
        """(report id, content hash, group key, group label) of every selected report; `by` is facility,
        month, year or a field name (key lower-cased)."""
        ...

    def write_summary_members(self, run_key: str, groups: dict[str, list[str]]) -> None: ...

    def summary_checkpoints(self, run_key: str) -> dict[str, SummaryCheckpoint]: ...

    def save_summary_checkpoint(self, run_key: str, group_key: str, members_hash: str, n_reports: int, payload: dict, seconds: float) -> None: ...

    def clear_summary_checkpoints(self, run_key: str) -> int: ...

    def summary_spans(self, run_key: str, overall: bool) -> list[tuple[str, int, str | None, str | None, int]]:
        """Per group (or OVERALL, each report once): reports, first and last date, dated reports."""
        ...

    def summary_periods(self, run_key: str, overall: bool, width: int) -> list[tuple[str, str, int]]:
        """Per group: dated reports per date prefix of `width` characters (7 = month, 4 = year)."""
        ...

    def summary_concepts(self, run_key: str, overall: bool) -> list[tuple[str, str, int]]:
        """Per group: reports linked to each concept."""
        ...

    def summary_values(self, run_key: str, overall: bool, field: str) -> list[tuple[str, Any, int]]:
        """Per group: reports per upper-cased, trimmed value of `field`."""
        ...

    def summary_matches(self, run_key: str, overall: bool, where: list[FieldPredicate], subsets: list[list[FieldPredicate]]) -> list[CountRow]:
        """Per group holding any: reports satisfying `where`, and of them those also satisfying each subset
        (conditions on one list hold for the same item). Raises QueryError for an unknown dialect only
        when it cannot fall back."""
        ...


def _column(name: str):
    col = Report.__table__.c.get(name)
    return col if col is not None and name not in _RESERVED else None


def _meta_field(name: str) -> ColumnElement:
    return cast(Report.meta[name].as_string(), String)


def text_field(name: str) -> ColumnElement:
    """A field as text: the column when there is one and it is filled, else the metadata value."""
    col = _column(name)
    if col is not None:
        return func.coalesce(func.nullif(func.trim(cast(col, String)), ""), _meta_field(name))
    return _meta_field(name)


def _facility_key_expr(meta_keys: tuple[str, ...]) -> ColumnElement:
    parts = []
    if _column("facility_key") is not None:
        parts.append(func.nullif(Report.facility_key, ""))
    parts += [func.nullif(func.lower(func.trim(_meta_field(k))), "") for k in meta_keys]
    return func.coalesce(*parts, "")


def _facility_label_expr(meta_keys: tuple[str, ...]) -> ColumnElement:
    parts = []
    if _column("facility") is not None:
        parts.append(func.nullif(func.trim(Report.facility), ""))
    parts += [func.nullif(func.trim(_meta_field(k)), "") for k in meta_keys]
    return func.coalesce(*parts, "")


def _filters(flt: SummaryFilter) -> list[ColumnElement]:
    out: list[ColumnElement] = []
    if flt.since:
        out.append(Report.date >= flt.since)
    if flt.until:
        out.append(Report.date <= flt.until)
    for key, value in flt.where:
        if key == "corpus":
            out.append(Report.corpus == value)
        elif key == "facility":
            out.append(_facility_key_expr(flt.facility_fields) == value)
        elif key in ("id", "report", "report_id"):
            out.append(or_(Report.id == value, Report.source_id == value))
        elif key == "concept":
            out.append(Report.id.in_(select(ReportConcept.report_id).where(ReportConcept.concept.in_(list(value)))))
        elif key in ("year", "month"):
            out.append(func.substr(Report.date, 1, 4 if key == "year" else 7) == value)
        else:
            out.append(func.lower(func.trim(text_field(key))) == value.lower())
    return out


def _members(run_key: str, overall: bool):
    """The run's (report_id, group_key) rows; overall: each report once, under OVERALL."""
    M = SummaryMember
    if overall:
        return select(M.report_id, literal(OVERALL).label("group_key")).where(M.run_key == run_key).distinct().subquery()
    return select(M.report_id, M.group_key).where(M.run_key == run_key).subquery()


class SqlSummaryQueries:
    """`SummaryQueries` over the SQLAlchemy store; needs `engine` and `session()` (SqlStore)."""

    engine: Any
    if TYPE_CHECKING:  # provided by SqlStore

        def session(self) -> AbstractContextManager[Session]: ...

    def ensure_summary_tables(self) -> None:
        Base.metadata.create_all(self.engine, tables=TABLES, checkfirst=True)

    # --- selection ----------------------------------------------------------------
    def summary_links(self, flt: SummaryFilter) -> tuple[list[tuple[str, str, str]], int]:
        conds = _filters(flt)
        with self.session() as s:
            rows = s.execute(
                select(Report.id, Report.content_hash, ReportConcept.concept)
                .join(ReportConcept, ReportConcept.report_id == Report.id)
                .where(*conds)
            ).all()
            total = int(s.scalar(select(func.count()).select_from(Report).where(*conds)) or 0)
        return [(rid, ch, c) for rid, ch, c in rows], total

    def summary_rows(self, flt: SummaryFilter, by: str) -> list[tuple[str, str, Any, Any]]:
        if by == "facility":
            key_expr, label_expr = _facility_key_expr(flt.facility_fields), _facility_label_expr(flt.facility_fields)
        elif by in ("month", "year"):
            key_expr = func.substr(Report.date, 1, 7 if by == "month" else 4)
            label_expr = key_expr
        else:
            raw = func.trim(text_field(by))
            key_expr, label_expr = func.lower(raw), raw
        with self.session() as s:
            return [tuple(r) for r in s.execute(select(Report.id, Report.content_hash, key_expr, label_expr).where(*_filters(flt)))]

    # --- members and checkpoints --------------------------------------------------
    def write_summary_members(self, run_key: str, groups: dict[str, list[str]]) -> None:
        rows = [{"run_key": run_key, "group_key": k, "report_id": rid} for k, ids in groups.items() for rid in ids]
        with self.session() as s:
            s.execute(delete(SummaryMember).where(SummaryMember.run_key == run_key))
            for i in range(0, len(rows), 2000):
                s.execute(SummaryMember.__table__.insert(), rows[i : i + 2000])

    def summary_checkpoints(self, run_key: str) -> dict[str, SummaryCheckpoint]:
        with self.session() as s:
            return {c.group_key: c for c in s.scalars(select(SummaryCheckpoint).where(SummaryCheckpoint.run_key == run_key))}

    def save_summary_checkpoint(self, run_key: str, group_key: str, members_hash: str, n_reports: int, payload: dict, seconds: float) -> None:
        with self.session() as s:
            s.merge(
                SummaryCheckpoint(
                    run_key=run_key, group_key=group_key, members_hash=members_hash, n_reports=n_reports,
                    payload=payload, seconds=round(seconds, 3),
                )
            )

    def clear_summary_checkpoints(self, run_key: str) -> int:
        with self.session() as s:
            return s.execute(delete(SummaryCheckpoint).where(SummaryCheckpoint.run_key == run_key)).rowcount or 0

    # --- statistics ---------------------------------------------------------------
    def summary_spans(self, run_key: str, overall: bool) -> list[tuple[str, int, str | None, str | None, int]]:
        sub = _members(run_key, overall)
        q = (
            select(sub.c.group_key, func.count(), func.min(Report.date), func.max(Report.date), func.count(Report.date))
            .join(Report, Report.id == sub.c.report_id)
            .group_by(sub.c.group_key)
        )
        with self.session() as s:
            return [(gk, int(n), first, last, int(dated)) for gk, n, first, last, dated in s.execute(q)]

    def summary_periods(self, run_key: str, overall: bool, width: int) -> list[tuple[str, str, int]]:
        sub = _members(run_key, overall)
        p = func.substr(Report.date, 1, width)
        q = (
            select(sub.c.group_key, p, func.count())
            .join(Report, Report.id == sub.c.report_id)
            .where(Report.date.is_not(None))
            .group_by(sub.c.group_key, p)
        )
        with self.session() as s:
            return [(gk, per, int(n)) for gk, per, n in s.execute(q)]

    def summary_concepts(self, run_key: str, overall: bool) -> list[tuple[str, str, int]]:
        sub = _members(run_key, overall)
        q = (
            select(sub.c.group_key, ReportConcept.concept, func.count(distinct(sub.c.report_id)))
            .join(ReportConcept, ReportConcept.report_id == sub.c.report_id)
            .group_by(sub.c.group_key, ReportConcept.concept)
        )
        with self.session() as s:
            return [(gk, c, int(n)) for gk, c, n in s.execute(q)]

    def summary_values(self, run_key: str, overall: bool, field: str) -> list[tuple[str, Any, int]]:
        sub = _members(run_key, overall)
        v = func.upper(func.trim(cast(text_field(field), String)))
        q = select(sub.c.group_key, v, func.count()).join(Report, Report.id == sub.c.report_id).group_by(sub.c.group_key, v)
        with self.session() as s:
            return [(gk, raw, int(n)) for gk, raw, n in s.execute(q)]

    def summary_matches(self, run_key: str, overall: bool, where: list[FieldPredicate], subsets: list[list[FieldPredicate]]) -> list[CountRow]:
        dialect = self.engine.dialect.name
        sub = _members(run_key, overall)
        try:
            cond = where_clause(dialect, where)
            parts = [where_clause(dialect, [*where, *extra]) for extra in subsets]
        except QueryError:
            return self._matches_python(run_key, overall, where, subsets)
        cols = [func.count(distinct(case((c, Report.id)))) for c in parts]
        q = (
            select(sub.c.group_key, func.count(distinct(Report.id)), *cols)
            .join(Report, Report.id == sub.c.report_id)
            .where(cond)
            .group_by(sub.c.group_key)
        )
        with self.session() as s:
            return [CountRow(gk, int(n), [int(x) for x in rest]) for gk, n, *rest in s.execute(q)]

    def _matches_python(self, run_key: str, overall: bool, where: list[FieldPredicate], subsets: list[list[FieldPredicate]]) -> list[CountRow]:
        """Dialects without JSON list functions: the same counts, reading the metadata rows."""
        M = SummaryMember
        out: dict[str, list[set]] = {}
        with self.session() as s:
            rows = s.execute(select(M.group_key, Report.id, Report.meta).join(Report, Report.id == M.report_id).where(M.run_key == run_key))
            for gk, rid, meta in rows:
                meta = meta or {}
                if not where_holds(meta, where):
                    continue
                g = out.setdefault(OVERALL if overall else gk, [set() for _ in range(len(subsets) + 1)])
                g[0].add(rid)
                for i, extra in enumerate(subsets, start=1):
                    if where_holds(meta, [*where, *extra]):
                        g[i].add(rid)
        return [CountRow(k, len(sets[0]), [len(x) for x in sets[1:]]) for k, sets in out.items()]
