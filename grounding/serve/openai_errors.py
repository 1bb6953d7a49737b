"""Errors on the /v1 routes in the OpenAI shape: `{"error": {"message", "type", "param", "code"}}`.

OpenAI clients read `error.message` (the openai package puts it in the exception it raises, chosen by
the HTTP status), so the /v1 routes answer with that body and OpenAI's statuses: a request the server
cannot take is 400 (FastAPI's 422), whatever the reason. The other routes keep `{"detail": ...}`.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from pydantic import BaseModel, Field

PREFIX = "/v1/"

# status -> (type, code) as OpenAI's API returns them.
KINDS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", None),
    404: ("invalid_request_error", "not_found"),
    405: ("invalid_request_error", "method_not_allowed"),
    413: ("invalid_request_error", "request_too_large"),
    429: ("rate_limit_error", "rate_limit_exceeded"),
    500: ("server_error", None),
    503: ("server_error", "service_unavailable"),
}


class OpenAIError(BaseModel):
    message: str = Field(description="What went wrong, in words (the openai client's exception message).")
    type: str = Field(description="invalid_request_error | rate_limit_error | permission_error | server_error.")
    param: str | None = Field(None, description="The request field at fault (messages[0].role, max_tokens ...), when one is.")
    code: str | None = Field(None, description="invalid_api_key, model_not_found, unsupported_parameter, rate_limit_exceeded, service_unavailable ...")


class OpenAIErrorOut(BaseModel):
    """The error body of the /v1 routes, as OpenAI's API writes it."""

    error: OpenAIError = Field(description="message, type, param, code: what the openai client reads.")


class ChatError(HTTPException):
    """An HTTPException that names the request field (`param`) and OpenAI's `code` for it."""

    def __init__(self, status: int, message: str, param: str | None = None, code: str | None = None) -> None:
        super().__init__(status, message)
        self.param = param
        self.code = code


def is_openai_path(path: str) -> bool:
    return path.startswith(PREFIX)


def openai_status(status: int) -> int:
    """OpenAI has no 422: an invalid request is 400."""
    return 400 if status == 422 else status


def error_body(status: int, message: Any, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    """The OpenAI error object for `status` (after `openai_status`)."""
    status = openai_status(status)
    kind, default_code = KINDS.get(status, ("server_error" if status >= 500 else "invalid_request_error", None))
    return {"error": {"message": str(message), "type": kind, "param": param, "code": code or default_code}}


def _loc(loc: tuple | list) -> str:
    """("body", "messages", 0, "role") -> "messages[0].role"."""
    out = ""
    for part in loc[1:] if loc and loc[0] in ("body", "query", "path") else loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """FastAPI's validation errors as one 400 error: each field and what is wrong with it, the first as `param`."""
    parts = []
    for e in errors:
        where = "" if e.get("type") == "json_invalid" else _loc(e.get("loc", ()))
        parts.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
    first = _loc(errors[0].get("loc", ())) if errors and errors[0].get("type") != "json_invalid" else None
    message = "invalid request: " + "; ".join(parts[:5]) + (f" (and {len(parts) - 5} more)" if len(parts) > 5 else "")
    return error_body(400, message, param=first or None)
