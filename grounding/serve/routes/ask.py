"""POST /ask and POST /ask/stream: a checked answer, whole or as server-sent events."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from grounding.aggregate.chart import attach_chart
from grounding.serve.answering import Asker
from grounding.serve.auth import require_reader
from grounding.serve.deps import ERRORS, LOAD, get_asker
from grounding.serve.schemas import AnswerOut, AskIn
from grounding.serve.streaming import answer_events

router = APIRouter(tags=["ask"], dependencies=[Depends(require_reader)])

STREAM_DESCRIPTION = (
    "A `text/event-stream` of events, each `data:` a JSON object:\n\n"
    "- `start` `{question}`: a slot was taken;\n"
    "- `stage` `{stage}`: retrieving | generating | checking;\n"
    "- `token` `{text}`: generated text as it comes (a draft, unchecked: sentences may still be dropped);\n"
    "- `answer`: the final, checked answer (the same object as POST /ask): the authoritative one;\n"
    "- `error` `{status, detail}`: the answer failed (e.g. 503 when it took longer than serve.request_timeout_s).\n\n"
    "Load limits are answered before the stream starts, as JSON with status 429 / 503."
)


@router.post(
    "/ask",
    response_model=AnswerOut,
    summary="Answer a question from the evidence (the JSON of `grounding ask --json`)",
    responses={**ERRORS, **LOAD},
)
async def ask(body: AskIn, asker: Asker = Depends(get_asker)):
    q = asker.question(body.question)
    opts = asker.options(body)
    asker.ready_to_answer()
    ans = await asker.answer(q, opts)
    return attach_chart(ans.to_json())  # a trend answer's chart, inline for the page


@router.post(
    "/ask/stream",
    summary="Answer with server-sent events: draft tokens as generated, then the checked answer",
    description=STREAM_DESCRIPTION,
    responses={200: {"content": {"text/event-stream": {}}, "description": "The event stream."}, **ERRORS, **LOAD},
)
async def ask_stream(body: AskIn, request: Request, asker: Asker = Depends(get_asker)):
    q = asker.question(body.question)
    opts = asker.options(body)
    asker.ready_to_answer()
    events = await answer_events(request, asker, q, opts, lambda ans: attach_chart(ans.to_json()), "streamed answer")
    wire = {"text": lambda t: ("token", {"text": t}), "stage": lambda st: ("stage", {"stage": st})}

    async def stream():
        yield _sse("start", {"question": q})
        yield _sse("stage", {"stage": "retrieving"})
        while True:
            kind, data = await events.get()
            if kind == "end":
                break
            yield _sse(*wire[kind](data)) if kind in wire else _sse(kind, data)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
