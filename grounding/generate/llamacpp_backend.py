"""Generation with llama.cpp (llama-cpp-python): the GGUF file loads directly, in well under a second.

Per-token logprob/entropy come from a `logits_processor` hook that sees the raw logits before
penalties and sampling, so they describe the model, as in the transformers backend. (llama-cpp's own
`logprobs=` option needs `logits_all=True`, which keeps logits for every position: twice the memory.)
The high-level API runs one sequence at a time, so N samples cost about N generations here; the
prompt's KV cache is reused between them, so only the prefill is shared.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Generator as PieceGenerator
from typing import Any

import numpy as np

from grounding.config import GeneratorConfig, SamplingConfig
from grounding.generate.base import Generation, Message, TextStream, TokenInfo, is_single
from grounding.generate.errors import BackendUnavailableError, GenerationError
from grounding.generate.model_cache import gguf_file
from grounding.generate.postprocess import find_stop, pick_best, trim_tokens
from grounding.generate.streaming import StopHoldback

TOP_ALTERNATIVES = 5
INSTALL_HINT = "pip install 'grounding[llamacpp]'  (compiles llama.cpp: about 7.5 min on 2 cores)"


def _import_llama_cpp() -> Any:
    try:
        import llama_cpp
    except ImportError as exc:
        raise BackendUnavailableError(f"generator.backend='llamacpp' needs llama-cpp-python: {INSTALL_HINT}") from exc
    return llama_cpp


class _StepRecorder:
    """The logits hook: keeps the last step's log-softmax (to read the chosen token) and its entropy."""

    def __init__(self) -> None:
        self.logp: np.ndarray | None = None
        self.entropy = 0.0

    def __call__(self, input_ids: np.ndarray, logits: np.ndarray) -> np.ndarray:
        x = logits.astype(np.float64)
        x -= x.max()
        logp = x - np.log(np.exp(x).sum())
        self.logp = logp
        self.entropy = float(-(np.exp(logp) * logp).sum())
        return logits  # observe only: sampling is untouched


