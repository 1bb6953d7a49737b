"""Generation with llama.cpp through the prebuilt `xllamacpp` wheel: the default local backend.

Why this one: llama.cpp-class decode (~40 tokens/s for SmolLM2 on one core) with no 7-minute
compile (llama-cpp-python is source-only on PyPI) and no GGUF -> safetensors conversion at ask
time (the transformers backend's 20 s first load). The GGUF file loads directly, in well under
a second.

The wheel embeds llama.cpp's server and answers OpenAI-style chat requests in process, so the
reply is parsed by the same code as a remote OpenAI-compatible server's. Per-token logprobs and
the top alternatives come with every reply; entropy is estimated from the top alternatives (a
lower bound of the true entropy, as for any server that does not send it).
"""

from __future__ import annotations

import copy
import json
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from grounding.config import GeneratorConfig, SamplingConfig
from grounding.generate.base import Generation, Message, TextStream, is_single
from grounding.generate.claims import compact
from grounding.generate.errors import BackendUnavailableError, GenerationError
from grounding.generate.model_cache import gguf_file
from grounding.generate.openai_backend import parse_choice
from grounding.generate.postprocess import apply_stop, pick_best
from grounding.generate.streaming import pieces_in_thread

TOP_LOGPROBS = 20  # alternatives per step: the entropy estimate's lower bound tightens with more
DEFAULT_CTX = 4096  # tokens; SmolLM2 was trained on 8k, the answer prompt needs ~1.5k
INSTALL_HINT = "pip install xllamacpp  (a prebuilt llama.cpp wheel for x86-64 and arm64 CPUs)"


def _import_xllamacpp() -> Any:
    try:
        import xllamacpp
    except ImportError as exc:
        raise BackendUnavailableError(
            f"generator.backend='xllamacpp' needs the xllamacpp package: {INSTALL_HINT}; "
            "or set generator.backend = 'transformers'"
        ) from exc
    return xllamacpp


