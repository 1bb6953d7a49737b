"""Backend-independent steps: cutting at stop strings, ranking best_of, entropy estimates.

Kept apart from the backends so that every backend cuts, ranks and estimates the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from grounding.generate.base import Generation, TokenInfo


def find_stop(text: str, stops: Sequence[str]) -> int:
    """Index of the earliest stop string in `text`, or -1 (OpenAI semantics: the stop is not returned)."""
    hits = [i for i in (text.find(s) for s in stops if s) if i >= 0]
    return min(hits) if hits else -1


def trim_tokens(tokens: list[TokenInfo], n_chars: int) -> list[TokenInfo]:
    """Keep the tokens that cover the first `n_chars` characters, shortening the straddling one.

    This keeps `"".join(t.text for t in tokens) == text` after a stop cut.
    """
    kept: list[TokenInfo] = []
    used = 0
    for tok in tokens:
        if used >= n_chars:
            break
        room = n_chars - used
        if len(tok.text) > room:
            tok = TokenInfo(tok.text[:room], tok.logprob, tok.entropy, tok.top_logprobs)
        kept.append(tok)
        used += len(tok.text)
    return kept


def apply_stop(gen: Generation, stops: Sequence[str]) -> Generation:
    """Cut a generation at its first stop string (marking it "stop"); unchanged if none occurs."""
    cut = find_stop(gen.text, stops)
    if cut < 0:
        return gen
    return Generation(gen.text[:cut], trim_tokens(gen.tokens, cut), "stop", gen.prompt_tokens)


def pick_best(candidates: list[Generation], k: int) -> list[Generation]:
    """The `k` candidates with the highest mean token logprob (best_of); empty ones rank last."""
    ranked = sorted(candidates, key=lambda g: g.mean_logprob if g.tokens else -math.inf, reverse=True)
    return ranked[:k]


def entropy_lower_bound(top_logprobs: Sequence[float]) -> float:
    """Entropy (nats) estimated from the top-k logprobs of one step; never above the true entropy.

    The unseen tail is merged into one outcome of mass 1 - sum(top); merging outcomes can only
    lower entropy, so the estimate is a lower bound that tightens as k grows.
    """
    probs = [math.exp(lp) for lp in top_logprobs if lp is not None and math.isfinite(lp)]
    head = -sum(p * math.log(p) for p in probs if p > 0.0)
    tail = max(0.0, 1.0 - sum(probs))
    return head + (-tail * math.log(tail) if tail > 1e-12 else 0.0)
