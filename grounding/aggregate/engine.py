"""The aggregate route in the answer agent: route the question, run the typed query, write the Answer.

`answer_across(agent, question, threshold)` returns an `Answer` for aggregate, distribution and
ontology questions and None for the others (the single-event and field path answers them).
"""

from __future__ import annotations

import threading
import time

from grounding.aggregate import compose
from grounding.aggregate.confidence import route_confidence
from grounding.aggregate.router import Route, Router, _Context
from grounding.aggregate.spec import AggQuery
from grounding.answer.result import Answer, Passage, PathEvidence, Sentence
from grounding.store.aggregates import QueryError

_LOCK = threading.Lock()
_CONTEXT: dict[str, tuple[int, _Context]] = {}


def _context(store, cfg) -> _Context:
    """Facilities, corpus date spans and corpora, cached per database until its report count changes."""
    n = store.count_reports()
    with _LOCK:
        hit = _CONTEXT.get(store.url)
        if hit and hit[0] == n:
            return hit[1]
    corpora = sorted(store.corpus_counts())
    plant_corpora = sorted({c for g in cfg.group_by if g.name == "facility" for c in g.fields} & set(corpora)) or corpora
    facilities = store.facility_names(plant_corpora)
    ctx = _Context(facilities, {c: store.corpus_span(c) for c in corpora}, corpora)
    with _LOCK:
        _CONTEXT[store.url] = (n, ctx)
    return ctx


_ROUTERS: dict[tuple, tuple[Router, object]] = {}


def _router(agent) -> Router:
    """One router per (config, ontology, linker, database): agents copied per request share it."""
    key = (id(agent.cfg), id(agent.onto), id(agent.linker), agent.store.url)
    hit = _ROUTERS.get(key)
    if hit is not None and getattr(agent, "_agg_router", None) is None:
        agent._agg_router, agent._agg_cidx = hit
    r = getattr(agent, "_agg_router", None)
    if r is None:
        from grounding.summarize.concepts import ConceptIndex

        cidx = ConceptIndex(agent.onto, agent.cfg.summarize) if agent.onto is not None else None
        store = agent.store

        def corpus_of(sets: list[list[str]]) -> dict[str, int]:
            return store.corpora_of_concepts([c for st in sets for c in st])

        r = Router(agent.cfg, lambda: _context(store, agent.cfg), agent.linker, cidx, agent.onto, corpus_of)
        agent._agg_router = r
        agent._agg_cidx = cidx
        with _LOCK:
            _ROUTERS[key] = (r, cidx)
    return r


def _sample_passages(samples: list[dict], start: int = 1) -> list[Passage]:
    out = []
    for i, s in enumerate(samples, start=start):
        where = ", ".join(x for x in (s["facility"], s["date"] or "") if x)
        text = f"Report {s['report_id']}" + (f" ({where})" if where else "") + f": {s['title']}"
        out.append(Passage(f"P{i}", s["report_id"], -1, text, 1.0, source_id=s["report_id"].split(":", 1)[-1],
                           title=s["title"], date=s["date"], facility=s["facility"], scores={"counted": 1.0}))
    return out


def _cite(text: str, keys: list[str]) -> str:
    return f"{text} " + "".join(f"[{k}]" for k in keys) if keys else text


def refusal(lang: str, reason: str) -> str:
    """The abstention text in the question's language: the lead, then the reason (the route's, in the
    same language, with the configured field and measure names as configured)."""
    if lang == "ko":
        return f"근거가 부족하여 답하지 않습니다: {reason}."
    return f"Not enough evidence to answer: {reason}."


def _below(lang: str, confidence: float, threshold: float) -> str:
    if lang == "ko":
        return f"근거가 부족하여 답하지 않습니다: 신뢰도 {confidence:.2f}가 임계값 {threshold:.2f}를 넘지 않습니다."
    return f"Not enough evidence to answer: confidence {confidence:.2f} is not above the threshold {threshold:.2f}."


