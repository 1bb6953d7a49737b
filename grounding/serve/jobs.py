"""Background jobs (summarization): a bounded executor, a bounded queue, progress and results by id."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

from grounding.serve.limits import Overloaded

log = logging.getLogger("grounding.serve")


def to_jsonable(obj: Any, depth: int = 0) -> Any:
    """Dataclasses, pydantic models, paths and dates -> JSON-ready values."""
    if depth > 12:
        return str(obj)
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if hasattr(obj, "to_json") and callable(obj.to_json):
        try:
            return to_jsonable(obj.to_json(), depth + 1)
        except TypeError:
            pass
    if hasattr(obj, "model_dump") and callable(obj.model_dump):
        return to_jsonable(obj.model_dump(), depth + 1)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name), depth + 1) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v, depth + 1) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    return str(obj)


@dataclasses.dataclass
class Job:
    id: str
    kind: str
    request: dict
    status: str = "queued"
    created_at: float = dataclasses.field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    progress: dict = dataclasses.field(default_factory=dict)
    result: Any = None
    error: str = ""

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "progress": dict(self.progress),
            "request": self.request,
            "result": self.result,
            "error": self.error,
        }


class JobManager:
    """`workers` jobs run at once, `max_queued` more wait, older finished jobs are forgotten."""

    def __init__(self, workers: int, max_queued: int, history: int) -> None:
        self.workers = workers
        self.max_queued = max_queued
        self.history = history
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grounding-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def counts(self) -> dict[str, int]:
        with self._lock:
            out: dict[str, int] = {}
            for j in self._jobs.values():
                out[j.status] = out.get(j.status, 0) + 1
            return out

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def list(self) -> list[Job]:
        with self._lock:
            return list(self._jobs.values())

    def submit(self, kind: str, request: dict, fn: Callable[[Job, Callable[..., None]], Any]) -> Job:
        """Run `fn(job, progress)` in the background; `progress(**fields)` or `progress(obj)` records progress."""
        with self._lock:
            pending = sum(1 for j in self._jobs.values() if j.status == "queued")
            running = sum(1 for j in self._jobs.values() if j.status == "running")
            if pending >= self.max_queued and running >= self.workers:
                raise Overloaded(
                    429,
                    f"too many jobs: {running} running and {pending} queued (serve.max_jobs={self.workers}, "
                    f"serve.max_queued_jobs={self.max_queued}); retry when one finishes",
                    retry_after=30,
                )
            job = Job(uuid.uuid4().hex[:16], kind, request)
            self._jobs[job.id] = job
            self._forget_old()
        self._pool.submit(self._run, job, fn)
        return job

    def _forget_old(self) -> None:
        finished = [j.id for j in self._jobs.values() if j.status in ("done", "failed")]
        for jid in finished[: max(0, len(self._jobs) - self.history)]:
            del self._jobs[jid]

    def _run(self, job: Job, fn: Callable) -> None:
        job.status, job.started_at = "running", time.time()

        def progress(*args: Any, **fields: Any) -> None:
            update: dict = {}
            for a in args:
                v = to_jsonable(a)
                update.update(v if isinstance(v, dict) else {"message": v})
            update.update(to_jsonable(fields))
            job.progress = {**job.progress, **update}

        try:
            job.result = to_jsonable(fn(job, progress))
            job.status = "done"
        except Exception as exc:  # a failed job is reported, never raised into the server
            log.exception("job %s (%s) failed", job.id, job.kind)
            job.error = f"{type(exc).__name__}: {exc}"
            job.status = "failed"
        finally:
            job.finished_at = time.time()
            with self._lock:
                self._forget_old()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
