"""Summarization benchmark: every NRC report of five facilities, 1 vs 2 worker processes.

    python benchmarks/summarize_bench.py run   [--work DIR] [--workers 1 2] [--out benchmarks/results/summarize.json]
    python benchmarks/summarize_bench.py table FILE.json          # print the table again

`run`:
  1. writes the bundled corpus's reports of five facilities (default: the five smallest
     with >= 45 reports, case-insensitive facility names: 385 reports) to a JSONL file and
     ingests them with `grounding ingest` into an empty data dir (the bundled config's NRC
     corpus table and ontology files; untimed preparation);
  2. loads the default generator once, so its one-time GGUF conversion is not timed;
  3. for each worker count: `grounding summarize --by facility --force --workers N` in a
     child process, timed from spawn to exit (interpreter start, imports and model loads
     included), with the process tree's peak RSS (sum over the tree, sampled every 0.2 s
     with psutil), its CPU time, the machine's load average before and after, and the
     run's own time per stage (run.json).
Reports/s = reports summarized / child wall time. Worker stages (load, extract, generate,
verify) are summed over workers, so with 2 workers their sum exceeds the wall time.
The machine is shared: compare the two rows with the load averages next to them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NRC = REPO / "corpora" / "nrc" / "events.jsonl.gz"
PY = sys.executable
STAGES = ("select", "load", "extract", "generate", "verify", "stats", "render")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def fkey(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def pick_facilities(n: int = 5, min_reports: int = 45) -> list[str]:
    counts: Counter[str] = Counter()
    with gzip.open(NRC, "rt", encoding="utf-8") as fh:
        for line in fh:
            counts[fkey(json.loads(line).get("facility"))] += 1
    counts.pop("", None)
    return [f for f, c in sorted(counts.items(), key=lambda kv: (kv[1], kv[0])) if c >= min_reports][:n]


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # a JSON string is a valid TOML basic string
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(type(v))


def write_config(work: Path, corpus: Path) -> Path:
    from grounding.config import load_config

    bundled = load_config(REPO / "config.toml")
    nrc = next(c for c in bundled.corpus if c.name == "nrc").model_dump()
    nrc["path"] = str(corpus)
    lines = ["[storage]", f"data_dir = {_toml_value(str(work / 'data'))}", "", "[[corpus]]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in nrc.items() if v not in ("", [], {}, None) and not isinstance(v, dict)]
    files = [str(bundled.resolve(f)) for f in bundled.ontology.files if bundled.resolve(f).exists()]
    lines += ["", "[ontology]", f"files = {_toml_value(files)}", ""]
    path = work / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def prepare(work: Path, facilities: list[str]) -> tuple[Path, int]:
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "five.jsonl"
    n = 0
    with gzip.open(NRC, "rt", encoding="utf-8") as fh, corpus.open("w", encoding="utf-8") as out:
        for line in fh:
            if fkey(json.loads(line).get("facility")) in facilities:
                out.write(line if line.endswith("\n") else line + "\n")
                n += 1
    config = write_config(work, corpus)
    if not (work / "data" / "grounding.db").exists():
        t0 = time.perf_counter()
        subprocess.run([PY, "-m", "grounding.cli.main", "--config", str(config), "ingest", "--quiet"], cwd=REPO, check=True)
        print(f"ingested {n} reports in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    from grounding.config import load_config
    from grounding.generate.factory import make_generator

    cfg = load_config(config)
    make_generator(cfg.generator, cfg.data_dir).load()  # one-time conversion, not timed
    return config, n


class TreeSampler:
    """Peak RSS of a process and all its descendants (sum), sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        import psutil

        self.proc = psutil.Process(pid)
        self.every = every
        self.peak_total = 0
        self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
                rss = []
                for p in procs:
                    try:
                        rss.append(p.memory_info().rss)
                    except psutil.Error:
                        pass
                self.peak_total = max(self.peak_total, sum(rss))
                self.peak_single = max([self.peak_single] + rss)
            except psutil.Error:
                pass
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_one(config: Path, workers: int, out: Path) -> dict:
    cmd = [PY, "-m", "grounding.cli.main", "--config", str(config), "summarize", "--by", "facility", "--force",
           "--workers", str(workers), "--out", str(out), "--quiet", "--json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(child.pid)
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - t0
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode != 0:
        raise SystemExit(f"summarize failed ({child.returncode}):\n{stderr[-3000:]}")
    info = json.loads(stdout)
    doc = json.loads((out / "run.json").read_text())
    report = (out / "report.md").read_text()
    return {
        "workers": workers,
        "wall_s": round(wall, 2),
        "run_wall_s": info["timings"]["wall"],
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
        "peak_rss_mb": round(sampler.peak_total / 2**20),
        "peak_rss_single_mb": round(sampler.peak_single / 2**20),
        "load_before": [round(x, 2) for x in load0],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "timings": info["timings"],
        "groups": info["computed"] + info["reused"],
        "reports": info["overall"]["n_reports"],
        "sentences": sum(len(g["sentences"]) for g in doc_groups(out)),
        "rephrased": sum(s["status"] == "rephrased" for g in doc_groups(out) for s in g["sentences"]),
        "rephrasings_dropped": sum(len(g["dropped"]) for g in doc_groups(out)),
        "report_md_bytes": len(report),
        "run": doc,
    }


def doc_groups(out: Path) -> list[dict]:
    """The run's groups as stored in its checkpoints (report.md holds only the text)."""
    from sqlalchemy import create_engine, text

    run = json.loads((out / "run.json").read_text())
    db = out.parent / "data" / "grounding.db"
    eng = create_engine(f"sqlite:///{db}")
    with eng.connect() as conn:
        rows = conn.execute(text("SELECT payload FROM summary_checkpoints WHERE run_key = :k"), {"k": run["run_key"]}).all()
    eng.dispose()
    return [json.loads(r[0]) if isinstance(r[0], str) else r[0] for r in rows]


def table(result: dict) -> str:
    n = result["reports"]
    head = "| workers | reports | wall s | reports/s | in-run wall s | CPU s | peak RSS MB (tree / largest) | load 1-min before→after | " + " | ".join(f"{s} %" for s in STAGES) + " |"
    lines = [head, "|" + "---|" * (8 + len(STAGES))]
    for r in result["runs"]:
        t = r["timings"]
        total = sum(t.get(s, 0.0) for s in STAGES) or 1.0
        shares = " | ".join(f"{100 * t.get(s, 0.0) / total:.1f}" for s in STAGES)
        lines.append(
            f"| {r['workers']} | {n} | {r['wall_s']:.1f} | {n / r['wall_s']:.2f} | {r['run_wall_s']:.1f} | {r['cpu_s']:.1f} | "
            f"{r['peak_rss_mb']} / {r['peak_rss_single_mb']} | {r['load_before'][0]:.1f}→{r['load_after'][0]:.1f} | {shares} |"
        )
    lines.append("")
    lines.append("Stage seconds (worker stages summed over workers): " + "; ".join(
        f"{r['workers']} worker(s): " + ", ".join(f"{s} {r['timings'].get(s, 0.0):.1f}" for s in STAGES) for r in result["runs"]
    ))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--work", type=Path, default=None, help="Working folder (kept; default: a new temp folder).")
    r.add_argument("--facilities", default="", help="Comma-separated facility names (default: picked by size).")
    r.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    r.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "summarize.json")
    t = sub.add_parser("table")
    t.add_argument("file", type=Path)
    args = ap.parse_args()
    if args.cmd == "table":
        print(table(json.loads(args.file.read_text())))
        return
    facilities = [fkey(f) for f in args.facilities.split(",") if f.strip()] or pick_facilities()
    work = args.work or Path(tempfile.mkdtemp(prefix="summarize-bench-"))
    config, n = prepare(work, facilities)
    runs = []
    for w in args.workers:
        out = work / f"out-{w}"
        runs.append(run_one(config, w, out))
        print(f"workers={w}: {runs[-1]['wall_s']} s", file=sys.stderr)
    result = {
        "facilities": facilities,
        "reports": runs[0]["reports"],  # stored reports (duplicate ids in the source are ingested once)
        "source_records": n,
        "cpus": os.cpu_count(),
        "work": str(work),
        "runs": runs,
        "same_report": len({(work / f"out-{w}" / "report.md").read_bytes() for w in args.workers}) == 1,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(table(result))
    print(f"\nsame report with every worker count: {result['same_report']}; outputs in {work}")


if __name__ == "__main__":
    main()
