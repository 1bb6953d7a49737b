"""Token streaming for `POST /ask/stream`, without changing the generator or the agent.

`StreamingGenerator` wraps the system's generator for one request. With the transformers
backend it passes a streamer into the model's `generate` call (through a thread-local hook on
the model, so the backend runs exactly as it always does: same sampling, same logprobs), and
each decoded piece goes to `on_text`. Other backends do not expose tokens; they still report
the stages, and the final checked answer is sent either way. Streamed text is a draft: the
agent's checks decide what is said.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

_local = threading.local()
_install_lock = threading.Lock()


class _CallbackStreamer:
    """A transformers streamer (put/end) that decodes incrementally and hands on new text.

    Only single-row generations stream (a greedy answer); a batch of samples is not streamed,
    because which sample becomes the answer is decided after generation.
    """

    def __init__(self, tokenizer, on_text: Callable[[str], None]) -> None:
        self.tok = tokenizer
        self.on_text = on_text
        self.ids: list[int] = []
        self.sent = ""
        self.prompt_seen = False
        self.disabled = False

    def put(self, value) -> None:
        if self.disabled:
            return
        if not self.prompt_seen:  # the first call carries the prompt
            self.prompt_seen = True
            return
        if value.dim() > 1:
            if value.shape[0] > 1:
                self.disabled = True
                return
            value = value[0]
        self.ids.extend(int(t) for t in value.tolist())
        text = self.tok.decode(self.ids, skip_special_tokens=True)
        if text.endswith("\ufffd"):  # half of a multi-byte character: wait for the rest
            return
        if text.startswith(self.sent) and len(text) > len(self.sent):
            piece, self.sent = text[len(self.sent) :], text
            self.on_text(piece)

    def end(self) -> None:
        if self.disabled or not self.ids:
            return
        text = self.tok.decode(self.ids, skip_special_tokens=True)
        if text.startswith(self.sent) and len(text) > len(self.sent):
            self.on_text(text[len(self.sent) :])
            self.sent = text


def _hook_model(model) -> None:
    """Make `model.generate` pick up this thread's streamer, if any (installed once per model)."""
    with _install_lock:
        if getattr(model, "_grounding_stream_hook", False):
            return
        original = model.generate

        def generate(*args: Any, **kwargs: Any):
            streamer = getattr(_local, "streamer", None)
            if streamer is not None and kwargs.get("streamer") is None:
                kwargs["streamer"] = streamer
            return original(*args, **kwargs)

        model.generate = generate
        model._grounding_stream_hook = True


def can_stream(generator) -> bool:
    """True when tokens can be streamed from this generator (transformers, xllamacpp)."""
    if hasattr(generator, "generate_streaming"):
        return True
    return hasattr(generator, "load") and hasattr(generator, "_model") and hasattr(generator, "_tok")


class StreamingGenerator:
    """A per-request wrapper: same `name` and `generate` as the wrapped generator, plus callbacks."""

    def __init__(
        self,
        inner,
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

    def generate(self, messages, sampling):
        self.on_stage("generating")
        single = sampling.temperature <= 0.0 or max(sampling.num_samples, sampling.best_of) <= 1
        streamer = None
        if single and can_stream(self.inner) and not hasattr(self.inner, "generate_streaming"):
            self.inner.load()
            model, tok = self.inner._model, self.inner._tok
            if model is not None and tok is not None:
                _hook_model(model)
                streamer = _CallbackStreamer(tok, self.on_text)
        if single and streamer is None and hasattr(self.inner, "generate_streaming"):
            # A backend that streams by itself (llama.cpp through xllamacpp).
            sent: list[str] = []

            def on_text(piece: str) -> None:
                sent.append(piece)
                self.on_text(piece)

            gens = self.inner.generate_streaming(messages, sampling, on_text)
            self.streamed = self.streamed or bool(sent)
            self.on_stage("checking")
            return gens
        _local.streamer = streamer
        try:
            gens = self.inner.generate(messages, sampling)
        finally:
            _local.streamer = None
        self.streamed = self.streamed or bool(streamer and streamer.sent)
        self.on_stage("checking")
        return gens
