"""A tiny OpenAI-compatible server over any Generator: `/v1/chat/completions` and `/v1/models`.

It lets other tools (or another grounding process, via the `openai` backend) use the local model,
and it is what the tests run on loopback to exercise `OpenAIGenerator` against real HTTP.
Each logprobs entry carries an extra `entropy` field (exact, from the backend) that standard
clients ignore and our client prefers over the top-k estimate. `stream: true` answers with
server-sent events from the generator's `stream()`: text deltas, then one chunk with the finish
reason and every token's logprobs, then usage (when `stream_options.include_usage`).

Run: python -m grounding.generate.openai_server --port 8000   (serves the configured generator)
"""

from __future__ import annotations

import argparse
import json
import secrets
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from grounding.config import SamplingConfig
from grounding.generate.base import Generation, Generator
from grounding.generate.errors import GenerationError


class ChatMessage(BaseModel):
    role: str
    content: str


class ChatRequest(BaseModel):
    """The OpenAI fields we honour (defaults as OpenAI's), plus vLLM's top_k/min_p/repetition_penalty."""

    model_config = ConfigDict(extra="ignore")

    model: str = ""
    messages: list[ChatMessage] = Field(min_length=1)
    temperature: float = Field(1.0, ge=0.0, le=2.0)
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    max_tokens: int | None = Field(None, ge=1, le=4096)
    max_completion_tokens: int | None = Field(None, ge=1, le=4096)
    stop: str | list[str] | None = None
    seed: int | None = None
    n: int = Field(1, ge=1, le=16)
    logprobs: bool = False
    top_logprobs: int = Field(0, ge=0, le=20)
    top_k: int = Field(0, ge=-1)
    min_p: float = Field(0.0, ge=0.0, le=1.0)
    repetition_penalty: float = Field(1.0, gt=0.0)
    stream: bool = False
    stream_options: dict[str, Any] | None = None

    def sampling(self) -> SamplingConfig:
        stop = [self.stop] if isinstance(self.stop, str) else list(self.stop or [])
        return SamplingConfig(
            temperature=self.temperature,
            top_k=max(0, self.top_k),
            top_p=self.top_p,
            min_p=self.min_p,
            repetition_penalty=self.repetition_penalty,
            max_new_tokens=self.max_completion_tokens or self.max_tokens or 256,
            stop=stop,
            seed=self.seed if self.seed is not None else secrets.randbelow(2**31),
            num_samples=self.n,
        )


def _logprobs(gen: Generation, top_n: int, expose_entropy: bool) -> dict[str, Any]:
    content = []
    for t in gen.tokens:
        item: dict[str, Any] = {
            "token": t.text,
            "logprob": t.logprob,
            "bytes": list(t.text.encode("utf-8")),
            "top_logprobs": [
                {"token": a, "logprob": lp, "bytes": list(a.encode("utf-8"))} for a, lp in t.top_logprobs[:top_n]
            ],
        }
        if expose_entropy:
            item["entropy"] = t.entropy
        content.append(item)
    return {"content": content}


def make_app(generator: Generator, model_id: str | None = None, expose_entropy: bool = True) -> FastAPI:
    """Build the app; `model_id` defaults to the generator's name; any requested model name is accepted."""
    served = model_id or generator.name
    app = FastAPI(title="grounding generator", docs_url=None, redoc_url=None)

    @app.get("/v1/models")
    def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": served, "object": "model", "created": 0, "owned_by": "grounding"}]}

    @app.post("/v1/chat/completions", response_model=None)
    def chat(req: ChatRequest) -> dict[str, Any] | StreamingResponse:
        if req.stream:
            return StreamingResponse(_events(generator, req, req.model or served, expose_entropy), media_type="text/event-stream")
        try:
            gens = generator.generate([m.model_dump() for m in req.messages], req.sampling())
        except GenerationError as exc:
            raise HTTPException(400, str(exc)) from exc
        choices = [
            {
                "index": i,
                "message": {"role": "assistant", "content": g.text},
                "finish_reason": g.finish_reason,
                "logprobs": _logprobs(g, req.top_logprobs, expose_entropy) if req.logprobs else None,
            }
            for i, g in enumerate(gens)
        ]
        prompt = gens[0].prompt_tokens if gens else 0
        completion = sum(len(g.tokens) for g in gens)
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": req.model or served,
            "choices": choices,
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
        }

    return app


def _events(generator: Generator, req: ChatRequest, model: str, expose_entropy: bool) -> Iterator[str]:
    """The chunks of one streamed completion, as `data:` lines (OpenAI's chat.completion.chunk)."""
    head = {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion.chunk", "created": int(time.time()), "model": model}

    def event(choice: dict[str, Any] | None, **extra: Any) -> str:
        return "data: " + json.dumps({**head, "choices": [choice] if choice else [], **extra}, ensure_ascii=False) + "\n\n"

    try:
        stream = generator.stream([m.model_dump() for m in req.messages], req.sampling())
        for piece in stream:
            yield event({"index": 0, "delta": {"content": piece}, "finish_reason": None, "logprobs": None})
        gen = stream.generations[0]
    except GenerationError as exc:
        yield "data: " + json.dumps({"error": {"message": str(exc), "type": "invalid_request_error"}}) + "\n\n"
        return
    logprobs = _logprobs(gen, req.top_logprobs, expose_entropy) if req.logprobs else None
    yield event({"index": 0, "delta": {}, "finish_reason": gen.finish_reason, "logprobs": logprobs})
    if (req.stream_options or {}).get("include_usage"):
        n = len(gen.tokens)
        yield event(None, usage={"prompt_tokens": gen.prompt_tokens, "completion_tokens": n, "total_tokens": gen.prompt_tokens + n})
    yield "data: [DONE]\n\n"


def main(argv: list[str] | None = None) -> None:
    """Serve the generator named in config.toml (default: local SmolLM2) on loopback."""
    import uvicorn

    from grounding.config import load_config
    from grounding.generate.factory import make_generator

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=None, help="config.toml (default: ./config.toml if present)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    if cfg.generator.backend == "openai":
        raise SystemExit("generator.backend is 'openai': serving it would only proxy another server")
    gen = make_generator(cfg.generator, Path(cfg.data_dir))
    uvicorn.run(make_app(gen, cfg.generator.model), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