def _abstain(q: str, route: Route, reason: str, t0: float, signals: dict | None = None, shown: str = "") -> Answer:
    """`reason` (English) goes into the trace; `shown`, when given, into the answer text instead."""
    sig = {"agg_route": 1.0 if route.kind == "aggregate" else 0.0, "dist_route": 1.0 if route.kind == "distribution" else 0.0, **route.signals, **(signals or {})}
    ans = Answer(question=q, answer=refusal(route.lang, shown or reason), abstained=True, confidence=0.0, signals=sig,
                 generator="sql (aggregate route)", timings_ms={"total": (time.perf_counter() - t0) * 1000})
    ans.route = route.kind
    ans.aggregate = {"route": route.kind, "why": route.why, "unmapped": reason}
    if route.query is not None:
        ans.aggregate["query"] = route.query.describe()
        ans.aggregate["readable"] = route.query.readable()
    return ans


def answer_across(agent, question: str, threshold: float) -> Answer | None:
    t0 = time.perf_counter()
    route = _router(agent).route(question)
    if route.kind in ("single_event", "field"):
        return None
    if route.kind == "ontology":
        return _ontology(agent, question, route, threshold, t0)
    if route.unmapped:
        return _abstain(question, route, route.unmapped, t0, shown=route.reason())
    try:
        if route.kind == "distribution":
            return _distribution(agent, question, route, threshold, t0)
        return _aggregate(agent, question, route, threshold, t0)
    except QueryError as exc:
        return _abstain(question, route, str(exc), t0)


def _years(q: AggQuery, span: tuple[str | None, str | None]) -> list[str]:
    lo = (q.periods[0].start if q.periods else span[0]) or ""
    hi = (q.periods[-1].end if q.periods else span[1]) or ""
    if not lo or not hi:
        return []
    return [str(y) for y in range(int(lo[:4]), int(hi[:4]) + 1)]


def _aggregate(agent, question: str, route: Route, threshold: float, t0: float) -> Answer:
    cfg = agent.cfg.aggregate
    q = route.query
    ctx = _context(agent.store, agent.cfg)
    t = time.perf_counter()
    sample_group = None
    res = agent.store.aggregate(q, cfg.max_report_ids, cfg.cite_reports)
    if q.kind == "rank" and res.rows:
        res_top = agent.store.aggregate(q, cfg.cite_reports, cfg.cite_reports, sample_group=res.rows[0]["group"])
        res.samples = res_top.samples
        sample_group = res.rows[0]["group"]
    sql_ms = (time.perf_counter() - t) * 1000
    facility_names = ctx.facilities if q.group_by == "facility" else {}
    rows = [{**r, "group": facility_names.get(r["group"], r["group"])} for r in res.rows]
    passages = _sample_passages(res.samples)
    keys = [p.key for p in passages]
    lang = route.lang
    result: dict = {}
    if q.kind == "count":
        text = compose.count_sentence(q, res.value, res.reports, res.recorded, lang)
        result = {"value": res.value, "reports": res.reports}
        if q.measure.kind == "sum":
            result["recorded"] = res.recorded
    elif q.kind == "rank":
        text = compose.rank_sentence(q, rows, lang)
        result = {"rows": rows, "top": rows[0]["group"] if rows else None, "value": rows[0]["value"] if rows else 0}
    elif q.kind == "trend":
        by = {str(r["group"]): r["value"] for r in rows}
        series = [(y, by.get(y, 0)) for y in _years(q, ctx.spans.get(q.corpus, (None, None)))]
        text = compose.trend_sentence(q, series, lang)
        result = {"series": dict(series), "value": res.value}
    elif q.kind == "share":
        part = res.part or 0
        text = compose.share_sentence(q, part, res.value, lang)
        result = {"part": part, "total": res.value, "share": round(part / res.value, 6) if res.value else 0.0}
    else:  # compare
        shown = [facility_names.get(g, g) for g in q.compare_groups]
        text = compose.compare_sentence(q, rows, lang, shown)
        by = {str(r["group"]): r["value"] for r in rows}
        result = {"rows": [{"group": g, "value": by.get(g, 0)} for g in shown]}
    if route.notes:
        text += " (" + "; ".join(route.notes) + ".)"
    signals = {"agg_route": 1.0, "agg_place_fuzzy": 0.0, "agg_ambiguous": 0.0, "agg_period_clipped": 0.0, **route.signals}
    signals["agg_empty"] = float(res.reports == 0)
    signals["agg_concepts"] = float(bool(q.concepts))
    signals["has_filters"] = float(bool(q.places or q.periods or q.units))
    signals["field_answer"] = 0.0
    confidence = route_confidence(signals, agent.calibrator)
    sentence = Sentence(text, keys, "supported", f"computed in SQL by the {q.kind} query in aggregate.sql", 1.0, 1.0)
    draft = _cite(text, keys)
    abstained = confidence <= threshold
    answer = draft if not abstained else _below(route.lang, confidence, threshold)
    ans = Answer(
        question=question, answer=answer, abstained=abstained, confidence=confidence,
        sentences=[] if abstained else [sentence], passages=passages, signals=signals,
        question_concepts=list(q.concepts), generator="sql (aggregate route)", draft_answer=draft,
        timings_ms={"sql": sql_ms, "total": (time.perf_counter() - t0) * 1000},
    )
    ans.route = "aggregate"
    ans.aggregate = {
        "route": "aggregate", "kind": q.kind, "why": route.why, "query": q.describe(), "readable": q.readable(),
        "sql": res.sql, "params": res.params, "result": result, "report_ids": res.report_ids,
        "n_reports": res.reports if q.measure.kind == "count" else len(res.report_ids),
        "cited": {p.key: p.report_id for p in passages}, "notes": route.notes,
    }
    if sample_group is not None:
        ans.aggregate["cited_group"] = facility_names.get(sample_group, sample_group)
    return ans


