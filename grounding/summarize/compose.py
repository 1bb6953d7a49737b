"""One group's summary (the "reduce" step): a few cited sentences chosen by rules, checked like answers.

Which facts make the summary is decided here, never by the model:
- the most common failure: the failure fact most typical of the group (the medoid of the
  failure facts by embedding), taken among the reports linked to the group's most frequent
  equipment concept when one covers at least two reports;
- the main causes: the most typical cause facts (concrete ones before "cause unknown"),
  first among the reports linked to the most frequent cause concept;
- notable events: from metadata only, the highest declared emergency class, then scrams;
- the actions: the most typical action fact (repairs and returns to service first).

The model may then rephrase a fact into a sentence; the rephrasing must pass
`grounding.verify.support.check_sentences` against the fact it came from (numbers, dates,
names, critical words, lexical precision, meaning) or the fact's own text is used. A
sentence also cites every other report of the group whose fact of the same kind supports
it under the same checks (up to `summarize.max_citations`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import numpy as np

from grounding.config import SamplingConfig, SummarizeConfig
from grounding.embed.base import Embedder
from grounding.generate.base import Generator
from grounding.summarize.concepts import ConceptIndex
from grounding.summarize.facts import STRONG_ACTION_RE, UNKNOWN_RE, KeyFact, ReportFacts, report_facts
from grounding.summarize.prompts import rephrase_messages
from grounding.text import split_sentences
from grounding.verify.support import ConceptFn, SupportPolicy, check_sentences, content_words

NEAR_DUPLICATE = 0.9  # two picked facts this close (cosine) say the same thing: keep one
SLOT_TITLES = {"failure": "Most common failure", "cause": "Cause", "notable": "Notable event", "action": "Action"}


@dataclass
class Tools:
    embedder: Embedder
    generator: Generator | None
    concepts: ConceptFn | None
    cidx: ConceptIndex
    cfg: SummarizeConfig
    policy: SupportPolicy
    sampling: SamplingConfig


@dataclass
class _Slot:
    kind: str
    rf: ReportFacts
    fact: KeyFact
    pool: list[tuple[ReportFacts, KeyFact]] = field(default_factory=list)  # other reports that may also support it
    concept: str = ""


_PREFIX = re.compile(r"^\s*(?:here is|here's|rewritten|rephrased|sentence|answer|the same fact|fact|output)\b[^:\n]{0,40}:\s*", re.I)


def clean_generation(text: str) -> str:
    """The model's first sentence, without a "Here is the sentence:" preamble or wrapping quotes."""
    t = _PREFIX.sub("", (text or "").strip()).strip().strip("\"'`“”‘’ ")
    sents = split_sentences(t)
    s = sents[0].strip().strip("\"'`“”‘’ ") if sents else ""
    if len(s) < 15:
        return ""
    return s if s[-1] in ".!?" else s + "."


# Words that set a claim's certainty or polarity. The support checks compare content words, so
# "damage would occur" -> "damage occurred" passes them; a rephrasing must keep exactly these.
_MODALITY = re.compile(
    r"\b(no|not|never|none|nor|without|cannot|can't|won't|didn't|wasn't|weren't|isn't|aren't|would|could|may|might|"
    r"possibl\w*|potential\w*|probabl\w*|likely|unlikely|apparent\w*|suspect\w*|believ\w*|unknown|if|whether|"
    r"preliminar\w*|expected|planned|plans?|will)\b",
    re.I,
)


_CAUSAL = re.compile(
    r"\b(due to|caus\w*|because|as a result|result\w*|led to|leads? to|leading to|attribut\w*|triggered|initiated by|owing to)\b",
    re.I,
)


