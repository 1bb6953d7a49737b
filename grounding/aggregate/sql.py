"""The typed query compiled to ONE SQLAlchemy statement with bound parameters, for SQLite and PostgreSQL.

Metadata fields are read with SQLAlchemy's JSON operators (`json_extract` in SQLite, `->>` in
PostgreSQL); a condition on a list ("reactor_units[].scram_code") is an EXISTS over its items
(`json_each` / `json_array_elements`). Values are compared as upper-cased, trimmed text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, String, and_, case, cast, exists, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from grounding.aggregate.spec import AggQuery
from grounding.config import FieldPredicate
from grounding.store.schema import Report, ReportConcept
from grounding.store.sql import SqlStore

COLUMNS = {"title": Report.title, "facility": Report.facility, "date": Report.date, "corpus": Report.corpus, "source_id": Report.source_id}
_SEPARATORS = ("/", ",", ";", "(", ")")


class QueryError(ValueError):
    """A query the store cannot run (an unsupported SQL dialect, a malformed field path)."""


def _norm(expr: ColumnElement) -> ColumnElement:
    return func.upper(func.trim(func.coalesce(expr, "")))


def _tokens(expr: ColumnElement) -> ColumnElement:
    padded = _norm(expr)
    for sep in _SEPARATORS:
        padded = func.replace(padded, sep, " ")
    return literal(" ") + padded + literal(" ")


def _condition(expr: ColumnElement, p: FieldPredicate) -> ColumnElement:
    values = [v.strip().upper() for v in p.values]
    x = _norm(expr)
    if p.op == "in":
        return x.in_(values)
    if p.op == "not_in":
        return x.not_in(values)
    if p.op == "prefix":
        return or_(*[x.startswith(v, autoescape=True) for v in values])
    if p.op == "contains":
        return or_(*[x.contains(v, autoescape=True) for v in values])
    tok = _tokens(expr)
    return or_(*[tok.contains(f" {v} ", autoescape=True) for v in values])


def meta_text(path: str) -> ColumnElement:
    """A column, or a metadata value at a dotted path, as text."""
    if path in COLUMNS:
        return COLUMNS[path]
    keys = tuple(path.split("."))
    node = Report.meta[keys[0]] if len(keys) == 1 else Report.meta[keys]
    return node.as_string()


def _items(dialect: str, list_key: str):
    """The items of metadata list `list_key`, as a table-valued function correlated to `reports`."""
    if dialect == "sqlite":
        return func.json_each(Report.meta, f"$.{list_key}").table_valued("value").alias("item")
    if dialect == "postgresql":
        arr = Report.meta[list_key]
        safe = case((func.json_typeof(arr) == "array", arr), else_=cast(literal("[]"), JSON))
        return func.json_array_elements(safe).table_valued("value").alias("item")
    raise QueryError(f"aggregate queries over lists need SQLite or PostgreSQL, not {dialect}")


def _item_field(dialect: str, items, key: str) -> ColumnElement:
    if dialect == "sqlite":
        return cast(func.json_extract(items.c.value, f"$.{key}"), String)
    return items.c.value.op("->>", return_type=String)(key)


def _list_exists(dialect: str, list_key: str, conds: list[tuple[str, FieldPredicate]]) -> ColumnElement:
    items = _items(dialect, list_key)
    where = [_condition(_item_field(dialect, items, key), p) for key, p in conds]
    return exists(select(literal(1)).select_from(items).where(and_(*where)))


def predicates(q: AggQuery, dialect: str, extra: list[FieldPredicate] | None = None) -> list[ColumnElement]:
    """Every WHERE condition of the query (a list's conditions on the same list hold for ONE item)."""
    out: list[ColumnElement] = [Report.corpus == q.corpus] if q.corpus else []
    by_list: dict[str, list[tuple[str, FieldPredicate]]] = {}
    for p in [*q.predicates, *(extra or [])]:
        if "[]." in p.field:
            head, key = p.field.split("[].", 1)
            by_list.setdefault(head, []).append((key, p))
        else:
            out.append(_condition(meta_text(p.field), p))
    if q.units:
        unit_p = FieldPredicate(field="unit", op="in", values=[str(u) for u in q.units])
        if "reactor_units" in by_list:
            by_list["reactor_units"].append(("unit", unit_p))
        else:
            by_list["reactor_units"] = [("unit", unit_p)]
    # Conditions on the same list hold for the same item, so "unit 2 scrammed" means unit 2's own code.
    # Measures and qualifiers on one list are separate EXISTS when they are about different properties.
    for head, conds in by_list.items():
        units = [c for c in conds if c[0] == "unit"]
        others = [c for c in conds if c[0] != "unit"]
        if units and others:
            for c in others:
                out.append(_list_exists(dialect, head, [*units, c]))
        else:
            for c in conds:
                out.append(_list_exists(dialect, head, [c]))
    for place in q.places:
        if place.kind == "facility":
            out.append(Report.facility_key.in_(place.values))
        elif place.kind == "area":
            out.append(or_(*[func.lower(Report.facility).contains(v.lower(), autoescape=True) for v in place.values]))
        elif place.kind in ("state", "region"):
            out.append(_condition(meta_text(place.field), FieldPredicate(field=place.field, op="token" if place.kind == "region" else "in", values=place.values)))
    if q.periods:
        out.append(or_(*[and_(Report.date >= p.start, Report.date <= p.end) for p in q.periods]))
    for concept_set in q.concept_sets:
        out.append(exists(select(literal(1)).where(ReportConcept.report_id == Report.id, ReportConcept.concept.in_(concept_set))))
    return out


def group_expr(path: str) -> ColumnElement:
    if path == "@year":
        return func.substr(Report.date, 1, 4)
    if path == "facility":
        return Report.facility_key
    return _norm(meta_text(path))


def _measure(q: AggQuery) -> ColumnElement:
    if q.measure.kind == "sum":
        return func.coalesce(func.sum(Report.meta[q.measure.field].as_float()), 0)
    return func.count(Report.id)


@dataclass
class Compiled:
    statement: Any
    sql: str
    params: dict[str, Any]


def _compiled(stmt, dialect) -> Compiled:
    c = stmt.compile(dialect=dialect)
    return Compiled(stmt, str(c), {k: v for k, v in c.params.items()})


def value_statement(q: AggQuery, dialect, extra: list[FieldPredicate] | None = None):
    """SELECT measure [, group] [, count of reports recording the summed field] FROM reports WHERE ..."""
    where = predicates(q, dialect.name, extra)
    cols: list[ColumnElement] = [_measure(q).label("value"), func.count(Report.id).label("reports")]
    if q.measure.kind == "sum":
        cols.append(func.count(Report.meta[q.measure.field].as_float()).label("recorded"))
    if q.group_by:
        g = group_expr(q.group_by).label("grp")
        stmt = select(g, *cols).where(*where)
        if q.compare_groups:
            stmt = stmt.where(g.in_(q.compare_groups))
        stmt = stmt.group_by(g)
        if q.group_by != "@year" or q.kind in ("rank",):
            stmt = stmt.where(g.is_not(None), g != "")
        if q.order == "key":
            stmt = stmt.order_by(g)
        else:
            m = cols[0]
            stmt = stmt.order_by(m.desc() if q.order == "desc" else m.asc(), g)
        if q.limit:
            stmt = stmt.limit(q.limit)
        return stmt
    return select(*cols).where(*where)


@dataclass
class Result:
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


def _num(v) -> float:
    f = float(v or 0)
    return int(f) if f.is_integer() else round(f, 3)


def run(store: SqlStore, q: AggQuery, max_ids: int, n_samples: int, sample_group: str | None = None) -> Result:
    """Run the query: its value(s), the ids of every counted report, and a few of them to cite."""
    dialect = store.engine.dialect
    res = Result()
    main = _compiled(value_statement(q, dialect), dialect)
    res.sql.append(main.sql)
    res.params.append(main.params)
    with store.session() as s:
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


def corpus_span(store: SqlStore, corpus: str, min_year_reports: int = 3) -> tuple[str | None, str | None]:
    """First and last date of the corpus, over the years holding at least `min_year_reports` reports
    (a lone mistyped date, 1975 or 2103 in the NRC feed, does not stretch the archive's span)."""
    year = func.substr(Report.date, 1, 4)
    with store.session() as s:
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
