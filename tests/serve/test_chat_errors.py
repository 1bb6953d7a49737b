"""Errors on /v1 in OpenAI's shape, as the official `openai` client sees them: the exception class it
raises (chosen by the status) and the message it carries, for every kind of refusal and failure,
before and during a stream. A real uvicorn server over the shared data dir with the fast echo generator."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import build_system, make_config
from tests.serve.conftest import HOSTILE_QUESTION, EchoGenerator, make_system, serving

openai = pytest.importorskip("openai", reason="pip install 'grounding[test]' (openai)")

KEY = "reader-token-for-tests-0123"
USER = [{"role": "user", "content": HOSTILE_QUESTION}]


class BreakingGenerator(EchoGenerator):
    """The echo generator, or an unexpected crash while `broken` (a bug the client must not see the inside of)."""

    broken = False

    def generate(self, messages, sampling):
        if self.broken:
            raise RuntimeError("secret internals /etc/passwd")
        return super().generate(messages, sampling)


@pytest.fixture(scope="module")
def gen():
    return BreakingGenerator()


@pytest.fixture(scope="module")
def server(serve_data, embedder, gen):
    from grounding.serve import create_app

    app = create_app(make_system(serve_data, embedder, gen, reader_token=KEY, max_concurrent_generations=1, max_queue=0, max_body_bytes=20_000))
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=f"{server}/v1", api_key=KEY, max_retries=0)


def _error(exc) -> dict:
    """The body's error object; the client hands it over as `exc.body`."""
    assert set(exc.body) == {"message", "type", "param", "code"}, exc.body
    assert exc.body["message"] in str(exc)
    return exc.body


def test_answers_when_nothing_is_wrong(client):
    r = client.chat.completions.create(model="grounding", messages=USER, extra_body={"grounding": {"threshold": 0}})
    assert r.model_extra["grounding"]["abstained"] is False


@pytest.mark.parametrize(
    ("body", "param", "words"),
    [
        ({"model": "grounding"}, "messages", "Field required"),
        ({"model": "grounding", "messages": USER, "stream": "yes"}, "stream", "valid boolean"),
        ({"model": "grounding", "messages": [{"content": "hi"}]}, "messages[0].role", "Field required"),
        ({"model": "grounding", "messages": USER, "n": 2}, "n", "less than or equal to 1"),
        ({"model": "grounding", "messages": USER, "temperature": "0.5"}, "temperature", "valid number"),
    ],
)
def test_invalid_body_is_400_naming_the_field(client, body, param, words):
    with pytest.raises(openai.BadRequestError) as exc:
        client.post("/chat/completions", body=body, cast_to=httpx.Response)
    e = _error(exc.value)
    assert exc.value.status_code == 400 and e["type"] == "invalid_request_error"
    assert words in e["message"] and e["param"] == param


