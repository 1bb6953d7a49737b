"""The draft: what the generator wrote from the evidence, before any check.

The model only phrases. One greedy answer, or N samples in ONE batched call whose medoid is
the answer (self-consistency: how much the samples agree is a confidence signal).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grounding.answer.prompts import NOT_IN_EVIDENCE, answer_messages, claims_messages
from grounding.config import SamplingConfig
from grounding.embed.base import Embedder
from grounding.generate.base import Generation, Generator
from grounding.generate.claims import Claim, claims_schema, parse_claims, supports_schema
from grounding.verify.consistency import self_consistency


@dataclass
class Draft:
    """What generation produced, before checks; `signals` are Signals fields (gen_*, sc_*)."""

    text: str = ""
    gens: list[Generation] = field(default_factory=list)
    chosen: int = 0
    signals: dict[str, float] = field(default_factory=dict)
    # Claims output (generate/claims.py): the chosen reply's claims, each with the passages it cites;
    # None when the model wrote free text. `text` is then the claims' text joined.
    claims: list[Claim] | None = None

    @property
    def raw(self) -> str:
        """What the model wrote (the JSON of a claims reply), for the trace."""
        g = self.generation
        return g.text.strip() if g is not None else self.text

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
    output: str = "text",
    claims_max_new_tokens: int = 160,
) -> Draft:
    """One greedy answer, or `n_samples` at `sampling.temperature` (else `sample_temperature`) and their medoid.

    `output="claims"` asks a backend that constrains decoding for claims JSON under a schema whose
    only allowed cites are the shown keys; a backend that cannot gets the free-text prompt.
    """
    if not shown:
        return Draft()
    as_claims = output == "claims" and supports_schema(generator)
    if as_claims:
        msgs = claims_messages(question, shown)
        sampling = sampling.model_copy(update={"json_schema": claims_schema([k for k, _ in shown]),
                                               "max_new_tokens": claims_max_new_tokens})
    else:
        msgs = answer_messages(question, shown)

    def read(g: Generation) -> tuple[str, list[Claim] | None]:
        claims = parse_claims(g.text) if as_claims else None
        if claims is None:
            return g.text.strip(), None
        # No claims is the model's "not in evidence", read downstream exactly as the free-text reply.
        return (" ".join(c.text for c in claims) if claims else NOT_IN_EVIDENCE), claims

    if n_samples <= 1:
        gens = generator.generate(msgs, sampling.model_copy(update={"num_samples": 1}))
        g = gens[0]
        text, claims = read(g)
        return Draft(text, gens, 0, {"gen_mean_logprob": g.mean_logprob, "gen_mean_entropy": g.mean_entropy, "sc_agreement": 1.0}, claims)
    temp = sampling.temperature if sampling.temperature > 0 else sample_temperature
    gens = generator.generate(msgs, sampling.model_copy(update={"num_samples": n_samples, "temperature": temp, "best_of": 1}))
    read_all = [read(g) for g in gens]
    sc = self_consistency([t for t, _ in read_all], embedder)
    g = gens[sc.medoid]
    text, claims = read_all[sc.medoid]
    return Draft(
        text,
        gens,
        sc.medoid,
        {
            "gen_mean_logprob": g.mean_logprob,
            "gen_mean_entropy": g.mean_entropy,
            "sc_agreement": sc.agreement,
            "sc_abstain_vote": sc.abstain_vote,
        },
        claims,
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