def modality_change(fact: str, sentence: str) -> str:
    """"" when the sentence keeps the fact's hedges and negations and adds no causal link, else what changed."""
    a = {m.group(1).lower() for m in _MODALITY.finditer(fact)}
    b = {m.group(1).lower() for m in _MODALITY.finditer(sentence)}
    lost, added = sorted(a - b), sorted(b - a)
    causal = sorted({m.group(1).lower() for m in _CAUSAL.finditer(sentence)} - {m.group(1).lower() for m in _CAUSAL.finditer(fact)})
    parts = ([f"drops '{', '.join(lost)}'"] if lost else []) + ([f"adds '{', '.join(added)}'"] if added else [])
    if parts:
        return "changes the fact's certainty or polarity: " + "; ".join(parts)
    if causal:
        return f"states a causal link ('{', '.join(causal)}') the fact does not"
    return ""


_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]+")
ORDER_WINDOW = 3  # two content words adjacent in a rephrasing must be at most this far apart, in order, in the fact


def _content_seq(text: str) -> list[str]:
    return [next(iter(cw)) for w in _TOKEN.findall(text) if (cw := content_words(w))]


def order_change(fact: str, sentence: str) -> str:
    """"" when each pair of adjacent content words of the sentence occurs in that order, close together,
    in the fact; else the first pair that does not ("the period of ERFIS inoperability" must not
    become "the period of Emergency Response Facility activation" by borrowing words from later on)."""
    f = _content_seq(fact)
    pairs = {(f[i], f[j]) for i in range(len(f)) for j in range(i + 1, min(len(f), i + 1 + ORDER_WINDOW))}
    seq = _content_seq(sentence)
    for a, b in zip(seq, seq[1:]):
        if a != b and (a, b) not in pairs:
            return f"puts '{a} … {b}' together, which the fact does not"
    return ""


def _tick(timings: dict, stage: str, t0: float) -> None:
    timings[stage] = timings.get(stage, 0.0) + (time.perf_counter() - t0)


