"""What the routers share: the app's state as FastAPI dependencies, and the documented error responses.

The state is built once by `create_app` and kept on `app.state`; a route asks for the part it
needs (`system = Depends(get_system)`) instead of closing over local variables, so routes live
in their own modules (grounding/serve/routes/) and can be read, tested and added one by one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from grounding.config import ServeConfig
from grounding.serve.jobs import JobManager
from grounding.serve.limits import GenerationLimiter
from grounding.serve.schemas import ErrorOut

if TYPE_CHECKING:
    from grounding.serve.answering import Asker
    from grounding.system import Grounding

ERRORS = {
    401: {"model": ErrorOut, "description": "A token is needed (Authorization: Bearer <token>)."},
    403: {"model": ErrorOut, "description": "Curation is disabled (no curator token configured)."},
    400: {"model": ErrorOut, "description": "The body could not be read as JSON (not UTF-8 or not JSON at all)."},
    422: {"model": ErrorOut, "description": "The request is invalid: `detail` names the field (a list of validation errors) or says why."},
}
LOAD = {
    413: {"model": ErrorOut, "description": "The request body is larger than serve.max_body_bytes."},
    422: {"model": ErrorOut, "description": "The request is invalid (e.g. the question is empty or too long)."},
    429: {"model": ErrorOut, "description": "Too many requests at once (the queue is full); retry after Retry-After seconds."},
    503: {"model": ErrorOut, "description": "Busy for too long, nothing indexed, or the generator failed; the detail says which."},
}


def get_system(request: Request) -> Grounding:
    return request.app.state.system


def get_serve_cfg(request: Request) -> ServeConfig:
    return request.app.state.serve_cfg


def get_limiter(request: Request) -> GenerationLimiter:
    return request.app.state.limiter


def get_jobs(request: Request) -> JobManager:
    return request.app.state.jobs


def get_asker(request: Request) -> Asker:
    return request.app.state.asker
