"""GET /v1/models and POST /v1/chat/completions: the grounded answer in the OpenAI protocol.

Same reader auth (the client's API key is the bearer token), the same question and sampling limits
as POST /ask (serve/answering.py), the same generation slots. Streaming sends what the OpenAI
protocol defines; the unchecked draft never reaches `content` (a plain client shows all of it):
while the pipeline works, chunks carry an empty delta and `grounding: {stage}` / `{draft}`; the
checked answer is then sent as content, and the last chunk carries the whole answer in `grounding`.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import StreamingResponse

from grounding.aggregate.chart import attach_chart
from grounding.serve.answering import Asker
from grounding.serve.auth import require_reader
from grounding.serve.chat import MODEL_ID, ChatIn, ChunkWriter, completion, pieces, reply_text, usage
from grounding.serve.deps import get_asker
from grounding.serve.openai_errors import ChatError, OpenAIErrorOut, error_body
from grounding.serve.schemas import AskIn
from grounding.serve.streaming import answer_events

OPENAI_ERRORS = {
    status: {"model": OpenAIErrorOut, "description": why}
    for status, why in {
        400: "Invalid request (bad body, empty question, a limit exceeded, an unsupported field): `error.param` names the field.",
        401: "A reader token is needed: the API key (Authorization: Bearer <token>).",
        404: "Unknown model (`error.code` model_not_found) or path.",
        413: "The request body is larger than serve.max_body_bytes.",
        429: "Too many questions at once (the queue is full); retry after Retry-After seconds.",
        500: "Internal error (the type only; the server log has the rest).",
        503: "Busy for too long, nothing indexed, or the generator failed; the message says which.",
        # Any other refusal (405 ...) has the same body; stated, so FastAPI adds no 422, which /v1 never answers.
        "4XX": "Any other refusal, in the same shape.",
    }.items()
}

router = APIRouter(prefix="/v1", tags=["openai"], dependencies=[Depends(require_reader)])


@router.get("/models", summary="The one model this server answers as (OpenAI protocol)")
def models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "grounding"}]}


# The /ask names in the asker's messages, as the chat request names them.
PARAMS = {"sampling.max_new_tokens": "max_tokens", "sampling.num_samples": "grounding.samples", "samples": "grounding.samples", "a stop sequence": "stop"}


def _prepare(body: ChatIn, asker: Asker):
    """The pipeline question and options of a chat request; a ChatError (OpenAI's 400 / 404 / 503) when it has none."""
    if body.model != MODEL_ID:
        raise ChatError(404, f"the model {body.model!r} does not exist here; this server answers as {MODEL_ID!r} (GET /v1/models)", "model", "model_not_found")
    if (bad := body.unsupported()) is not None:
        raise ChatError(400, bad[1], bad[0], "unsupported_parameter")
    turn = body.question()
    if not turn.last_turn:
        raise ChatError(400, "no user message with text: the last user message is the question", "messages")
    try:
        asker.question(turn.last_turn)  # the turn as sent is held to the same limit as /ask
        q = asker.question(turn.question)
    except HTTPException as exc:
        raise ChatError(400, exc.detail, "messages") from exc
    g = body.grounding
    ask = AskIn.model_validate({
        "question": q,
        **({"threshold": g.threshold} if g and g.threshold is not None else {}),
        **({"passages": g.passages} if g and g.passages is not None else {}),
        **({"samples": g.samples} if g and g.samples is not None else {}),
        **({"sampling": body.sampling()} if body.sampling() else {}),
    })
    try:
        opts = asker.options(ask)
    except HTTPException as exc:
        param = next((v for k, v in PARAMS.items() if str(exc.detail).startswith(k)), None)
        raise ChatError(400, exc.detail, param) from exc
    asker.ready_to_answer()  # 503 (not ready): the handler writes it in the OpenAI shape
    return turn, q, opts, (g.sources if g else True)


def _answer_json(ans, turn) -> dict[str, Any]:
    out = attach_chart(ans.to_json())
    out["conversation"] = turn.trace()
    return out


@router.post(
    "/chat/completions",
    summary="A grounded, cited answer in the OpenAI chat-completions protocol (`stream` for chunks)",
    description=(
        "The last user message is the question; earlier user turns resolve a follow-up (\"and in 2005?\") "
        "into a standalone question, shown in `grounding.conversation`. `choices[0].message.content` is the "
        "checked answer with [P1] markers (or the abstention) and its sources; the extra field `grounding` is "
        "the object of POST /ask. Options of this server go in `grounding` (threshold, passages, samples, sources)."
    ),
    responses={
        200: {"content": {"application/json": {}, "text/event-stream": {}}, "description": "A chat.completion, or its chunks with `stream`."},
        **OPENAI_ERRORS,
    },
)
async def chat_completions(body: ChatIn, request: Request, asker: Asker = Depends(get_asker)):
    turn, q, opts, sources = _prepare(body, asker)
    if not body.stream:
        ans = await asker.answer(q, opts)
        return completion(_answer_json(ans, turn), body.model, sources)
    return await _stream(body, request, asker, turn, q, opts, sources)


async def _stream(body: ChatIn, request: Request, asker: Asker, turn, q: str, opts, sources: bool) -> StreamingResponse:
    events = await answer_events(request, asker, q, opts, lambda ans: _answer_json(ans, turn), "streamed chat answer")
    w = ChunkWriter(body.model)

    async def stream():
        yield _data(w.chunk({"role": "assistant", "content": ""}, grounding={"stage": "retrieving", "conversation": turn.trace()}))
        while True:
            kind, data = await events.get()
            if kind == "end":
                break
            if kind == "stage":
                yield _data(w.chunk({}, grounding={"stage": data}))
            elif kind == "text":
                yield _data(w.chunk({}, grounding={"draft": data}))
            elif kind == "error":
                # The openai client raises APIError with this body; a 500 says the type only (the log has the rest).
                detail = data["detail"] if data["status"] != 500 else "internal server error; the server log has the details"
                yield _data(error_body(data["status"], detail))
            else:
                text = reply_text(data, sources)
                for piece in pieces(text):
                    yield _data(w.chunk({"content": piece}))
                yield _data(w.chunk({}, "stop", grounding=data))
                if (body.stream_options or {}).get("include_usage"):  # as OpenAI sends it: no choices, the usage
                    yield _data({**w.chunk({}), "choices": [], "usage": usage(data, text)})
        yield "data: [DONE]\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _data(obj: dict[str, Any]) -> str:
    return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n"