def test_body_that_is_not_json_is_400(server):
    r = httpx.post(f"{server}/v1/chat/completions", content=b"{not json", headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["type"] == "invalid_request_error" and "JSON" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    ("kwargs", "param", "words"),
    [
        ({"messages": [{"role": "user", "content": "   "}]}, "messages", "no user message with text"),
        ({"messages": [{"role": "system", "content": "be brief"}]}, "messages", "no user message with text"),
        ({"messages": [{"role": "user", "content": "why " * 2000}]}, "messages", "retrieval.max_question_chars"),
        ({"messages": USER, "max_tokens": 100000}, "max_tokens", "serve.max_new_tokens"),
        ({"messages": USER, "tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}]}, "tools", "tools are not supported"),
        ({"messages": USER, "response_format": {"type": "json_object"}}, "response_format", "'grounding'"),
    ],
)
def test_unanswerable_request_is_400(client, kwargs, param, words):
    with pytest.raises(openai.BadRequestError) as exc:
        client.chat.completions.create(model="grounding", **kwargs)
    e = _error(exc.value)
    assert e["type"] == "invalid_request_error" and e["param"] == param and words in e["message"]


def test_unknown_model_is_404_model_not_found(client):
    # OpenAI's own API answers an unknown model with 404 invalid_request_error / model_not_found.
    with pytest.raises(openai.NotFoundError) as exc:
        client.chat.completions.create(model="gpt-4o", messages=USER)
    e = _error(exc.value)
    assert e["code"] == "model_not_found" and e["param"] == "model" and "'grounding'" in e["message"]


def test_missing_or_wrong_key_is_401(server):
    bad = openai.OpenAI(base_url=f"{server}/v1", api_key="wrong-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as exc:
        bad.chat.completions.create(model="grounding", messages=USER)
    assert _error(exc.value)["code"] == "invalid_api_key" and "serve.reader_token" in exc.value.body["message"]
    r = httpx.get(f"{server}/v1/models")  # no key at all
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_api_key" and r.headers["www-authenticate"] == "Bearer"


def test_body_too_large_is_413(client):
    with pytest.raises(openai.APIStatusError) as exc:
        client.chat.completions.create(model="grounding", messages=[{"role": "user", "content": "x" * 30_000}])
    assert exc.value.status_code == 413 and "serve.max_body_bytes" in _error(exc.value)["message"]


def test_busy_is_429_rate_limit(client, gen):
    gen.gate = threading.Event()
    try:
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(client.chat.completions.create, model="grounding", messages=USER)
            assert gen.entered.acquire(timeout=30)  # the only slot is held, the queue is 0
            for stream in (False, True):
                with pytest.raises(openai.RateLimitError) as exc:
                    client.chat.completions.create(model="grounding", messages=USER, stream=stream)
                e = _error(exc.value)
                assert e["type"] == "rate_limit_error" and "serve.max_queue=0" in e["message"]
                assert exc.value.response.headers["retry-after"]
            gen.gate.set()
            assert first.result().choices[0].message.content
    finally:
        gen.gate.set()
        gen.gate = None


def test_crash_is_500_without_internals(client, gen):
    gen.broken = True
    try:
        with pytest.raises(openai.InternalServerError) as exc:
            client.chat.completions.create(model="grounding", messages=USER)
        e = _error(exc.value)
        assert e["type"] == "server_error" and "RuntimeError" in e["message"]
        assert "passwd" not in exc.value.response.text and "Traceback" not in exc.value.response.text
        # The same crash after the stream started: an error event in the OpenAI shape; the client raises it.
        stream = client.chat.completions.create(model="grounding", messages=USER, stream=True)
        with pytest.raises(openai.APIError) as exc:
            list(stream)
        assert exc.value.body["type"] == "server_error" and "server log" in exc.value.message
        assert "passwd" not in exc.value.message
    finally:
        gen.broken = False


def test_stream_options_include_usage_ends_with_a_usage_chunk(client):
    chunks = list(client.chat.completions.create(
        model="grounding", messages=USER, stream=True, stream_options={"include_usage": True}, user="someone",
        extra_body={"grounding": {"threshold": 0}},
    ))
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert chunks[-1].usage.completion_tokens == len(text.split())
    assert all(c.usage is None for c in chunks[:-1])


def test_openapi_documents_the_openai_error_shape(server):
    op = httpx.get(f"{server}/openapi.json", headers={"Authorization": f"Bearer {KEY}"}).json()["paths"]["/v1/chat/completions"]["post"]
    assert "422" not in op["responses"]  # /v1 answers 400 for an invalid body, as OpenAI does
    for status in ("400", "401", "404", "413", "429", "500", "503"):
        assert op["responses"][status]["content"]["application/json"]["schema"]["$ref"].endswith("/OpenAIErrorOut"), status


def test_ask_keeps_its_detail_shape(server):
    r = httpx.post(f"{server}/ask", json={"question": " "}, headers={"Authorization": f"Bearer {KEY}"})
    assert r.status_code == 422 and "error" not in r.json() and r.json()["detail"] == "the question is empty"
    assert httpx.post(f"{server}/ask", json={}, headers={"Authorization": f"Bearer {KEY}"}).json()["detail"][0]["loc"] == ["body", "question"]


def test_not_ready_is_503(tmp_path, embedder):
    """Nothing ingested: the server is up but cannot answer yet."""
    from grounding.serve import create_app

    cfg = make_config(tmp_path, tmp_path / "none.jsonl")
    system = build_system(cfg, embedder)
    system.use(generator=EchoGenerator())
    with serving(create_app(system)) as url:
        c = openai.OpenAI(base_url=f"{url}/v1", api_key="none", max_retries=0)
        with pytest.raises(openai.InternalServerError) as exc:
            c.chat.completions.create(model="grounding", messages=USER)
        assert exc.value.status_code == 503
        e = _error(exc.value)
        assert e["code"] == "service_unavailable" and "grounding ingest" in e["message"]
