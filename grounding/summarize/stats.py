"""Statistics of a run, every number a SQL count over the stored reports (never the model).

All queries join `summary_members` (the run's groups) with `reports` / `report_concepts`
and GROUP BY: events per period, first/last date, reports per linked concept (split
into cause and equipment by the ontology), declared emergency classes, and reactor
scrams. A scram is a report with any `reactor_units[].scram_code` other than "N" or
empty; the JSON array is expanded in SQL (`json_each` in SQLite,
`json_array_elements` in PostgreSQL). The overall row counts each report once even
when groups overlap (--by concept).
"""

from __future__ import annotations

from sqlalchemy import String, cast, distinct, func, literal, select, text

from grounding.config import SummarizeConfig
from grounding.store.schema import Report, ReportConcept
from grounding.store.sql import SqlStore
from grounding.summarize.checkpoint import SummaryMember
from grounding.summarize.concepts import ConceptIndex
from grounding.summarize.facts import emergency_class, scram_units
from grounding.summarize.select import _column, text_field

OVERALL = "*"


def period_of(by: str, first: str | None, last: str | None) -> str:
    """The time bucket of the events-per-period counts: months when the span is short or the groups are years."""
    if by in ("month", "year"):
        return "month"
    if first and last and int(last[:4]) - int(first[:4]) <= 2:
        return "month"
    return "year"


def _empty() -> dict:
    return {
        "n_reports": 0, "first_date": None, "last_date": None, "undated": 0, "per_period": {},
        "scram_reports": 0, "scram_automatic": 0, "scram_manual": 0, "emergency": {},
        "top_causes": [], "top_equipment": [], "top_other": [],
    }


def _scram_sql(dialect: str, overall: bool) -> str | None:
    col = _column("reactor_units")
    members = (
        "(SELECT DISTINCT report_id, '*' AS group_key FROM summary_members WHERE run_key = :rk) m"
        if overall
        else "(SELECT report_id, group_key FROM summary_members WHERE run_key = :rk) m"
    )
    code_auto = "LIKE 'A%'"
    code_man = "LIKE 'M%'"
    if dialect == "sqlite":
        src, path = ("r.reactor_units", "$") if col is not None else ("r.meta", "$.reactor_units")
        code = "UPPER(TRIM(COALESCE(json_extract(u.value, '$.scram_code'), '')))"
        return f"""
            SELECT m.group_key, COUNT(DISTINCT r.id),
                   COUNT(DISTINCT CASE WHEN {code} {code_auto} THEN r.id END),
                   COUNT(DISTINCT CASE WHEN {code} {code_man} THEN r.id END)
            FROM {members} JOIN reports r ON r.id = m.report_id, json_each({src}, '{path}') AS u
            WHERE json_type({src}, '{path}') = 'array' AND u.type = 'object' AND {code} NOT IN ('', 'N')
            GROUP BY m.group_key"""
    if dialect == "postgresql":
        arr = "CAST(r.reactor_units AS json)" if col is not None else "(CAST(r.meta AS json) -> 'reactor_units')"
        code = "UPPER(TRIM(COALESCE(u.value ->> 'scram_code', '')))"
        return f"""
            SELECT m.group_key, COUNT(DISTINCT r.id),
                   COUNT(DISTINCT CASE WHEN {code} {code_auto} THEN r.id END),
                   COUNT(DISTINCT CASE WHEN {code} {code_man} THEN r.id END)
            FROM {members} JOIN reports r ON r.id = m.report_id
            CROSS JOIN LATERAL json_array_elements(
                CASE WHEN json_typeof({arr}) = 'array' THEN {arr} ELSE CAST('[]' AS json) END) AS u(value)
            WHERE json_typeof(u.value) = 'object' AND {code} NOT IN ('', 'N')
            GROUP BY m.group_key"""
    return None


