"""`run_summaries`: select -> per group (extract -> generate -> verify) -> stats -> render.

Groups are the unit of work and of checkpointing: each finished group is committed to
`summary_checkpoints` at once, so a killed run (even SIGKILL) loses only the groups in
flight and the next identical request continues from there; `force` recomputes all.
Every step is deterministic for the same stored data and settings (rules, greedy
decoding with a fixed seed, sorted inputs), so a resumed run writes the same report
as an uninterrupted one.

With `workers` > 1 the groups run in that many processes (spawned; each loads its own
embedder and model and uses cores / workers torch threads): the transformers model is
not safe to run from several threads at once, and on a small machine one process
already uses every core for a single generation. With `[engine] kind = "ray"` the groups go to
a Ray actor pool instead (grounding/engine/ray_engine.py), with their reports read here.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from grounding.summarize import checkpoint as ckpt
from grounding.summarize.compose import Tools, summarize_group
from grounding.summarize.concepts import ConceptIndex
from grounding.summarize.render import write_report
from grounding.summarize.request import SummarizeRequest
from grounding.summarize.select import GroupPlan, plan_groups
from grounding.summarize.stats import compute_stats, scram_conditions

if TYPE_CHECKING:
    from grounding.system import Grounding

VERSION = 1  # bump when extraction or composition rules change: old checkpoints are then ignored
STAGES = ("select", "load", "extract", "generate", "verify", "stats", "render")
Progress = Callable[[int, int, str], None]


@dataclass
class SummaryResult:
    groups: list[dict]  # per group: key, label, n_reports, sentences [{text, citations, status, ...}], stats
    overall: dict  # SQL statistics of the whole selection
    paths: list[Path]  # report file first, then charts
    timings: dict[str, float]  # seconds per stage (worker stages summed over workers) + "wall"
    run_key: str = ""
    period: str = "year"
    reused: int = 0  # groups taken from checkpoints
    computed: int = 0
    workers: int = 1
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "run_key": self.run_key,
            "period": self.period,
            "reused": self.reused,
            "computed": self.computed,
            "workers": self.workers,
            "warnings": self.warnings,
            "paths": [str(p) for p in self.paths],
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "overall": self.overall,
            "groups": [{k: v for k, v in g.items() if k != "facts"} for g in self.groups],
        }


# --- building the tools ------------------------------------------------------------------------
def _ontology(system: "Grounding", warnings: list[str]):
    try:
        return system.ontology
    except Exception as exc:  # a missing or broken ontology file must not stop a summary
        warnings.append(f"ontology not loaded ({exc}); concepts are named by their IRIs")
        return None


def make_tools(system: "Grounding", cidx: ConceptIndex, timings: dict) -> Tools:
    from grounding.verify.support import SupportPolicy

    cfg = system.cfg
    s = cfg.summarize
    t0 = time.perf_counter()
    embedder = system.embedder
    embedder.embed_passages(["warm-up"])  # loads the weights now, so "load" is not billed to a group
    generator = None
    if s.rephrase and s.max_rephrase_per_group > 0:
        generator = system.generator
        if hasattr(generator, "load"):
            generator.load()
    linker = None
    if cidx.onto is not None:
        try:
            linker = system.linker
        except Exception:
            linker = None
    timings["load"] = timings.get("load", 0.0) + time.perf_counter() - t0
    sampling = cfg.generator.sampling.model_copy(
        update={"temperature": s.temperature, "max_new_tokens": s.max_new_tokens, "seed": s.seed, "num_samples": 1, "best_of": 1, "stop": ["\n"]}
    )
    return Tools(
        embedder=embedder,
        generator=generator,
        concepts=linker.concepts if linker is not None else None,
        cidx=cidx,
        cfg=s,
        policy=SupportPolicy(cfg.verify.min_similarity, cfg.verify.min_lexical_precision),
        sampling=sampling,
    )


def run_group(system: "Grounding", tools: Tools, task: dict, timings: dict) -> dict:
    t0 = time.perf_counter()
    reports = system.store.get_reports(task["report_ids"])
    links = {rid: sorted(rc.concept for rc in rcs) for rid, rcs in system.store.concepts_of(task["report_ids"]).items()}
    timings["extract"] = timings.get("extract", 0.0) + time.perf_counter() - t0
    return summarize_group(task, reports, links, tools, timings)


REPORT_FIELDS = ("id", "corpus", "source_id", "title", "date", "facility", "text", "meta")


def group_input(system: "Grounding", task: dict, timings: dict) -> tuple[dict, dict, dict]:
    """What run_group reads from the store, as plain values: a summarizer on another machine (the Ray
    engine) never opens the database."""
    t0 = time.perf_counter()
    rows = system.store.get_reports(task["report_ids"])
    reports = {rid: SimpleNamespace(**{k: getattr(r, k, None) for k in REPORT_FIELDS}) for rid, r in rows.items()}
    links = {rid: sorted(rc.concept for rc in rcs) for rid, rcs in system.store.concepts_of(task["report_ids"]).items()}
    timings["extract"] = timings.get("extract", 0.0) + time.perf_counter() - t0
    return task, reports, links


def run_key_of(system: "Grounding", req: SummarizeRequest, cidx: ConceptIndex) -> str:
    cfg = system.cfg
    s = cfg.summarize.model_dump(exclude={"workers", "threads_per_worker", "top_concepts", "chart_groups"})
    g = cfg.generator
    gen = {"backend": g.backend, "model_path": g.model_path, "model": g.model, "sampling": g.sampling.model_dump()} if s["rephrase"] else {}
    return ckpt.digest(
        {
            "version": VERSION,
            "request": req.describe(),
            "summarize": s,
            "generator": gen,
            "embedder": {"backend": cfg.embedder.backend, "model_path": cfg.embedder.model_path},
            "verify": cfg.verify.model_dump(),
            "concepts": cidx.fingerprint,
        }
    )


# --- worker processes ----------------------------------------------------------------------------
_WORKER: dict = {}


def _watch_parent(parent: int) -> None:
    """A worker whose parent was killed (SIGKILL leaves no chance to stop it) exits by itself."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(3)


