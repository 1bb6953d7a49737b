"""Distribution answers: "what usually causes X", "which equipment is most often involved in Y".

The reports linked to X (or a subclass of it) and matching the question's filters are the base;
the concepts they are ALSO linked to, in the asked category (cause or equipment, by the ontology:
summarize.cause_roots / equipment_roots), are counted per concept in SQL (distinct reports) and
ranked. Each row cites example reports. Links too thin to say are said to be so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select

from grounding.aggregate.spec import AggQuery
from grounding.aggregate.sql import predicates
from grounding.store.schema import Report, ReportConcept
from grounding.store.sql import SqlStore


@dataclass
class DistResult:
    base_reports: int = 0
    rows: list[dict] = field(default_factory=list)  # {"concept", "label", "reports", "examples": [ids]}
    report_ids: list[str] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)
    params: list[dict] = field(default_factory=list)


def run_distribution(store: SqlStore, q: AggQuery, candidates: list[str], labels, top: int, examples_n: int, max_ids: int) -> DistResult:
    """Count, per candidate concept, the base reports linked to it; `candidates` are the concepts of the asked category."""
    dialect = store.engine.dialect
    res = DistResult()
    base = select(Report.id).where(*predicates(q, dialect.name))
    exclude = {c for s in q.concept_sets for c in s}
    cands = [c for c in candidates if c not in exclude]
    base_sub = base.subquery()
    n_q = select(func.count()).select_from(base_sub)
    rc = ReportConcept
    with store.session() as s:
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
            res.params.append({k: (v if not isinstance(v, list) or len(v) <= 20 else v[:20] + [f"... {len(v) - 20} more"]) for k, v in c.params.items()})
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
