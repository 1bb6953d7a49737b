"""Token streaming for `POST /ask/stream`, through the generator's own `stream()`.

`StreamingGenerator` wraps the system's generator for one request: the agent calls `generate`
as always, and the wrapper answers it with `stream()` (the same request, so the same tokens and
logprobs), handing each decoded piece to `on_text`. Every backend streams this way; a request
for several samples comes whole, since which sample becomes the answer is decided after
generation. Streamed text is a draft: the agent's checks decide what is said.
"""

from __future__ import annotations

from collections.abc import Callable

from grounding.config import SamplingConfig
from grounding.generate.base import Generation, Generator, Message, is_single


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
            for piece in stream:
                self.streamed = True
                self.on_text(piece)
            gens = stream.generations
        else:
            gens = self.inner.generate(messages, sampling)
        self.on_stage("checking")
        return gens

    def stream(self, messages: list[Message], sampling: SamplingConfig):
        """The wrapped generator's stream (a caller that streams by itself gets no callbacks)."""
        return self.inner.stream(messages, sampling)
