"""The question router: which kind of question this is, and the typed query it maps to.

Deterministic and explainable: every decision is a configured pattern that matched (recorded in
`Route.why`), a place, period or unit read from the question, or an ontology concept linked in it.
It never guesses: an aggregate question it cannot map to a query is a `Route` with `unmapped` set,
naming the part it could not map, and the agent abstains with that reason.

Length (~430 lines): the pattern tables and the typed-query builder are read together when a route is
changed; the SQL itself is in store/aggregate_sql.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grounding.aggregate.periods import exact_day, find_periods
from grounding.aggregate.places import Places, find_places
from grounding.aggregate.spec import AggQuery, Period, PlaceFilter
from grounding.config import Config, GroupByConfig, MeasureConfig
from grounding.retrieve.query import parse_units

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HEAD = re.compile(r"(?i)\b(?:how many|how much|number of|count of)\s+((?:[A-Za-z0-9-]+\s*){1,5})")
_HEAD_STOP = {"were", "was", "did", "does", "do", "have", "has", "had", "are", "is", "in", "at", "from", "by", "for",
              "during", "between", "since", "reported", "occurred", "hit", "happened", "the", "there", "on", "with", "per", "each"}
_NEUTRAL_HEAD = {"times", "total", "more", "fewer", "of", "the", "in", "separate", "distinct", "different", "individual"}
_EQUIPMENT_WORDS = re.compile(r"(?i)\b(?:equipment|components?|systems?|devices?)\b|설비|장비|기기|계통")
_WHICH = re.compile(r"(?i)\b(?:which|what)\s+((?:[A-Za-z-]+\s+){0,2}[A-Za-z-]+)|(?:어느|어떤)\s*(\S+)|(\S+?)(?:은|는|이|가)\s*(?:어디|무엇|어느)")


@dataclass
class Route:
    kind: str  # single_event | field | aggregate | distribution | ontology
    why: list[str] = field(default_factory=list)
    lang: str = "en"
    query: AggQuery | None = None
    unmapped: str = ""  # set: an aggregate/distribution question that could not be mapped, and why
    unmapped_ko: str = ""  # the same reason in Korean, shown to a Korean question
    signals: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # caveats shown with the answer (a clipped period)
    # distribution
    targets: list[str] = field(default_factory=list)
    category: str = ""
    # ontology
    pair: tuple[str, str] | None = None

    def refuse(self, en: str, ko: str) -> None:
        """Mark the question unmapped: `en` goes into the trace, the one in the question's language into the answer."""
        self.unmapped, self.unmapped_ko = en, ko

    def reason(self) -> str:
        return self.unmapped_ko if self.lang == "ko" and self.unmapped_ko else self.unmapped


def _first(patterns: list[str], q: str) -> re.Match | None:
    for p in patterns:
        m = re.search(p, q)
        if m:
            return m
    return None


def _asked(items, q: str, corpus: str | None) -> list:
    """(item, match) for each configured measure / qualifier of `corpus` whose `ask` pattern matches `q`."""
    out = []
    for item in items:
        if corpus and item.corpus != corpus:
            continue
        m = _first(item.ask, q)
        if m is not None:
            out.append((item, m))
    return out


def _extend(q: str, m: re.Match) -> str:
    """The matched text, extended to the end of its last word."""
    end = m.end()
    while end < len(q) and (q[end].isalnum() or q[end] == "-"):
        end += 1
    return q[m.start():end].strip()


@dataclass
class _Context:
    """What the router reads from the store once per question (facilities, corpus spans, concepts)."""

    facilities: dict[str, str]
    spans: dict[str, tuple[str | None, str | None]]
    corpora: list[str]


