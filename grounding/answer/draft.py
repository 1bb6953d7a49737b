"""The draft: what the generator wrote from the evidence, before any check.

The model only phrases. One greedy answer, or N samples in ONE batched call whose medoid is
the answer (self-consistency: how much the samples agree is a confidence signal).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grounding.answer.prompts import answer_messages
from grounding.config import SamplingConfig
from grounding.embed.base import Embedder
from grounding.generate.base import Generation, Generator
from grounding.verify.consistency import self_consistency


@dataclass
class Draft:
    """What generation produced, before checks; `signals` are Signals fields (gen_*, sc_*)."""

    text: str = ""
    gens: list[Generation] = field(default_factory=list)
    chosen: int = 0
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def generation(self) -> Generation | None:
        """The generation the text comes from (None for a field answer: no model call)."""
        return self.gens[self.chosen] if self.gens else None


def field_draft() -> Draft:
    """A field answer's draft: the record answers, no model call."""
    return Draft("", [], 0, {"gen_mean_logprob": 0.0, "gen_mean_entropy": 0.0, "sc_agreement": 1.0})


def generate_draft(
    generator: Generator,
    embedder: Embedder,
    question: str,
    shown: list[tuple[str, str]],
    sampling: SamplingConfig,
    n_samples: int,
    sample_temperature: float,
) -> Draft:
    """One greedy answer, or `n_samples` at `sampling.temperature` (else `sample_temperature`) and their medoid."""
    if not shown:
        return Draft()
    msgs = answer_messages(question, shown)
    if n_samples <= 1:
        gens = generator.generate(msgs, sampling.model_copy(update={"num_samples": 1}))
        g = gens[0]
        return Draft(g.text.strip(), gens, 0, {"gen_mean_logprob": g.mean_logprob, "gen_mean_entropy": g.mean_entropy, "sc_agreement": 1.0})
    temp = sampling.temperature if sampling.temperature > 0 else sample_temperature
    gens = generator.generate(msgs, sampling.model_copy(update={"num_samples": n_samples, "temperature": temp, "best_of": 1}))
    sc = self_consistency([g.text for g in gens], embedder)
    g = gens[sc.medoid]
    return Draft(
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


def sentence_token_stats(gen: Generation, sentence: str) -> tuple[float, float] | None:
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
