"""OpenAIGenerator and the OpenAI-compatible server: request shape, errors, real HTTP round trips."""

from __future__ import annotations

import json
import math

import httpx
import pytest

from grounding.config import GeneratorConfig, SamplingConfig
from grounding.generate.base import Generation, Message, TextStream, TokenInfo
from grounding.generate.errors import GenerationError
from grounding.generate.openai_backend import OpenAIGenerator
from grounding.generate.openai_server import make_app
from grounding.generate.postprocess import entropy_lower_bound

MSGS = [{"role": "user", "content": "Why did breaker B2 trip?"}]


class ScriptedGenerator:
    """A fake backend: records what reached it; sample i is "answer i" and sample 2 is the most likely."""

    name = "scripted"

    def __init__(self) -> None:
        self.calls: list[tuple[list[Message], SamplingConfig]] = []

    def generate(self, messages: list[Message], sampling: SamplingConfig) -> list[Generation]:
        self.calls.append((messages, sampling))
        return [
            Generation(
                f"answer {i}",
                [
                    TokenInfo("answer", -0.5, 1.25, [("answer", -0.5), ("reply", -1.5)]),
                    TokenInfo(f" {i}", -0.3 + 0.1 * i, 0.25, [(f" {i}", -0.3 + 0.1 * i)]),
                ],
                "length" if i else "stop",
                7,
            )
            for i in range(sampling.num_samples)
        ]

    def stream(self, messages: list[Message], sampling: SamplingConfig) -> TextStream:
        return TextStream.whole(self.generate(messages, sampling))


def _client(url: str, **kw) -> OpenAIGenerator:
    return OpenAIGenerator(GeneratorConfig(**{"backend": "openai", "base_url": url, "model": "m", "timeout_s": 30,
                                              "retry_backoff_s": 0.01, **kw}))


def _mock(handler) -> OpenAIGenerator:
    return OpenAIGenerator(GeneratorConfig(backend="openai", base_url="http://llm.test/v1", retry_backoff_s=0.01),
                           httpx.MockTransport(handler))


# -- fast: scripted backend behind a real server, or a mocked transport ------------------------


def test_round_trip_maps_every_sampling_control(serve) -> None:
    backend = ScriptedGenerator()
    url = serve(make_app(backend))
    s = SamplingConfig(temperature=0.7, top_k=5, top_p=0.9, min_p=0.05, repetition_penalty=1.2,
                       max_new_tokens=33, stop=["\n\n"], seed=42, num_samples=2)
    gens = _client(url).generate(MSGS, s)
    (messages, got), = backend.calls
    assert messages == MSGS
    assert got.model_dump() == s.model_dump()
    assert [g.text for g in gens] == ["answer 0", "answer 1"]
    assert [g.finish_reason for g in gens] == ["stop", "length"]
    assert gens[1].prompt_tokens == 7
    assert [(t.text, t.logprob, t.entropy) for t in gens[1].tokens] == [("answer", -0.5, 1.25), (" 1", pytest.approx(-0.2), 0.25)]
    assert gens[0].tokens[0].top_logprobs == [("answer", -0.5), ("reply", -1.5)]


def test_best_of_is_ranked_client_side(serve) -> None:
    backend = ScriptedGenerator()
    gens = _client(serve(make_app(backend))).generate(MSGS, SamplingConfig(temperature=1.0, num_samples=1, best_of=3))
    assert backend.calls[0][1].num_samples == 3
    assert [g.text for g in gens] == ["answer 2"]


def test_entropy_is_estimated_when_the_server_does_not_send_it(serve) -> None:
    url = serve(make_app(ScriptedGenerator(), expose_entropy=False))
    tok = _client(url).generate(MSGS, SamplingConfig())[0].tokens[0]
    assert tok.entropy == pytest.approx(entropy_lower_bound([-0.5, -1.5]))
    assert 0.0 < tok.entropy < 1.25 + 1e-9


def test_server_models_streaming_and_validation(serve) -> None:
    url = serve(make_app(ScriptedGenerator(), "smollm2"))
    assert httpx.get(f"{url}/models").json()["data"][0]["id"] == "smollm2"
    body = {"messages": MSGS, "stream": True, "logprobs": True, "stream_options": {"include_usage": True}}
    r = httpx.post(f"{url}/chat/completions", json=body)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = [line[6:] for line in r.text.splitlines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]" and json.loads(events[-2])["usage"]["prompt_tokens"] == 7
    r = httpx.post(f"{url}/chat/completions", json={"messages": MSGS, "n": 0})
    assert r.status_code == 422
    r = httpx.post(f"{url}/chat/completions", json={"messages": MSGS, "stop": "x", "max_tokens": 3})
    assert r.status_code == 200 and r.json()["choices"][0]["logprobs"] is None  # logprobs not asked


def test_stream_round_trip_keeps_text_tokens_and_usage(serve) -> None:
    """The client's SSE parsing against our server: the same Generation as the plain request."""
    url = serve(make_app(ScriptedGenerator()))
    s = SamplingConfig(temperature=0.0, num_samples=2)
    stream = _client(url).stream(MSGS, s)
    assert list(stream) == ["answer 0"]
    plain = _client(url).generate(MSGS, s)
    assert [g.text for g in stream.generations] == [g.text for g in plain]
    assert [(t.text, t.logprob, t.entropy) for t in stream.generations[0].tokens] == [(t.text, t.logprob, t.entropy) for t in plain[0].tokens]
    assert stream.generations[0].prompt_tokens == 7