def _distribution(agent, question: str, route: Route, threshold: float, t0: float) -> Answer:
    cfg = agent.cfg.aggregate
    q = route.query
    cidx = getattr(agent, "_agg_cidx", None)
    onto = agent.onto
    if onto is None or cidx is None:
        return _abstain(question, route, "no ontology is loaded, so causes and equipment cannot be told apart", t0)
    cat = route.category
    candidates = sorted(c for c in onto.concepts if cidx.counted(c, (cat,)))
    t = time.perf_counter()
    res = agent.store.distribution(q, candidates, onto.label, cfg.distribution_top, cfg.distribution_examples, cfg.max_report_ids)
    sql_ms = (time.perf_counter() - t) * 1000
    subject = " and ".join(f"'{x}'" for x in q.concept_labels) or " ".join([*q.qualifiers, q.measure.plural or q.measure.label + "s"])
    filt = []
    if q.qualifiers and q.concept_labels:
        filt.append(", ".join(q.qualifiers))
    if q.corpus and q.concept_labels:
        filt.append(f"{q.corpus} reports")
    about = subject + (f" ({'; '.join(filt)})" if filt else "")
    noun = "cause" if cat == "cause" else "equipment"
    rows = res.rows
    top_n = rows[0]["reports"] if rows else 0
    signals = {"dist_route": 1.0, "dist_support": (top_n / res.base_reports) if res.base_reports else 0.0, **route.signals}
    base = {"route": "distribution", "kind": "distribution", "category": cat, "why": route.why, "query": q.describe(),
            "readable": q.readable() + f"; then count their links to {cat} concepts", "sql": res.sql, "params": res.params,
            "result": {"base_reports": res.base_reports, "rows": rows}, "report_ids": res.report_ids}
    if res.base_reports < cfg.distribution_min_reports or top_n < 2:
        reason = (f"the links are too thin to say: {res.base_reports} report(s) are linked to {about}, "
                  f"and the most frequent {noun} concept among them occurs in {top_n}")
        ans = _abstain(question, route, reason, t0, signals)
        ans.aggregate.update(base)
        ans.aggregate["thin"] = True
        return ans
    passages: list[Passage] = []
    sentences: list[Sentence] = []
    reports = agent.store.get_reports(rid for r in rows for rid in r["examples"])
    for r in rows:
        keys = []
        for rid in r["examples"]:
            rep = reports.get(rid)
            if rep is None:
                continue
            passages.extend(_sample_passages([{"report_id": rid, "title": rep.title, "date": rep.date, "facility": rep.facility or ""}], len(passages) + 1))
            keys.append(passages[-1].key)
        r["cited"] = keys
    lang = route.lang
    first = rows[0]
    if lang == "ko":
        lead = f"{about}에 연결된 보고 {res.base_reports:,}건에서 가장 흔한 {'원인' if cat == 'cause' else '설비'}은(는) {first['label']}({first['reports']:,}건)입니다."
    else:
        lead = (f"Of the {res.base_reports:,} reports linked to {about}, the {noun} concept most often linked is "
                f"{first['label']} ({first['reports']:,} reports).")
    sentences.append(Sentence(lead, first["cited"], "supported", "counted in SQL over report-concept links", 1.0, 1.0))
    if len(rows) > 1:
        rest = rows[1:]
        if lang == "ko":
            nxt = "다음은 " + ", ".join(f"{r['label']}({r['reports']:,}건)" for r in rest) + "입니다."
        else:
            nxt = "Next: " + ", ".join(f"{r['label']} ({r['reports']:,})" for r in rest) + "."
        sentences.append(Sentence(nxt, [k for r in rest for k in r["cited"][:1]], "supported", "counted in SQL over report-concept links", 1.0, 1.0))
    note = " Counts are of reports whose text mentions both concepts (entity links), not of verified causes."
    if lang == "ko":
        note = " 수치는 두 개념이 함께 언급된 보고 수(개체 연결)이며, 검증된 원인 수가 아닙니다."
    confidence = route_confidence(signals, agent.calibrator)
    draft = " ".join(_cite(s.text, s.citations) for s in sentences) + note
    abstained = confidence <= threshold
    ans = Answer(
        question=question, answer=draft if not abstained else _below(route.lang, confidence, threshold),
        abstained=abstained, confidence=confidence, sentences=[] if abstained else sentences, passages=passages,
        signals=signals, question_concepts=list(q.concepts), generator="sql (distribution route)", draft_answer=draft,
        timings_ms={"sql": sql_ms, "total": (time.perf_counter() - t0) * 1000},
    )
    ans.route = "distribution"
    ans.aggregate = {**base, "cited": {p.key: p.report_id for p in passages}, "n_reports": res.base_reports}
    return ans


