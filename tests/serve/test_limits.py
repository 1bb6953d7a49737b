"""Load limits on a real server: slots, queue, timeouts -> 429 / 503 with a clear message, never a crash."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.serve.conftest import HOSTILE_QUESTION, EchoGenerator, make_system, serving


def _app(serve_data, embedder, gen, **serve):
    from grounding.serve import create_app

    return create_app(make_system(serve_data, embedder, gen, **serve))


def _wait(pred, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def test_slots_and_queue_then_429(serve_data, embedder):
    gate = threading.Event()
    gen = EchoGenerator(gate=gate)
    app = _app(serve_data, embedder, gen, max_concurrent_generations=1, max_queue=1, queue_timeout_s=30)
    limiter = app.state.limiter
    with serving(app) as url, ThreadPoolExecutor(4) as pool, httpx.Client(base_url=url, timeout=60) as c:
        ask = lambda: httpx.post(f"{url}/ask", json={"question": HOSTILE_QUESTION, "threshold": 0}, timeout=60)  # noqa: E731
        first = pool.submit(ask)
        assert gen.entered.acquire(timeout=30)  # the first holds the only slot, inside the generator
        second = pool.submit(ask)
        _wait(lambda: limiter.waiting == 1)
        r = c.post("/ask", json={"question": HOSTILE_QUESTION})
        assert r.status_code == 429
        assert "serve.max_queue=1" in r.json()["detail"] and r.headers["retry-after"]
        r = c.post("/ask/stream", json={"question": HOSTILE_QUESTION})
        assert r.status_code == 429  # refused before the stream starts
        h = c.get("/healthz").json()  # reading still works under load
        assert h["load"]["active"] == 1 and h["load"]["waiting"] == 1 and h["load"]["refused"] == 2
        gate.set()
        assert first.result().status_code == 200
        assert second.result().status_code == 200
        _wait(lambda: limiter.active == 0)


def test_waiting_too_long_is_503(serve_data, embedder):
    gate = threading.Event()
    gen = EchoGenerator(gate=gate)
    app = _app(serve_data, embedder, gen, max_concurrent_generations=1, max_queue=2, queue_timeout_s=0.5)
    with serving(app) as url, ThreadPoolExecutor(2) as pool:
        first = pool.submit(lambda: httpx.post(f"{url}/ask", json={"question": HOSTILE_QUESTION}, timeout=60))
        assert gen.entered.acquire(timeout=30)
        r = httpx.post(f"{url}/ask", json={"question": HOSTILE_QUESTION}, timeout=60)
        assert r.status_code == 503
        assert "serve.queue_timeout_s" in r.json()["detail"]
        gate.set()
        assert first.result().status_code == 200
        assert app.state.limiter.snapshot()["timed_out"] == 1


def test_slow_answer_is_503_and_keeps_its_slot_until_done(serve_data, embedder):
    gate = threading.Event()
    gen = EchoGenerator(gate=gate)
    app = _app(serve_data, embedder, gen, max_concurrent_generations=1, max_queue=0, request_timeout_s=0.5)
    limiter = app.state.limiter
    with serving(app) as url, httpx.Client(base_url=url, timeout=60) as c:
        r = c.post("/ask", json={"question": HOSTILE_QUESTION})
        assert r.status_code == 503 and "serve.request_timeout_s" in r.json()["detail"]
        # The work goes on in the background and still holds its slot: no pile-up of threads.
        assert limiter.active == 1
        assert c.post("/ask", json={"question": HOSTILE_QUESTION}).status_code == 429
        gate.set()
        _wait(lambda: limiter.active == 0)
        # The slot is free again. A full answer on a loaded 2-core machine can exceed the 0.5 s that made the
        # first request time out, so the last one gets room: it must be admitted and answered.
        app.state.serve_cfg.request_timeout_s = 60
        assert c.post("/ask", json={"question": HOSTILE_QUESTION, "threshold": 0}).status_code == 200
        assert limiter.snapshot()["refused"] == 1  # only the request made while the slot was held


def test_stream_timeout_is_an_error_event(serve_data, embedder):
    gate = threading.Event()
    gen = EchoGenerator(gate=gate)
    app = _app(serve_data, embedder, gen, max_concurrent_generations=1, request_timeout_s=0.5)
    with serving(app) as url:
        r = httpx.post(f"{url}/ask/stream", json={"question": HOSTILE_QUESTION}, timeout=60)
        gate.set()
    assert r.status_code == 200
    assert "event: error" in r.text and '"status": 503' in r.text
    assert "event: answer" not in r.text


def test_burst_gets_only_200_429_503(serve_data, embedder):
    """30 simultaneous askers over 2 slots + 2 queue places: 4 answered, the other 26 refused, no 5xx.

    The generator is held by a gate until every request has been admitted or refused, so the counts
    do not depend on how fast the machine is (a regression test: on busy cores only 2 of 30 got in
    before the first answers finished).
    """
    gate = threading.Event()
    gen = EchoGenerator(gate=gate)
    app = _app(serve_data, embedder, gen, max_concurrent_generations=2, max_queue=2, queue_timeout_s=120)
    limiter = app.state.limiter
    with serving(app) as url, ThreadPoolExecutor(30) as pool:
        futs = [pool.submit(httpx.post, f"{url}/ask", json={"question": HOSTILE_QUESTION}, timeout=120) for _ in range(30)]
        _wait(lambda: limiter.snapshot()["refused"] == 26, timeout=120)
        assert limiter.active == 2 and limiter.waiting == 2
        gate.set()
        codes = [f.result().status_code for f in futs]
        assert set(codes) <= {200, 429, 503}, codes
        assert codes.count(200) == 4 and codes.count(429) == 26, codes
        h = httpx.get(f"{url}/healthz").json()
        assert h["status"] == "ok" and h["load"]["active"] == 0 and h["load"]["waiting"] == 0


def test_echo_generator_counts_only_the_calls_that_reached_its_gate():
    # Regression: every call used to add a permit to `entered`, so a test that set the gate after earlier
    # ungated calls went on before its own request held the slot (test_busy_is_429_rate_limit, flaky in CI).
    from grounding.config import SamplingConfig

    gen = EchoGenerator()
    msgs = [{"role": "user", "content": "[P1] A pump failed."}]
    assert gen.generate(msgs, SamplingConfig())[0].text == "A pump failed. [P1]"
    assert not gen.entered.acquire(timeout=0)
    gen.gate = threading.Event()
    gen.gate.set()
    gen.generate(msgs, SamplingConfig())
    assert gen.entered.acquire(timeout=0) and not gen.entered.acquire(timeout=0)
