"""Bounded load test of `grounding serve` on loopback.

Starts the server (a subprocess, on a free 127.0.0.1 port, the real models), then runs N concurrent
askers for T seconds: each asker has at most one request in flight, waits `--backoff` seconds after
a 429/503, and stops at the deadline. A reader polls /healthz once a second throughout, to show the
server keeps answering while its generation slots are full. Prints requests served, status counts,
errors (anything other than 200 and the deliberate 429/503) and p50/p95 latencies.

    python benchmarks/serve_load.py --sample 200 --askers 20 --seconds 60

--sample N ingests the first N bundled NRC reports into a temporary data dir first (a few minutes
on 2 cores); --config FILE [--data-dir DIR] uses an existing, ingested data dir instead.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
NRC = REPO / "corpora" / "nrc" / "events.jsonl.gz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_records(n: int) -> list[dict]:
    with gzip.open(NRC, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in itertools.islice(fh, n)]


def write_sample_config(folder: Path, n: int, args) -> Path:
    records = sample_records(n)
    corpus = folder / "sample.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    onto = [str(p) for p in (REPO / "ontology" / "grounding.ttl", REPO / "ontology" / "alignments.ttl") if p.exists()]
    cfg = folder / "config.toml"
    cfg.write_text(
        "\n".join(
            [
                "[storage]",
                f'data_dir = "{folder / "data"}"',
                "[[corpus]]",
                'name = "nrc"',
                f'path = "{corpus}"',
                'format = "jsonl"',
                'id = "event_number"',
                'text = ["event_text"]',
                'date = "event_date"',
                'facility = "facility"',
                'metadata = ["facility", "state", "unit", "emergency_class"]',
                "[ontology]",
                f"files = {json.dumps(onto)}",
                "[serve]",
                f"max_concurrent_generations = {args.max_concurrent}",
                f"max_queue = {args.max_queue}",
                f"queue_timeout_s = {args.queue_timeout}",
                f"request_timeout_s = {args.request_timeout}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return cfg


def questions_from(records: list[dict]) -> list[str]:
    out = []
    for r in records:
        fac, day = (r.get("facility") or "").strip(), (r.get("event_date") or "").strip()
        if fac and day:
            out.append(f"What happened at {fac.title()} on {day}?")
    return out or ["What caused the reactor trip at Oconee Unit 3 on December 31, 1998?"]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def asker(i: int, client: httpx.AsyncClient, questions: list[str], deadline: float, backoff: float, log: list) -> None:
    n = 0
    while time.monotonic() < deadline:
        q = questions[(i * 7 + n) % len(questions)]
        n += 1
        t = time.perf_counter()
        try:
            r = await client.post("/ask", json={"question": q})
            status, detail = r.status_code, (r.json().get("detail", "") if r.status_code != 200 else "")
        except Exception as exc:  # counted as an error: the server must never drop a connection
            status, detail = f"exception:{type(exc).__name__}", str(exc)
        log.append({"asker": i, "status": status, "seconds": time.perf_counter() - t, "detail": str(detail)[:200]})
        if status != 200:
            await asyncio.sleep(backoff)


async def health_reader(client: httpx.AsyncClient, deadline: float, log: list) -> None:
    while time.monotonic() < deadline:
        t = time.perf_counter()
        try:
            r = await client.get("/healthz")
            log.append({"status": r.status_code, "seconds": time.perf_counter() - t, "load": r.json().get("load")})
        except Exception as exc:
            log.append({"status": f"exception:{type(exc).__name__}", "seconds": time.perf_counter() - t})
        await asyncio.sleep(1.0)


async def drive(base: str, questions: list[str], args) -> tuple[list, list, float]:
    limits = httpx.Limits(max_connections=args.askers + 4, max_keepalive_connections=args.askers + 4)
    timeout = httpx.Timeout(args.seconds + args.request_timeout + 60, connect=10)
    asks: list = []
    health: list = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        t0 = time.monotonic()
        deadline = t0 + args.seconds
        await asyncio.gather(
            *(asker(i, client, questions, deadline, args.backoff, asks) for i in range(args.askers)),
            health_reader(client, deadline, health),
        )
        wall = time.monotonic() - t0
    return asks, health, wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, help="config.toml of an ingested data dir")
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--sample", type=int, default=0, help="ingest the first N NRC reports into a temporary data dir")
    ap.add_argument("--askers", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--backoff", type=float, default=0.5, help="seconds an asker waits after a 429/503")
    ap.add_argument("--max-concurrent", type=int, default=2, help="serve.max_concurrent_generations (with --sample)")
    ap.add_argument("--max-queue", type=int, default=4, help="serve.max_queue (with --sample)")
    ap.add_argument("--queue-timeout", type=float, default=30.0, help="serve.queue_timeout_s (with --sample)")
    ap.add_argument("--request-timeout", type=float, default=180.0, help="serve.request_timeout_s (with --sample)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()

    tmp = None
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    base_cmd = [sys.executable, "-m", "grounding.cli.main"]
    if args.sample:
        tmp = tempfile.TemporaryDirectory(prefix="serve-load-")
        cfg = write_sample_config(Path(tmp.name), args.sample, args)
        records = sample_records(args.sample)
        t = time.perf_counter()
        print(f"ingesting {args.sample} NRC reports into {tmp.name} ...", flush=True)
        subprocess.run(base_cmd + ["--config", str(cfg), "ingest"], check=True, env=env, stdout=subprocess.DEVNULL)
        print(f"  done in {time.perf_counter() - t:.0f} s", flush=True)
        global_opts = ["--config", str(cfg)]
    elif args.config:
        global_opts = ["--config", str(args.config)] + (["--data-dir", str(args.data_dir)] if args.data_dir else [])
        records = sample_records(500)
    else:
        ap.error("give --sample N or --config FILE")
    questions = questions_from(records[:50])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        base_cmd + global_opts + ["serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
        cwd=REPO,
    )
    try:
        t = time.perf_counter()
        while True:
            if server.poll() is not None:
                print(f"server exited with {server.returncode}", file=sys.stderr)
                return 1
            try:
                h = httpx.get(base + "/healthz", timeout=5).json()
                break
            except Exception:
                if time.perf_counter() - t > 600:
                    print("server did not come up in 600 s", file=sys.stderr)
                    return 1
                time.sleep(1)
        print(f"server up in {time.perf_counter() - t:.0f} s: {h['reports']} reports, {h['vectors']} vectors, {h['generator']}, load limits {h['load']}", flush=True)
        print(f"running {args.askers} askers for {args.seconds:g} s ...", flush=True)
        asks, health, wall = asyncio.run(drive(base, questions, args))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        if tmp is not None:
            tmp.cleanup()

    counts = Counter(str(a["status"]) for a in asks)
    errors = [a for a in asks if a["status"] not in (200, 429, 503)]
    ok = [a["seconds"] for a in asks if a["status"] == 200]
    refused = [a["seconds"] for a in asks if a["status"] in (429, 503)]
    hl = [x["seconds"] for x in health if x["status"] == 200]
    figures = {
        "askers": args.askers,
        "seconds": args.seconds,
        "wall_s": round(wall, 1),
        "requests": len(asks),
        "status": dict(counts),
        "answered": len(ok),
        "errors": len(errors),
        "answer_latency_s": {"p50": round(pct(ok, 50), 2), "p95": round(pct(ok, 95), 2), "max": round(max(ok), 2) if ok else None},
        "refusal_latency_s": {"p50": round(pct(refused, 50), 3), "p95": round(pct(refused, 95), 3)},
        "all_latency_s": {"p50": round(pct([a["seconds"] for a in asks], 50), 3), "p95": round(pct([a["seconds"] for a in asks], 95), 3)},
        "healthz": {"polls": len(health), "ok": len(hl), "p95_s": round(pct(hl, 95), 3)},
        "refusal_messages": sorted({a["detail"] for a in asks if a["status"] in (429, 503)})[:4],
        "error_samples": errors[:5],
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
