"""The typed aggregate query (grounding/aggregate/spec.py) compiled to ONE SQLAlchemy statement with bound
parameters, for SQLite and PostgreSQL: the SQL half of store/aggregates.py, kept apart so each file stays short.

Metadata fields are read with SQLAlchemy's JSON operators (`json_extract` in SQLite, `->>` in
PostgreSQL); a condition on a list ("reactor_units[].scram_code") is an EXISTS over its items
(`json_each` / `json_array_elements`). Values are compared as upper-cased, trimmed text.
The compiled text is shown to users as the answer's SQL evidence, so changes here change answers' evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, String, and_, case, cast, exists, func, literal, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from grounding.aggregate.spec import AggQuery
from grounding.config import FieldPredicate
from grounding.store.schema import Report, ReportConcept

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


def _object_items(dialect: str, list_key: str):
    """The items of metadata list `list_key` that are JSON objects (a list that is not one has none)."""
    if dialect == "sqlite":
        items = func.json_each(Report.meta, f"$.{list_key}").table_valued("value", "type").alias("item")
        return items, [func.json_type(Report.meta, f"$.{list_key}") == "array", items.c.type == "object"]
    if dialect == "postgresql":
        items = _items(dialect, list_key)
        return items, [func.json_typeof(items.c.value) == "object"]
    raise QueryError(f"queries over lists need SQLite or PostgreSQL, not {dialect}")


def where_clause(dialect: str, where: list[FieldPredicate]) -> ColumnElement:
    """Every condition of `where` as one SQL condition: the conditions on one list (`list[].key`) hold
    for ONE of its items, and only object items count (a `[[measure]]`'s or `[[qualifier]]`'s `where`)."""
    out: list[ColumnElement] = []
    by_list: dict[str, list[tuple[str, FieldPredicate]]] = {}
    for p in where:
        if "[]." in p.field:
            head, key = p.field.split("[].", 1)
            by_list.setdefault(head, []).append((key, p))
        else:
            out.append(_condition(meta_text(p.field), p))
    for head, conds in by_list.items():
        items, guards = _object_items(dialect, head)
        item_where = [_condition(_item_field(dialect, items, key), p) for key, p in conds]
        out.append(exists(select(literal(1)).select_from(items).where(*guards, *item_where)))
    return and_(true(), *out)


def _text_norm(value: Any) -> str:
    return "" if value is None else str(value).strip().upper()


def _holds(value: Any, p: FieldPredicate) -> bool:
    """`_condition` in Python (for the SQL dialects without JSON list functions)."""
    values = [v.strip().upper() for v in p.values]
    x = _text_norm(value)
    if p.op == "in":
        return x in values
    if p.op == "not_in":
        return x not in values
    if p.op == "prefix":
        return any(x.startswith(v) for v in values)
    if p.op == "contains":
        return any(v in x for v in values)
    tok = x
    for sep in _SEPARATORS:
        tok = tok.replace(sep, " ")
    return any(f" {v} " in f" {tok} " for v in values)


def _path_value(meta: Any, path: str) -> Any:
    node = meta
    for k in path.split("."):
        node = node.get(k) if isinstance(node, dict) else None
    return node


def where_holds(meta: dict, where: list[FieldPredicate]) -> bool:
    """`where_clause` evaluated on one report's metadata in Python (columns are not looked at)."""
    by_list: dict[str, list[tuple[str, FieldPredicate]]] = {}
    for p in where:
        if "[]." in p.field:
            head, key = p.field.split("[].", 1)
            by_list.setdefault(head, []).append((key, p))
        elif not _holds(_path_value(meta, p.field), p):
            return False
    for head, conds in by_list.items():
        items = _path_value(meta, head)
        if not isinstance(items, list):
            return False
        if not any(isinstance(u, dict) and all(_holds(_path_value(u, k), p) for k, p in conds) for u in items):
            return False
    return True
