"""transformers-specific behaviour: the cached GGUF conversion and batched samples."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from grounding.config import GeneratorConfig, SamplingConfig

pytestmark = pytest.mark.slow

OPEN = [{"role": "user", "content": "Write a short story about a wind turbine."}]


def test_conversion_is_cached_and_reloads_from_safetensors(smollm, gen_cache_dir: Path, converted_before: bool) -> None:
    from grounding.generate.transformers_backend import TransformersGenerator

    folder = gen_cache_dir / "models" / "smollm2-135m-instruct"
    assert smollm.load_info.path == folder and smollm.load_info.converted is (not converted_before)
    assert (folder / "model.safetensors").stat().st_size > 100_000_000  # de-quantized fp32 weights
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".")] == []  # no temp left

    again = TransformersGenerator(GeneratorConfig(backend="transformers"), gen_cache_dir)
    assert again.load_info is None  # construction does not load
    info = again.load()
    assert info.converted is False and info.path == folder
    assert info.seconds < 10.0
    assert again.load() is info  # second call is a no-op


def test_batched_samples_cost_well_under_n_single_calls(smollm) -> None:
    s = SamplingConfig(temperature=1.0, max_new_tokens=16, stop=[], repetition_penalty=1.0, seed=1)
    smollm.generate(OPEN, s)  # warm-up
    t0 = time.perf_counter()
    smollm.generate(OPEN, s)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    smollm.generate(OPEN, s.model_copy(update={"num_samples": 4}))
    four = time.perf_counter() - t0
    assert four < 0.75 * 4 * one, f"4 batched samples took {four:.2f}s vs {one:.2f}s for one"


def test_stream_gives_the_same_text_and_tokens_as_generate(smollm) -> None:
    """transformers' TextIteratorStreamer on the same `generate` call: pieces joined = the greedy text."""
    msgs = [{"role": "user", "content": "Evidence: [P1] The reactor tripped on low steam generator level.\nWhat caused the trip?"}]
    for s in (SamplingConfig(max_new_tokens=24), SamplingConfig(max_new_tokens=40, stop=["steam"])):
        stream = smollm.stream(msgs, s)
        pieces = list(stream)
        plain = smollm.generate(msgs, s)[0]
        assert len(pieces) > 1 and "".join(pieces) == stream.generations[0].text == plain.text
        assert [t.logprob for t in stream.generations[0].tokens] == [t.logprob for t in plain.tokens]


def test_stream_of_several_samples_comes_whole(smollm) -> None:
    s = SamplingConfig(temperature=0.9, num_samples=2, max_new_tokens=8, seed=3)
    stream = smollm.stream(OPEN, s)
    assert list(stream) == [stream.generations[0].text] and len(stream.generations) == 2
