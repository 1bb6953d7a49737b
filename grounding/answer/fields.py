"""Field answers: a question about a structured field of the report it names is read from SQL.

"How many customers were affected", "which NERC region", "what mode was the unit in after
the scram": the report's structured record holds the answer. Reading it from the stored
record is exact and citable; asking a small model to copy it is neither. Which questions
ask for which field is config (`[[answer_field]]`), the report is the one the question's
place and date pin, and the model is not asked. A field the pinned report leaves empty is
a reason to abstain, not to guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from grounding.answer.evidence import PINNED_META
from grounding.answer.result import Passage
from grounding.config import AnswerFieldConfig
from grounding.ingest.records import parse_date
from grounding.retrieve.metadata import unit_conflict
from grounding.retrieve.query import QueryFilters, parse_units
from grounding.store.schema import Report


@dataclass
class FieldAnswer:
    spec: AnswerFieldConfig
    value: str  # "" when the report does not record the field

    @property
    def missing(self) -> bool:
        return not self.value


def asked_fields(question: str, specs: list[AnswerFieldConfig], corpus: str) -> list[AnswerFieldConfig]:
    """The configured fields of `corpus` whose question patterns match `question`, in config order."""
    return [s for s in specs if s.corpus == corpus and any(re.search(p, question) for p in s.ask)]


def _lookup(obj: Any, path: list[str]) -> list[Any]:
    """Values at a dotted path; lists are searched element-wise."""
    if not path:
        return [obj]
    if isinstance(obj, list):
        return [v for item in obj for v in _lookup(item, path)]
    if isinstance(obj, dict) and path[0] in obj:
        return _lookup(obj[path[0]], path[1:])
    return []


def _render(value: Any, spec: AnswerFieldConfig) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    if text.upper() in {e.upper() for e in spec.empty}:
        return ""
    if spec.kind == "date":
        return parse_date(text) or ""  # a date without a year ("6:00 p.m. August 14") is not an answer
    return spec.values.get(text.upper(), spec.values.get(text, text))


def _unit_items(items: list[Any], question: str, spec: AnswerFieldConfig) -> list[Any]:
    """For a per-unit list: the unit(s) the question names, else all of them."""
    named = set(parse_units(question))
    if not named or not spec.unit_key:
        return items
    chosen = [i for i in items if isinstance(i, dict) and str(i.get(spec.unit_key, "")).isdigit() and int(i[spec.unit_key]) in named]
    return chosen or items


def read_field(spec: AnswerFieldConfig, columns: dict[str, Any], meta: dict[str, Any], question: str) -> FieldAnswer:
    """Read `spec.field` (else each of `spec.also`) from a report: a column or a dotted path into its metadata."""
    for name in [spec.field, *spec.also]:
        value = _read_one(spec, name, columns, meta, question)
        if value:
            return FieldAnswer(spec, value)
    return FieldAnswer(spec, "")


def _read_one(spec: AnswerFieldConfig, name: str, columns: dict[str, Any], meta: dict[str, Any], question: str) -> str:
    if name in columns:
        return _render(columns[name], spec)
    head, *rest = name.split(".")
    root = meta.get(head)
    if isinstance(root, list) and rest:
        items = _unit_items(root, question, spec)
        per_item = [(i.get(spec.unit_key) if isinstance(i, dict) and spec.unit_key else None, _render(v, spec))
                    for i in items for v in _lookup(i, rest)]
        per_item = [(u, v) for u, v in per_item if v]
        distinct = list(dict.fromkeys(v for _, v in per_item))
        if len(distinct) <= 1:
            return distinct[0] if distinct else ""
        return "; ".join(f"unit {u}: {v}" if u is not None else v for u, v in per_item)
    values = [_render(v, spec) for v in _lookup(root, rest)]
    return "; ".join(v for v in values if v)


def evidence_line(report_id: str, facility: str, date: str | None, label: str, value: str) -> str:
    """The passage a field answer cites: the stored record's field, named by report, place and date."""
    where = ", ".join(x for x in (facility.strip(" :;,"), date or "") if x)
    return f"Report {report_id}" + (f" ({where})" if where else "") + f": {label}: {value}."


@dataclass
class FieldHit:
    """A field answer: the value read, and the passage that cites the stored record's field."""

    answer: FieldAnswer
    passage: Passage


def pinned_field(
    specs: list[AnswerFieldConfig], question: str, passages: list[Passage], filters: QueryFilters | None, reports: dict[str, Report]
) -> FieldHit | None:
    """A configured field of the report the question pins by place AND date, read from SQL.

    Several pinned reports that disagree on the field are not a field answer: the
    question is ambiguous, and the generator path (with its lower confidence) takes it.
    """
    if not specs or filters is None or not (filters.facilities and filters.dates):
        return None
    best = max((p.scores.get("meta", 0.0) for p in passages), default=0.0)
    if best < PINNED_META:
        return None
    # Only the best-matching tier: a report from the day after is not a rival to the one from the day named.
    pinned = [p for p in passages if p.scores.get("meta", 0.0) >= best - 1e-9]
    top = reports.get(pinned[0].report_id)
    if top is None:
        return None
    if unit_conflict(filters.units, top.meta or {}):
        return None  # "Unit 4" of a plant whose report covers units 2 and 3: not this report's field
    wanted = asked_fields(question, specs, top.corpus)
    if not wanted:
        return None
    spec = wanted[0]
    tier = [reports[rid] for rid in dict.fromkeys(p.report_id for p in pinned) if rid in reports]
    answers = {
        r.id: read_field(spec, {"title": r.title, "date": r.date, "facility": r.facility}, r.meta or {}, question)
        for r in tier
        if r.corpus == top.corpus
    }
    if len({a.value for a in answers.values()}) > 1:
        return None
    answer = answers[top.id]
    p0 = pinned[0]
    text = evidence_line(p0.report_id, p0.facility, p0.date, spec.label, answer.value or "not recorded")
    passage = Passage(
        key=f"P{len(passages) + 1}", report_id=p0.report_id, chunk_id=-1, text=text, score=1.0,
        source_id=p0.source_id, title=p0.title, date=p0.date, facility=p0.facility,
        scores={"meta": p0.scores.get("meta", 0.0), "field": 1.0, "pinned_reports": float(len(answers))},
    )
    return FieldHit(answer, passage)