class Router:
    def __init__(self, cfg: Config, context_fn, linker=None, concept_index=None, onto=None, corpus_of_concepts=None) -> None:
        self.cfg = cfg
        self.acfg = cfg.aggregate
        self._context_fn = context_fn  # () -> _Context
        self.linker = linker
        self.cidx = concept_index
        self.onto = onto
        self._corpus_of_concepts = corpus_of_concepts  # (concept sets) -> {corpus: n reports}

    # --- the decision ---------------------------------------------------------------------
    def route(self, question: str) -> Route:
        q = question.strip()
        lang = "ko" if _HANGUL.search(q) else "en"
        if not self.acfg.enabled:
            return Route("single_event", ["aggregate.enabled = false"], lang)
        m = _first(self.acfg.ontology, q)
        if m is not None and "a" in m.groupdict() and self.linker is not None:
            a, b = m.group("a"), m.group("b")
            ca, cb = self._concepts(a), self._concepts(b)
            if ca and cb:
                return Route("ontology", [f"ontology pattern {m.re.pattern!r}"], lang, pair=(ca[0], cb[0]))
        if exact_day(q):
            return Route("single_event", ["names a day: one event"], lang)
        m = _first(self.acfg.distribution, q)
        if m is not None:
            return self._distribution(q, lang, m)
        for kind in ("share", "trend", "rank", "compare", "count"):
            m = _first(getattr(self.acfg, kind), q)
            if m is not None:
                return self._aggregate(q, lang, kind, m)
        return Route("single_event", ["no aggregate pattern matched"], lang)

    # --- helpers --------------------------------------------------------------------------
    def _concepts(self, text: str) -> list[str]:
        if self.linker is None:
            return []
        out = []
        for m in self.linker.link(text, fuzzy=False):
            if self.cidx is not None and self.cidx.is_root(m.concept):
                continue
            if m.concept not in out:
                out.append(m.concept)
        return out

    def _corpus_cues(self, q: str) -> dict[str, str]:
        out = {}
        for corpus, pats in self.acfg.corpus_cues.items():
            m = _first(pats, q)
            if m is not None:
                out[corpus] = m.group(0)
        return out

    def _measures(self, q: str, corpus: str | None) -> list[tuple[MeasureConfig, re.Match]]:
        found = _asked(self.cfg.measure, q, corpus)
        found.sort(key=lambda t: (-t[0].priority, -(t[1].end() - t[1].start())))
        return found

    def _qualifiers(self, q: str, corpus: str | None):
        return _asked(self.cfg.qualifier, q, corpus)

    def _group(self, q: str, corpus: str, kind: str) -> GroupByConfig | None:
        cands = [g for g in self.cfg.group_by if corpus in g.fields]
        if kind == "trend":
            return next((g for g in cands if g.fields[corpus] == "@year"), None)
        m = _WHICH.search(q)
        if m:
            words = next(x for x in m.groups() if x)
            for g in cands:
                if _first(g.ask, words):
                    return g
        for g in cands:
            if _first(g.ask, q):
                return g
        return None

    # --- aggregates -----------------------------------------------------------------------
    def _aggregate(self, q: str, lang: str, kind: str, km: re.Match) -> Route:
        ctx: _Context = self._context_fn()
        r = Route("aggregate", [f"{kind} pattern {km.re.pattern!r}"], lang)
        cues = self._corpus_cues(q)
        places = find_places(q, ctx.facilities, [c for cs in self.acfg.regions.values() for c in cs], self.acfg.fuzzy_place_threshold)
        corpus, why, why_ko = self._pick_corpus(q, cues, places, ctx)
        r.why += why
        if corpus is None:
            r.refuse(why[-1], why_ko)
            return r
        measures = self._measures(q, corpus)
        if not measures:
            names = ", ".join(m.name for m in self.cfg.measure if m.corpus == corpus)
            r.refuse(f"no measure of the {corpus} reports matches the question (configured: {names})",
                     f"질문에 맞는 {corpus} 보고서의 측정 항목이 없습니다 (설정된 항목: {names})")
            return r
        measure, mm = measures[0]
        r.why.append(f"measure '{measure.name}' ({mm.group(0)!r})")
        for ms, _ in measures:
            um = _first(ms.unless, q)
            if um is not None:
                what, recorded = _extend(q, um), ms.plural or ms.label + "s"
                r.refuse(f"no field records '{what}' (the {corpus} reports record {recorded})",
                         f"'{what}'을(를) 기록하는 필드가 없습니다 ({corpus} 보고서가 기록하는 것: {recorded})")
                return r
        head = _HEAD.search(q)
        if head and lang == "en":
            words = []
            for w in head.group(1).split():
                if w.lower() in _HEAD_STOP:
                    break
                words.append(w)
            if words and words[0].lower() not in _NEUTRAL_HEAD:
                h0, h1 = head.start(1), head.start(1) + len(" ".join(words))
                inside = any(h0 <= m.start() < h1 for _, m in measures) or any(h0 <= m.start() < h1 for _, m in self._qualifiers(q, corpus))
                if not inside:
                    r.refuse(f"no field of the {corpus} reports records '{' '.join(words)}'",
                             f"{corpus} 보고서에는 '{' '.join(words)}'을(를) 기록하는 필드가 없습니다")
                    return r
        query = AggQuery(kind=kind, corpus=corpus, measure=measure, predicates=list(measure.where))
        masks = [mm.span()]
        quals = self._qualifiers(q, corpus)
        for qual, qm in quals:
            masks.append(qm.span())
            r.why.append(f"qualifier '{qual.name}' ({qm.group(0)!r})")
            if kind == "share":
                query.share_of.extend(qual.where)
                query.share_label = (query.share_label + " " + (qual.label_ko or qual.label if lang == "ko" else qual.label)).strip()
            else:
                query.predicates.extend(qual.where)
                query.qualifiers.append(qual.label)
                query.qualifiers_ko.append(qual.label_ko or qual.label)
        if kind == "share" and not query.share_of:
            r.refuse("the question asks for a share but names no configured category to take the share of (a qualifier such as 'severe weather' or 'automatic')",
                     "질문이 비율을 묻지만 비율을 낼 설정된 범주(예: '악천후', '자동' 같은 한정어)를 말하지 않습니다")
            return r
        # places
        unknown = self._places(query, places, corpus, r)
        if unknown:
            r.refuse(f"no plant or place named '{unknown}' in the {corpus} reports",
                     f"{corpus} 보고서에는 '{unknown}'(이)라는 발전소나 장소가 없습니다")
            return r
        # periods
        span = ctx.spans.get(corpus, (None, None))
        periods, ptexts = find_periods(q, span)
        if periods:
            clipped = self._clip(periods, span, corpus, r)
            if r.unmapped:
                return r
            query.periods = clipped
            r.why.append("period " + ", ".join(f"{p.start}..{p.end}" for p in clipped))
        query.units = parse_units(q) if corpus == "nrc" else []
        # group by
        if kind == "compare" or (kind == "count" and len(query.places) == 1 and len(query.places[0].values) > 1 and not any(f.ambiguous for f in places.facilities)):
            self._compare(q, query, periods, r)
            if r.unmapped:
                return r
        elif kind in ("rank", "trend"):
            g = self._group(q, corpus, kind)
            if g is None:
                r.refuse(f"no configured grouping of the {corpus} reports matches what the question ranks",
                         f"질문이 순위를 매기는 대상에 맞는 {corpus} 보고서의 설정된 분류가 없습니다")
                return r
            query.group_by, query.group_label, query.group_label_ko = g.fields[corpus], g.label, g.label_ko or g.label
            r.why.append(f"group by {g.name}")
            if kind == "trend":
                query.order = "key"
            else:
                query.order = "asc" if _first(self.acfg.fewest, q) else "desc"
                top = re.search(r"(?i)\btop\s+(\d+)\b|상위\s*(\d+)", q)
                query.limit = int(next(x for x in top.groups() if x)) if top else self.acfg.rank_rows
        # concepts in what is left of the question
        self._concept_filter(q, query, masks + [(q.find(t), q.find(t) + len(t)) for t in ptexts if t in q], places, r)
        r.query = query
        return r

    def _pick_corpus(self, q: str, cues: dict[str, str], places: Places, ctx: _Context) -> tuple[str | None, list[str], str]:
        """(corpus, why, ""), or (None, [why not], the same in Korean) when the question names no one archive."""
        votes: dict[str, list[str]] = {}
        for c, w in cues.items():
            votes.setdefault(c, []).append(f"cue {w!r}")
        if places.facilities:
            votes.setdefault("nrc" if "nrc" in ctx.corpora else ctx.corpora[0], []).append("plant named")
        if places.regions:
            for c, codes in self.acfg.regions.items():
                if set(places.regions) & set(codes):
                    votes.setdefault(c, []).append(f"region {places.regions[0]}")
        for qual in self.cfg.qualifier:
            if _first(qual.ask, q):
                votes.setdefault(qual.corpus, []).append(f"qualifier {qual.name}")
        for ms in self.cfg.measure:
            if ms.priority > 0 and _first(ms.ask, q):
                votes.setdefault(ms.corpus, []).append(f"measure {ms.name}")
        votes = {c: v for c, v in votes.items() if c in ctx.corpora}
        if len(votes) == 1:
            c = next(iter(votes))
            return c, [f"corpus {c} ({'; '.join(votes[c])})"], ""
        if len(votes) > 1:
            ranked = sorted(votes.items(), key=lambda kv: -len(kv[1]))
            if len(ranked[0][1]) > len(ranked[1][1]):
                return ranked[0][0], [f"corpus {ranked[0][0]} ({'; '.join(ranked[0][1])}; over {ranked[1][0]})"], ""
            pointed = ", ".join(f"{c}: {v[0]}" for c, v in ranked)
            return None, [f"the question points at more than one archive ({pointed})"], f"질문이 둘 이상의 보고서 모음을 가리킵니다 ({pointed})"
        concepts = self._concepts(q)
        if concepts and self._corpus_of_concepts is not None and self.onto is not None:
            sets = [sorted({c} | self.onto.descendants(c)) for c in concepts]
            counts = self._corpus_of_concepts(sets)
            if counts:
                c = max(counts, key=lambda k: counts[k])
                return c, [f"corpus {c} (most reports linked to the question's concepts)"], ""
        if len(ctx.corpora) == 1:
            return ctx.corpora[0], [f"corpus {ctx.corpora[0]} (the only one stored)"], ""
        return (None, [f"the question does not say which archive it is about ({' or '.join(ctx.corpora)})"],
                f"질문이 어느 보고서 모음({' 또는 '.join(ctx.corpora)})에 관한 것인지 말하지 않습니다")

    def _places(self, query: AggQuery, places: Places, corpus: str, r: Route) -> str:
        if places.unknown:
            return places.unknown[0]
        facs = places.facilities if corpus == "nrc" or "facility" in {g.fields.get(corpus) for g in self.cfg.group_by} else []
        if facs:
            keys = [k for f in facs for k in f.keys]
            shown = [s for f in facs for s in f.shown]
            match = "fuzzy" if any(f.match == "fuzzy" for f in facs) else "exact"
            query.places.append(PlaceFilter("facility", keys, shown, match))
            r.signals["agg_place_fuzzy"] = float(match == "fuzzy")
            r.signals["agg_ambiguous"] = float(any(f.ambiguous for f in facs))
            r.why.append(f"plant {' / '.join(shown)} ({match})")
        if places.states:
            sf = self.acfg.state_field.get(corpus)
            if sf:
                query.places.append(PlaceFilter("state", [c for _, c in places.states], [n.title() for n, _ in places.states], field=sf))
            else:
                query.places.append(PlaceFilter("area", [n for n, _ in places.states], [n.title() for n, _ in places.states]))
            r.why.append(f"state {', '.join(n.title() for n, _ in places.states)}")
        if places.regions and corpus in self.acfg.region_field:
            query.places.append(PlaceFilter("region", list(places.regions), list(places.regions), field=self.acfg.region_field[corpus]))
            r.why.append(f"region {', '.join(places.regions)}")
        return ""

    def _clip(self, periods: list[Period], span, corpus: str, r: Route) -> list[Period]:
        lo, hi = span
        if lo is None or hi is None:
            return periods
        out = []
        for p in periods:
            if p.end < lo or p.start > hi:
                continue
            s, e = max(p.start, lo), min(p.end, hi)
            if (s, e) != (p.start, p.end) and (p.start[:4] < lo[:4] or p.end[:4] > hi[:4]):
                r.notes.append(f"the {corpus} reports cover {lo} to {hi}; {p.text} is counted over {s}..{e}")
                r.signals["agg_period_clipped"] = 1.0
            out.append(Period(s, e, p.text))
        if not out:
            asked = ", ".join(p.text for p in periods)
            r.refuse(f"the {corpus} reports cover {lo[:4]}-{hi[:4]}; {asked} is outside that",
                     f"{corpus} 보고서는 {lo[:4]}-{hi[:4]}년을 다룹니다. {asked}은(는) 그 범위 밖입니다")
            r.signals["agg_period_outside"] = 1.0
        return out

    def _compare(self, q: str, query: AggQuery, periods: list[Period], r: Route) -> None:
        fac = [p for p in query.places if p.kind == "facility"]
        if fac and len(fac[0].values) > 1:
            query.kind = "compare"
            query.group_by, query.group_label = "facility", "plant"
            query.compare_groups = list(fac[0].values)
            query.order = "desc"
            r.why.append("compare plants")
            return
        years = sorted({p.start[:4] for p in periods if p.start[:4] == p.end[:4]})
        if len(years) > 1:
            query.kind = "compare"
            query.group_by, query.group_label = "@year", "year"
            query.compare_groups = years
            query.order = "key"
            r.why.append("compare years")
            return
        if query.kind == "compare":
            r.refuse("the question compares, but names fewer than two plants or years to compare",
                     "질문이 비교를 묻지만 비교할 발전소나 연도를 둘 이상 말하지 않습니다")

    def _concept_filter(self, q: str, query: AggQuery, masks, places: Places, r: Route) -> None:
        if self.linker is None or self.onto is None:
            return
        chars = list(q)
        for a, b in masks:
            for i in range(max(a, 0), min(b, len(chars))):
                chars[i] = " "
        rest = "".join(chars)
        for f in query.places:
            for s in f.shown:
                rest = re.sub(re.escape(s), " ", rest, flags=re.I)
        rest = self._mask_configured(rest, query.corpus)
        for c in self._concepts(rest):
            subtree = sorted({c} | self.onto.descendants(c))
            query.concepts.append(c)
            query.concept_labels.append(self.onto.label(c))
            query.concept_sets.append(subtree)
            r.why.append(f"concept '{self.onto.label(c)}' and {len(subtree) - 1} subclasses")

    def _mask_configured(self, text: str, corpus: str | None) -> str:
        """Blank every occurrence of a configured word (measures, qualifiers, groupings, corpus cues, route
        patterns): what is left is what the question says about the events themselves."""
        pats = [p for g in self.cfg.group_by for p in g.ask]
        pats += [p for ms in self.cfg.measure if not corpus or ms.corpus == corpus for p in ms.ask]
        pats += [p for qu in self.cfg.qualifier if not corpus or qu.corpus == corpus for p in qu.ask]
        pats += [p for ps in self.acfg.corpus_cues.values() for p in ps]
        pats += [p for k in ("share", "trend", "rank", "compare", "count", "fewest") for p in getattr(self.acfg, k)]
        for p in pats:
            text = re.sub(p, lambda m: " " * len(m.group(0)), text)
        return text

    # --- distributions --------------------------------------------------------------------
    def _distribution(self, q: str, lang: str, dm: re.Match) -> Route:
        ctx: _Context = self._context_fn()
        r = Route("distribution", [f"distribution pattern {dm.re.pattern!r}"], lang)
        r.category = "equipment" if _EQUIPMENT_WORDS.search(q) else "cause"
        cues = self._corpus_cues(q)
        places = find_places(q, ctx.facilities, [c for cs in self.acfg.regions.values() for c in cs], self.acfg.fuzzy_place_threshold)
        corpus = None
        if cues or places.facilities or places.regions or self._qualifiers(q, None):
            corpus, why, _ = self._pick_corpus(q, cues, places, ctx)
            r.why += why
        chars = list(q)
        for a, b in [dm.span()] + [qm.span() for _, qm in self._qualifiers(q, corpus)]:
            for i in range(a, b):
                chars[i] = " "
        rest = re.sub(_EQUIPMENT_WORDS, " ", "".join(chars))
        for pats in self.acfg.corpus_cues.values():
            for p in pats:
                rest = re.sub(p, " ", rest)
        targets = self._concepts(rest)
        measure = next((ms for ms in self.cfg.measure if ms.corpus == corpus and ms.kind == "count"), None) if corpus else None
        query = AggQuery(kind="count", corpus=corpus or "", measure=measure or MeasureConfig(name="report", corpus=corpus or "*", label="report", ask=[".^"]))
        if corpus:
            specific = [(ms, m) for ms, m in self._measures(q, corpus) if ms.priority > 0 and ms.kind == "count"]
            if specific:
                query.measure = specific[0][0]
                query.predicates.extend(specific[0][0].where)
                r.why.append(f"measure '{specific[0][0].name}' ({specific[0][1].group(0)!r})")
        for qual, qm in self._qualifiers(q, corpus):
            query.predicates.extend(qual.where)
            query.qualifiers.append(qual.label)
            r.why.append(f"qualifier '{qual.name}'")
        if places.unknown:
            r.refuse(f"no plant or place named '{places.unknown[0]}' in the archive",
                     f"보고서 모음에는 '{places.unknown[0]}'(이)라는 발전소나 장소가 없습니다")
            return r
        if corpus:
            self._places(query, places, corpus, r)
            span = ctx.spans.get(corpus, (None, None))
            periods, _ = find_periods(q, span)
            if periods:
                query.periods = self._clip(periods, span, corpus, r)
                if r.unmapped:
                    return r
        if not targets and not query.predicates:
            r.refuse("no ontology concept in the question names what the causes or equipment are asked of",
                     "질문에 원인이나 설비를 묻는 대상을 가리키는 온톨로지 개념이 없습니다")
            return r
        for c in targets:
            query.concepts.append(c)
            query.concept_labels.append(self.onto.label(c) if self.onto is not None else c)
            query.concept_sets.append(sorted({c} | (self.onto.descendants(c) if self.onto is not None else set())))
        r.targets = targets
        r.query = query
        return r
