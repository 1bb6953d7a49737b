"""Semantic self-consistency: do independently sampled answers say the same thing?

Agreement is measured by meaning (embedding cosine) and by normalized answer tokens,
never by exact strings; the medoid sample is the consensus answer. This was the best
training-free confidence signal in EliCal (2025).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grounding.embed.base import Embedder
from grounding.answer.prompts import NOT_IN_EVIDENCE
from grounding.verify.support import content_words


@dataclass
class Consistency:
    agreement: float  # 0..1, mean of embedding and token agreement over sample pairs
    embedding_agreement: float
    token_agreement: float
    abstain_vote: float  # share of samples that said the evidence does not answer
    medoid: int  # index of the sample closest to all others


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if (a or b) else 1.0


def self_consistency(samples: list[str], embedder: Embedder) -> Consistency:
    n = len(samples)
    if n == 0:
        return Consistency(0.0, 0.0, 0.0, 0.0, 0)
    abstain = [NOT_IN_EVIDENCE in s.upper() or not s.strip() for s in samples]
    if n == 1:
        return Consistency(1.0, 1.0, 1.0, float(abstain[0]), 0)
    vecs = embedder.embed_passages([s if s.strip() else NOT_IN_EVIDENCE for s in samples])
    sims = np.clip(vecs @ vecs.T, 0.0, 1.0)
    words = [content_words(s) for s in samples]
    tok = np.array([[_jaccard(words[i], words[j]) for j in range(n)] for i in range(n)])
    for i in range(n):  # two abstentions agree fully; an abstention and an answer not at all
        for j in range(n):
            if abstain[i] or abstain[j]:
                sims[i, j] = tok[i, j] = 1.0 if abstain[i] == abstain[j] else 0.0
    off = ~np.eye(n, dtype=bool)
    emb_agree = float(sims[off].mean())
    tok_agree = float(tok[off].mean())
    medoid = int(np.argmax((sims + tok).sum(axis=1)))
    return Consistency((emb_agree + tok_agree) / 2, emb_agree, tok_agree, sum(abstain) / n, medoid)
