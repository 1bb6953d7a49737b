"""The aggregate queries of the store: counts, sums, rankings, trends and shares of a typed query, the
concept distributions of its reports, and the look-ups the aggregate route needs (facility names, corpus
date spans, which corpora a set of concepts reaches).

`AggregateQueries` is what the aggregate route (grounding/aggregate/engine.py) calls; `SqlAggregateQueries`
is its SQLAlchemy implementation, a mixin of `SqlStore` that uses the store's own `session()`. The typed
query (grounding/aggregate/spec.py) is compiled by store/aggregate_sql.py; the SQL and bound parameters of
every statement run come back with the result, as the answer's evidence.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from grounding.aggregate.spec import AggQuery
from grounding.store.aggregate_sql import QueryError, _compiled, group_expr, predicates, value_statement
from grounding.store.schema import Report, ReportConcept

__all__ = ["AggregateQueries", "AggregateResult", "DistributionResult", "QueryError", "SqlAggregateQueries"]


@dataclass
class AggregateResult:
    value: float = 0.0
    reports: int = 0  # reports counted (for a sum: the reports summed over)
    recorded: int = 0  # for a sum: reports that record the field
    rows: list[dict] = field(default_factory=list)  # grouped: [{"group", "value", "reports"}]
    part: float | None = None  # share: the part's value
    part_reports: int = 0
    report_ids: list[str] = field(default_factory=list)
    samples: list[dict] = field(default_factory=list)  # reports cited: id, title, date, facility
    sql: list[str] = field(default_factory=list)
    params: list[dict] = field(default_factory=list)


@dataclass
class DistributionResult:
    base_reports: int = 0
    rows: list[dict] = field(default_factory=list)  # {"concept", "label", "reports", "examples": [ids]}
    report_ids: list[str] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)
    params: list[dict] = field(default_factory=list)


@runtime_checkable
class AggregateQueries(Protocol):
    """The questions across the archive a store answers (raise QueryError for one it cannot run)."""

    def aggregate(self, q: AggQuery, max_ids: int, n_samples: int, sample_group: str | None = None) -> AggregateResult:
        """The query's value(s), the ids of every counted report (up to `max_ids`) and `n_samples` to cite
        (of the group `sample_group` when given; for a sum the largest contributions)."""
        ...

    def distribution(self, q: AggQuery, candidates: list[str], labels, top: int, examples_n: int, max_ids: int) -> DistributionResult:
        """Per candidate concept, the reports of the query's base also linked to it (the `top` most linked)."""
        ...

    def corpus_span(self, corpus: str, min_year_reports: int = 3) -> tuple[str | None, str | None]:
        """First and last date of the corpus over the years holding at least `min_year_reports` reports."""
        ...

    def facility_names(self, corpora: list[str]) -> dict[str, str]:
        """facility_key -> one display spelling, over the reports of these corpora."""
        ...

    def corpora_of_concepts(self, concepts: list[str]) -> dict[str, int]:
        """corpus -> reports linked to any of these concepts."""
        ...


def _num(v) -> float:
    f = float(v or 0)
    return int(f) if f.is_integer() else round(f, 3)


def _short_params(params: dict[str, Any]) -> dict[str, Any]:
    """Bound parameters as shown with the answer: a long list is cut after 20 items."""
    return {k: (v if not isinstance(v, list) or len(v) <= 20 else v[:20] + [f"... {len(v) - 20} more"]) for k, v in params.items()}


