"""An in-memory catalog of report metadata, for matching questions to facility, place and date.

Tens of thousands of reports fit in a few MB, and scanning them in Python keeps the
matching identical on SQLite and PostgreSQL (no dialect-specific JSON queries). Which metadata
fields hold more dates, places, reactor units and an emergency class is configuration
([retrieval.catalog], grounding.config.CatalogConfig).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as _date

from grounding.config import CatalogConfig
from grounding.retrieve.states import english_names, english_state_names
from grounding.retrieve.query import QueryFilters, parse_dates, parse_emergency_class, parse_units
from grounding.store.base import ReportReads

US_STATES = english_names()

_PUNCT = re.compile(r"[^0-9a-z\uac00-\ud7a3]+")
_UNIT_FIELD = re.compile(r"\[(\d)\]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN_HANGUL = re.compile(r"([0-9a-z.])([\uac00-\ud7a3])")


def norm_place(text: str) -> str:
    t = text.lower().replace("st.", "saint").replace("st ", "saint ")
    if _HANGUL.search(t):
        t = english_state_names(t)  # "텍사스에서" names Texas, as the stored reports do
    # Korean particles attach to the name before them ("Duane Arnold는", "Indiana에서"): split there.
    t = _LATIN_HANGUL.sub(r"\1 \2", t)
    return " " + _PUNCT.sub(" ", t).strip() + " "


@dataclass
class ReportMeta:
    id: str
    date: str | None
    dates: set[str]
    places: set[str]  # normalized, space-padded place keys
    units: set[int]
    emergency: str


@dataclass
class MetaMatch:
    report_id: str
    strength: float  # 0..1: how much of what the question specifies this report matches
    reasons: list[str] = field(default_factory=list)


_DEFAULT = CatalogConfig()


def report_units(meta: dict, fields: CatalogConfig | None = None) -> set[int]:
    """The reactor units a report names (its unit field, "[1] [2]", and its unit list's `unit`s); empty when none."""
    f = fields or _DEFAULT
    out = {int(u) for u in _UNIT_FIELD.findall(str(meta.get(f.unit_field) or ""))} if f.unit_field else set()
    for ru in (meta.get(f.unit_list_field) or []) if f.unit_list_field else []:
        if isinstance(ru, dict) and str(ru.get("unit", "")).isdigit():
            out.add(int(ru["unit"]))
    return out


def unit_conflict(named: Iterable[int], meta: dict, fields: CatalogConfig | None = None) -> bool:
    """The question names reactor units and the report covers others: it is about a different unit."""
    asked, units = set(named), report_units(meta, fields)
    return bool(asked and units and not (asked & units))


def _places(meta: dict, place_fields: Sequence[str]) -> set[str]:
    out = set()
    fac = meta.get("facility")
    if fac:
        out.add(norm_place(str(fac)))
    for name in place_fields:
        area = str(meta.get(name) or "")
        low = norm_place(area)
        for st in US_STATES:
            if f" {st} " in low:
                out.add(f" {st} ")
        for part in re.split(r"[:;,]", area):
            if part.strip():
                out.add(norm_place(part))
    return {p for p in out if p.strip()}


class MetadataCatalog:
    """Loaded lazily from SQL and refreshed when the number of reports changes."""

    def __init__(self, store: ReportReads, fields: CatalogConfig | None = None, place_fields: Sequence[str] = ()) -> None:
        self.store = store
        self.fields = fields or _DEFAULT
        self.place_fields = list(place_fields)  # the corpora's `place_fields`, in config order
        self._rows: list[ReportMeta] = []
        self._places: set[str] = set()
        self._count = -1
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        n = self.store.count_reports()
        if n == self._count:
            return
        f = self.fields
        rows: list[ReportMeta] = []
        for batch in self.store.report_meta_pages(5000):
            for rid, d, meta in batch:
                meta = meta or {}
                dates = {d} if d else set()
                for name in f.date_fields:
                    nd = meta.get(name)
                    if isinstance(nd, str) and len(nd) == 10:
                        dates.add(nd)
                emergency = str(meta.get(f.emergency_field) or "").upper() if f.emergency_field else ""
                rows.append(ReportMeta(rid, d, dates, _places(meta, self.place_fields), report_units(meta, f), emergency))
        self._rows = rows
        self._places = {p for r in rows for p in r.places}
        self._count = n

    def analyze(self, question: str) -> QueryFilters:
        with self._lock:
            self._refresh()
        q = norm_place(question)
        places = sorted((p for p in self._places if p in q), key=len, reverse=True)
        # Drop a place contained in a longer matched one ("cook" inside "d c cook").
        kept: list[str] = []
        for p in places:
            if not any(p in k for k in kept):
                kept.append(p)
        return QueryFilters(
            facilities=[p.strip() for p in kept],
            dates=parse_dates(question),
            units=parse_units(question),
            emergency_class=parse_emergency_class(question),
        )

    def match(self, f: QueryFilters, limit: int = 300) -> list[MetaMatch]:
        """Reports matching the question's facility/place and date (both when both are given)."""
        if not (f.facilities or f.dates):
            return []
        with self._lock:
            self._refresh()
        places = {f" {p} " for p in f.facilities}
        out: list[MetaMatch] = []
        for r in self._rows:
            reasons: list[str] = []
            score = 0.0
            if places:
                if not (r.places & places):
                    continue
                score += 1.0
                reasons.append("place")
            if f.dates:
                hit = _date_hit(f, r.dates)
                if hit == 0.0:
                    continue
                score += hit
                reasons.append("date" if hit == 1.0 else "date range")
            if f.units and r.units & set(f.units):
                score += 0.25
                reasons.append("unit")
            if f.emergency_class and f.emergency_class in r.emergency:
                score += 0.25
                reasons.append("emergency class")
            total = (1.0 if places else 0) + (1.0 if f.dates else 0) + (0.25 if f.units else 0) + (0.25 if f.emergency_class else 0)
            out.append(MetaMatch(r.id, score / total, reasons))
        out.sort(key=lambda m: -m.strength)
        return out[:limit]


def _date_hit(f: QueryFilters, dates: set[str]) -> float:
    """1 for the exact day, 0.75 for a day off (time zones, overnight events), 0.5 inside a range."""
    best = 0.0
    for rng in f.dates:
        for d in dates:
            if rng.exact and d == rng.start:
                return 1.0
            if rng.exact:
                try:
                    off = abs((_date.fromisoformat(d) - _date.fromisoformat(rng.start)).days)
                except ValueError:
                    continue
                if off <= 1:
                    best = max(best, 0.75)
            elif rng.contains(d):
                best = max(best, 0.5)
    return best

