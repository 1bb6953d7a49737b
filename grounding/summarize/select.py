"""Which reports a run covers and how they group: the store's filters and group keys
(grounding/store/summaries.py), grouped and fingerprinted here.

The facility is the indexed `facility_key` column, falling back to the metadata's
`facility` (NRC) or `area_affected` (OE-417) for reports stored without it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Protocol

from grounding.ingest.records import facility_key
from grounding.store.summaries import SummaryFilter, SummaryQueries
from grounding.summarize.checkpoint import digest
from grounding.summarize.concepts import ConceptIndex
from grounding.summarize.request import SummarizeRequest

MAX_KEY = 240  # group keys are primary-key columns (VARCHAR(255))
FACILITY_META_KEYS = ("facility", "area_affected")


class SummaryStore(SummaryQueries, Protocol):
    """What selection needs of the store: the summary queries and each report's concept links."""

    def concepts_of(self, report_ids: list[str]) -> dict[str, list]: ...


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


def short_key(value: str) -> str:
    if len(value) <= MAX_KEY:
        return value
    return value[: MAX_KEY - 13] + "#" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:12]


def selection_filter(req: SummarizeRequest, cidx: ConceptIndex) -> SummaryFilter:
    """The request's selection as the store's filter: facilities as keys, concepts as their member IRIs."""
    where: list[tuple[str, object]] = []
    for key, value in req.where.items():
        if key == "facility":
            where.append((key, facility_key(value)))
        elif key == "concept":
            iris = cidx.find(value)
            if not iris:
                raise ValueError(f"where concept={value!r}: no ontology concept has that IRI, name or label")
            where.append((key, tuple(sorted(set().union(*(cidx.members(i) for i in iris))))))
        else:
            where.append((key, value))
    return SummaryFilter(req.since, req.until, tuple(where), FACILITY_META_KEYS)


def _members_hashes(store: SummaryStore, groups: list[GroupPlan], content: dict[str, str]) -> None:
    """Each group's fingerprint: its reports' ids and content hashes and their concept links."""
    ids = sorted({rid for g in groups for rid in g.report_ids})
    links = store.concepts_of(ids)
    for g in groups:
        g.members_hash = digest(
            [[rid, content.get(rid, ""), sorted(rc.concept for rc in links.get(rid, []))] for rid in g.report_ids]
        )


def plan_groups(store: SummaryStore, cidx: ConceptIndex, req: SummarizeRequest) -> Selection:
    flt = selection_filter(req, cidx)
    warnings: list[str] = []
    groups: dict[str, GroupPlan] = {}
    content: dict[str, str] = {}
    if req.by == "concept":
        links, total = store.summary_links(flt)
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
        rows = store.summary_rows(flt, req.by)
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
