"""The answer agent: route -> evidence -> draft -> check -> measure -> decide.

Everything that decides what may be said lives in this package and in `verify/`; the
generator only phrases. Every generated sentence is checked before it is returned (support,
KG consistency, concept alignment); when nothing survives the answer quotes the best
evidence; when the (calibrated) confidence is not above the threshold it abstains and says
what it found. Each step is a module of grounding/answer/; `ask` only runs them in order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from grounding.answer.check import check_draft, cited_wrong_place
from grounding.answer.compose import QuestionKinds, best_quote, cause_only_injected
from grounding.answer.decision import Frame, abstain_reason, decide
from grounding.answer.draft import Draft, field_draft, generate_draft
from grounding.answer.bridge import english_bridge
from grounding.answer.evidence import Evidence, find_passages, find_paths
from grounding.answer.fields import FieldHit
from grounding.answer.frame import is_korean
from grounding.answer.measure import measure
from grounding.answer.result import Answer, Sentence
from grounding.answer.route import route_archive, route_evidence
from grounding.config import Config, SamplingConfig
from grounding.embed.base import Embedder
from grounding.generate.base import Generator
from grounding.ontology.graph import OntologyGraph
from grounding.ontology.linker import Linker
from grounding.retrieve.hybrid import HybridRetriever
from grounding.store.base import ReportStore
from grounding.verify.calibration import Calibrator, confidence_from


class QuestionError(ValueError):
    """A question that cannot be answered as asked (empty, too long, nothing indexed)."""


@dataclass
class AskOptions:
    threshold: float | None = None
    sampling: SamplingConfig | None = None
    top_k: int | None = None
    samples: int | None = None  # self-consistency samples (overrides config)


class _Clock:
    """Milliseconds per stage, in the order the stages ran (`Answer.timings_ms`)."""

    def __init__(self) -> None:
        self.t0 = self.t = time.perf_counter()
        self.ms: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.ms[stage] = (now - self.t) * 1000
        self.t = now

    def total(self) -> dict[str, float]:
        self.ms["total"] = (time.perf_counter() - self.t0) * 1000
        return self.ms


def _field_sentences(hit: FieldHit) -> list[Sentence]:
    """A field answer's sentence is the cited field line itself (none when the field is empty)."""
    reason = f"read from field '{hit.answer.spec.field}' of report {hit.passage.report_id}"
    return [] if hit.answer.missing else [Sentence(hit.passage.text, [hit.passage.key], "supported", reason, 1.0)]


def _quote(question: str, ev: Evidence, kinds: QuestionKinds) -> list[Sentence]:
    """No generated sentence survived: quote the evidence that best answers (answer/compose.py), if any."""
    quote = best_quote(question, [(p.key, sp.sentences, sp.sentence_scores) for p, sp in zip(ev.passages, ev.selected)], kinds, ev.bridge)
    if quote is None:
        return []
    why = f"no generated sentence was supported; quoting the evidence that best answers a '{quote.kind}' question"
    return [Sentence(f'"{quote.text}"', [quote.key], "extractive", why, round(quote.score, 4))]


