"""Stop cutting, best_of ranking and the top-k entropy bound: shared by every backend."""

from __future__ import annotations

import math
import random

from grounding.generate.base import Generation, TokenInfo
from grounding.generate.postprocess import apply_stop, entropy_lower_bound, find_stop, pick_best


def _gen(pieces: list[str], lps: list[float] | None = None) -> Generation:
    lps = lps or [-1.0] * len(pieces)
    return Generation("".join(pieces), [TokenInfo(p, lp, 1.0) for p, lp in zip(pieces, lps)], "length", 3)


def test_stop_cuts_at_earliest_stop_and_trims_tokens() -> None:
    gen = apply_stop(_gen(["Over", "heat", "ing.", " Next", " line"]), ["line", "."])
    assert gen.text == "Overheating"
    assert gen.finish_reason == "stop"
    assert [t.text for t in gen.tokens] == ["Over", "heat", "ing"]
    assert gen.prompt_tokens == 3


def test_stop_absent_keeps_generation() -> None:
    gen = _gen(["a", "b"])
    assert apply_stop(gen, ["zz", ""]) is gen
    assert find_stop("abc", []) == -1


def test_pick_best_orders_by_mean_logprob_and_ranks_empty_last() -> None:
    a, b, c, empty = _gen(["x"], [-2.0]), _gen(["y", "z"], [-0.1, -0.3]), _gen(["w"], [-1.0]), _gen([])
    assert pick_best([a, empty, b, c], 2) == [b, c]
    assert pick_best([empty, a], 2) == [a, empty]


def test_entropy_estimate_is_a_lower_bound_and_exact_with_full_support() -> None:
    rng = random.Random(0)
    for _ in range(50):
        weights = [rng.random() ** 3 for _ in range(40)]
        probs = [w / sum(weights) for w in weights]
        true = -sum(p * math.log(p) for p in probs)
        top = sorted((math.log(p) for p in probs), reverse=True)
        assert entropy_lower_bound(top[:5]) <= true + 1e-9
        assert entropy_lower_bound(top[:5]) <= entropy_lower_bound(top[:10]) + 1e-9
        assert math.isclose(entropy_lower_bound(top), true, rel_tol=1e-9)
    assert entropy_lower_bound([0.0]) == 0.0
