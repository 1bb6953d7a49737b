"""The FastAPI app: one process holding the loaded models and indexes, every endpoint bounded.

`create_app(system)` builds the app around a `Grounding` system (whatever it has loaded, or
loads lazily). Asking runs in a small thread pool behind `GenerationLimiter`; summarization
runs as background jobs; curation endpoints need the curator token. The web page is
`static/index.html` (operator and curator views), served at `/`.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import math
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles

from grounding.config import ServeConfig
from grounding.serve import curation
from grounding.serve.auth import check_tokens, curator_token, require_curator, require_reader
from grounding.serve.jobs import JobManager, to_jsonable
from grounding.aggregate.chart import attach_chart
from grounding.serve.limits import BodySizeLimit, GenerationLimiter, Overloaded
from grounding.serve.schemas import (
    AnswerOut,
    AskIn,
    AuditOut,
    ConceptOut,
    ConceptSearchOut,
    DecisionOut,
    ErrorOut,
    HealthOut,
    JobOut,
    MineIn,
    ProposalIn,
    ReportOut,
    ReviewDecisionIn,
    ReviewItemOut,
    ReviewListOut,
    SearchOut,
    SummarizeIn,
)
from grounding.serve.streaming import StreamingGenerator

log = logging.getLogger("grounding.serve")

STATIC = Path(str(resources.files("grounding.serve") / "static"))

# The page loads nothing from elsewhere and runs no inline script: report text can never execute.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

_ERRORS = {
    401: {"model": ErrorOut, "description": "A token is needed (Authorization: Bearer <token>)."},
    403: {"model": ErrorOut, "description": "Curation is disabled (no curator token configured)."},
    400: {"model": ErrorOut, "description": "The body could not be read as JSON (not UTF-8 or not JSON at all)."},
    422: {"model": ErrorOut, "description": "The request is invalid: `detail` names the field (a list of validation errors) or says why."},
}
_LOAD = {
    413: {"model": ErrorOut, "description": "The request body is larger than serve.max_body_bytes."},
    422: {"model": ErrorOut, "description": "The request is invalid (e.g. the question is empty or too long)."},
    429: {"model": ErrorOut, "description": "Too many requests at once (the queue is full); retry after Retry-After seconds."},
    503: {"model": ErrorOut, "description": "Busy for too long, nothing indexed, or the generator failed; the detail says which."},
}


def warm(system) -> list[str]:
    """Load everything a request will need, once, before serving; returns what failed (and why)."""
    errors: list[str] = []
    steps = [
        ("store", lambda: system.store.stats()),
        ("embedder", lambda: system.embedder.encode(["warm up"]) if hasattr(system.embedder, "encode") else system.embedder),
        ("index", lambda: system.index.ntotal),
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


def _request_agent(system, generator=None):
    """The system's agent, with a wrapped generator for streaming. A shallow copy: models and indexes are shared."""
    base = system.agent
    agent = copy.copy(base)
    if generator is not None:
        agent.generator = generator
    return agent