def _ontology(agent, question: str, route: Route, threshold: float, t0: float) -> Answer | None:
    """"Is A a B?": the is-a path (or the disjointness) from grounding/ontology/questions.py, cited as K1.

    Without that module (or without an ontology) the single-event path answers, as before."""
    try:
        from grounding.ontology.questions import is_a_answer
    except ImportError:
        return None
    onto = agent.onto
    if onto is None or route.pair is None:
        return None
    a, b = route.pair
    res = is_a_answer(onto, a, b)
    paths = []
    if res.path is not None:
        p = res.path
        paths.append(PathEvidence("K1", p.as_list(onto), p.render(onto), list(p.nodes), list(getattr(p, "entailed", []) or [])))
    text = res.text(onto)
    text = text[0].upper() + text[1:]
    if not text.endswith("."):
        text += "."
    signals = {"onto_route": 1.0, "onto_entailed": float(res.entailed)}
    why = route.why + [f"A = {onto.label(a)} ({a})", f"B = {onto.label(b)} ({b})"]
    agg = {"route": "ontology", "kind": "is_a", "why": why, "result": res.as_dict(onto)}
    if res.holds is None:
        ans = _abstain(question, route, f"nothing in the ontology makes {onto.label(a)} a kind of {onto.label(b)} (open world: it does not say it is not)", t0, signals)
        ans.aggregate.update(agg)
        ans.paths = paths
        return ans
    confidence = route_confidence(signals, agent.calibrator)
    sentence = Sentence(text, [k.key for k in paths], "supported", "read from the ontology (is-a path or disjointness)", 1.0, 1.0)
    draft = _cite(text, sentence.citations)
    abstained = confidence <= threshold
    ans = Answer(question=question, answer=draft if not abstained else _below(route.lang, confidence, threshold),
                 abstained=abstained, confidence=confidence, sentences=[] if abstained else [sentence], paths=paths, signals=signals,
                 question_concepts=[a, b], generator="ontology (is-a route)", draft_answer=draft,
                 timings_ms={"total": (time.perf_counter() - t0) * 1000})
    ans.route = "ontology"
    ans.aggregate = agg
    return ans
