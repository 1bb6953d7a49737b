"""The typed query a question is read into: corpus, filters, measure, group-by, order, limit.

It is data, not SQL: `sql.compile_query` turns it into one SQLAlchemy statement with bound
parameters, and `describe` into the readable form shown as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from grounding.config import FieldPredicate, MeasureConfig

Kind = Literal["count", "rank", "trend", "share", "compare"]


@dataclass
class Period:
    start: str  # ISO, inclusive
    end: str  # ISO, inclusive
    text: str  # as the question says it ("in 1999", "between 2010 and 2015")

    @property
    def years(self) -> str:
        a, b = self.start[:4], self.end[:4]
        return a if a == b else f"{a}-{b}"


@dataclass
class PlaceFilter:
    kind: Literal["facility", "state", "area", "region"]
    values: list[str]  # facility keys, state codes, area words, region codes
    shown: list[str]  # display names
    match: Literal["exact", "fuzzy"] = "exact"
    field: str = ""  # state / region: the metadata field compared


@dataclass
class AggQuery:
    kind: Kind
    corpus: str
    measure: MeasureConfig
    predicates: list[FieldPredicate] = field(default_factory=list)  # the measure's and the qualifiers'
    qualifiers: list[str] = field(default_factory=list)  # labels of the qualifiers ("automatic")
    qualifiers_ko: list[str] = field(default_factory=list)
    places: list[PlaceFilter] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)  # ORed
    units: list[int] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)  # IRIs; a report must be linked to each (or a subclass)
    concept_labels: list[str] = field(default_factory=list)
    concept_sets: list[list[str]] = field(default_factory=list)  # each concept with its subclasses
    group_by: str = ""  # a column / metadata path / "@year"; empty = one number
    group_label: str = ""
    group_label_ko: str = ""
    order: Literal["desc", "asc", "key"] = "desc"
    limit: int = 0
    compare_groups: list[str] = field(default_factory=list)  # compare: the group values compared (facility keys, years)
    share_of: list[FieldPredicate] = field(default_factory=list)  # share: the part's extra predicates
    share_label: str = ""

    def describe(self) -> dict:
        """The query in readable form (evidence `aggregate.query`)."""
        out: dict = {"kind": self.kind, "corpus": self.corpus, "measure": self.measure.name, "measure_kind": self.measure.kind}
        if self.measure.kind == "sum":
            out["sum_of"] = self.measure.field
        out["where"] = [f"{p.field} {p.op.replace('_', ' ')} {p.values}" for p in self.predicates]
        for p in self.places:
            out.setdefault("places", []).append({"kind": p.kind, "values": p.shown, "match": p.match})
        if self.periods:
            out["periods"] = [f"{p.start}..{p.end}" for p in self.periods]
        if self.units:
            out["units"] = self.units
        if self.concepts:
            out["concepts"] = [{"iri": c, "label": lab, "with_subclasses": len(s)} for c, lab, s in zip(self.concepts, self.concept_labels, self.concept_sets)]
        if self.group_by:
            out["group_by"] = self.group_by
            out["order"] = self.order
        if self.limit:
            out["limit"] = self.limit
        if self.compare_groups:
            out["compare"] = self.compare_groups
        if self.share_of:
            out["share_of"] = [p.model_dump() for p in self.share_of]
        return out

    def readable(self) -> str:
        """One line: "count nrc reports where reactor_units[].scram_code not in ['N', ''] and facility = DIABLO CANYON ..."."""
        what = f"sum of {self.measure.field} over" if self.measure.kind == "sum" else "count"
        parts = [f"{what} {self.corpus} reports"]
        conds = [f"{p.field} {p.op.replace('_', ' ')} {p.values}" for p in self.predicates]
        for p in self.places:
            conds.append(f"{p.kind} {'~' if p.match == 'fuzzy' else '='} {' or '.join(p.shown)}")
        if self.periods:
            conds.append("date in " + " or ".join(f"{p.start}..{p.end}" for p in self.periods))
        if self.units:
            conds.append(f"unit in {self.units}")
        for lab, s in zip(self.concept_labels, self.concept_sets):
            conds.append(f"linked to '{lab}' (or one of {len(s) - 1} subclasses)" if len(s) > 1 else f"linked to '{lab}'")
        if conds:
            parts.append("where " + " and ".join(conds))
        if self.share_of:
            parts.append("; share with " + " and ".join(f"{p.field} {p.op.replace('_', ' ')} {p.values}" for p in self.share_of))
        if self.group_by:
            parts.append(f"grouped by {self.group_label or self.group_by}")
            parts.append({"desc": "most first", "asc": "fewest first", "key": "in order"}[self.order])
        if self.limit:
            parts.append(f"top {self.limit}")
        return " ".join(parts)
