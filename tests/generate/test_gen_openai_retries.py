"""OpenAIGenerator's retries: what is retried, how long it waits, and what is not retried.

A mocked transport (a unit test of the client alone); tests/generate/test_gen_llamacpp_server.py does
the same against a real llama.cpp server.
"""

from __future__ import annotations

import json
import time

import httpx
import pytest

from grounding.config import GeneratorConfig, SamplingConfig
from grounding.generate.errors import GenerationError
from grounding.generate.openai_backend import OpenAIGenerator

MSGS = [{"role": "user", "content": "Why did breaker B2 trip?"}]
OK = {"choices": [{"index": 0, "message": {"content": "ok"}, "finish_reason": "stop"}]}


def _gen(responses: list, **kw) -> tuple[OpenAIGenerator, list[httpx.Request]]:
    """A client whose server answers `responses` in turn (an exception is raised as the transport's)."""
    seen: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        r = responses[min(len(seen), len(responses)) - 1]
        if isinstance(r, Exception):
            raise r
        return r

    cfg = GeneratorConfig(**{"backend": "openai", "base_url": "http://llm.test/v1", "retry_backoff_s": 0.01, **kw})
    return OpenAIGenerator(cfg, httpx.MockTransport(handler)), seen


@pytest.mark.parametrize("first", [httpx.Response(503, text="loading model"), httpx.Response(429, text="slow down"),
                                   httpx.Response(502, text="bad gateway"), httpx.ConnectError("refused"),
                                   httpx.RemoteProtocolError("server disconnected")])
def test_a_passing_failure_is_retried_and_the_answer_returned(first) -> None:
    gen, seen = _gen([first, first, httpx.Response(200, json=OK)])
    assert gen.generate(MSGS, SamplingConfig())[0].text == "ok"
    assert len(seen) == 3


@pytest.mark.parametrize("final", [httpx.Response(400, text="bad field"), httpx.Response(404, text="no such model"),
                                   httpx.ReadTimeout("slow")])
def test_a_client_error_or_a_read_timeout_is_not_retried(final) -> None:
    gen, seen = _gen([final, httpx.Response(200, json=OK)])
    with pytest.raises(GenerationError):
        gen.generate(MSGS, SamplingConfig())
    assert len(seen) == 1


def test_the_attempts_run_out_with_one_line_naming_them() -> None:
    gen, seen = _gen([httpx.Response(503, text="overloaded")], retries=2)
    with pytest.raises(GenerationError) as err:
        gen.generate(MSGS, SamplingConfig())
    assert len(seen) == 3
    msg = str(err.value)
    assert msg.startswith("http://llm.test/v1/chat/completions returned HTTP 503: overloaded") and "3 attempts" in msg
    assert "\n" not in msg
    gen, seen = _gen([httpx.Response(503, text="x")], retries=0)
    with pytest.raises(GenerationError, match="HTTP 503: x$"):
        gen.generate(MSGS, SamplingConfig())
    assert len(seen) == 1


def test_backoff_doubles_and_retry_after_is_honoured() -> None:
    gen, _ = _gen([httpx.Response(503), httpx.Response(503), httpx.Response(200, json=OK)], retry_backoff_s=0.1)
    t0 = time.monotonic()
    gen.generate(MSGS, SamplingConfig())
    assert time.monotonic() - t0 >= 0.1 + 0.2
    gen, _ = _gen([httpx.Response(429, headers={"Retry-After": "1"}), httpx.Response(200, json=OK)])
    t0 = time.monotonic()
    gen.generate(MSGS, SamplingConfig())
    assert time.monotonic() - t0 >= 1.0


def test_a_stream_is_retried_until_it_starts() -> None:
    body = 'data: {"choices": [{"index": 0, "delta": {"content": "ok"}, "finish_reason": "stop"}]}\n\ndata: [DONE]\n\n'
    gen, seen = _gen([httpx.ConnectError("refused"), httpx.Response(503, text="busy"), httpx.Response(200, text=body)])
    stream = gen.stream(MSGS, SamplingConfig())
    assert "".join(stream) == "ok" and len(seen) == 3


def test_a_server_that_ignores_n_is_asked_once_per_sample() -> None:
    gen, seen = _gen([httpx.Response(200, json=OK)])  # one choice whatever n says (as Ollama)
    outs = gen.generate(MSGS, SamplingConfig(temperature=0.8, num_samples=3, seed=7))
    assert len(outs) == 3
    bodies = [json.loads(r.content) for r in seen]
    assert bodies[0]["n"] == 3 and [b["n"] for b in bodies[1:]] == [1, 1, 1]
    assert [b["seed"] for b in bodies[1:]] == [7, 8, 9]
    gen.generate(MSGS, SamplingConfig(temperature=0.8, num_samples=2))
    assert [json.loads(r.content)["n"] for r in seen[4:]] == [1, 1]  # not sent n > 1 again