class AnswerAgent:
    def __init__(
        self,
        cfg: Config,
        store: ReportStore,
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
        self.kinds = QuestionKinds(cfg.question_kind)

    def _frame(self, q: str, ev: Evidence, hit: FieldHit | None) -> Frame | None:
        """The Korean frame's parts for a Korean question; None for any other."""
        if not is_korean(q):
            return None
        topic = (hit.answer.spec.label_ko or hit.answer.spec.label) if hit is not None else self.kinds.label_ko(self.kinds.kind(q))
        return Frame(q, list(ev.filters.units) if ev.filters else [], topic, field=hit is not None)

    def _validate(self, question: str) -> str:
        q = (question or "").strip()
        if not q:
            raise QuestionError("the question is empty")
        limit = self.cfg.retrieval.max_question_chars
        if len(q) > limit:
            raise QuestionError(f"the question is {len(q):,} characters; the limit is {limit:,} (retrieval.max_question_chars)")
        if self.retriever.dense.index.count() == 0:
            raise QuestionError("the index is empty: run `grounding ingest` first")
        return q

    def default_samples(self) -> int:
        """Config's sample count, unless a calibrator was fitted with a count: its signals must match."""
        if self.calibrator is not None and self.calibrator.samples:
            return self.calibrator.samples
        return self.cfg.confidence.self_consistency_samples

    def _evidence(self, q: str, top_k: int, clock: _Clock) -> Evidence:
        concepts = self.linker.concepts(q) if self.linker else []
        bridge = english_bridge(q, concepts, self.onto, self.kinds.kind(q))
        ev = find_passages(self.cfg, self.store, self.retriever, self.embedder, q, top_k, concepts, bridge)
        clock.lap("retrieve")
        ev.paths = find_paths(self.cfg, self.store, self.onto, concepts, ev.passages)
        clock.lap("kg")
        return ev

    def ask(self, question: str, opts: AskOptions | None = None) -> Answer:
        opts = opts or AskOptions()
        clock = _Clock()
        q = self._validate(question)
        threshold = self.cfg.confidence.threshold if opts.threshold is None else opts.threshold
        sampling = opts.sampling or self.cfg.generator.sampling
        n_samples = opts.samples if opts.samples is not None else self.default_samples()
        routed = route_archive(self, q, threshold)
        if routed.answer is not None:
            return routed.answer

        clock.t = time.perf_counter()
        ev = self._evidence(q, opts.top_k or self.cfg.retrieval.top_k, clock)
        hit = route_evidence(self.cfg, q, ev).field_hit
        if hit is not None:
            ev.passages.append(hit.passage)  # the record answers: no model call
        shown = [(p.key, p.text) for p in ev.passages]
        draft: Draft = field_draft() if hit is not None else generate_draft(
            self.generator, self.embedder, q, shown, sampling, n_samples, self.cfg.confidence.sample_temperature,
            self.cfg.generator.output, self.cfg.generator.claims_max_new_tokens)
        clock.lap("generate")

        if hit is not None:
            kept, dropped = _field_sentences(hit), []
        else:
            kept, dropped = check_draft(self.cfg, self.embedder, self.onto, self.linker, q, draft, shown, ev.concepts)
        n_candidates = len(kept) + len(dropped)
        extractive = False
        if not kept and ev.passages:
            kept = _quote(q, ev, self.kinds)
            extractive = bool(kept)
        signals = measure(q, ev, draft, kept, dropped, n_candidates, extractive, hit, self.cfg.retrieval.rrf_k, self.onto, self.linker, self.kinds)
        confidence = confidence_from(signals, self.calibrator)
        # Hard checks after the confidence (not calibrator inputs): a cause stated only by sentences
        # marked as addressed to an assistant, and an answer citing a report from another place.
        signals.injected_cause = float(cause_only_injected(q, ev.top_texts(), ev.top_marked(), self.kinds))
        place = cited_wrong_place(self.cfg, q, ev.filters, kept, ev.passages, ev.reports, self.onto) if hit is None else ""
        signals.wrong_place = float(bool(place))
        clock.lap("verify")

        reason = abstain_reason(confidence, threshold, ev.passages, dropped, hit, place, bool(signals.injected_cause))
        decision = decide(reason, kept, ev.passages, self._frame(q, ev, hit))
        return Answer(
            question=q,
            answer=decision.text,
            abstained=decision.abstained,
            confidence=confidence,
            sentences=[] if decision.abstained else kept,
            passages=ev.passages,
            paths=ev.paths,
            dropped=dropped,
            signals=signals.as_dict(),
            question_concepts=ev.concepts,
            timings_ms=clock.total(),
            generator=getattr(self.generator, "name", type(self.generator).__name__),
            raw_generation=draft.raw,
            draft_answer=decision.draft,
        )