def _scram_python(store: SqlStore, run_key: str, overall: bool) -> list[tuple[str, int, int, int]]:
    """Other SQL dialects: the same count, reading the metadata rows (documented fallback)."""
    M = SummaryMember
    out: dict[str, list[set]] = {}
    with store.session() as s:
        for gk, rid, meta in s.execute(select(M.group_key, Report.id, Report.meta).join(Report, Report.id == M.report_id).where(M.run_key == run_key)):
            units = scram_units(meta or {})
            if not units:
                continue
            g = out.setdefault(OVERALL if overall else gk, [set(), set(), set()])
            g[0].add(rid)
            for u in units:
                code = str(u.get("scram_code")).strip().upper()
                if code.startswith("A"):
                    g[1].add(rid)
                elif code.startswith("M"):
                    g[2].add(rid)
    return [(k, len(a), len(b), len(c)) for k, (a, b, c) in out.items()]


def compute_stats(store: SqlStore, run_key: str, by: str, cidx: ConceptIndex, cfg: SummarizeConfig) -> tuple[dict[str, dict], dict, str]:
    """(per-group stats, overall stats, period) for the run's members."""
    M = SummaryMember
    per: dict[str, dict] = {}
    with store.session() as s:
        grouped = select(M.report_id, M.group_key).where(M.run_key == run_key).subquery()
        once = select(M.report_id, literal(OVERALL).label("group_key")).where(M.run_key == run_key).distinct().subquery()
        for sub in (grouped, once):
            q = (
                select(sub.c.group_key, func.count(), func.min(Report.date), func.max(Report.date), func.count(Report.date))
                .join(Report, Report.id == sub.c.report_id)
                .group_by(sub.c.group_key)
            )
            for gk, n, first, last, dated in s.execute(q):
                st = per.setdefault(gk, _empty())
                st.update(n_reports=int(n), first_date=first, last_date=last, undated=int(n) - int(dated))
        overall = per.get(OVERALL, _empty())
        period = period_of(by, overall["first_date"], overall["last_date"])
        width = 7 if period == "month" else 4
        for sub in (grouped, once):
            p = func.substr(Report.date, 1, width)
            q = (
                select(sub.c.group_key, p, func.count())
                .join(Report, Report.id == sub.c.report_id)
                .where(Report.date.is_not(None))
                .group_by(sub.c.group_key, p)
            )
            for gk, per_, n in s.execute(q):
                per.setdefault(gk, _empty())["per_period"][per_] = int(n)
            q = (
                select(sub.c.group_key, ReportConcept.concept, func.count(distinct(sub.c.report_id)))
                .join(ReportConcept, ReportConcept.report_id == sub.c.report_id)
                .group_by(sub.c.group_key, ReportConcept.concept)
            )
            concepts: dict[str, list[tuple[int, str]]] = {}
            for gk, concept, n in s.execute(q):
                concepts.setdefault(gk, []).append((int(n), concept))
            for gk, items in concepts.items():
                st = per.setdefault(gk, _empty())
                for cat, field in (("cause", "top_causes"), ("equipment", "top_equipment"), ("other", "top_other")):
                    chosen = sorted(((-n, cidx.label(c), c) for n, c in items if cidx.counted(c, (cat,))))[: cfg.top_concepts]
                    st[field] = [{"concept": c, "label": lab, "reports": -n} for n, lab, c in chosen]
            ec = func.upper(func.trim(cast(text_field("emergency_class"), String)))
            q = select(sub.c.group_key, ec, func.count()).join(Report, Report.id == sub.c.report_id).group_by(sub.c.group_key, ec)
            for gk, raw, n in s.execute(q):
                cls = emergency_class(raw)
                if cls:
                    em = per.setdefault(gk, _empty())["emergency"]
                    em[cls] = em.get(cls, 0) + int(n)
    for overall_flag in (False, True):
        sql = _scram_sql(store.dialect, overall_flag)
        if sql is None:
            rows = _scram_python(store, run_key, overall_flag)
        else:
            with store.session() as s:
                rows = [tuple(r) for r in s.execute(text(sql), {"rk": run_key})]
        for gk, n, auto, manual in rows:
            st = per.setdefault(gk, _empty())
            st.update(scram_reports=int(n), scram_automatic=int(auto), scram_manual=int(manual))
    overall = per.pop(OVERALL, _empty())
    for st in [overall, *per.values()]:
        st["per_period"] = dict(sorted(st["per_period"].items()))
        st["emergency"] = dict(sorted(st["emergency"].items(), key=lambda kv: (-kv[1], kv[0])))
    return per, overall, period