def _worker_init(cfg, threads: int, parent: int) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    import torch

    torch.set_num_threads(max(1, threads))
    from grounding.system import Grounding

    _WORKER["system"] = Grounding(cfg)


def _worker_run(task: dict) -> tuple[str, dict, dict, float]:
    t0 = time.perf_counter()
    system = _WORKER["system"]
    timings: dict[str, float] = {}
    if "tools" not in _WORKER:
        warnings: list[str] = []
        _WORKER["tools"] = make_tools(system, ConceptIndex(_ontology(system, warnings), system.cfg.summarize), timings)
    payload = run_group(system, _WORKER["tools"], task, timings)
    return task["key"], payload, timings, time.perf_counter() - t0


# --- the run -----------------------------------------------------------------------------------
@contextmanager
def _torch_threads(n: int):
    """Run with n torch threads, then restore the process's setting (a server keeps its own)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(max(1, n))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def run_summaries(system: "Grounding", req: SummarizeRequest, out_dir: Path, progress: Progress | None = None) -> SummaryResult:
    """Summarize the selected reports by group into `out_dir` (resuming from checkpoints)."""
    wall0 = time.perf_counter()
    out_dir = Path(out_dir)
    timings: dict[str, float] = {k: 0.0 for k in STAGES}
    warnings: list[str] = []
    scfg = system.cfg.summarize
    workers = req.workers or scfg.workers

    # select
    t0 = time.perf_counter()
    store = system.store
    ckpt.ensure_tables(store)
    cidx = ConceptIndex(_ontology(system, warnings), scfg)
    selection = plan_groups(store, cidx, req)
    warnings += selection.warnings
    plans = selection.groups  # chronological for periods, largest first otherwise
    run_key = run_key_of(system, req, cidx)
    ckpt.write_members(store, run_key, {p.key: p.report_ids for p in plans})
    if req.force:
        ckpt.clear(store, run_key)
    saved = ckpt.load(store, run_key)
    payloads: dict[str, dict] = {}
    todo: list[GroupPlan] = []
    for p in plans:
        row = saved.get(p.key)
        if row is not None and row.members_hash == p.members_hash:
            payloads[p.key] = ckpt.canonical(row.payload)
        else:
            todo.append(p)
    reused = len(payloads)
    by_key = {p.key: p for p in plans}
    timings["select"] += time.perf_counter() - t0

    total = len(plans)
    done = reused
    if progress:
        progress(done, total, "")

    def finish(key: str, payload: dict, seconds: float) -> None:
        nonlocal done
        p = by_key[key]
        ckpt.save(store, run_key, key, p.members_hash, len(p.report_ids), payload, seconds)
        payloads[key] = ckpt.canonical(payload)
        done += 1
        if progress:
            progress(done, total, p.label)

    if todo and system.cfg.engine.kind == "ray":
        # Groups fan out to a Ray actor pool; checkpoints are still written here, one per finished group.
        from grounding.engine.ray_engine import RayEngine

        e = system.cfg.engine
        workers = min(e.summarize_actors or e.embed_actors, len(todo))
        inputs = [group_input(system, p.to_task(), timings) for p in todo]
        for key, payload, t, seconds in RayEngine(system.cfg).summarize(inputs):
            for k, v in t.items():
                timings[k] = timings.get(k, 0.0) + v
            finish(key, payload, seconds)
    elif todo and (workers <= 1 or len(todo) == 1):
        workers = 1
        with _torch_threads(scfg.threads_per_worker or (os.cpu_count() or 1)):
            tools = make_tools(system, cidx, timings)
            for p in todo:
                g0 = time.perf_counter()
                payload = run_group(system, tools, p.to_task(), timings)
                finish(p.key, payload, time.perf_counter() - g0)
    elif todo:
        import multiprocessing

        workers = min(workers, len(todo))
        threads = scfg.threads_per_worker or max(1, (os.cpu_count() or 1) // workers)
        # Largest groups first, so the last group to finish is a small one.
        queue = sorted(todo, key=lambda p: (-len(p.report_ids), p.key))
        ctx = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init, initargs=(system.cfg, threads, os.getpid()))
        try:
            pending = {pool.submit(_worker_run, p.to_task()) for p in queue}
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for key, payload, t, seconds in sorted((f.result() for f in finished), key=lambda r: r[0]):
                    for k, v in t.items():
                        timings[k] = timings.get(k, 0.0) + v
                    finish(key, payload, seconds)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # on an error, groups not started are not run
    computed = total - reused

    # stats
    t0 = time.perf_counter()
    per, overall, period = compute_stats(store, run_key, req.by, cidx, scfg, scram_conditions(system.cfg))
    groups = []
    for p in plans:
        g = dict(payloads[p.key])
        g["stats"] = per.get(p.key) or {}
        groups.append(g)
    timings["stats"] += time.perf_counter() - t0

    # render
    t0 = time.perf_counter()
    title_by = {"facility": "facility", "concept": "concept", "month": "month", "year": "year"}.get(req.by, req.by)
    doc = {
        "title": f"Event summaries by {title_by}",
        "request": req.describe(),
        "period": period,
        "overall": overall,
        "groups": groups,
        "warnings": sorted(set(warnings)),
    }
    paths = write_report(doc, req.fmt, out_dir, scfg.chart_groups)
    timings["render"] += time.perf_counter() - t0
    timings["wall"] = time.perf_counter() - wall0
    result = SummaryResult(
        groups=groups, overall=overall, paths=paths, timings=timings, run_key=run_key, period=period,
        reused=reused, computed=computed, workers=workers, warnings=doc["warnings"],
    )
    run_info = {k: v for k, v in result.to_json().items() if k not in ("groups", "overall")}
    (out_dir / "run.json").write_text(json.dumps(run_info, indent=1) + "\n", encoding="utf-8")
    return result
