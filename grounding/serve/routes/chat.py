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
from grounding.serve.chat import MODEL_ID, ChatIn, ChunkWriter, completion, pieces, reply_text
from grounding.serve.deps import ERRORS, LOAD, get_asker
from grounding.serve.schemas import AskIn, ErrorOut
from grounding.serve.streaming import answer_events

router = APIRouter(prefix="/v1", tags=["openai"], dependencies=[Depends(require_reader)])


@router.get("/models", summary="The one model this server answers as (OpenAI protocol)")
def models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "grounding"}]}


def _prepare(body: ChatIn, asker: Asker):
    if body.model != MODEL_ID:
        raise HTTPException(404, f"model {body.model!r} does not exist here; this server answers as {MODEL_ID!r} (GET /v1/models)")
    turn = body.question()
    if not turn.last_turn:
        raise HTTPException(422, "no user message with text: the last user message is the question")
    asker.question(turn.last_turn)  # the turn as sent is held to the same limit as /ask
    q = asker.question(turn.question)
    g = body.grounding
    ask = AskIn.model_validate({
        "question": q,
        **({"threshold": g.threshold} if g and g.threshold is not None else {}),
        **({"passages": g.passages} if g and g.passages is not None else {}),
        **({"samples": g.samples} if g and g.samples is not None else {}),
        **({"sampling": body.sampling()} if body.sampling() else {}),
    })
    opts = asker.options(ask)
    asker.ready_to_answer()
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
        **ERRORS, **LOAD, 404: {"model": ErrorOut, "description": "Unknown model."},
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
                yield _data({"error": {"message": str(data["detail"]), "type": "grounding_error", "code": data["status"]}})
            else:
                for piece in pieces(reply_text(data, sources)):
                    yield _data(w.chunk({"content": piece}))
                yield _data(w.chunk({}, "stop", grounding=data))
        yield "data: [DONE]\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _data(obj: dict[str, Any]) -> str:
    return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n"

