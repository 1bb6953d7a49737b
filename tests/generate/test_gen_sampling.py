"""Sampling behaviour every local backend must show, on the real SmolLM2 (transformers and llama.cpp)."""

from __future__ import annotations

import math
import threading

import pytest

from grounding.config import SamplingConfig
from grounding.generate.base import Generation, Generator
from grounding.generate.errors import GenerationError

pytestmark = pytest.mark.slow

ASK = [
    {"role": "system", "content": "Answer in one sentence from the evidence."},
    {"role": "user", "content": "Evidence: [E1] The transformer tripped because the oil temperature reached 98 C.\n"
     "Question: Why did the transformer trip?"},
]
OPEN = [{"role": "user", "content": "Write a short story about a wind turbine."}]


def _texts(gens: list[Generation]) -> list[str]:
    return [g.text for g in gens]


def test_greedy_is_deterministic_and_copied_for_num_samples(backend: Generator) -> None:
    s = SamplingConfig(temperature=0.0, max_new_tokens=12)
    first = backend.generate(ASK, s)
    assert len(first) == 1 and first[0].text.strip()
    many = backend.generate(ASK, s.model_copy(update={"num_samples": 2, "seed": 99}))
    assert _texts(many) == [first[0].text] * 2
    # Greedy picks the argmax of the raw logits when no repetition penalty warps them:
    plain = backend.generate(ASK, s.model_copy(update={"repetition_penalty": 1.0}))[0]
    for tok in plain.tokens:
        assert tok.logprob == pytest.approx(tok.top_logprobs[0][1], abs=1e-5)


@pytest.mark.parametrize("only_top", [{"top_k": 1}, {"min_p": 1.0}, {"top_p": 1e-6}], ids=["top_k", "min_p", "top_p"])
def test_truncation_to_the_top_token_equals_greedy(backend: Generator, only_top: dict) -> None:
    """Each truncation control, pushed to its limit, must leave only the argmax token to sample."""
    greedy = backend.generate(ASK, SamplingConfig(temperature=0.0, max_new_tokens=8))[0].text
    sampled = backend.generate(ASK, SamplingConfig(temperature=1.5, max_new_tokens=8, seed=5, **only_top))[0].text
    assert sampled == greedy


def test_same_seed_same_text_different_seed_different_text(backend: Generator) -> None:
    s = SamplingConfig(temperature=1.0, top_p=0.95, max_new_tokens=10, seed=11)
    a, b = backend.generate(OPEN, s), backend.generate(OPEN, s)
    assert _texts(a) == _texts(b)
    others = {backend.generate(OPEN, s.model_copy(update={"seed": seed}))[0].text for seed in (12, 13, 14)}
    assert others - {a[0].text}, "three other seeds all reproduced seed 11's text"


def test_stop_sequence_cuts_text(backend: Generator) -> None:
    s = SamplingConfig(temperature=0.0, max_new_tokens=16)
    whole = backend.generate(ASK, s)[0]
    full = whole.text
    stop = next(t.text for t in whole.tokens[2:] if t.text.startswith(" ") and len(t.text) > 2)
    cut = backend.generate(ASK, s.model_copy(update={"stop": [stop]}))[0]
    assert cut.text == full[: full.index(stop)]
    assert cut.finish_reason == "stop"
    assert "".join(t.text for t in cut.tokens) == cut.text


def test_max_new_tokens_bound_gives_length(backend: Generator) -> None:
    gen = backend.generate(OPEN, SamplingConfig(temperature=0.0, max_new_tokens=5))[0]
    assert len(gen.tokens) == 5 and gen.finish_reason == "length"
    assert gen.prompt_tokens > 10


def test_num_samples_tokens_have_valid_logprobs_and_entropy(backend: Generator) -> None:
    gens = backend.generate(OPEN, SamplingConfig(temperature=0.9, max_new_tokens=8, num_samples=3, seed=3))
    assert len(gens) == 3
    for g in gens:
        assert g.tokens and len(g.tokens) <= 8
        assert "".join(t.text for t in g.tokens) == g.text
        for t in g.tokens:
            assert math.isfinite(t.logprob) and t.logprob <= 0.0
            assert math.isfinite(t.entropy) and t.entropy >= 0.0
            assert len(t.top_logprobs) == 5 and t.logprob <= t.top_logprobs[0][1] + 1e-6
        assert g.mean_entropy > 0.0  # an open prompt is never certain at every step


def test_best_of_returns_highest_mean_logprob_candidates(backend: Generator) -> None:
    base = SamplingConfig(temperature=1.0, max_new_tokens=8, seed=21)
    candidates = backend.generate(OPEN, base.model_copy(update={"num_samples": 4}))
    best = backend.generate(OPEN, base.model_copy(update={"num_samples": 1, "best_of": 4}))
    assert len(candidates) == 4 and len(best) == 1
    assert len(set(_texts(candidates))) > 1
    top = max(candidates, key=lambda g: g.mean_logprob)
    assert best[0].text == top.text
    assert best[0].mean_logprob == pytest.approx(max(g.mean_logprob for g in candidates))


def test_concurrent_calls_are_serialized_and_correct(backend: Generator) -> None:
    s = SamplingConfig(temperature=0.0, max_new_tokens=6)
    expected = backend.generate(ASK, s)[0].text
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(backend.generate(ASK, s)[0].text)) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert results == [expected] * 3


def test_prompt_longer_than_context_is_a_clear_error(backend: Generator) -> None:
    huge = [{"role": "user", "content": "fault " * 9000}]
    with pytest.raises(GenerationError, match="exceeds the model context of 8192"):
        backend.generate(huge, SamplingConfig(max_new_tokens=8))
