"""Answering one question under the server's limits: validation, a generation slot, the worker pool.

Shared by POST /ask, POST /ask/stream and GET /search (question checks), so every route applies
the same limits with the same messages.
"""

from __future__ import annotations

import asyncio
import copy
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import HTTPException

from grounding.config import ServeConfig
from grounding.serve.limits import GenerationLimiter, Overloaded
from grounding.serve.schemas import AskIn


class Asker:
    """The system's agent behind `limiter` and a pool of `max_concurrent_generations` threads."""

    def __init__(self, system: Any, cfg: ServeConfig, limiter: GenerationLimiter) -> None:
        self.system = system
        self.cfg = cfg
        self.limiter = limiter
        self.pool = ThreadPoolExecutor(max_workers=cfg.max_concurrent_generations, thread_name_prefix="grounding-ask")

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    def question(self, q: str) -> str:
        q = (q or "").strip()
        if not q:
            raise HTTPException(422, "the question is empty")
        limit = self.system.cfg.retrieval.max_question_chars
        if len(q) > limit:
            raise HTTPException(422, f"the question is {len(q):,} characters; the limit is {limit:,} (retrieval.max_question_chars)")
        return q

    def options(self, body: AskIn):
        from grounding.answer.agent import AskOptions

        cfg = self.cfg
        s = body.sampling.model_dump(exclude_none=True) if body.sampling else {}
        if s.get("max_new_tokens", 0) > cfg.max_new_tokens:
            raise HTTPException(422, f"sampling.max_new_tokens is {s['max_new_tokens']}; the limit is {cfg.max_new_tokens} (serve.max_new_tokens)")
        for key, value in (("sampling.num_samples", s.get("num_samples")), ("sampling.best_of", s.get("best_of")), ("samples", body.samples)):
            if value is not None and value > cfg.max_samples:
                raise HTTPException(422, f"{key} is {value}; the limit is {cfg.max_samples} (serve.max_samples)")
        if any(len(x) > 64 for x in s.get("stop", [])):
            raise HTTPException(422, "a stop sequence is longer than 64 characters")
        sampling = self.system.cfg.generator.sampling.model_copy(update=s)
        return AskOptions(threshold=body.threshold, sampling=sampling, top_k=body.passages, samples=body.samples)

    def ready_to_answer(self) -> None:
        try:
            n = self.system.index.count()
        except Exception as exc:
            raise HTTPException(503, f"the index cannot be loaded: {exc}") from exc
        if n == 0:
            raise HTTPException(503, "nothing is indexed yet: run `grounding ingest`, then POST /index/reload (curator) or restart")

    def request_agent(self, generator=None):
        """The system's agent, with a wrapped generator for streaming. A shallow copy: models and indexes are shared."""
        agent = copy.copy(self.system.agent)
        if generator is not None:
            agent.generator = generator
        return agent

    async def answer(self, q: str, opts, generator=None, *, slot_held: bool = False):
        """Take a slot (or 429/503), answer in the pool, give the slot back when the work ends."""
        from grounding.answer.agent import QuestionError
        from grounding.generate.errors import GenerationError

        cfg, limiter = self.cfg, self.limiter
        if not slot_held:
            await limiter.acquire()
        try:
            # The agent is built in the worker too: a first, lazy load never blocks the event loop.
            fut = self.pool.submit(lambda: self.request_agent(generator).ask(q, opts))
        except BaseException as exc:
            limiter.release()
            if isinstance(exc, RuntimeError):
                raise Overloaded(503, "the server is shutting down") from exc
            raise
        fut.add_done_callback(lambda _f: limiter.release())
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(fut)), cfg.request_timeout_s)
        except TimeoutError:
            raise Overloaded(
                503,
                f"the answer took longer than {cfg.request_timeout_s:g} s (serve.request_timeout_s); the server is "
                f"overloaded or the generator is slow; retry later",
                retry_after=max(5, int(cfg.request_timeout_s / 4)),
            ) from None
        except QuestionError as exc:
            raise HTTPException(422, str(exc)) from exc
        except GenerationError as exc:
            raise HTTPException(503, f"the generator failed: {exc}") from exc