def test_stream_holds_back_a_stop_string_split_over_chunks() -> None:
    chunks = ["The pump", " tripped. ST", "OP here"]
    sse = "".join("data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": c}}]}) + "\n\n" for c in chunks)
    sse += "data: " + json.dumps({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}) + "\n\ndata: [DONE]\n\n"
    gen = _mock(lambda req: httpx.Response(200, text=sse, headers={"content-type": "text/event-stream"}))
    stream = gen.stream(MSGS, SamplingConfig(stop=["STOP"]))
    pieces = list(stream)
    assert "".join(pieces) == stream.generations[0].text == "The pump tripped. "
    assert all("ST" not in p for p in pieces)


def test_stream_errors_are_generation_errors() -> None:
    with pytest.raises(GenerationError, match="HTTP 503"):
        list(_mock(lambda req: httpx.Response(503, text="busy")).stream(MSGS, SamplingConfig()))
    bad = 'data: {"error": {"message": "context too long"}}\n\n'
    with pytest.raises(GenerationError, match="context too long"):
        list(_mock(lambda req: httpx.Response(200, text=bad)).stream(MSGS, SamplingConfig()))


def test_request_body_and_bearer_token() -> None:
    seen: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        return httpx.Response(200, json={"choices": [{"index": 0, "message": {"content": "ok"}, "finish_reason": "stop"}]})

    gen = OpenAIGenerator(GeneratorConfig(backend="openai", base_url="http://llm.test/v1/", api_key="sk-test", model="qwen"),
                          httpx.MockTransport(handler))
    out = gen.generate(MSGS, SamplingConfig(temperature=0.0, num_samples=2, max_new_tokens=9))
    req = seen[0]
    assert str(req.url) == "http://llm.test/v1/chat/completions"
    assert req.headers["authorization"] == "Bearer sk-test"
    body = json.loads(req.content)
    assert body["model"] == "qwen" and body["max_tokens"] == 9 and body["n"] == 1  # greedy: one choice, copied
    assert body["logprobs"] is True and body["top_logprobs"] == 5
    assert "top_k" not in body and "min_p" not in body and "stop" not in body  # neutral values are not sent
    assert [g.text for g in out] == ["ok", "ok"] and out[0].tokens == []


@pytest.mark.parametrize(
    ("response", "match"),
    [
        (httpx.Response(503, text="overloaded"), r"http://llm.test/v1/chat/completions returned HTTP 503: overloaded"),
        (httpx.Response(200, text="<html>"), "not JSON"),
        (httpx.Response(200, json={"data": []}), "malformed response"),
        (httpx.Response(200, json={"choices": [{"message": {"content": "x"}, "logprobs": {"content": [{"token": "x"}]}}]}),
         "malformed response"),
        (httpx.Response(200, json={"choices": []}), "no choices"),
    ],
)
def test_bad_responses_raise_clear_errors(response: httpx.Response, match: str) -> None:
    with pytest.raises(GenerationError, match=match):
        _mock(lambda req: response).generate(MSGS, SamplingConfig())


def test_timeout_is_reported() -> None:
    def handler(req: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=req)

    with pytest.raises(GenerationError, match="did not answer within 120.0 s"):
        _mock(handler).generate(MSGS, SamplingConfig())


def test_connection_refused_names_the_url(refused_url: str) -> None:
    with pytest.raises(GenerationError, match=f"cannot connect to {refused_url}/chat/completions"):
        _client(refused_url).generate(MSGS, SamplingConfig(max_new_tokens=4))


# -- slow: the real SmolLM2 behind the loopback server ----------------------------------------


@pytest.mark.slow
def test_round_trip_matches_the_local_backend(smollm, smollm_server: str) -> None:
    client = _client(smollm_server, model="smollm2")
    for s in (SamplingConfig(temperature=0.0, max_new_tokens=8),
              SamplingConfig(temperature=0.9, max_new_tokens=8, num_samples=2, seed=5, stop=["."])):
        direct, remote = smollm.generate(MSGS, s), client.generate(MSGS, s)
        assert [g.text for g in remote] == [g.text for g in direct]
        assert [g.finish_reason for g in remote] == [g.finish_reason for g in direct]
        for d, r in zip(direct, remote):
            assert r.prompt_tokens == d.prompt_tokens > 0
            assert [t.text for t in r.tokens] == [t.text for t in d.tokens]
            assert [t.logprob for t in r.tokens] == pytest.approx([t.logprob for t in d.tokens], abs=1e-6)
            assert [t.entropy for t in r.tokens] == pytest.approx([t.entropy for t in d.tokens], abs=1e-6)


@pytest.mark.slow
def test_stream_round_trip_matches_the_local_backend(smollm, smollm_server: str) -> None:
    """Real SmolLM2 streamed over SSE: the pieces join to the text the model generates directly."""
    s = SamplingConfig(temperature=0.0, max_new_tokens=16)
    stream = _client(smollm_server, model="smollm2").stream(MSGS, s)
    pieces = list(stream)
    direct = smollm.generate(MSGS, s)[0]
    assert len(pieces) > 1 and "".join(pieces) == stream.generations[0].text == direct.text
    assert [t.logprob for t in stream.generations[0].tokens] == pytest.approx([t.logprob for t in direct.tokens], abs=1e-6)


@pytest.mark.slow
def test_top5_entropy_estimate_bounds_the_true_entropy_from_below(smollm, serve) -> None:
    url = serve(make_app(smollm, "smollm2", expose_entropy=False))
    s = SamplingConfig(temperature=0.0, max_new_tokens=8)
    exact = smollm.generate(MSGS, s)[0].tokens
    estimated = _client(url).generate(MSGS, s)[0].tokens
    assert len(exact) == len(estimated) > 0
    for e, est in zip(exact, estimated):
        assert math.isfinite(est.entropy) and 0.0 <= est.entropy <= e.entropy + 1e-6
    assert sum(t.entropy for t in estimated) > 0.0
