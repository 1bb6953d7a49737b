"""Generation through any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server, our own).

Requests are retried with exponential backoff (tenacity) when the server cannot be reached, drops
the connection, or answers 429 / 5xx: `generator.retries` more attempts, waiting `retry_backoff_s`,
then twice that, ... (capped at 30 s, or the server's Retry-After when longer). A streamed request is
retried only until its first byte. A read timeout is not retried: the server is up but slow, and a
second request would only add to its load.

Per-token entropy is exact only when the server sends it (our `openai_server` does, as an extra
`entropy` field). Otherwise it is estimated from the top-5 `top_logprobs`: a lower bound of the
true entropy (see `postprocess.entropy_lower_bound`). best_of is done here, not on the server:
the client asks for max(num_samples, best_of) choices and keeps the best by mean logprob.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import math
import time
from collections.abc import Callable, Iterator
from collections.abc import Generator as PieceGenerator
from typing import Any

import httpx
import tenacity

from grounding.config import GeneratorConfig, SamplingConfig
from grounding.generate.base import Generation, Message, TextStream, TokenInfo, is_single
from grounding.generate.claims import compact
from grounding.generate.errors import GenerationError
from grounding.generate.postprocess import apply_stop, entropy_lower_bound, pick_best
from grounding.generate.streaming import StopHoldback

TOP_LOGPROBS = 5  # the most OpenAI's API allows in chat completions is 20; 5 is what vLLM serves cheaply
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})  # busy, or a proxy in front of a (re)starting server
RETRY_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.PoolTimeout)
MAX_WAIT_S = 30.0

log = logging.getLogger("grounding.generate")


class OpenAIGenerator:
    """POSTs `{base_url}/chat/completions`; errors name the URL and, for HTTP errors, the status."""

    # A request's json_schema goes out as `response_format` (OpenAI's structured outputs, which vLLM
    # and llama.cpp's server also accept); a server that ignores it gets free text, read as such.
    supports_schema = True

    def __init__(self, cfg: GeneratorConfig, transport: httpx.BaseTransport | None = None) -> None:
        self.cfg = cfg
        self.url = cfg.base_url.rstrip("/") + "/chat/completions"
        self.name = f"openai:{cfg.model}@{cfg.base_url}"
        headers = {"Authorization": f"Bearer {cfg.api_key}"} if cfg.api_key else {}
        timeout = httpx.Timeout(cfg.timeout_s, connect=min(cfg.connect_timeout_s, cfg.timeout_s))
        self._client = httpx.Client(timeout=timeout, headers=headers, transport=transport)
        self._tries = (0, 0.0)  # attempts and seconds of the last request, for the error message
        self._one_choice = False  # set once the server is known to serve one choice per request

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
        if s.json_schema is not None:
            body["response_format"] = {"type": "json_schema", "json_schema": {"name": "claims", "schema": compact(s.json_schema), "strict": True}}
        return body

    def generate(self, messages: list[Message], sampling: SamplingConfig) -> list[Generation]:
        body = self.request_body(messages, sampling)
        data = self._post_choices(body)
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
            resp = self._retrying(lambda: self._open_stream(body))
            try:
                if resp.status_code >= 400:
                    raise GenerationError(f"{self.url} returned HTTP {resp.status_code}: {resp.text[:500]}{self._tried()}")
                for data in _sse_data(resp.iter_lines(), self.url):
                    for piece in _stream_chunk(data, parts, items, state, self.url):
                        if out := hold.feed(piece):
                            yield out
            finally:
                resp.close()
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
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise GenerationError(
                f"cannot connect to {self.url} (connection refused?): is the server running?{self._tried()} {exc}"
            ) from exc
        except httpx.TimeoutException as exc:
            raise GenerationError(f"{self.url} did not answer within {self.cfg.timeout_s} s") from exc
        except httpx.HTTPError as exc:
            raise GenerationError(f"request to {self.url} failed{self._tried()}: {exc!r}") from exc

    def _retrying(self, send: Callable[[], httpx.Response]) -> httpx.Response:
        """`send()` until it answers with a status not worth retrying, or the attempts run out.

        Returns the last response (an error status is the caller's to report); raises the last
        transport error when every attempt failed to get one.
        """
        t0 = time.monotonic()

        def note(state: tenacity.RetryCallState) -> None:
            self._tries = (state.attempt_number, time.monotonic() - t0)

        def wait(state: tenacity.RetryCallState) -> float:
            backoff = self.cfg.retry_backoff_s * 2 ** (state.attempt_number - 1)
            outcome = state.outcome
            if outcome is not None and not outcome.failed:
                backoff = max(backoff, _retry_after(outcome.result()))
            return min(backoff, MAX_WAIT_S)

        def before_sleep(state: tenacity.RetryCallState) -> None:
            outcome = state.outcome
            why = (repr(outcome.exception()) if outcome.failed else f"HTTP {outcome.result().status_code}") if outcome else "?"
            log.warning("%s: %s; retry %d of %d in %.1f s", self.url, why, state.attempt_number, self.cfg.retries,
                        state.upcoming_sleep)

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.cfg.retries + 1),
            wait=wait,
            retry=tenacity.retry_if_exception_type(RETRY_ERRORS) | tenacity.retry_if_result(lambda r: r.status_code in RETRY_STATUS),
            after=note,
            before_sleep=before_sleep,
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,  # last response, or raise
            reraise=True,
        )
        self._tries = (1, 0.0)
        return retrying(send)

    def _tried(self) -> str:
        n, secs = self._tries
        return f" ({n} attempts over {secs:.1f} s)" if n > 1 else ""

    def _open_stream(self, body: dict[str, Any]) -> httpx.Response:
        """Send the streamed request and wait for its status; an error's body is read (and the connection freed)."""
        resp = self._client.send(self._client.build_request("POST", self.url, json=body), stream=True)
        if resp.status_code >= 400:
            try:
                resp.read()
            finally:
                resp.close()
        return resp

    def _post_choices(self, body: dict[str, Any]) -> dict[str, Any]:
        """The response with `n` choices, also from servers that serve one per request.

        llama.cpp's server refuses `n` above its slot count (HTTP 400), Ollama ignores it and sends one:
        the missing choices are then asked one request each (seed + i, so they differ), and a server
        that refused `n` is not sent it again.
        """
        n = int(body.get("n", 1))
        if n > 1 and not self._one_choice:
            try:
                data = self._post(body)
            except GenerationError as exc:
                if "HTTP 400" not in str(exc):
                    raise
                self._one_choice = True
                log.info("%s refused n=%d; asking one choice per request", self.url, n)
            else:
                if len(data["choices"]) >= n:
                    return data
                self._one_choice = True
        if n <= 1:
            return self._post(body)
        merged: dict[str, Any] | None = None
        for i in range(n):
            data = self._post({**body, "n": 1, "seed": int(body.get("seed") or 0) + i})
            choice = {**(data["choices"] or [{}])[0], "index": i}
            if merged is None:
                merged = {**data, "choices": [choice]}
            else:
                merged["choices"].append(choice)
        assert merged is not None
        return merged

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._http_errors():
            resp = self._retrying(lambda: self._client.post(self.url, json=body))
        if resp.status_code >= 400:
            raise GenerationError(f"{self.url} returned HTTP {resp.status_code}: {resp.text[:500]}{self._tried()}")
        try:
            data = resp.json()
        except ValueError as exc:
            raise GenerationError(f"{self.url} returned HTTP {resp.status_code} with a body that is not JSON: {resp.text[:300]!r}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
            raise GenerationError(f"{self.url} returned a malformed response (no 'choices' list): {str(data)[:300]}")
        return data


def _retry_after(resp: httpx.Response) -> float:
    """The seconds a 429/503 asks the client to wait (Retry-After in seconds; 0 when absent or a date)."""
    try:
        return max(0.0, float(resp.headers.get("retry-after", "0")))
    except ValueError:
        return 0.0


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
