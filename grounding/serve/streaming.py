"""Token streaming for `POST /ask/stream` and the streamed `/v1/chat/completions`, through the generator's own `stream()`.

`StreamingGenerator` wraps the system's generator for one request: the agent calls `generate`
as always, and the wrapper answers it with `stream()` (the same request, so the same tokens and
logprobs), handing each decoded piece to `on_text`. Every backend streams this way; a request
for several samples comes whole, since which sample becomes the answer is decided after
generation. Streamed text is a draft: the agent's checks decide what is said.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException

from grounding.config import SamplingConfig
from grounding.generate.claims import ClaimTextView
from grounding.generate.base import Generation, Generator, Message, is_single
from grounding.serve.limits import Overloaded

log = logging.getLogger("grounding.serve")


class StreamingGenerator:
    """A per-request wrapper: same `name` and `generate` as the wrapped generator, plus callbacks."""

    def __init__(
        self,
        inner: Generator,
        on_text: Callable[[str], None],
        on_stage: Callable[[str], None] | None = None,
    ) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", type(inner).__name__)
        self.on_text = on_text
        self.on_stage = on_stage or (lambda stage: None)
        self.streamed = False

    def __getattr__(self, item: str):  # anything else the agent may read (load_info, cfg, ...)
        return getattr(self.inner, item)

    def generate(self, messages: list[Message], sampling: SamplingConfig) -> list[Generation]:
        self.on_stage("generating")
        if is_single(sampling):
            stream = self.inner.stream(messages, sampling)
            view = ClaimTextView() if sampling.json_schema is not None else None  # claims JSON: show their text
            for piece in stream:
                shown = view.feed(piece) if view is not None else piece
                if shown:
                    self.streamed = True
                    self.on_text(shown)
            gens = stream.generations
        else:
            gens = self.inner.generate(messages, sampling)
        self.on_stage("checking")
        return gens

    def stream(self, messages: list[Message], sampling: SamplingConfig):
        """The wrapped generator's stream (a caller that streams by itself gets no callbacks)."""
        return self.inner.stream(messages, sampling)


async def answer_events(request, asker, question: str, opts, to_json: Callable[[Any], dict], label: str) -> asyncio.Queue:
    """Start answering `question` as a task and return the queue its events arrive on, for a streamed response.

    Events: ("text", piece) and ("stage", name) while it works, then ("answer", to_json(answer)) or
    ("error", {"status", "detail"}), then ("end", None). The generation slot is taken before the stream
    starts, so load limits are a plain 429/503 response, not a stream; the task starts now, not when the
    client reads, so the slot is always handed on and given back. Each route maps the events to its protocol.
    """
    loop = asyncio.get_running_loop()
    events: asyncio.Queue = asyncio.Queue()

    def emit(kind: str, data: Any) -> None:
        try:
            loop.call_soon_threadsafe(events.put_nowait, (kind, data))
        except RuntimeError:  # the loop is gone (server stopping): the answer still completes
            pass

    gen = StreamingGenerator(asker.system.generator, on_text=lambda text: emit("text", text), on_stage=lambda stage: emit("stage", stage))
    await asker.limiter.acquire()

    async def run() -> None:
        try:
            ans = await asker.answer(question, opts, gen, slot_held=True)
            emit("answer", to_json(ans))
        except Overloaded as exc:
            emit("error", {"status": exc.status, "detail": exc.detail})
        except HTTPException as exc:
            emit("error", {"status": exc.status_code, "detail": exc.detail})
        except Exception as exc:  # reported in the stream, never a crash
            log.exception("%s failed", label)
            emit("error", {"status": 500, "detail": f"internal error: {type(exc).__name__}: {exc}"})
        emit("end", None)

    tasks = request.app.state.tasks
    task = asyncio.create_task(run())
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    return events
