"""The OpenAI chat-completions protocol around the grounded answer (docs/serving.md, "OpenAI-compatible").

A chat request becomes one pipeline question: the last user message, made standalone from the earlier
user turns by rules (answer/followup.py). The reply's `content` is the checked, cited answer or the
abstention, followed by the sources it cites; everything else (evidence, confidence, abstention flag,
the trace with the standalone question) is the extra top-level field `grounding`, the object of POST /ask.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from grounding.answer.followup import Standalone, standalone

MODEL_ID = "grounding"


class ChatMessageIn(BaseModel):
    # Clients send more than role and content (name, tool_calls ...): kept, not used.
    model_config = ConfigDict(extra="allow", strict=True)

    role: str = Field(description="system | user | assistant | tool | developer.")
    content: str | list[dict[str, Any]] | None = Field(None, description="Text, or a list of content parts (the text parts are read).")

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(str(p.get("text", "")) for p in self.content if isinstance(p, dict) and p.get("type", "text") == "text")
        return self.content or ""


class GroundingOptionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)

    threshold: float | None = Field(None, ge=0.0, le=1.0, description="As POST /ask `threshold`.")
    passages: int | None = Field(None, ge=1, le=20, description="As POST /ask `passages`.")
    samples: int | None = Field(None, ge=0, description="As POST /ask `samples`.")
    sources: bool = Field(True, description="Append the cited sources to the reply text (false: the answer text only).")


class ChatIn(BaseModel):
    """The OpenAI request body. Fields other clients send and this server does not use are ignored."""

    # Strict JSON types (as every request body here): "0.5" is not a number, NaN is refused.
    model_config = ConfigDict(extra="ignore", strict=True, allow_inf_nan=False)

    model: str = Field(MODEL_ID, description=f"'{MODEL_ID}' (GET /v1/models).")
    messages: list[ChatMessageIn] = Field(min_length=1, max_length=64, description="The conversation; the last user message is the question.")
    stream: bool = Field(False, description="Server-sent chunks, as the OpenAI protocol defines them.")
    temperature: float | None = Field(None, ge=0.0, le=2.0, description="Sampling temperature (as /ask's sampling.temperature).")
    top_p: float | None = Field(None, gt=0.0, le=1.0, description="Nucleus sampling mass (as /ask's sampling.top_p).")
    max_tokens: int | None = Field(None, ge=1, description="Cap on generated tokens (capped by serve.max_new_tokens).")
    max_completion_tokens: int | None = Field(None, ge=1, description="The newer OpenAI name of max_tokens; wins when both are given.")
    seed: int | None = Field(None, ge=0, description="Sampling seed, for repeatable sampled answers.")
    stop: str | list[str] | None = Field(None, description="Stop sequence(s) for the generator.")
    n: int | None = Field(None, ge=1, le=1, description="One answer per request (n > 1 is a 400).")
    grounding: GroundingOptionsIn | None = Field(None, description="This server's own options (`extra_body` in the openai client).")
    # Refused with a 400 naming the field when used: the answer is the checked text, nothing else.
    tools: list[dict[str, Any]] | None = Field(None, description="Not supported (400 when non-empty): the reply is a grounded answer, never a tool call.")
    functions: list[dict[str, Any]] | None = Field(None, description="Not supported (400 when non-empty), as `tools`.")
    tool_choice: str | dict[str, Any] | None = Field(None, description="Only 'none' or 'auto' (no tools are called).")
    response_format: dict[str, Any] | None = Field(None, description="Only {'type': 'text'}: the reply is the cited answer text; the structured answer is `grounding`.")
    logprobs: bool | None = Field(None, description="Not supported (400 when true).")
    stream_options: dict[str, Any] | None = Field(None, description="With `stream`: {'include_usage': true} adds a last chunk with `usage` and no choices.")

    def unsupported(self) -> tuple[str, str] | None:
        """The first field this server cannot honour, and why (None when the request is servable)."""
        if self.tools:
            return "tools", "tools are not supported: this server answers from its evidence and never calls tools"
        if self.functions:
            return "functions", "functions are not supported: this server answers from its evidence and never calls functions"
        if self.tool_choice not in (None, "none", "auto"):
            return "tool_choice", "tool_choice must be 'none' or 'auto': this server calls no tools"
        if self.response_format and self.response_format.get("type", "text") != "text":
            return "response_format", (
                f"response_format {self.response_format.get('type')!r} is not supported: the reply is the cited answer "
                "text, and the structured answer (sentences, citations, evidence) is the extra field 'grounding'"
            )
        if self.logprobs:
            return "logprobs", "logprobs are not supported: the answer is checked text, not the raw generation"
        return None

    def sampling(self) -> dict[str, Any]:
        """The OpenAI sampling fields as POST /ask `sampling` overrides (limits are checked there)."""
        out: dict[str, Any] = {}
        if self.temperature is not None:
            out["temperature"] = self.temperature
        if self.top_p is not None:
            out["top_p"] = self.top_p
        if (tokens := self.max_completion_tokens or self.max_tokens) is not None:
            out["max_new_tokens"] = tokens
        if self.seed is not None:
            out["seed"] = self.seed
        if self.stop:
            out["stop"] = [self.stop] if isinstance(self.stop, str) else list(self.stop)
        return out

    def question(self) -> Standalone:
        """The last user turn, standalone (the earlier user turns give the context)."""
        users = [m.text() for m in self.messages if m.role == "user"]
        return standalone(users)


def reply_text(answer: dict[str, Any], sources: bool = True) -> str:
    """The answer text and, when it cites any, one line per cited source (report id, date, facility, title)."""
    text = answer.get("answer", "")
    if not sources:
        return text
    lines = []
    for key, ev in (answer.get("evidence") or {}).items():
        if f"[{key}]" in text and "report_id" in ev:
            where = ", ".join(x for x in (ev.get("date"), ev.get("facility"), ev.get("title")) if x)
            lines.append(f"[{key}] {ev['report_id']}" + (f" ({where})" if where else ""))
    return text + ("\n\nSources:\n" + "\n".join(lines) if lines else "")


def usage(answer: dict[str, Any], text: str) -> dict[str, int]:
    """Token counts are the generator's (0 for an answer read from SQL or a record)."""
    prompt = int((answer.get("signals") or {}).get("prompt_tokens", 0))
    completion = len(text.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def completion(answer: dict[str, Any], model: str, sources: bool = True) -> dict[str, Any]:
    """The `chat.completion` object with the grounded answer as content and the whole answer as `grounding`."""
    text = reply_text(answer, sources)
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "logprobs": None, "finish_reason": "stop"}],
        "usage": usage(answer, text),
        "grounding": answer,
    }


class ChunkWriter:
    """`chat.completion.chunk` events of one streamed reply (same id and creation time in each)."""

    def __init__(self, model: str) -> None:
        self.id = f"chatcmpl-{uuid.uuid4().hex}"
        self.created = int(time.time())
        self.model = model

    def chunk(self, delta: dict[str, Any], finish: Literal["stop"] | None = None, **extra: Any) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
            **extra,
        }


def pieces(text: str, size: int = 24) -> list[str]:
    """`text` in word-boundary pieces of about `size` characters (joined, exactly `text`)."""
    out: list[str] = []
    cur = ""
    for word in text.split(" "):
        cur = f"{cur} {word}" if cur else (word if not out else f" {word}")
        if len(cur) >= size:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out or [""]
