"""POST /summarize: a summarization job (progress and result through /jobs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException

from grounding.serve import curation
from grounding.serve.auth import require_reader
from grounding.serve.deps import ERRORS, LOAD, get_jobs, get_serve_cfg, get_system
from grounding.serve.schemas import ErrorOut, JobOut, SummarizeIn

router = APIRouter(tags=["jobs"], dependencies=[Depends(require_reader)])


def summaries_root(system, cfg) -> Path:
    """Where summarization jobs write (serve.summaries_dir, relative to the data dir)."""
    folder = Path(cfg.summaries_dir)
    return folder if folder.is_absolute() else system.data_dir / folder


@router.post(
    "/summarize",
    response_model=JobOut,
    status_code=202,
    summary="Start a summarization job; poll GET /jobs/{id} for progress and the result",
    responses={**ERRORS, **LOAD, 501: {"model": ErrorOut, "description": "Summarization is not installed."}},
)
def summarize(body: SummarizeIn, system=Depends(get_system), cfg=Depends(get_serve_cfg), jobs=Depends(get_jobs)):
    runner = curation.summarizer()
    if runner is None:
        raise HTTPException(501, "summarization is not available in this build (grounding.summarize.run_summaries is missing)")
    run_summaries, make_request = runner
    request = body.model_dump()
    try:
        req = make_request(**request)
    except (TypeError, ValueError) as exc:
        raise HTTPException(422, f"invalid summarize request: {exc}") from exc
    out_root = summaries_root(system, cfg)

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


def _relative(path: Any, data_dir: Path, job_dir: Path) -> str:
    """A path a job wrote, relative to the data dir (or to the job folder when that lies elsewhere)."""
    p = Path(str(path))
    for root in (data_dir, job_dir):
        try:
            return p.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            continue
    return p.name
