"""Which reports a run covers and how they group: SQL filters and SQL group keys.

Field names resolve to a `reports` column when one exists and to the metadata JSON
otherwise, so a value that ingestion later promotes from metadata to a column keeps
working. The facility is the indexed `facility_key` column, falling back to the
metadata's `facility` (NRC) or `area_affected` (OE-417) for reports stored without it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from grounding.ingest.records import facility_key
from grounding.store.schema import Report, ReportConcept
from grounding.store.sql import SqlStore
from grounding.summarize.checkpoint import digest
from grounding.summarize.concepts import ConceptIndex
from grounding.summarize.request import SummarizeRequest

MAX_KEY = 240  # group keys are primary-key columns (VARCHAR(255))
_RESERVED = {"meta", "text", "content_hash", "text_hash"}
FACILITY_META_KEYS = ("facility", "area_affected")


@dataclass
class GroupPlan:
    key: str
    label: str
    report_ids: list[str]
    members_hash: str = ""
    concept: str = ""  # --by concept: the group's concept IRI
    category: str = ""  # --by concept: equipment | cause | other

    def to_task(self) -> dict:
        return {"key": self.key, "label": self.label, "report_ids": self.report_ids, "concept": self.concept, "category": self.category}


@dataclass
class Selection:
    groups: list[GroupPlan]
    n_reports: int
    warnings: list[str] = field(default_factory=list)


def _column(name: str):
    col = Report.__table__.c.get(name)
    return col if col is not None and name not in _RESERVED else None


def meta_field(name: str) -> ColumnElement:
    return cast(Report.meta[name].as_string(), String)


def text_field(name: str) -> ColumnElement:
    """A field as text: the column when there is one and it is filled, else the metadata value."""
    col = _column(name)
    if col is not None:
        return func.coalesce(func.nullif(func.trim(cast(col, String)), ""), meta_field(name))
    return meta_field(name)


def facility_key_expr() -> ColumnElement:
    parts = []
    if _column("facility_key") is not None:
        parts.append(func.nullif(Report.facility_key, ""))
    parts += [func.nullif(func.lower(func.trim(meta_field(k))), "") for k in FACILITY_META_KEYS]
    return func.coalesce(*parts, "")


def facility_label_expr() -> ColumnElement:
    parts = []
    if _column("facility") is not None:
        parts.append(func.nullif(func.trim(Report.facility), ""))
    parts += [func.nullif(func.trim(meta_field(k)), "") for k in FACILITY_META_KEYS]
    return func.coalesce(*parts, "")


def short_key(value: str) -> str:
    if len(value) <= MAX_KEY:
        return value
    return value[: MAX_KEY - 13] + "#" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:12]


def filters(req: SummarizeRequest, cidx: ConceptIndex) -> list[ColumnElement]:
    out: list[ColumnElement] = []
    if req.since:
        out.append(Report.date >= req.since)
    if req.until:
        out.append(Report.date <= req.until)
    for key, value in req.where.items():
        if key == "corpus":
            out.append(Report.corpus == value)
        elif key == "facility":
            out.append(facility_key_expr() == facility_key(value))
        elif key in ("id", "report", "report_id"):
            out.append(or_(Report.id == value, Report.source_id == value))
        elif key == "concept":
            iris = cidx.find(value)
            if not iris:
                raise ValueError(f"where concept={value!r}: no ontology concept has that IRI, name or label")
            members = sorted(set().union(*(cidx.members(i) for i in iris)))
            out.append(Report.id.in_(select(ReportConcept.report_id).where(ReportConcept.concept.in_(members))))
        elif key in ("year", "month"):
            out.append(func.substr(Report.date, 1, 4 if key == "year" else 7) == value)
        else:
            out.append(func.lower(func.trim(text_field(key))) == value.lower())
    return out


def _members_hashes(store: SqlStore, groups: list[GroupPlan], content: dict[str, str]) -> None:
    """Each group's fingerprint: its reports' ids and content hashes and their concept links."""
    ids = sorted({rid for g in groups for rid in g.report_ids})
    links = store.concepts_of(ids)
    for g in groups:
        g.members_hash = digest(
            [[rid, content.get(rid, ""), sorted(rc.concept for rc in links.get(rid, []))] for rid in g.report_ids]
        )


def plan_groups(store: SqlStore, cidx: ConceptIndex, req: SummarizeRequest) -> Selection:
    conds = filters(req, cidx)
    warnings: list[str] = []
    groups: dict[str, GroupPlan] = {}
    content: dict[str, str] = {}
    with store.session() as s:
        if req.by == "concept":
            rows = s.execute(
                select(Report.id, Report.content_hash, ReportConcept.concept)
                .join(ReportConcept, ReportConcept.report_id == Report.id)
                .where(*conds)
            ).all()
            total = int(s.scalar(select(func.count()).select_from(Report).where(*conds)) or 0)
            links = [(rid, ch, c) for rid, ch, c in rows]
            wanted = {"equipment", "cause"}
            if not any(cidx.counted(c, tuple(wanted)) for _, _, c in links):
                if links:
                    warnings.append(
                        "no linked concept is under the configured equipment/cause roots "
                        "(summarize.equipment_roots / cause_roots): grouping on every linked concept's top class"
                    )
                wanted = {"equipment", "cause", "other"}
            members: dict[str, set[str]] = {}
            for rid, ch, concept in links:
                if not cidx.counted(concept, tuple(wanted)):
                    continue
                content[rid] = ch or ""
                members.setdefault(cidx.top(concept), set()).add(rid)
            for top, rids in members.items():
                key = short_key(top)
                cat = cidx.category(top)
                groups[key] = GroupPlan(key, cidx.label(top), sorted(rids), concept=top, category=cat)
            if total and not links:
                warnings.append("the selected reports have no ontology links (ingest with an ontology configured to link them)")
        else:
            if req.by == "facility":
                key_expr, label_expr = facility_key_expr(), facility_label_expr()
            elif req.by in ("month", "year"):
                key_expr = func.substr(Report.date, 1, 7 if req.by == "month" else 4)
                label_expr = key_expr
            else:
                raw = func.trim(text_field(req.by))
                key_expr, label_expr = func.lower(raw), raw
            rows = s.execute(select(Report.id, Report.content_hash, key_expr, label_expr).where(*conds)).all()
            total = len(rows)
            labels: dict[str, set[str]] = {}
            missing = 0
            for rid, ch, key, label in rows:
                if key is None or str(key).strip() == "":
                    missing += 1
                    continue
                k = short_key(facility_key(str(key)) if req.by == "facility" else str(key))
                content[rid] = ch or ""
                groups.setdefault(k, GroupPlan(k, "", []))
                groups[k].report_ids.append(rid)
                labels.setdefault(k, set()).add(str(label or key))
            for k, g in groups.items():
                g.report_ids.sort()
                g.label = min(labels[k]) if labels.get(k) else k
            if missing:
                what = "date" if req.by in ("month", "year") else f"value for '{req.by}'"
                warnings.append(f"{missing:,} selected report(s) have no {what} and are in no group")
    plans = list(groups.values())
    _members_hashes(store, plans, content)
    if req.by in ("month", "year"):
        plans.sort(key=lambda g: g.key)
    else:
        plans.sort(key=lambda g: (-len(g.report_ids), g.label.casefold(), g.key))
    if total == 0:
        warnings.append("no stored report matches the selection")
    return Selection(plans, total, warnings)
