"""GET /jobs, /jobs/{job_id} and the files a finished job wrote."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import FileResponse

from grounding.serve.auth import require_reader
from grounding.serve.deps import ERRORS, get_jobs, get_serve_cfg, get_system
from grounding.serve.routes.summaries import summaries_root
from grounding.serve.schemas import ErrorOut, JobOut

router = APIRouter(tags=["jobs"], dependencies=[Depends(require_reader)])

# Sandboxed: a rendered report is shown, never run, and cannot reach this origin.
JOB_FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


@router.get(
    "/jobs/{job_id}/files/{name:path}",
    summary="A file a finished job wrote (the summary report or a chart)",
    responses={**ERRORS, 404: {"model": ErrorOut, "description": "No such job or file."}},
)
def job_file(job_id: str, name: str, system=Depends(get_system), cfg=Depends(get_serve_cfg), jobs=Depends(get_jobs)):
    job = jobs.get(job_id)
    files = (job.result or {}).get("files", []) if job is not None and isinstance(job.result, dict) else []
    if job is None or name not in files:
        raise HTTPException(404, f"job {job_id!r} has no file {name!r}")
    path = summaries_root(system, cfg) / job.id / name
    if not path.is_file():
        raise HTTPException(404, f"job {job_id!r} has no file {name!r}")
    return FileResponse(path, headers={"Content-Security-Policy": JOB_FILE_CSP})


@router.get("/jobs", response_model=list[JobOut], summary="Recent jobs, oldest first", responses=ERRORS)
def list_jobs(jobs=Depends(get_jobs)):
    return [j.to_json() for j in jobs.list()]


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    summary="A job's status, progress and (when done) result",
    responses={**ERRORS, 404: {"model": ErrorOut, "description": "No such job (or forgotten: serve.job_history)."}},
)
def get_job(job_id: str, cfg=Depends(get_serve_cfg), jobs=Depends(get_jobs)):
    job = jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id!r} (finished jobs are kept for the last serve.job_history={cfg.job_history})")
    return job.to_json()
