"""The answer agent: retrieve -> select evidence -> generate -> check -> estimate confidence -> decide.

Everything that decides what may be said lives here and in `verify/`; the generator
only phrases. Every generated sentence is checked before it is returned (support,
KG consistency, concept alignment); when nothing survives the answer quotes the best
evidence; when the (calibrated) confidence is not above the threshold it abstains
and says what it found.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from grounding.answer import Answer, Passage, PathEvidence, Sentence
from grounding.compose import best_quote, cause_only_injected, kind_cue, novelty, states_cause_unknown
from grounding.config import Config, SamplingConfig
from grounding.embed.base import Embedder
from grounding.field_answers import FieldAnswer, asked_fields, evidence_line, read_field
from grounding.generate.base import Generation, Generator
from grounding.ontology.graph import OntologyGraph
from grounding.ontology.linker import Linker
from grounding.ontology.paths import kg_paths
from grounding.prompts import NOT_IN_EVIDENCE, answer_messages
from grounding.retrieve.evidence import SelectedPassage, select_evidence
from grounding.retrieve.hybrid import HybridRetriever
from grounding.retrieve.metadata import unit_conflict
from grounding.retrieve.places import wrong_place
from grounding.retrieve.query import QueryFilters
from grounding.store.schema import Report
from grounding.store.sql import SqlStore
from grounding.text import split_sentences
from grounding.verify.calibration import Calibrator, confidence_from
from grounding.verify.consistency import self_consistency
from grounding.verify.kg_check import misaligned, relations
from grounding.verify.support import SupportPolicy, check_sentences

PINNED_META = 0.75  # passages whose report matches this share of the question's facility/date are "pinned"


class QuestionError(ValueError):
    """A question that cannot be answered as asked (empty, too long, nothing indexed)."""


@dataclass
class AskOptions:
    threshold: float | None = None
    sampling: SamplingConfig | None = None
    top_k: int | None = None
    samples: int | None = None  # self-consistency samples (overrides config)


@dataclass
class _Draft:
    """What generation produced, before checks."""

    text: str = ""
    gens: list[Generation] = field(default_factory=list)
    chosen: int = 0
    signals: dict[str, float] = field(default_factory=dict)


def _sentence_token_stats(gen: Generation, sentence: str) -> tuple[float, float] | None:
    """(mean logprob, max entropy) of the tokens that produced `sentence` inside `gen.text`."""
    if not gen.tokens:
        return None
    start = gen.text.find(sentence)
    if start < 0:
        return None
    end = start + len(sentence)
    pos, lps, ents = 0, [], []
    for t in gen.tokens:
        nxt = pos + len(t.text)
        if nxt > start and pos < end:
            lps.append(t.logprob)
            ents.append(t.entropy)
        pos = nxt
    return (sum(lps) / len(lps), max(ents)) if lps else None


class AnswerAgent:
    def __init__(
        self,
        cfg: Config,
        store: SqlStore,
        retriever: HybridRetriever,
        embedder: Embedder,
        generator: Generator,
        onto: OntologyGraph | None = None,
        linker: Linker | None = None,
        calibrator: Calibrator | None = None,
    ) -> None:
        self.cfg = cfg
        self.store = store
        self.retriever = retriever
        self.embedder = embedder
        self.generator = generator
        self.onto = onto
        self.linker = linker
        self.calibrator = calibrator

    # --- input --------------------------------------------------------------------------
    def _validate(self, question: str) -> str:
        q = (question or "").strip()
        if not q:
            raise QuestionError("the question is empty")
        limit = self.cfg.retrieval.max_question_chars
        if len(q) > limit:
            raise QuestionError(f"the question is {len(q):,} characters; the limit is {limit:,} (retrieval.max_question_chars)")
        if self.retriever.dense.index.ntotal == 0:
            raise QuestionError("the index is empty: run `grounding ingest` first")
        return q

    # --- evidence -----------------------------------------------------------------------
    def _passages(
        self, question: str, top_k: int, q_concepts: list[str]
    ) -> tuple[list[Passage], list[SelectedPassage], QueryFilters | None, dict[str, Report]]:
        """Passages [P1].., the selection behind them, the question's filters and the reports they come from."""
        hits, filters = self.retriever.search_with_filters(question, top_k, question_concepts=q_concepts)
        # When the question names the facility/place and date, the answer must come from
        # those reports: another plant's similar event is context the model would misuse.
        pinned = [h for h in hits if h.scores.get("meta", 0.0) >= PINNED_META]
        if pinned:
            hits = pinned
        selected = select_evidence(question, hits, self.embedder, self.cfg.retrieval.max_evidence_sentences)
        reports = self.store.get_reports(p.hit.report_id for p in selected)
        out = []
        for n, p in enumerate(selected, start=1):
            r = reports.get(p.hit.report_id)
            out.append(
                Passage(
                    key=f"P{n}",
                    report_id=p.hit.report_id,
                    chunk_id=p.hit.chunk_id,
                    text=p.text,
                    score=p.score,
                    source_id=r.source_id if r else "",
                    title=r.title if r else "",
                    date=r.date if r else None,
                    facility=(r.facility if r else "") or "",  # the corpus's `facility` field, whatever it is called
                    scores={**p.hit.scores, "evidence": p.score},
                )
            )
        return out, selected, filters, reports

    def _paths(self, q_concepts: list[str], passages: list[Passage]) -> list[PathEvidence]:
        if self.onto is None or not q_concepts or not passages:
            return []
        linked = self.store.concepts_of(p.report_id for p in passages)
        targets = list(dict.fromkeys(rc.concept for p in passages for rc in linked.get(p.report_id, [])))
        paths = kg_paths(self.onto, q_concepts, targets, self.cfg.ontology.max_hops, self.cfg.ontology.max_paths)
        return [
            PathEvidence(f"K{i}", p.as_list(self.onto), p.render(self.onto), list(p.nodes), list(p.entailed))
            for i, p in enumerate(paths, start=1)
        ]

    # --- field answers ------------------------------------------------------------------
    def _field(
        self, question: str, passages: list[Passage], filters: QueryFilters | None, reports: dict[str, Report]
    ) -> tuple[FieldAnswer, Passage] | None:
        """A configured field of the report the question pins by place AND date, read from SQL.

        Several pinned reports that disagree on the field are not a field answer: the
        question is ambiguous, and the generator path (with its lower confidence) takes it.
        """
        specs = self.cfg.answer_field
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
        return answer, passage

    # --- generation ---------------------------------------------------------------------
    def _generate(self, question: str, shown: list[tuple[str, str]], sampling: SamplingConfig, n_samples: int) -> _Draft:
        """One greedy answer, or N samples in ONE batched call whose medoid is the answer."""
        if not shown:
            return _Draft()
        msgs = answer_messages(question, shown)
        if n_samples <= 1:
            gens = self.generator.generate(msgs, sampling.model_copy(update={"num_samples": 1}))
            g = gens[0]
            return _Draft(g.text.strip(), gens, 0, {"gen_mean_logprob": g.mean_logprob, "gen_mean_entropy": g.mean_entropy, "sc_agreement": 1.0})
        temp = sampling.temperature if sampling.temperature > 0 else self.cfg.confidence.sample_temperature
        gens = self.generator.generate(msgs, sampling.model_copy(update={"num_samples": n_samples, "temperature": temp, "best_of": 1}))
        sc = self_consistency([g.text for g in gens], self.embedder)
        g = gens[sc.medoid]
        return _Draft(
            g.text.strip(),
            gens,
            sc.medoid,
            {
                "gen_mean_logprob": g.mean_logprob,
                "gen_mean_entropy": g.mean_entropy,
                "sc_agreement": sc.agreement,
                "sc_abstain_vote": sc.abstain_vote,
            },
        )

    # --- checks -------------------------------------------------------------------------
    def _check(self, q: str, draft: _Draft, shown: list[tuple[str, str]], q_concepts: list[str]) -> tuple[list[Sentence], list[Sentence]]:
        candidates = [] if (not draft.text or NOT_IN_EVIDENCE in draft.text.upper()) else split_sentences(draft.text)
        concept_fn = self.linker.concepts if self.linker else None
        policy = SupportPolicy(self.cfg.verify.min_similarity, self.cfg.verify.min_lexical_precision)
        checks = check_sentences(candidates, shown, self.embedder, policy, concept_fn, question=q)
        gen = draft.gens[draft.chosen] if draft.gens else None
        kept: list[Sentence] = []
        dropped: list[Sentence] = []
        for text, res in zip(candidates, checks):
            s = Sentence(text, res.citations, res.status, res.reason, res.similarity)
            if self.onto is not None and self.linker is not None:
                contra = [r for r in relations(self.onto, self.linker, text) if r.verdict == "contradicts"]
                if contra:
                    s.status, s.citations, s.reason = "contradicted", [], "; ".join(r.reason for r in contra)
                elif s.status == "supported":
                    wrong = misaligned(self.onto, q_concepts, self.linker.concepts(text, fuzzy=False))
                    if wrong:
                        asked, said = wrong[0]
                        s.status, s.citations = "unsupported", []
                        s.reason = f"about {self.onto.label(said)}, but the question asks about {self.onto.label(asked)} (ontology siblings)"
            stats = _sentence_token_stats(gen, text) if gen is not None else None
            if s.status == "supported":
                lp = stats[0] if stats else 0.0
                s.confidence = round(max(0.0, min(1.0, 0.5 * s.support + 0.5 * pow(2.718281828, lp))), 4)
            (kept if s.status == "supported" else dropped).append(s)
        return kept, dropped

    def _signals(self, passages: list[Passage], n_candidates: int, kept: list[Sentence], filters_given: bool) -> dict[str, float]:
        if not passages:
            return {"n_passages": 0.0, "has_filters": float(filters_given)}
        finals = sorted(((p.scores.get("final", 0.0), p.report_id) for p in passages), reverse=True)
        runner_up = next((f for f, rid in finals[1:] if rid != finals[0][1]), 0.0)
        votes = (finals[0][0] - runner_up) * (self.cfg.retrieval.rrf_k + 1)
        top = passages[0]
        return {
            "retrieval_top": max(p.scores.get("dense", 0.0) for p in passages),
            "meta_top": top.scores.get("meta", 0.0),
            "evidence_top": top.scores.get("evidence", 0.0),
            "margin": max(0.0, min(1.0, votes)),
            "support_ratio": (sum(1 for s in kept if s.status == "supported") / n_candidates) if n_candidates else 0.0,
            "kg_match": top.scores.get("kg_match", 0.0),
            "n_passages": float(len(passages)),
            "has_filters": float(filters_given),
        }

    def _wrong_place(self, q: str, filters: QueryFilters | None, kept: list[Sentence], passages: list[Passage], reports: dict[str, Report]) -> str:
        """The place the question names that no cited report is from, or "" (retrieve/places.py)."""
        keys = {c for s in kept for c in s.citations}
        cited_ids = list(dict.fromkeys(p.report_id for p in passages if p.key in keys)) or [p.report_id for p in passages[:1]]
        cited = []
        for rid in cited_ids:
            r = reports.get(rid)
            if r is None:
                continue
            meta = r.meta or {}
            cited.append([r.facility or str(meta.get("facility") or ""), str(meta.get("area_affected") or ""), r.title or "",
                          *(str(v) for v in meta.values() if isinstance(v, str)), r.text or ""])
        return wrong_place(q, filters.facilities if filters else [], cited)

    def default_samples(self) -> int:
        """Config's sample count, unless a calibrator was fitted with a count: its signals must match."""
        if self.calibrator is not None and self.calibrator.samples:
            return self.calibrator.samples
        return self.cfg.confidence.self_consistency_samples

    # --- the job ------------------------------------------------------------------------
    def ask(self, question: str, opts: AskOptions | None = None) -> Answer:
        opts = opts or AskOptions()
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        q = self._validate(question)
        threshold = self.cfg.confidence.threshold if opts.threshold is None else opts.threshold
        sampling = opts.sampling or self.cfg.generator.sampling
        n_samples = opts.samples if opts.samples is not None else self.default_samples()
        if self.cfg.aggregate.enabled:
            # Questions across the archive (counts, rankings, trends, "what usually causes X") are answered
            # from SQL by grounding/aggregate; None = a single-event question, answered below.
            from grounding.aggregate.engine import answer_across

            routed = answer_across(self, q, threshold)
            if routed is not None:
                return routed

        t = time.perf_counter()
        q_concepts = self.linker.concepts(q) if self.linker else []
        passages, selected, filters, reports = self._passages(q, opts.top_k or self.cfg.retrieval.top_k, q_concepts)
        timings["retrieve"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        paths = self._paths(q_concepts, passages)
        timings["kg"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        field_hit = self._field(q, passages, filters, reports)
        if field_hit is not None:
            # The record answers: no model call. The sentence is the cited field line itself.
            passages.append(field_hit[1])
            draft = _Draft("", [], 0, {"gen_mean_logprob": 0.0, "gen_mean_entropy": 0.0, "sc_agreement": 1.0})
            shown = [(p.key, p.text) for p in passages]
        else:
            shown = [(p.key, p.text) for p in passages]
            draft = self._generate(q, shown, sampling, n_samples)
        timings["generate"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        if field_hit is not None:
            fa, fp = field_hit
            reason = f"read from field '{fa.spec.field}' of report {fp.report_id}"
            kept = [] if fa.missing else [Sentence(fp.text, [fp.key], "supported", reason, 1.0)]
            dropped = []
        else:
            kept, dropped = self._check(q, draft, shown, q_concepts)
        n_candidates = len(kept) + len(dropped)
        extractive = False
        if not kept and passages:
            quote = best_quote(q, [(p.key, sp.sentences, sp.sentence_scores) for p, sp in zip(passages, selected)])
            if quote is not None:
                extractive = True
                kept = [
                    Sentence(
                        f'"{quote.text}"', [quote.key], "extractive",
                        f"no generated sentence was supported; quoting the evidence that best answers a '{quote.kind}' question",
                        round(quote.score, 4),
                    )
                ]
        signals = self._signals(passages, n_candidates, kept, bool(filters and not filters.empty))
        signals.update(draft.signals)
        signals["extractive"] = float(extractive)
        signals["field_answer"] = float(field_hit is not None and not field_hit[0].missing)
        said = " ".join(s.text for s in kept)
        signals["kind_cue"] = 1.0 if signals["field_answer"] else kind_cue(q, said)
        signals["novelty"] = 1.0 if signals["field_answer"] else novelty(q, said)
        top = reports.get(passages[0].report_id) if passages else None
        signals["unit_conflict"] = float(unit_conflict(filters.units if filters else [], (top.meta or {}) if top else {}))
        top_texts = [p.text for p in passages if p.report_id == passages[0].report_id]
        signals["cause_unknown"] = float(states_cause_unknown(q, top_texts))
        if self.onto is not None and self.linker is not None and q_concepts:
            answer_concepts = [c for s in kept for c in self.linker.concepts(s.text, fuzzy=False)]
            signals["concept_alignment"] = 0.0 if misaligned(self.onto, q_concepts, answer_concepts) else 1.0
        else:
            signals["concept_alignment"] = 1.0
        contradicted = [s for s in dropped if s.status == "contradicted"]
        signals["kg_contradictions"] = float(len(contradicted))
        confidence = confidence_from(signals, self.calibrator)
        # Hard checks after the confidence (not calibrator inputs): a cause stated only by sentences
        # marked as addressed to an assistant, and an answer citing a report from another place.
        top_marked = [m for sp in selected if sp.hit.report_id == (passages[0].report_id if passages else "") for m in sp.marked]
        signals["injected_cause"] = float(cause_only_injected(q, top_texts, top_marked))
        place = self._wrong_place(q, filters, kept, passages, reports) if field_hit is None else ""
        signals["wrong_place"] = float(bool(place))
        timings["verify"] = (time.perf_counter() - t) * 1000

        reason = ""
        if not passages:
            reason = "no evidence was found"
        elif contradicted:
            reason = f"a generated claim contradicts the ontology ({contradicted[0].reason})"
        elif field_hit is not None and field_hit[0].missing:
            reason = f"report {field_hit[1].report_id} does not record {field_hit[0].spec.label.lower()}"
        elif place:
            reason = f"the question names {place}, but the cited report {passages[0].report_id} is from {passages[0].facility or 'another place'}"
        elif signals["injected_cause"]:
            reason = (f"report {passages[0].report_id} states a cause only in sentences addressed to a reader or an assistant, "
                      "which are not evidence")
        elif confidence <= threshold:
            reason = f"confidence {confidence:.2f} is not above the threshold {threshold:.2f}"
        abstained = bool(reason)
        draft_text = " ".join(f"{s.text} " + "".join(f"[{c}]" for c in s.citations) for s in kept).strip()
        if abstained:
            found = f"; the closest evidence is {passages[0].key}, report {passages[0].report_id}" if passages else ""
            if passages and passages[0].date:
                found += f" ({passages[0].facility or 'unknown place'}, {passages[0].date})"
            text = f"Not enough evidence to answer: {reason}{found}."
        else:
            text = draft_text
        timings["total"] = (time.perf_counter() - t0) * 1000
        return Answer(
            question=q,
            answer=text,
            abstained=abstained,
            confidence=confidence,
            sentences=[] if abstained else kept,
            passages=passages,
            paths=paths,
            dropped=dropped,
            signals=signals,
            question_concepts=q_concepts,
            timings_ms=timings,
            generator=getattr(self.generator, "name", type(self.generator).__name__),
            raw_generation=draft.text,
            draft_answer=draft_text,
        )
