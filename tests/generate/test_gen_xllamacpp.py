"""The default backend, for real: SmolLM2's GGUF in llama.cpp (xllamacpp wheel), logprobs and entropy per token."""

from __future__ import annotations

import math

import pytest

from grounding.config import GeneratorConfig, SamplingConfig
from grounding.generate.errors import GenerationError
from grounding.generate.xllamacpp_backend import XLlamaCppGenerator

pytestmark = pytest.mark.slow

MSGS = [{"role": "user", "content": "Evidence: [P1] The reactor tripped on low steam generator level.\\nWhat caused the trip?"}]


@pytest.fixture(scope="module")
def gen() -> XLlamaCppGenerator:
    g = XLlamaCppGenerator(GeneratorConfig())
    g.load()
    return g


def test_greedy_is_deterministic_with_token_statistics(gen):
    s = SamplingConfig(max_new_tokens=24)
    a, b = gen.generate(MSGS, s)[0], gen.generate(MSGS, s)[0]
    assert a.text and a.text == b.text
    assert a.tokens and "".join(t.text for t in a.tokens) == a.text
    for t in a.tokens:
        assert t.logprob <= 0.0 and math.isfinite(t.logprob)
        assert t.entropy >= 0.0 and len(t.top_logprobs) >= 5
        assert t.top_logprobs[0][1] >= t.logprob - 1e-6  # greedy picks the most likely token
    assert a.prompt_tokens > 10


def test_samples_and_stop_strings(gen):
    s = SamplingConfig(temperature=0.9, num_samples=3, max_new_tokens=16, seed=7)
    outs = gen.generate(MSGS, s)
    assert len(outs) == 3 and all(o.tokens for o in outs)
    stopped = gen.generate(MSGS, SamplingConfig(max_new_tokens=40, stop=["steam"]))[0]
    assert "steam" not in stopped.text


def test_a_prompt_over_the_context_is_a_clear_error():
    g = XLlamaCppGenerator(GeneratorConfig(), n_ctx=64)
    long = [{"role": "user", "content": "word " * 400}]
    with pytest.raises(GenerationError, match="refused the request|context"):
        g.generate(long, SamplingConfig(max_new_tokens=8))


def test_streaming_gives_the_same_tokens_as_generate(gen):
    """What the page shows while the model writes is what the checks then judge."""
    s = SamplingConfig(max_new_tokens=24)
    stream = gen.stream(MSGS, s)
    pieces = list(stream)
    streamed = stream.generations[0]
    plain = gen.generate(MSGS, s)[0]
    assert len(pieces) > 3  # token by token, not one piece at the end
    assert "".join(pieces) == streamed.text == plain.text
    assert [t.text for t in streamed.tokens] == [t.text for t in plain.tokens]
    assert [t.logprob for t in streamed.tokens] == [t.logprob for t in plain.tokens]


def test_streaming_stops_where_generate_stops(gen):
    """A stop string split over tokens is held back: the draft never shows what the answer drops."""
    s = SamplingConfig(max_new_tokens=40, stop=["steam"])
    pieces = list(stream := gen.stream(MSGS, s))
    assert "".join(pieces) == stream.generations[0].text == gen.generate(MSGS, s)[0].text
    assert "steam" not in "".join(pieces)