def create_app(system, serve_cfg: ServeConfig | None = None, *, load_errors: list[str] | None = None) -> FastAPI:
    """The app around `system` (a `grounding.system.Grounding`). `serve_cfg` defaults to system.cfg.serve."""
    cfg = serve_cfg or system.cfg.serve
    check_tokens(cfg)
    limiter = GenerationLimiter(cfg.max_concurrent_generations, cfg.max_queue, cfg.queue_timeout_s)
    ask_pool = ThreadPoolExecutor(max_workers=cfg.max_concurrent_generations, thread_name_prefix="grounding-ask")
    jobs = JobManager(cfg.max_jobs, cfg.max_queued_jobs, cfg.job_history)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        jobs.shutdown()
        ask_pool.shutdown(wait=False, cancel_futures=True)

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
    app.state.jobs = jobs
    app.state.load_errors = list(load_errors or [])
    app.state.audit_cache = {}
    app.state.tasks = set()

    # -- errors ------------------------------------------------------------------------------
    @app.exception_handler(Overloaded)
    async def _overloaded(request: Request, exc: Overloaded):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status, headers={"Retry-After": str(exc.retry_after)})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        # FastAPI's own handler echoes the input; a NaN or Infinity there cannot be written as JSON
        # (a 500). The errors are returned with such values spelled as strings.
        return JSONResponse({"detail": _finite(jsonable_encoder(exc.errors()))}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": f"internal error: {type(exc).__name__}: {exc}"}, status_code=500)

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        response = await call_next(request)
        if response.status_code == 405:
            # Starlette lists only the first route's methods; a path served by several routes
            # (GET and POST /ontology/review) allows all of theirs.
            allowed = {m for r in app.router.routes if getattr(r, "methods", None) and r.matches(request.scope)[0].value > 0 for m in r.methods}
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

    # -- helpers -----------------------------------------------------------------------------
    def _question(q: str) -> str:
        q = (q or "").strip()
        if not q:
            raise HTTPException(422, "the question is empty")
        limit = system.cfg.retrieval.max_question_chars
        if len(q) > limit:
            raise HTTPException(422, f"the question is {len(q):,} characters; the limit is {limit:,} (retrieval.max_question_chars)")
        return q

    def _options(body: AskIn):
        from grounding.agent import AskOptions

        s = body.sampling.model_dump(exclude_none=True) if body.sampling else {}
        if s.get("max_new_tokens", 0) > cfg.max_new_tokens:
            raise HTTPException(422, f"sampling.max_new_tokens is {s['max_new_tokens']}; the limit is {cfg.max_new_tokens} (serve.max_new_tokens)")
        for key, value in (("sampling.num_samples", s.get("num_samples")), ("sampling.best_of", s.get("best_of")), ("samples", body.samples)):
            if value is not None and value > cfg.max_samples:
                raise HTTPException(422, f"{key} is {value}; the limit is {cfg.max_samples} (serve.max_samples)")
        if any(len(x) > 64 for x in s.get("stop", [])):
            raise HTTPException(422, "a stop sequence is longer than 64 characters")
        sampling = system.cfg.generator.sampling.model_copy(update=s)
        return AskOptions(threshold=body.threshold, sampling=sampling, top_k=body.passages, samples=body.samples)

    def _ready_to_answer() -> None:
        try:
            n = system.index.ntotal
        except Exception as exc:
            raise HTTPException(503, f"the index cannot be loaded: {exc}") from exc
        if n == 0:
            raise HTTPException(503, "nothing is indexed yet: run `grounding ingest`, then POST /index/reload (curator) or restart")

    async def _answer(q: str, opts, generator=None, *, slot_held: bool = False):
        """Take a slot (or 429/503), answer in the pool, give the slot back when the work ends."""
        from grounding.agent import QuestionError
        from grounding.generate.errors import GenerationError

        if not slot_held:
            await limiter.acquire()
        try:
            # The agent is built in the worker too: a first, lazy load never blocks the event loop.
            fut = ask_pool.submit(lambda: _request_agent(system, generator).ask(q, opts))
        except BaseException as exc:
            limiter.release()
            if isinstance(exc, RuntimeError):
                raise Overloaded(503, "the server is shutting down") from exc
            raise
        fut.add_done_callback(lambda _f: limiter.release())
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(fut)), cfg.request_timeout_s)
        except TimeoutError:
            raise Overloaded(
                503,
                f"the answer took longer than {cfg.request_timeout_s:g} s (serve.request_timeout_s); the server is "
                f"overloaded or the generator is slow; retry later",
                retry_after=max(5, int(cfg.request_timeout_s / 4)),
            ) from None
        except QuestionError as exc:
            raise HTTPException(422, str(exc)) from exc
        except GenerationError as exc:
            raise HTTPException(503, f"the generator failed: {exc}") from exc

    # -- page --------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def page():
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # -- health ------------------------------------------------------------------------------
    @app.get("/healthz", response_model=HealthOut, tags=["health"], summary="Liveness, what is loaded, and current load")
    def healthz():
        errors = list(app.state.load_errors)
        stats = {"reports": 0, "chunks": 0}
        try:
            stats = system.store.stats()
        except Exception as exc:
            errors.append(f"store: {exc}")
        try:
            vectors = int(system.index.ntotal)
        except Exception as exc:
            vectors = 0
            errors.append(f"index: {exc}")
        onto = None
        try:
            onto = system.ontology
        except Exception as exc:
            errors.append(f"ontology: {exc}")
        return {
            "status": "degraded" if errors else "ok",
            "reports": stats.get("reports", 0),
            "chunks": stats.get("chunks", 0),
            "vectors": vectors,
            "generator": getattr(system.generator, "name", type(system.generator).__name__) if "generator" in system.__dict__ else system.cfg.generator.backend,
            "ontology_concepts": len(onto.concepts) if onto is not None else 0,
            "curator_enabled": bool(curator_token(cfg)),
            "reads_open": not cfg.reader_token,
            "threshold": system.cfg.confidence.threshold,
            "max_question_chars": system.cfg.retrieval.max_question_chars,
            "load": limiter.snapshot(),
            "jobs": jobs.counts(),
            "errors": errors,
        }

    # -- asking ------------------------------------------------------------------------------
    @app.post(
        "/ask",
        response_model=AnswerOut,
        tags=["ask"],
        summary="Answer a question from the evidence (the JSON of `grounding ask --json`)",
        dependencies=[Depends(require_reader)],
        responses={**_ERRORS, **_LOAD},
    )
    async def ask(body: AskIn):
        q = _question(body.question)
        opts = _options(body)
        _ready_to_answer()
        ans = await _answer(q, opts)
        return attach_chart(ans.to_json())  # a trend answer's chart, inline for the page

    @app.post(
        "/ask/stream",
        tags=["ask"],
        summary="Answer with server-sent events: draft tokens as generated, then the checked answer",
        description=(
            "A `text/event-stream` of events, each `data:` a JSON object:\n\n"
            "- `start` `{question}`: a slot was taken;\n"
            "- `stage` `{stage}`: retrieving | generating | checking;\n"
            "- `token` `{text}`: generated text as it comes (a draft, unchecked: sentences may still be dropped);\n"
            "- `answer`: the final, checked answer (the same object as POST /ask): the authoritative one;\n"
            "- `error` `{status, detail}`: the answer failed (e.g. 503 when it took longer than serve.request_timeout_s).\n\n"
            "Load limits are answered before the stream starts, as JSON with status 429 / 503."
        ),
        dependencies=[Depends(require_reader)],
        responses={200: {"content": {"text/event-stream": {}}, "description": "The event stream."}, **_ERRORS, **_LOAD},
    )
    async def ask_stream(body: AskIn):
        q = _question(body.question)
        opts = _options(body)
        _ready_to_answer()
        loop = asyncio.get_running_loop()
        events: asyncio.Queue = asyncio.Queue()

        def emit(kind: str, data: dict) -> None:
            try:
                loop.call_soon_threadsafe(events.put_nowait, (kind, data))
            except RuntimeError:  # the loop is gone (server stopping): the answer still completes
                pass

        gen = StreamingGenerator(
            system.generator,
            on_text=lambda text: emit("token", {"text": text}),
            on_stage=lambda stage: emit("stage", {"stage": stage}),
        )
        # Take the slot now, so that load limits are a plain 429/503 response, not a stream.
        await limiter.acquire()

        async def run() -> None:
            try:
                ans = await _answer(q, opts, gen, slot_held=True)
                emit("answer", attach_chart(ans.to_json()))
            except Overloaded as exc:
                emit("error", {"status": exc.status, "detail": exc.detail})
            except HTTPException as exc:
                emit("error", {"status": exc.status_code, "detail": exc.detail})
            except Exception as exc:  # reported in the stream, never a crash
                log.exception("streamed answer failed")
                emit("error", {"status": 500, "detail": f"internal error: {type(exc).__name__}: {exc}"})
            emit("end", {})

        # Started now, not when the client reads: the slot is always handed on and given back.
        task = asyncio.create_task(run())
        app.state.tasks.add(task)
        task.add_done_callback(app.state.tasks.discard)

        async def stream():
            yield _sse("start", {"question": q})
            yield _sse("stage", {"stage": "retrieving"})
            while True:
                kind, data = await events.get()
                if kind == "end":
                    break
                yield _sse(kind, data)

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    # -- reading -----------------------------------------------------------------------------
    @app.get(
        "/reports/{report_id}",
        response_model=ReportOut,
        tags=["read"],
        summary="One report with its metadata, chunks and ontology links",
        dependencies=[Depends(require_reader)],
        responses={**_ERRORS, 404: {"model": ErrorOut, "description": "No such report."}},
    )
    def report(report_id: str):
        rep = system.store.get_report(report_id)
        if rep is None:
            raise HTTPException(404, f"no report with id {report_id!r} (ids look like 'nrc:56912'; a bare source id works when unambiguous)")
        chunks = system.store.chunks_of(rep.id)
        links = system.store.concepts_of([rep.id])[rep.id]
        onto = curation.ontology_or_none(system)
        return {
            "id": rep.id,
            "corpus": rep.corpus,
            "source_id": rep.source_id,
            "title": rep.title or "",
            "date": rep.date,
            "facility": rep.facility or "",
            "metadata": to_jsonable(rep.meta or {}),
            "source": f"{Path(rep.source_path or '').name} {rep.source_location or ''}".strip(),
            "updated_at": rep.updated_at.isoformat() if rep.updated_at else None,
            "text": rep.text,
            "chunks": [{"id": c.id, "ord": c.ord, "start_char": c.start_char, "chars": len(c.text), "text": c.text} for c in chunks],
            "concepts": [
                {"concept": link.concept, "label": onto.label(link.concept) if onto else link.concept, "mentions": link.mentions, "score": link.score}
                for link in sorted(links, key=lambda x: -x.mentions)
            ],
        }

    @app.get(
        "/search",
        response_model=SearchOut,
        tags=["read"],
        summary="Retrieval only: the best chunks for a query, with every signal's score",
        dependencies=[Depends(require_reader)],
        responses={**_ERRORS, **_LOAD},
    )
    def search(
        q: str = Query(
            min_length=1, max_length=system.cfg.retrieval.max_question_chars, pattern=r"\S",
            description="The query (at most retrieval.max_question_chars characters; not only spaces).",
        ),
        k: int = Query(10, ge=1, le=cfg.max_search_k, description="How many hits (at most serve.max_search_k)."),
        mode: str = Query("full", pattern="^(dense|bm25|hybrid|full)$", description="dense | bm25 | hybrid | full."),
    ):
        query = _question(q)
        if k > cfg.max_search_k:
            raise HTTPException(422, f"k is {k}; the limit is {cfg.max_search_k} (serve.max_search_k)")
        _ready_to_answer()
        retriever = copy.copy(system.retriever)
        linker = curation.linker_or_none(system)
        concepts = linker.concepts(query) if (linker is not None and mode == "full") else []
        hits = retriever.search(query, k, mode=mode, question_concepts=concepts)
        reports = system.store.get_reports(h.report_id for h in hits)
        out = []
        for rank, h in enumerate(hits, start=1):
            r = reports.get(h.report_id)
            out.append(
                {
                    "rank": rank,
                    "chunk_id": h.chunk_id,
                    "report_id": h.report_id,
                    "text": h.text,
                    "score": h.score,
                    "scores": h.scores,
                    "ranks": h.ranks,
                    "title": (r.title or "") if r else "",
                    "date": r.date if r else None,
                    "facility": (r.facility or "") if r else "",
                }
            )
        return {"query": query, "mode": mode, "hits": out}

    # -- jobs --------------------------------------------------------------------------------
    @app.post(
        "/summarize",
        response_model=JobOut,
        status_code=202,
        tags=["jobs"],
        summary="Start a summarization job; poll GET /jobs/{id} for progress and the result",
        dependencies=[Depends(require_reader)],
        responses={**_ERRORS, **_LOAD, 501: {"model": ErrorOut, "description": "Summarization is not installed."}},
    )
    def summarize(body: SummarizeIn):
        runner = curation.summarizer()
        if runner is None:
            raise HTTPException(501, "summarization is not available in this build (grounding.summarize.run_summaries is missing)")
        run_summaries, make_request = runner
        request = body.model_dump()
        try:
            req = make_request(**request)
        except (TypeError, ValueError) as exc:
            raise HTTPException(422, f"invalid summarize request: {exc}") from exc
        folder = Path(cfg.summaries_dir)
        out_root = folder if folder.is_absolute() else system.data_dir / folder

        def work(job, progress):
            out_dir = out_root / job.id
            out_dir.mkdir(parents=True, exist_ok=True)
            result = run_summaries(system, req, out_dir, progress=lambda done, total, group="": progress(done=done, total=total, group=group))
            data = curation.summary_json(result)
            # Every file the job wrote, charts/ included, by its path inside the job folder (what
            # GET /jobs/{id}/files/{name} serves and report.html links); paths relative to the data dir.
            data["files"] = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())
            data["paths"] = [_relative(pth, system.data_dir, out_dir) for pth in data.get("paths") or []]
            return data

        job = jobs.submit("summarize", request, work)
        return job.to_json()

    @app.get(
        "/jobs/{job_id}/files/{name:path}",
        tags=["jobs"],
        summary="A file a finished job wrote (the summary report or a chart)",
        dependencies=[Depends(require_reader)],
        responses={**_ERRORS, 404: {"model": ErrorOut, "description": "No such job or file."}},
    )
    def job_file(job_id: str, name: str):
        job = jobs.get(job_id)
        files = (job.result or {}).get("files", []) if job is not None and isinstance(job.result, dict) else []
        if job is None or name not in files:
            raise HTTPException(404, f"job {job_id!r} has no file {name!r}")
        folder = Path(cfg.summaries_dir)
        path = (folder if folder.is_absolute() else system.data_dir / folder) / job.id / name
        if not path.is_file():
            raise HTTPException(404, f"job {job_id!r} has no file {name!r}")
        # Sandboxed: a rendered report is shown, never run, and cannot reach this origin.
        return FileResponse(path, headers={"Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"})

    @app.get("/jobs", response_model=list[JobOut], tags=["jobs"], summary="Recent jobs, oldest first", dependencies=[Depends(require_reader)], responses=_ERRORS)
    def list_jobs():
        return [j.to_json() for j in jobs.list()]

    @app.get(
        "/jobs/{job_id}",
        response_model=JobOut,
        tags=["jobs"],
        summary="A job's status, progress and (when done) result",
        dependencies=[Depends(require_reader)],
        responses={**_ERRORS, 404: {"model": ErrorOut, "description": "No such job (or forgotten: serve.job_history)."}},
    )
    def get_job(job_id: str):
        job = jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id!r} (finished jobs are kept for the last serve.job_history={cfg.job_history})")
        return job.to_json()

    # -- ontology ----------------------------------------------------------------------------
    @app.get(
        "/ontology/concepts",
        response_model=ConceptSearchOut,
        tags=["ontology"],
        summary="Search concepts by label, synonym or abbreviation",
        dependencies=[Depends(require_reader)],
        responses={**_ERRORS, 404: {"model": ErrorOut, "description": "No ontology is configured."}},
    )
    def concept_search(
        q: str = Query(min_length=1, max_length=200, description="Label, synonym, abbreviation or IRI fragment."),
        limit: int = Query(20, ge=1, le=100, description="Most hits returned."),
    ):
        return {"query": q, "hits": curation.search_concepts(system, q, limit)}

    @app.get(
        "/ontology/concepts/{concept_id:path}",
        response_model=ConceptOut,
        tags=["ontology"],
        summary="One concept: labels, relations and linked reports (id = IRI, URL-encoded, or its local name)",
        dependencies=[Depends(require_reader)],
        responses={**_ERRORS, 404: {"model": ErrorOut, "description": "No such concept."}},
    )
    def concept(concept_id: str, limit: int = Query(50, ge=1, le=500, description="Most linked reports returned.")):
        return curation.concept_detail(system, concept_id, limit)

    @app.get(
        "/ontology/audit",
        response_model=AuditOut,
        tags=["ontology"],
        summary="The alignment audit: where the embedding space and the ontology disagree",
        dependencies=[Depends(require_reader)],
        responses={**_ERRORS, 501: {"model": ErrorOut, "description": "The audit is not available in this build."}},
    )
    async def audit(refresh: bool = Query(False, description="Recompute instead of returning the audit cached since the last change.")):
        return await curation.audit(app, refresh)

    @app.get(
        "/ontology/review",
        response_model=ReviewListOut,
        tags=["ontology"],
        summary="The review queue of proposed ontology changes",
        dependencies=[Depends(require_reader)],
        responses={**_ERRORS, 501: {"model": ErrorOut, "description": "The review queue is not available in this build."}},
    )
    def review_queue(
        status: str = Query("pending", pattern="^(pending|accepted|rejected|all)$", description="pending | accepted | rejected | all."),
        limit: int = Query(100, ge=1, le=1000, description="Most items returned."),
    ):
        return curation.review_list(system, status, limit)

    @app.post(
        "/ontology/review",
        response_model=ReviewItemOut,
        status_code=201,
        tags=["ontology"],
        summary="Propose a concept or a synonym (queued for review like a mined candidate)",
        dependencies=[Depends(require_curator)],
        responses={**_ERRORS, 404: {"model": ErrorOut, "description": "The concept named is not in the ontology."}, 501: {"model": ErrorOut, "description": "The review queue is not available in this build."}},
    )
    def propose(body: ProposalIn):
        return curation.propose(system, body)

    @app.post(
        "/ontology/propose",
        response_model=JobOut,
        status_code=202,
        tags=["ontology"],
        summary="Mine candidate concepts and synonyms from the stored reports into the review queue (a job)",
        dependencies=[Depends(require_curator)],
        responses={**_ERRORS, 429: {"model": ErrorOut, "description": "Too many jobs queued."}},
    )
    def propose_mining(body: MineIn | None = None):
        body = body or MineIn()
        return jobs.submit("propose", body.model_dump(), lambda job, progress: curation.mine(system, body, progress)).to_json()

    @app.post(
        "/ontology/review/{item_id}/accept",
        response_model=DecisionOut,
        tags=["ontology"],
        summary="Accept a proposal: it is written into the ontology file (with provenance) and the ontology reloaded",
        dependencies=[Depends(require_curator)],
        responses={**_ERRORS, 404: {"model": ErrorOut, "description": "No such review item."}, 409: {"model": ErrorOut, "description": "Already decided, or the ontology refused it (e.g. the label already names another concept)."}},
    )
    def accept(item_id: str, body: ReviewDecisionIn | None = None):
        return curation.decide(app, item_id, "accept", body or ReviewDecisionIn())

    @app.post(
        "/ontology/review/{item_id}/reject",
        response_model=DecisionOut,
        tags=["ontology"],
        summary="Reject a proposal",
        dependencies=[Depends(require_curator)],
        responses={**_ERRORS, 404: {"model": ErrorOut, "description": "No such review item."}, 409: {"model": ErrorOut, "description": "Already decided, or the ontology refused it (e.g. the label already names another concept)."}},
    )
    def reject(item_id: str, body: ReviewDecisionIn | None = None):
        return curation.decide(app, item_id, "reject", body or ReviewDecisionIn())

    @app.post(
        "/index/reload",
        tags=["ontology"],
        summary="Pick up what an ingest in another process saved to the index",
        dependencies=[Depends(require_curator)],
        responses=_ERRORS,
    )
    def reload_index():
        changed = bool(system.index.reload_if_changed())
        bm25 = getattr(system.retriever, "bm25", None)
        if bm25 is not None and hasattr(bm25, "ensure"):
            bm25.ensure()
        return {"reloaded": changed, "vectors": int(system.index.ntotal)}

    app.add_middleware(BodySizeLimit, max_bytes=cfg.max_body_bytes)
    return app


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


def _relative(path: Any, data_dir: Path, job_dir: Path) -> str:
    """A path a job wrote, relative to the data dir (or to the job folder when that lies elsewhere)."""
    p = Path(str(path))
    for root in (data_dir, job_dir):
        try:
            return p.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            continue
    return p.name


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