class SqlAggregateQueries:
    """`AggregateQueries` over the SQLAlchemy store (SQLite or PostgreSQL); needs `engine` and `session()`."""

    engine: Any
    if TYPE_CHECKING:  # provided by SqlStore

        def session(self) -> AbstractContextManager[Session]: ...

    def aggregate(self, q: AggQuery, max_ids: int, n_samples: int, sample_group: str | None = None) -> AggregateResult:
        dialect = self.engine.dialect
        res = AggregateResult()
        main = _compiled(value_statement(q, dialect), dialect)
        res.sql.append(main.sql)
        res.params.append(main.params)
        with self.session() as s:
            if q.group_by:
                for grp, value, n, *rest in s.execute(main.statement):
                    row = {"group": grp, "value": _num(value), "reports": int(n)}
                    if rest:
                        row["recorded"] = int(rest[0])
                    res.rows.append(row)
                res.value = _num(sum(r["value"] for r in res.rows))
                res.reports = sum(r["reports"] for r in res.rows)
            else:
                row = s.execute(main.statement).one()
                res.value, res.reports = _num(row[0]), int(row[1])
                res.recorded = int(row[2]) if len(row) > 2 else 0
            if q.share_of:
                part = _compiled(value_statement(q, dialect, q.share_of), dialect)
                res.sql.append(part.sql)
                res.params.append(part.params)
                prow = s.execute(part.statement).one()
                res.part, res.part_reports = _num(prow[0]), int(prow[1])
            where = predicates(q, dialect.name, q.share_of or None)
            ids_q = select(Report.id, Report.title, Report.date, Report.facility).where(*where)
            if q.group_by and q.compare_groups:
                ids_q = ids_q.where(group_expr(q.group_by).in_(q.compare_groups))
            if q.measure.kind == "sum":
                ids_q = ids_q.where(Report.meta[q.measure.field].as_float().is_not(None))
            ids_q = ids_q.order_by(Report.date, Report.id).limit(max_ids)
            rows = s.execute(ids_q).all()
            res.report_ids = [r[0] for r in rows]
            pool = rows
            if sample_group is not None and q.group_by:
                g = group_expr(q.group_by)
                pool = s.execute(ids_q.where(g == sample_group)).all()
            if q.measure.kind == "sum" and pool:
                # The largest contributions are the ones worth citing.
                big = select(Report.id).where(Report.id.in_([r[0] for r in pool][:5000])).order_by(Report.meta[q.measure.field].as_float().desc()).limit(n_samples)
                top_ids = [r[0] for r in s.execute(big)]
                pool = sorted([r for r in pool if r[0] in set(top_ids)], key=lambda r: top_ids.index(r[0]))
            res.samples = [{"report_id": r[0], "title": r[1] or "", "date": r[2], "facility": r[3] or ""} for r in pool[:n_samples]]
        return res

    def distribution(self, q: AggQuery, candidates: list[str], labels, top: int, examples_n: int, max_ids: int) -> DistributionResult:
        dialect = self.engine.dialect
        res = DistributionResult()
        base = select(Report.id).where(*predicates(q, dialect.name))
        exclude = {c for s in q.concept_sets for c in s}
        cands = [c for c in candidates if c not in exclude]
        base_sub = base.subquery()
        n_q = select(func.count()).select_from(base_sub)
        rc = ReportConcept
        with self.session() as s:
            res.report_ids = list(s.scalars(base.order_by(Report.date, Report.id).limit(max_ids)))
            complete = len(res.report_ids) < max_ids
            res.base_reports = len(res.report_ids) if complete else int(s.scalar(n_q) or 0)
            # The base is evaluated once: its ids are bound as a list (a subquery only past max_ids).
            in_base = rc.report_id.in_(res.report_ids) if complete else rc.report_id.in_(select(base_sub.c.id))
            dist = (
                select(rc.concept, func.count(distinct(rc.report_id)).label("n"))
                .where(in_base, rc.concept.in_(cands))
                .group_by(rc.concept)
                .order_by(func.count(distinct(rc.report_id)).desc(), rc.concept)
                .limit(top)
            )
            for stmt in (base, dist):
                c = stmt.compile(dialect=dialect)
                res.sql.append(str(c))
                res.params.append(_short_params(c.params))
            counted = [(concept, int(n)) for concept, n in s.execute(dist)] if res.report_ids else []
            # Example reports of every row in ONE query.
            ex_q = (
                select(rc.concept, rc.report_id)
                .where(rc.concept.in_([c for c, _ in counted]), in_base)
                .order_by(rc.concept, rc.mentions.desc(), rc.report_id)
            )
            examples: dict[str, list[str]] = {}
            for concept, rid in (s.execute(ex_q) if counted else []):
                got = examples.setdefault(concept, [])
                if len(got) < examples_n:
                    got.append(rid)
            for concept, n in counted:
                res.rows.append({"concept": concept, "label": labels(concept), "reports": n, "examples": examples.get(concept, [])})
        return res

    def corpus_span(self, corpus: str, min_year_reports: int = 3) -> tuple[str | None, str | None]:
        # A lone mistyped date (1975 or 2103 in the NRC feed) does not stretch the archive's span.
        year = func.substr(Report.date, 1, 4)
        with self.session() as s:
            years = [y for y, n in s.execute(
                select(year, func.count()).where(Report.corpus == corpus, Report.date.is_not(None)).group_by(year)
            ) if y and int(n) >= min_year_reports]
            if not years:
                return None, None
            lo, hi = min(years), max(years)
            first, last = s.execute(
                select(func.min(Report.date), func.max(Report.date)).where(Report.corpus == corpus, year >= lo, year <= hi)
            ).one()
        return first, last

    def facility_names(self, corpora: list[str]) -> dict[str, str]:
        with self.session() as s:
            rows = s.execute(
                select(Report.facility_key, func.min(Report.facility)).where(Report.corpus.in_(corpora)).group_by(Report.facility_key)
            )
            return {k: v for k, v in rows if k}

    def corpora_of_concepts(self, concepts: list[str]) -> dict[str, int]:
        with self.session() as s:
            q = select(Report.corpus, func.count(distinct(Report.id))).join(ReportConcept, ReportConcept.report_id == Report.id)
            q = q.where(ReportConcept.concept.in_(sorted(set(concepts)))).group_by(Report.corpus)
            return {c: int(n) for c, n in s.execute(q)}
