"""Measure the local generator backends on this machine and print a markdown table.

    python benchmarks/generate_backends.py [--backends transformers llamacpp] [--threads 0 1 2]

Load (first GGUF conversion vs cached), prefill and decode tokens/s, latency of one ~60-token
answer (p50/p95 over a few evidence prompts), and the cost of N=5 samples batched in one call
vs 5 sequential calls. Library import time is excluded. The load average is printed because
other processes on a 2-core machine change every figure.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from grounding.config import GeneratorConfig, SamplingConfig
from grounding.generate.base import Generator, Message

EVIDENCE = [
    "[E1] Transformer T4 tripped on Buchholz relay alarm after a gas accumulation of 120 ml was found.",
    "[E2] Dissolved gas analysis showed acetylene at 35 ppm, indicating arcing in the tap changer.",
    "[E3] The oil temperature reached 98 C during the heat wave while the load was 115 % of rating.",
    "[E4] Breaker B2 failed to open because the trip coil was burnt; the coil had been replaced in 2019.",
    "[E5] Partial discharge of 850 pC was measured at the cable termination before the flashover.",
]
QUESTIONS = [
    "Why did transformer T4 trip?",
    "What did the dissolved gas analysis indicate?",
    "How hot did the oil get and why?",
    "Why did breaker B2 fail to open?",
    "What was measured before the flashover?",
]


def messages(question: str, repeat: int = 1) -> list[Message]:
    """A fresh prompt each call: the leading request id defeats llama.cpp's prompt-prefix cache."""
    evidence = "\n".join(EVIDENCE * repeat)
    return [
        {"role": "system", "content": f"Request {time.perf_counter_ns()}. Answer from the evidence only, citing [E#]."},
        {"role": "user", "content": f"Evidence:\n{evidence}\n\nQuestion: {question}"},
    ]


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(gen: Generator, runs: int) -> dict[str, str]:
    """Speed figures for an already loaded generator."""
    greedy = SamplingConfig(temperature=0.0, repetition_penalty=1.0)
    gen.generate(messages(QUESTIONS[0]), greedy.model_copy(update={"max_new_tokens": 4}))  # warm-up
    prefill = []
    for _ in range(runs):
        long_prompt = messages(QUESTIONS[0], repeat=4)
        t, out = timed(lambda: gen.generate(long_prompt, greedy.model_copy(update={"max_new_tokens": 1})))
        prefill.append((t, out[0].prompt_tokens))
    t_pre = statistics.median(t for t, _ in prefill)
    n_prompt = prefill[0][1]
    decode = []
    for q in QUESTIONS[:runs]:
        t, out = timed(lambda: gen.generate(messages(q), greedy.model_copy(update={"max_new_tokens": 64, "stop": []})))
        t1, _ = timed(lambda: gen.generate(messages(q), greedy.model_copy(update={"max_new_tokens": 1})))
        if len(out[0].tokens) > 1:
            decode.append((len(out[0].tokens) - 1) / max(1e-6, t - t1))
    answer = SamplingConfig(max_new_tokens=60)
    lat, lens = [], []
    for q in QUESTIONS:
        t, out = timed(lambda: gen.generate(messages(q), answer))
        lat.append(t)
        lens.append(len(out[0].tokens))
    sampled = SamplingConfig(temperature=0.8, max_new_tokens=48, seed=7)
    t_batch, batch = timed(lambda: gen.generate(messages(QUESTIONS[0]), sampled.model_copy(update={"num_samples": 5})))
    t_seq, seq_tokens = 0.0, 0
    for i in range(5):
        t, out = timed(lambda: gen.generate(messages(QUESTIONS[0]), sampled.model_copy(update={"seed": 100 + i})))
        t_seq += t
        seq_tokens += len(out[0].tokens)
    batch_tokens = sum(len(g.tokens) for g in batch)
    return {
        "prefill tok/s": f"{n_prompt / t_pre:.0f} ({n_prompt}-token prompt)",
        "decode tok/s": f"{statistics.median(decode):.1f}",
        "answer latency p50 / p95": f"{pct(lat, 0.5):.2f} s / {pct(lat, 0.95):.2f} s (mean {statistics.mean(lens):.0f} tokens)",
        "N=5 batched vs 5 calls": f"{t_batch:.2f} s vs {t_seq:.2f} s = {t_batch / t_seq:.2f}x "
        f"({batch_tokens} vs {seq_tokens} tokens)",
    }


def bench_transformers(threads: int, runs: int) -> dict[str, str]:
    from grounding.generate.transformers_backend import TransformersGenerator

    cfg = GeneratorConfig(threads=threads)
    with tempfile.TemporaryDirectory() as cache:
        first = TransformersGenerator(cfg, Path(cache)).load()
        gen = TransformersGenerator(cfg, Path(cache))
        cached = gen.load()
        assert first.converted and not cached.converted
        row = {"load": f"{first.seconds:.1f} s first (GGUF -> safetensors), {cached.seconds:.1f} s cached"}
        row.update(measure(gen, runs))
    return row


def bench_llamacpp(threads: int, runs: int) -> dict[str, str]:
    from grounding.generate.llamacpp_backend import LlamaCppGenerator

    gen = LlamaCppGenerator(GeneratorConfig(backend="llamacpp", threads=threads))
    row = {"load": f"{gen.load():.2f} s (GGUF directly)"}
    row.update(measure(gen, runs))
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backends", nargs="+", default=["transformers", "llamacpp"], choices=["transformers", "llamacpp"])
    ap.add_argument("--threads", type=int, nargs="+", default=[0],
                    help="generator.threads values to compare (0 = each library's default)")
    ap.add_argument("--runs", type=int, default=3, help="repeats for prefill/decode medians")
    args = ap.parse_args()
    rows: dict[str, dict[str, str]] = {}
    load_before = os.getloadavg()[0]
    for name in args.backends:
        if name == "llamacpp" and importlib.util.find_spec("llama_cpp") is None:
            print("llamacpp: skipped (pip install 'grounding[llamacpp]')")
            continue
        for threads in args.threads:
            label = f"{name} (threads={threads or 'default'})"
            rows[label] = (bench_transformers if name == "transformers" else bench_llamacpp)(threads, args.runs)
    names = list(rows)
    print(f"\nSmolLM2-135M-Instruct, {os.cpu_count()} CPUs, "
          f"load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after\n")
    print("| measure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for key in next(iter(rows.values()), {}):
        print(f"| {key} | " + " | ".join(rows[n][key] for n in names) + " |")


if __name__ == "__main__":
    main()