class XLlamaCppGenerator:
    """A GGUF model in an in-process llama.cpp server; `cfg.model_path` is a .gguf file (empty = packaged SmolLM2)."""

    supports_schema = True  # a request's json_schema becomes a grammar the decoder cannot leave

    def __init__(self, cfg: GeneratorConfig, n_ctx: int = DEFAULT_CTX) -> None:
        self._x = _import_xllamacpp()
        self.cfg = cfg
        self.path = gguf_file(cfg.model_path, "xllamacpp")
        self.name = f"xllamacpp:{self.path.stem.lower()}"
        self.n_ctx = n_ctx
        self.load_seconds: float | None = None
        self._lock = threading.RLock()
        self._server: Any = None

    def _threads(self) -> tuple[int, int]:
        """(decode, prefill) threads. llama.cpp's threads spin-wait for each other at every step: on a
        busy 2-core machine two threads DECODE far slower than one, so decode gets one thread there.
        Prefill is a few large batched matmuls, where the wait is small against the work: it gets every
        core (2 threads cut the first answer's prefill by ~35% here). Results do not depend on it."""
        if self.cfg.threads > 0:
            return self.cfg.threads, self.cfg.threads
        cores = os.cpu_count() or 1
        return (1 if cores <= 2 else min(4, cores // 2)), max(1, min(8, cores))

    def load(self) -> float:
        """Load once (lazily, thread-safe); returns the load time in seconds."""
        with self._lock:
            if self._server is None:
                t0 = time.perf_counter()
                p = self._x.CommonParams()
                p.model.path = str(self.path)
                p.n_ctx = self.n_ctx
                p.n_parallel = 1  # one slot: answers are serialised by the lock, the prompt cache stays warm
                p.cpuparams.n_threads, p.cpuparams_batch.n_threads = self._threads()
                p.warmup = False
                p.verbosity = -1  # llama.cpp logs only errors
                try:
                    self._server = self._x.Server(p)
                except Exception as exc:  # the C++ side raises RuntimeError or a bare Exception
                    raise GenerationError(f"llama.cpp cannot load {self.path}: {exc}") from exc
                self.load_seconds = time.perf_counter() - t0
            return self.load_seconds or 0.0

    def request_body(self, messages: list[Message], s: SamplingConfig, seed: int) -> dict[str, Any]:
        body: dict[str, Any] = {
            "messages": messages,
            "max_tokens": s.max_new_tokens,
            "temperature": max(0.0, s.temperature),
            "top_p": s.top_p,
            "top_k": max(0, s.top_k),
            "min_p": s.min_p,
            "repeat_penalty": s.repetition_penalty,
            # Over the whole context, prompt included, as transformers and vLLM apply repetition_penalty
            # (llama.cpp's default is the last 64 tokens): one meaning of the knob on every backend.
            "repeat_last_n": self.n_ctx,
            "seed": seed,
            "logprobs": True,
            "top_logprobs": TOP_LOGPROBS,
            # No KV-cache reuse between requests: a reused prefix changes the numerics slightly, and
            # then the same question could get another greedy answer on its second asking.
            "cache_prompt": False,
        }
        if s.stop:
            body["stop"] = [x for x in s.stop if x]
        if s.json_schema is not None:
            # llama.cpp's own converter (an llguidance grammar), with compact JSON: a small model given
            # free whitespace pretty-prints and spends its token budget on indentation.
            body["grammar"] = self._x.json_schema_to_grammar(json.dumps(compact(s.json_schema)))
        return body

    def generate(self, messages: list[Message], sampling: SamplingConfig) -> list[Generation]:
        if sampling.num_samples < 1 or sampling.max_new_tokens < 1:
            raise GenerationError("num_samples and max_new_tokens must be at least 1")
        self.load()
        greedy = sampling.temperature <= 0.0
        n = 1 if greedy else max(sampling.num_samples, sampling.best_of)
        with self._lock:
            gens = [self._one(messages, sampling, sampling.seed + i) for i in range(n)]
        if greedy:
            return [copy.deepcopy(gens[0]) for _ in range(sampling.num_samples)]
        return pick_best(gens, sampling.num_samples) if n > sampling.num_samples else gens

    def stream(self, messages: list[Message], sampling: SamplingConfig) -> TextStream:
        """The same request as `generate`, with llama.cpp's own streaming on: the same tokens, as decoded."""
        if not is_single(sampling):
            return TextStream.whole(self.generate(messages, sampling))
        return TextStream(pieces_in_thread(lambda on_text: self._streamed(messages, sampling, on_text), sampling.stop))

    def _streamed(self, messages: list[Message], sampling: SamplingConfig, on_text: Callable[[str], None]) -> list[Generation]:
        """One generation whose text pieces go to `on_text` as the embedded server sends them."""
        if sampling.num_samples < 1 or sampling.max_new_tokens < 1:
            raise GenerationError("num_samples and max_new_tokens must be at least 1")
        self.load()
        body = self.request_body(messages, sampling, sampling.seed)
        body["stream"] = True
        parts: list[str] = []
        items: list[dict] = []
        state: dict[str, Any] = {"finish": "stop", "prompt": 0, "error": None}

        def chunk(data: dict) -> bool:
            if "error" in data:
                state["error"] = data["error"]
                return True
            for ch in data.get("choices") or []:
                piece = (ch.get("delta") or {}).get("content")
                if piece:
                    parts.append(piece)
                    on_text(piece)
                items.extend((ch.get("logprobs") or {}).get("content") or [])
                if ch.get("finish_reason"):
                    state["finish"] = ch["finish_reason"]
            timings = data.get("timings") or {}
            if timings:
                state["prompt"] = int(timings.get("prompt_n", 0)) + int(timings.get("cache_n", 0))
            return False  # False: go on

        with self._lock:
            self._server.handle_chat_completions(body, chunk)
        if state["error"] is not None:
            raise self._refused({"error": state["error"]})
        choice = {"message": {"content": "".join(parts)}, "finish_reason": state["finish"], "logprobs": {"content": items}}
        gen = apply_stop(parse_choice(choice, state["prompt"]), sampling.stop)
        return [copy.deepcopy(gen) for _ in range(max(1, sampling.num_samples))]

    def _refused(self, data: Any) -> GenerationError:
        """The embedded server answers errors as {"error": {"code", "message", "type"}} (a prompt over the context)."""
        err = data.get("error", data) if isinstance(data, dict) else data
        msg = err.get("message", err) if isinstance(err, dict) else err
        return GenerationError(f"llama.cpp ({self.path.name}) refused the request: {str(msg)[:300]}")

    def _one(self, messages: list[Message], s: SamplingConfig, seed: int) -> Generation:
        data = self._server.handle_chat_completions(self.request_body(messages, s, seed))
        if not isinstance(data, dict) or "choices" not in data:
            raise self._refused(data)
        try:
            choice = sorted(data["choices"], key=lambda c: c.get("index", 0))[0]
            prompt_tokens = int((data.get("usage") or {}).get("prompt_tokens", 0))
            return apply_stop(parse_choice(choice, prompt_tokens), s.stop)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise GenerationError(f"llama.cpp returned a malformed reply ({exc!r}): {str(data)[:300]}") from exc
