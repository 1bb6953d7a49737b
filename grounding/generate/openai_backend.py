"""Generation through any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server, our own).

Per-token entropy is exact only when the server sends it (our `openai_server` does, as an extra
`entropy` field). Otherwise it is estimated from the top-5 `top_logprobs`: a lower bound of the
true entropy (see `postprocess.entropy_lower_bound`). best_of is done here, not on the server:
the client asks for max(num_samples, best_of) choices and keeps the best by mean logprob.
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
from collections.abc import Generator as PieceGenerator
from collections.abc import Iterator
from typing import Any

import httpx

from grounding.config import GeneratorConfig, SamplingConfig
from grounding.generate.base import Generation, Message, TextStream, TokenInfo, is_single
from grounding.generate.errors import GenerationError
from grounding.generate.postprocess import apply_stop, entropy_lower_bound, pick_best
from grounding.generate.streaming import StopHoldback

TOP_LOGPROBS = 5  # the most OpenAI's API allows in chat completions is 20; 5 is what vLLM serves cheaply


class OpenAIGenerator:
    """POSTs `{base_url}/chat/completions`; errors name the URL and, for HTTP errors, the status."""

    def __init__(self, cfg: GeneratorConfig, transport: httpx.BaseTransport | None = None) -> None:
        self.cfg = cfg
        self.url = cfg.base_url.rstrip("/") + "/chat/completions"
        self.name = f"openai:{cfg.model}@{cfg.base_url}"
        headers = {"Authorization": f"Bearer {cfg.api_key}"} if cfg.api_key else {}
        self._client = httpx.Client(timeout=cfg.timeout_s, headers=headers, transport=transport)

    def close(self) -> None:
        self._client.close()

    def request_body(self, messages: list[Message], s: SamplingConfig) -> dict[str, Any]:
        """The JSON body; top_k/min_p/repetition_penalty are vLLM extras other servers may ignore."""
        body: dict[str, Any] = {
            "model": self.cfg.model,
            "messages": messages,
            "temperature": s.temperature,
            "top_p": s.top_p,
            "max_tokens": s.max_new_tokens,
            "seed": s.seed,
            "n": 1 if s.temperature <= 0 else max(s.num_samples, s.best_of),
            "logprobs": True,
            "top_logprobs": TOP_LOGPROBS,
            "repetition_penalty": s.repetition_penalty,
        }
        if s.stop:
            body["stop"] = list(s.stop)
        if s.top_k > 0:
            body["top_k"] = s.top_k
        if s.min_p > 0:
            body["min_p"] = s.min_p
        return body

    def generate(self, messages: list[Message], sampling: SamplingConfig) -> list[Generation]:
        body = self.request_body(messages, sampling)
        data = self._post(body)
        try:
            choices = sorted(data["choices"], key=lambda c: c.get("index", 0))
            prompt_tokens = int((data.get("usage") or {}).get("prompt_tokens", 0))
            gens = [apply_stop(parse_choice(c, prompt_tokens), sampling.stop) for c in choices]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise GenerationError(f"{self.url} returned a malformed response ({exc!r}): {str(data)[:300]}") from exc
        if not gens:
            raise GenerationError(f"{self.url} returned no choices")
        if sampling.temperature <= 0:
            return [copy.deepcopy(gens[0]) for _ in range(sampling.num_samples)]
        return pick_best(gens, sampling.num_samples) if len(gens) > sampling.num_samples else gens

    def stream(self, messages: list[Message], sampling: SamplingConfig) -> TextStream:
        """The same request with `stream: true`: the server's server-sent events, piece by piece."""
        if not is_single(sampling):
            return TextStream.whole(self.generate(messages, sampling))
        body = {**self.request_body(messages, sampling), "stream": True, "stream_options": {"include_usage": True}}
        return TextStream(self._stream_pieces(body, sampling))

    def _stream_pieces(self, body: dict[str, Any], sampling: SamplingConfig) -> PieceGenerator[str, None, list[Generation]]:
        hold = StopHoldback(sampling.stop)
        parts: list[str] = []
        items: list[dict[str, Any]] = []
        state: dict[str, Any] = {"finish": "stop", "prompt": 0}
        with self._http_errors():
            with self._client.stream("POST", self.url, json=body) as resp:
                if resp.status_code >= 400:
                    resp.read()
                    raise GenerationError(f"{self.url} returned HTTP {resp.status_code}: {resp.text[:500]}")
                for data in _sse_data(resp.iter_lines(), self.url):
                    for piece in _stream_chunk(data, parts, items, state, self.url):
                        if out := hold.feed(piece):
                            yield out
        choice = {"message": {"content": "".join(parts)}, "finish_reason": state["finish"], "logprobs": {"content": items}}
        try:
            gen = apply_stop(parse_choice(choice, state["prompt"]), sampling.stop)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise GenerationError(f"{self.url} streamed malformed logprobs ({exc!r})") from exc
        if tail := hold.finish(gen.text):
            yield tail
        return [copy.deepcopy(gen) for _ in range(sampling.num_samples)]

    @contextlib.contextmanager
    def _http_errors(self) -> Iterator[None]:
        """The transport's failures as one-line GenerationErrors naming the URL (plain and streamed requests)."""
        try:
            yield
        except httpx.ConnectError as exc:
            raise GenerationError(f"cannot connect to {self.url} (connection refused?): is the server running? {exc}") from exc
        except httpx.TimeoutException as exc:
            raise GenerationError(f"{self.url} did not answer within {self.cfg.timeout_s} s") from exc
        except httpx.HTTPError as exc:
            raise GenerationError(f"request to {self.url} failed: {exc!r}") from exc

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._http_errors():
            resp = self._client.post(self.url, json=body)
        if resp.status_code >= 400:
            raise GenerationError(f"{self.url} returned HTTP {resp.status_code}: {resp.text[:500]}")
        try:
            data = resp.json()
        except ValueError as exc:
            raise GenerationError(f"{self.url} returned HTTP {resp.status_code} with a body that is not JSON: {resp.text[:300]!r}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
            raise GenerationError(f"{self.url} returned a malformed response (no 'choices' list): {str(data)[:300]}")
        return data


def parse_choice(choice: dict[str, Any], prompt_tokens: int) -> Generation:
    """One OpenAI choice -> Generation (tokens empty when the server sent no logprobs)."""
    text = (choice.get("message") or {}).get("content") or ""
    finish = "length" if choice.get("finish_reason") == "length" else "stop"
    items = (choice.get("logprobs") or {}).get("content") or []
    return Generation(text, [_parse_token(it) for it in items], finish, prompt_tokens)


def _sse_data(lines: Iterator[str], url: str) -> Iterator[dict[str, Any]]:
    """The JSON objects of an event stream's `data:` lines, up to `[DONE]`."""
    for line in lines:
        if not line.startswith("data:"):
            continue  # comments, event names, blank separators
        payload = line[5:].strip()
        if payload == "[DONE]":
            return
        try:
            data = json.loads(payload)
        except ValueError as exc:
            raise GenerationError(f"{url} streamed an event that is not JSON: {payload[:300]!r}") from exc
        if isinstance(data, dict):
            yield data


def _stream_chunk(data: dict[str, Any], parts: list[str], items: list, state: dict[str, Any], url: str) -> Iterator[str]:
    """One streamed chunk: its text (yielded), logprobs, finish reason and usage (collected)."""
    if "error" in data:
        raise GenerationError(f"{url} failed while streaming: {str(data['error'])[:300]}")
    for ch in data.get("choices") or []:
        if ch.get("index", 0) != 0:
            continue
        piece = (ch.get("delta") or {}).get("content")
        if piece:
            parts.append(piece)
            yield piece
        items.extend((ch.get("logprobs") or {}).get("content") or [])
        if ch.get("finish_reason"):
            state["finish"] = ch["finish_reason"]
    usage = data.get("usage") or {}
    if usage.get("prompt_tokens"):
        state["prompt"] = int(usage["prompt_tokens"])


def _parse_token(item: dict[str, Any]) -> TokenInfo:
    logprob = max(float(item["logprob"]), -1e4)  # some servers send -inf / -9999 for impossible tokens
    alts = [(str(a["token"]), float(a["logprob"])) for a in item.get("top_logprobs") or []]
    entropy = item.get("entropy")
    if not isinstance(entropy, (int, float)) or not math.isfinite(entropy):
        seen = {tok for tok, _ in alts}
        lps = [lp for _, lp in alts] + ([logprob] if item["token"] not in seen else [])
        entropy = entropy_lower_bound(lps)
    return TokenInfo(str(item["token"]), logprob, float(entropy), alts)
