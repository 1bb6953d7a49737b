"""The FastAPI app: one process holding the loaded models and indexes, every endpoint bounded.

`create_app(system)` builds the app around a `Grounding` system (whatever it has loaded, or
loads lazily) and assembles the routers of grounding/serve/routes/ (one per resource); the
shared state lives on `app.state` and reaches the routes through the dependencies of
grounding/serve/deps.py. Asking runs in a small thread pool behind `GenerationLimiter`
(serve/answering.py); summarization runs as background jobs; curation endpoints need the
curator token. The web page is `static/index.html` (operator and curator views), served at `/`.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from grounding.config import ServeConfig
from grounding.serve.answering import Asker
from grounding.serve.auth import check_tokens
from grounding.serve.jobs import JobManager
from grounding.serve.limits import BodySizeLimit, GenerationLimiter, Overloaded
from grounding.serve.openai_errors import error_body, is_openai_path, openai_status, validation_body
from grounding.serve.routes import ask, chat, health, index, jobs, ontology, reports, search, summaries

log = logging.getLogger("grounding.serve")

STATIC = Path(str(resources.files("grounding.serve") / "static"))

# The page loads nothing from elsewhere and runs no inline script: report text can never execute.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def warm(system) -> list[str]:
    """Load everything a request will need, once, before serving; returns what failed (and why)."""
    errors: list[str] = []
    steps = [
        ("store", lambda: system.store.stats()),
        ("embedder", lambda: system.embedder.encode(["warm up"]) if hasattr(system.embedder, "encode") else system.embedder),
        ("index", lambda: system.index.count()),
        ("ontology", lambda: (system.ontology, system.linker)),
        ("retriever", lambda: system.retriever.bm25.ensure() if getattr(system.retriever, "bm25", None) else None),
        ("generator", lambda: system.generator.load() if hasattr(system.generator, "load") else system.generator),
        ("agent", lambda: system.agent),
    ]
    for name, step in steps:
        t = time.perf_counter()
        try:
            step()
            log.info("loaded %s in %.1f s", name, time.perf_counter() - t)
        except Exception as exc:  # reported by /healthz; the server still answers what it can
            log.warning("could not load %s: %s", name, exc)
            errors.append(f"{name}: {type(exc).__name__}: {exc}")
    return errors


class GenerationPoller:
    """With `storage.index_generations`: switch to each newly published index generation without a restart.

    A daemon thread calls `index.reload_if_changed()` every `storage.generation_poll_s`: it renews this
    server's lease and loads a new generation off the request path, then swaps it in whole
    (grounding/index/generations.py). A failed poll (the database briefly away) is logged and retried.
    """

    def __init__(self, system) -> None:
        self.system = system
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-generations", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        every = self.system.cfg.storage.generation_poll_s
        while not self._stop.is_set():
            try:
                self.system.index.reload_if_changed()
            except Exception as exc:
                log.warning("index generation poll failed (retrying in %.1f s): %s", every, exc)
            self._stop.wait(every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
        release = getattr(self.system.index, "release", None)
        if release is not None:
            release()


def create_app(system, serve_cfg: ServeConfig | None = None, *, load_errors: list[str] | None = None) -> FastAPI:
    """The app around `system` (a `grounding.system.Grounding`). `serve_cfg` defaults to system.cfg.serve."""
    cfg = serve_cfg or system.cfg.serve
    check_tokens(cfg)
    limiter = GenerationLimiter(cfg.max_concurrent_generations, cfg.max_queue, cfg.queue_timeout_s)
    asker = Asker(system, cfg, limiter)
    job_manager = JobManager(cfg.max_jobs, cfg.max_queued_jobs, cfg.job_history)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        poller = GenerationPoller(system) if system.cfg.storage.index_generations else None
        yield
        if poller is not None:
            poller.stop()
        job_manager.shutdown()
        asker.shutdown()

    app = FastAPI(
        title="grounding",
        version="0.1.0",
        summary="Answers questions about energy-equipment faults from evidence, with citations and abstention.",
        description=(
            "Reading and asking are open unless `serve.reader_token` is set. Endpoints that change the "
            "ontology or the index need the curator token (`serve.curator_token`) as `Authorization: Bearer <token>`. "
            "Load limits (body size, question length, concurrent generations, queue) answer 413 / 422 / 429 / 503 "
            "with a `detail` that says which limit and how to retry."
        ),
        lifespan=lifespan,
    )
    app.state.system = system
    app.state.serve_cfg = cfg
    _schema_limits(app, cfg, system.cfg.retrieval.max_question_chars)
    app.state.limiter = limiter
    app.state.asker = asker
    app.state.jobs = job_manager
    app.state.load_errors = list(load_errors or [])
    app.state.audit_cache = {}
    app.state.tasks = set()

    @app.get("/", include_in_schema=False)
    def page():
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    routers = [
        health.router,
        ask.router,
        reports.router,
        search.make_router(cfg, system.cfg.retrieval.max_question_chars),
        summaries.router,
        jobs.router,
        ontology.router,
        index.router,
        chat.router,
    ]
    for router in routers:
        app.include_router(router)
    _handle_errors(app, [r for router in routers for r in router.routes])
    app.add_middleware(BodySizeLimit, max_bytes=cfg.max_body_bytes)
    return app


def _handle_errors(app: FastAPI, api_routes: list) -> None:
    """Error bodies as JSON `{"detail": ...}` (OpenAI's `{"error": {...}}` on /v1/), and the security headers on every response.

    `api_routes` are the routers' own routes: FastAPI keeps an included router as one entry in
    `app.router.routes`, so the methods a path allows are read from the routes themselves.
    """

    def openai(status: int, message: Any, headers: dict | None = None, **kw: Any) -> JSONResponse:
        return JSONResponse(error_body(status, message, **kw), status_code=openai_status(status), headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if not is_openai_path(request.url.path):
            return await http_exception_handler(request, exc)
        return openai(exc.status_code, exc.detail, getattr(exc, "headers", None), param=getattr(exc, "param", None), code=getattr(exc, "code", None))

    @app.exception_handler(Overloaded)
    async def _overloaded(request: Request, exc: Overloaded):
        headers = {"Retry-After": str(exc.retry_after)}
        if is_openai_path(request.url.path):
            return openai(exc.status, exc.detail, headers)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        if is_openai_path(request.url.path):
            return JSONResponse(validation_body(list(exc.errors())), status_code=400)
        # FastAPI's own handler echoes the input; a NaN or Infinity there cannot be written as JSON
        # (a 500). The errors are returned with such values spelled as strings.
        return JSONResponse({"detail": _finite(jsonable_encoder(exc.errors()))}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if is_openai_path(request.url.path):  # the type only: the server log has the rest
            return openai(500, f"internal server error ({type(exc).__name__}); the server log has the details")
        return JSONResponse({"detail": f"internal error: {type(exc).__name__}: {exc}"}, status_code=500)

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        response = await call_next(request)
        if response.status_code == 405:
            # Starlette lists only the first route's methods; a path served by several routes
            # (GET and POST /ontology/review) allows all of theirs.
            allowed = {m for r in [*app.router.routes, *api_routes] if getattr(r, "methods", None) and r.matches(request.scope)[0].value > 0 for m in r.methods}
            if allowed:
                response.headers["Allow"] = ", ".join(sorted(allowed))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        path = request.url.path
        if path == "/" or path.startswith("/static/"):
            response.headers["Content-Security-Policy"] = PAGE_CSP
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Cache-Control"] = "no-cache"
        return response


def _schema_limits(app: FastAPI, cfg: ServeConfig, max_question_chars: int) -> None:
    """Write this server's configured limits into its OpenAPI document (maximum / maxLength), so a
    request the schema allows is one the server accepts, and a 422 for a limit is schema-invalid."""
    plain = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is not None:
            return app.openapi_schema
        doc = plain()
        comps = doc.get("components", {}).get("schemas", {})
        limits = {
            ("AskIn", "question"): {"maxLength": max_question_chars, "pattern": r"\S"},
            ("AskIn", "samples"): {"maximum": cfg.max_samples},
            ("SamplingIn", "num_samples"): {"maximum": cfg.max_samples},
            ("SamplingIn", "best_of"): {"maximum": cfg.max_samples},
            ("SamplingIn", "max_new_tokens"): {"maximum": cfg.max_new_tokens},
        }
        for (model, name), extra in limits.items():
            prop = comps.get(model, {}).get("properties", {}).get(name)
            if prop is None:
                continue
            for branch in prop.get("anyOf", [prop]):
                if branch.get("type") in ("integer", "string"):
                    branch.update(extra)
        stop = comps.get("SamplingIn", {}).get("properties", {}).get("stop")
        for branch in (stop or {}).get("anyOf", []):
            if branch.get("type") == "array":
                branch.setdefault("items", {}).update({"maxLength": 64})
        app.openapi_schema = doc
        return doc

    app.openapi = openapi


def _finite(value: Any) -> Any:
    """`value` with NaN and +-Infinity floats replaced by the strings "NaN", "Infinity", "-Infinity"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