class LlamaCppGenerator:
    """GGUF through llama.cpp; `cfg.model_path` must be a .gguf file (empty = packaged SmolLM2)."""

    def __init__(self, cfg: GeneratorConfig, n_ctx: int = 0) -> None:
        self._llama_cpp = _import_llama_cpp()
        self.cfg = cfg
        self.path = gguf_file(cfg.model_path, "llamacpp")
        self.name = f"llamacpp:{self.path.stem.lower()}"
        self.n_ctx = n_ctx  # 0 = the model's training context
        self.load_seconds: float | None = None
        self._lock = threading.RLock()
        self._llm: Any = None
        self._alt_cache: dict[int, str] = {}

    def load(self) -> float:
        """Load once (lazily, thread-safe); returns the load time in seconds."""
        with self._lock:
            if self._llm is None:
                t0 = time.perf_counter()
                # 0 keeps llama.cpp's default (half the CPUs): its threads spin-wait for each other,
                # so on a busy 2-core machine 2 threads decode ~10x slower than 1 (measured).
                threads = self.cfg.threads if self.cfg.threads > 0 else None
                try:
                    self._llm = self._llama_cpp.Llama(
                        str(self.path), n_ctx=self.n_ctx, n_threads=threads, n_threads_batch=threads, verbose=False
                    )
                except (ValueError, RuntimeError) as exc:
                    raise GenerationError(f"llama.cpp cannot load {self.path}: {exc}") from exc
                self.load_seconds = time.perf_counter() - t0
            return self.load_seconds or 0.0

    def _prompt_ids(self, messages: list[Message]) -> list[int]:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        md = self._llm.metadata
        template = md.get("tokenizer.chat_template")
        if template:
            vocab = self._llm._model
            bos = vocab.token_get_text(self._llm.token_bos()) if self._llm.token_bos() >= 0 else ""
            eos = vocab.token_get_text(self._llm.token_eos()) if self._llm.token_eos() >= 0 else ""
            prompt = Jinja2ChatFormatter(template, eos_token=eos, bos_token=bos)(messages=messages).prompt
            return self._llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
        prompt = "\n\n".join(m["content"] for m in messages) + "\n\n"
        return self._llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=False)

    def generate(self, messages: list[Message], sampling: SamplingConfig) -> list[Generation]:
        if sampling.num_samples < 1 or sampling.max_new_tokens < 1:
            raise GenerationError("num_samples and max_new_tokens must be at least 1")
        self.load()
        with self._lock:
            ids = self._checked_prompt(messages, sampling)
            greedy = sampling.temperature <= 0.0
            n = 1 if greedy else max(sampling.num_samples, sampling.best_of)
            gens = [self._one(ids, sampling, sampling.seed + i) for i in range(n)]
        if greedy:
            return [copy.deepcopy(gens[0]) for _ in range(sampling.num_samples)]
        return pick_best(gens, sampling.num_samples) if n > sampling.num_samples else gens

    def stream(self, messages: list[Message], sampling: SamplingConfig) -> TextStream:
        """The same token loop as `generate`, its text handed on as each token is decoded."""
        if not is_single(sampling):
            return TextStream.whole(self.generate(messages, sampling))
        if sampling.num_samples < 1 or sampling.max_new_tokens < 1:
            raise GenerationError("num_samples and max_new_tokens must be at least 1")
        self.load()
        return TextStream(self._stream_pieces(messages, sampling))

    def _stream_pieces(self, messages: list[Message], sampling: SamplingConfig) -> PieceGenerator[str, None, list[Generation]]:
        hold = StopHoldback(sampling.stop)
        with self._lock:
            steps = self._steps(self._checked_prompt(messages, sampling), sampling, sampling.seed)
            while True:
                try:
                    piece = next(steps)
                except StopIteration as done:
                    gen: Generation = done.value
                    break
                if out := hold.feed(piece):
                    yield out
        if tail := hold.finish(gen.text):
            yield tail
        return [copy.deepcopy(gen) for _ in range(sampling.num_samples)]

    def _checked_prompt(self, messages: list[Message], sampling: SamplingConfig) -> list[int]:
        ids = self._prompt_ids(messages)
        if len(ids) + sampling.max_new_tokens > self._llm.n_ctx():
            raise GenerationError(
                f"prompt ({len(ids)} tokens) + max_new_tokens ({sampling.max_new_tokens}) exceeds the "
                f"model context of {self._llm.n_ctx()} tokens; shorten the evidence"
            )
        return ids

    def _alt(self, token_id: int) -> str:
        text = self._alt_cache.get(token_id)
        if text is None:
            text = self._llm.detokenize([token_id]).decode("utf-8", errors="replace")
            self._alt_cache[token_id] = text
        return text

    def _one(self, ids: list[int], s: SamplingConfig, seed: int) -> Generation:
        steps = self._steps(ids, s, seed)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value

    def _steps(self, ids: list[int], s: SamplingConfig, seed: int) -> PieceGenerator[str, None, Generation]:
        """One sequence: token by token, so stop strings and EOS end it exactly where they occur.

        Yields each token's text as decoded (before any stop cut); returns the finished Generation.
        """
        llm, rec = self._llm, _StepRecorder()
        llm.set_seed(seed)
        stops = [x for x in s.stop if x]
        vocab = llm._model.vocab
        is_eog = self._llama_cpp.llama_vocab_is_eog
        raw = b""
        text = ""
        tokens: list[TokenInfo] = []
        finish = "length"
        stream = llm.generate(
            ids,
            temp=max(0.0, s.temperature),
            top_k=max(0, s.top_k),
            top_p=s.top_p,
            min_p=s.min_p,
            repeat_penalty=s.repetition_penalty,
            logits_processor=[rec],
        )
        for tok in stream:
            if is_eog(vocab, tok):
                finish = "stop"
                break
            assert rec.logp is not None
            raw += llm.detokenize([tok])
            now = raw.decode("utf-8", errors="ignore")  # an incomplete multi-byte tail waits for its next byte
            top = np.argpartition(-rec.logp, TOP_ALTERNATIVES)[:TOP_ALTERNATIVES]
            top = top[np.argsort(-rec.logp[top])]
            alts = [(self._alt(int(t)), float(rec.logp[t])) for t in top]
            piece = now[len(text) :]
            tokens.append(TokenInfo(piece, float(rec.logp[tok]), max(0.0, rec.entropy), alts))
            text = now
            yield piece
            cut = find_stop(text, stops)
            if cut >= 0:
                text, tokens, finish = text[:cut], trim_tokens(tokens, cut), "stop"
                break
            if len(tokens) >= s.max_new_tokens:
                break
        stream.close()
        return Generation(text, tokens, finish, len(ids))