class _Composer:
    def __init__(self, task: dict, facts: list[ReportFacts], links: dict[str, list[str]], tools: Tools, timings: dict) -> None:
        self.task = task
        self.facts = facts
        self.links = links
        self.tools = tools
        self.cfg = tools.cfg
        self.timings = timings
        self.vec: dict[tuple[str, str], np.ndarray] = {}  # (kind, report id) -> embedding of that fact
        self.used: set[str] = set()  # fact texts already in the summary
        self.cited: set[str] = set()  # reports already cited as a sentence's source
        self.dropped: list[dict] = []
        self.n_generated = 0

    # --- choosing facts -------------------------------------------------------------------
    def pool(self, kind: str, subset: set[str] | None = None) -> list[tuple[ReportFacts, KeyFact]]:
        out = []
        for rf in self.facts:
            f = rf.get(kind)
            if f is not None and f.source == "text" and (subset is None or rf.report_id in subset):
                out.append((rf, f))
        return out

    def embed(self, kind: str, items: list[tuple[ReportFacts, KeyFact]]) -> None:
        todo = [(rf, f) for rf, f in items if (kind, rf.report_id) not in self.vec]
        if not todo:
            return
        vecs = self.tools.embedder.embed_passages([f.text for _, f in todo])
        for (rf, _), v in zip(todo, vecs):
            self.vec[(kind, rf.report_id)] = np.asarray(v, dtype=np.float32)

    def top_subset(self, category: str) -> tuple[str, set[str]]:
        """The group's most frequent concept of a category (by top-level class) and its reports, if >= 2."""
        cidx = self.tools.cidx
        counts: dict[str, set[str]] = {}
        for rf in self.facts:
            for c in self.links.get(rf.report_id, []):
                if cidx.counted(c, (category,)):
                    counts.setdefault(cidx.top(c), set()).add(rf.report_id)
        if not counts:
            return "", set()
        top, rids = min(counts.items(), key=lambda kv: (-len(kv[1]), cidx.label(kv[0]), kv[0]))
        return (top, rids) if len(rids) >= 2 else ("", set())

    def medoid(self, kind: str, items: list[tuple[ReportFacts, KeyFact]]) -> int:
        """The most typical fact: highest mean cosine to the others (earliest report on ties)."""
        if len(items) == 1:
            return 0
        m = np.stack([self.vec[(kind, rf.report_id)] for rf, _ in items])
        sims = m @ m.T
        central = (sims.sum(axis=1) - np.diag(sims)) / (len(items) - 1)
        return max(range(len(items)), key=lambda i: (round(float(central[i]), 5), -i))

    def near_duplicate(self, kind: str, rf: ReportFacts, chosen: list[_Slot]) -> bool:
        v = self.vec[(kind, rf.report_id)]
        return any(float(v @ self.vec[(kind, s.rf.report_id)]) > NEAR_DUPLICATE for s in chosen if (kind, s.rf.report_id) in self.vec)

    def pick(self, kind: str, candidates: list[tuple[ReportFacts, KeyFact]], n: int, pool: list, chosen_before: list[_Slot] | None = None, concept: str = "", first: list | None = None) -> list[_Slot]:
        out: list[_Slot] = []
        self.embed(kind, pool)
        def usable(items: list) -> list:
            ok = [(rf, f) for rf, f in items if f.text.casefold() not in self.used and not self.near_duplicate(kind, rf, out + (chosen_before or []))]
            # Real sentences before headline fallbacks (score < 0), then reports the summary does not
            # cite yet: a summary of the group, not of one report.
            for tier in (
                [it for it in ok if it[1].score >= 0 and it[0].report_id not in self.cited],
                [it for it in ok if it[1].score >= 0],
                [it for it in ok if it[0].report_id not in self.cited],
            ):
                if tier:
                    return tier
            return ok

        for i in range(n):
            left = usable(first) if (i == 0 and first) else []
            from_first = bool(left)
            left = left or usable(candidates)
            if not left:
                break
            rf, f = left[self.medoid(kind, left)]
            self.used.add(f.text.casefold())
            self.cited.add(rf.report_id)
            out.append(_Slot(kind, rf, f, [it for it in pool if it[0].report_id != rf.report_id], concept if from_first else ""))
        return out

    def plan(self) -> list[_Slot]:
        cfg = self.cfg
        # Notable events first (they are fixed by metadata), so the other kinds prefer other reports.
        notable_slots: list[_Slot] = []
        ranked = sorted((rf for rf in self.facts if rf.notability > 0), key=lambda rf: (-rf.notability, rf.date or "9999", rf.report_id))
        for rf in ranked:
            if len(notable_slots) >= cfg.max_notable:
                break
            options = [rf.get("failure"), rf.get("consequence"), rf.get("emergency"), rf.get("scram")]
            fact = next((f for f in options if f is not None and f.text.casefold() not in self.used), None)
            if fact is None:
                continue
            self.used.add(fact.text.casefold())
            self.cited.add(rf.report_id)
            notable_slots.append(_Slot("notable", rf, fact))
        slots: list[_Slot] = []
        # What failed most.
        eq, eq_ids = self.top_subset("equipment")
        failures = self.pool("failure")
        if failures:
            preferred = self.pool("failure", eq_ids) if eq_ids else []
            slots += self.pick("failure", failures, 1, failures, concept=eq, first=preferred)
        # Main causes: concrete before "unknown / under investigation".
        causes = self.pool("cause")
        if causes and cfg.max_causes:
            concrete = [it for it in causes if not UNKNOWN_RE.search(it[1].text)] or causes
            ca, ca_ids = self.top_subset("cause")
            preferred = [it for it in concrete if it[0].report_id in ca_ids]
            slots += self.pick("cause", concrete, cfg.max_causes, causes, concept=ca, first=preferred)
        slots += notable_slots
        # Actions: repairs and returns to service first.
        actions = self.pool("action")
        if actions and cfg.max_actions:
            strong = [it for it in actions if STRONG_ACTION_RE.search(it[1].text) and not UNKNOWN_RE.search(it[1].text)]
            slots += self.pick("action", strong or actions, cfg.max_actions, actions)
        return slots

    # --- phrasing and checking ----------------------------------------------------------
    def rephrase(self, slot: _Slot) -> tuple[str, str, float, str]:
        """(text, status, similarity, reason): a checked rephrasing, or the fact as written."""
        fact, rid = slot.fact.text, slot.rf.report_id
        tools = self.tools
        if tools.generator is None or slot.fact.source != "text" or self.n_generated >= self.cfg.max_rephrase_per_group:
            return fact, "extractive", 1.0, "the report's own sentence"
        t0 = time.perf_counter()
        self.n_generated += 1
        gens = tools.generator.generate(rephrase_messages(slot.fact.kind, fact), tools.sampling)
        cand = clean_generation(gens[0].text if gens else "")
        _tick(self.timings, "generate", t0)
        if not cand or cand.casefold() == fact.casefold():
            return fact, "extractive", 1.0, "the model repeated the fact" if cand else "the model wrote no usable sentence"
        t0 = time.perf_counter()
        strict = SupportPolicy(tools.policy.min_similarity, max(tools.policy.min_lexical_precision, self.cfg.rephrase_min_precision))
        res = check_sentences([cand], [(rid, fact)], tools.embedder, strict, tools.concepts)[0]
        reason = res.reason if res.status != "supported" else (modality_change(fact, cand) or order_change(fact, cand))
        _tick(self.timings, "verify", t0)
        if res.status == "supported" and not reason:
            return cand, "rephrased", round(res.similarity, 3), res.reason
        self.dropped.append({"kind": slot.kind, "text": cand, "report": rid, "reason": reason})
        return fact, "extractive", 1.0, f"rephrasing dropped: {reason}"

    def more_citations(self, slot: _Slot, text: str) -> list[str]:
        """Other reports whose fact of the same kind supports the sentence on its own."""
        cites = [slot.rf.report_id]
        if not slot.pool or self.cfg.max_citations <= 1:
            return cites
        t0 = time.perf_counter()
        kind = slot.fact.kind
        v = self.vec[(kind, slot.rf.report_id)]
        ranked = sorted(
            ((float(v @ self.vec[(kind, rf.report_id)]), rf.date or "9999", rf.report_id, f) for rf, f in slot.pool),
            key=lambda x: (-round(x[0], 5), x[1], x[2]),
        )
        extra = []
        for sim, _, rid, f in ranked[: 2 * self.cfg.max_citations]:
            if len(extra) + 1 >= self.cfg.max_citations or sim < self.tools.policy.min_similarity:
                break
            res = check_sentences([text], [(rid, f.text)], self.tools.embedder, self.tools.policy, self.tools.concepts)[0]
            if res.status == "supported":
                extra.append(rid)
        _tick(self.timings, "verify", t0)
        return cites + extra

    def run(self) -> dict:
        t0 = time.perf_counter()
        slots = self.plan()
        _tick(self.timings, "extract", t0)
        sentences = []
        for slot in slots:
            text, status, sim, reason = self.rephrase(slot)
            cites = self.more_citations(slot, text)
            sentences.append(
                {
                    "kind": slot.kind,
                    "text": text,
                    "citations": cites,
                    "status": status,
                    "similarity": sim,
                    "reason": reason,
                    "fact": slot.fact.text,
                    "fact_kind": slot.fact.kind,
                    "concept": self.tools.cidx.label(slot.concept) if slot.concept else "",
                }
            )
        return {"sentences": sentences, "dropped": self.dropped}


def summarize_group(task: dict, reports: dict, links: dict[str, list[str]], tools: Tools, timings: dict) -> dict:
    """The group's payload: its summary sentences with citations, and every member's key facts."""
    t0 = time.perf_counter()
    facts = [report_facts(reports[rid], tools.cfg.max_fact_chars) for rid in task["report_ids"] if rid in reports]
    facts.sort(key=lambda rf: (rf.date or "9999", rf.report_id))
    _tick(timings, "extract", t0)
    body = _Composer(task, facts, links, tools, timings).run()
    return {
        "key": task["key"],
        "label": task["label"],
        "concept": task.get("concept", ""),
        "category": task.get("category", ""),
        "n_reports": len(task["report_ids"]),
        "report_ids": list(task["report_ids"]),
        **body,
        "facts": [rf.to_dict() for rf in facts],
    }
