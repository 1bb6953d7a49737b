#!/usr/bin/env python3
"""Ontology benchmarks: loading, entity linking, KG paths. Each figure is compared with a baseline
measured in the same run (timings on a shared machine are noisy; compare rows, not runs).

  load    time and peak memory (each case in a fresh subprocess) of
            baseline  plain rdflib Graph.parse (no safety checks, no view)
            cold      OntologyGraph.load: safe parse + typed networkx view (+ cache write)
            warm      OntologyGraph.load from the parse cache in the data dir
          for the project ontology, the union of the CIM/CGMES files, and a synthetic ontology
          of --synthetic-triples triples (default 1,000,000)
  link    reports/s of Linker.link over the NRC corpus, and the share of reports linked to a
          specific (non-abstract) concept; baseline: one compiled case-insensitive regex of all labels
  paths   kg_paths latency p50/p95 for question concepts x the concepts of 6 candidate reports;
          baseline: networkx shortest_simple_paths per (source, target) pair (the first version)

Usage: python benchmarks/ontology_bench.py [--only load,link,paths] [--synthetic-triples N] [--reports N] [--json out.json]
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PROJECT = [ROOT / "ontology" / "grounding.ttl", ROOT / "ontology" / "alignments.ttl"]
CIM_DIRS = [Path("/work/shared/data/cim-cgmes-rdfs"), ROOT / "ontology" / "third_party" / "cim-cgmes"]
NRC = ROOT / "corpora" / "nrc" / "events.jsonl.gz"

CHILD = r"""
import json, sys, time, resource, pickle
sys.path.insert(0, sys.argv[1])
mode, files, cache = sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
import psutil
from rdflib import Graph
from grounding.ontology.graph import OntologyGraph
before = psutil.Process().memory_info().rss
t0 = time.perf_counter()
if mode == "baseline":
    g = Graph()
    for f in files:
        g.parse(f)
    n, c = len(g), 0
else:
    o = OntologyGraph.load(files, cache_dir=cache or None, max_triples=0)
    n, c = o.triples, len(o.concepts)
dt = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": dt, "triples": n, "concepts": c, "peak_mb": (peak - before) / 2**20}))
"""


def synthetic(path: Path, triples: int) -> None:
    """A deep-ish class hierarchy with labels, synonyms, definitions and restrictions (~10 triples/class)."""
    n = max(10, -(-triples // 10))
    rnd = random.Random(0)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("@prefix s: <https://example.org/syn#> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                 "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                 "s:rel a owl:ObjectProperty ; rdfs:label \"related to\"@en .\n")
        for i in range(n):
            parent = f"s:C{rnd.randrange(i)}" if i else "owl:Thing"
            fh.write(f's:C{i} a owl:Class ; rdfs:subClassOf {parent} ; rdfs:label "concept {i}"@en ; skos:altLabel "c{i}"@en ;\n'
                     f'  skos:definition "Synthetic concept number {i}."@en ; rdfs:comment "generated"@en ;\n'
                     f'  rdfs:subClassOf [ a owl:Restriction ; owl:onProperty s:rel ; owl:someValuesFrom s:C{rnd.randrange(n)} ] .\n')


def run_child(mode: str, files: list[str], cache: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), mode, json.dumps(files), cache],
                         capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_load(args) -> list[dict]:
    cases = []
    if all(p.exists() for p in PROJECT):
        cases.append(("project ontology", [str(p) for p in PROJECT]))
    for d in CIM_DIRS:
        files = sorted(glob.glob(str(d / "**" / "*.ttl"), recursive=True))
        if files:
            cases.append((f"CIM/CGMES union ({len(files)} files)", files))
            break
    tmp = Path(tempfile.mkdtemp(prefix="ontobench-"))
    if args.synthetic_triples:
        syn = tmp / "synthetic.ttl"
        synthetic(syn, args.synthetic_triples)
        cases.append((f"synthetic {args.synthetic_triples:,} triples", [str(syn)]))
    rows = []
    for name, files in cases:
        cache = str(tmp / ("cache-" + re.sub(r"\W+", "_", name)))
        for mode in ("baseline", "cold", "warm"):
            r = run_child("baseline" if mode == "baseline" else "ours", files, "" if mode == "baseline" else cache)
            rows.append({"case": name, "mode": mode, **r})
            print(f"  {name:36} {mode:8} {r.get('seconds', float('nan')):8.2f} s  {r.get('peak_mb', float('nan')):8.0f} MB  "
                  f"{r.get('triples', '')} triples {r.get('error', '')}", flush=True)
    return rows


def nrc_texts(limit: int) -> list[str]:
    with gzip.open(NRC, "rt", encoding="utf-8") as fh:
        return [json.loads(line).get("event_text") or "" for line in islice(fh, limit or None)]


def bench_link(args) -> list[dict]:
    from grounding.ontology.graph import OntologyGraph
    from grounding.ontology.linker import Linker

    onto = OntologyGraph.load(PROJECT)
    texts = nrc_texts(args.reports)
    t0 = time.perf_counter()
    linker = Linker(onto)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = [linker.link(t) for t in texts]
    ours = time.perf_counter() - t0
    specific = sum(1 for r in res if any(not onto.concepts[m.concept].abstract for m in r))
    anyl = sum(1 for r in res if r)
    # baseline: one big case-insensitive alternation of every English label
    labels = sorted({t for c in onto.concepts.values() if not c.deprecated for t, lang, _ in c.all_labels() if lang in ("en", "")},
                    key=len, reverse=True)
    t0 = time.perf_counter()
    rx = re.compile(r"\b(?:" + "|".join(re.escape(x) for x in labels) + r")\b", re.I)
    base_build = time.perf_counter() - t0
    sample = texts[: args.baseline_reports]  # the regex is slow: a sample is enough for its rate
    t0 = time.perf_counter()
    base_hits = sum(1 for t in sample if [m for m in rx.finditer(t)])
    base = time.perf_counter() - t0
    rows = [
        {"linker": "Linker.link (exact, abbreviations, caps policy)", "reports": len(texts), "seconds": ours, "reports_per_s": len(texts) / ours,
         "build_s": build, "linked_any": anyl / len(texts), "linked_specific": specific / len(texts),
         "mentions_per_report": sum(len(r) for r in res) / len(texts)},
        {"linker": "baseline: one regex of all labels (re.I)", "reports": len(sample), "seconds": base, "reports_per_s": len(sample) / base,
         "build_s": base_build, "linked_any": base_hits / len(sample), "linked_specific": None, "mentions_per_report": None},
    ]
    for r in rows:
        print(f"  {r['linker']:48} {r['reports']:6d} reports {r['reports_per_s']:8.1f} reports/s  build {r['build_s']:.2f} s  linked {r['linked_any']:.3f}"
              + (f" (specific {r['linked_specific']:.3f})" if r["linked_specific"] is not None else ""), flush=True)
    return rows


def bench_paths(args) -> list[dict]:
    import networkx as nx

    from grounding.ontology.graph import OntologyGraph
    from grounding.ontology.linker import Linker
    from grounding.ontology.paths import kg_paths

    onto = OntologyGraph.load(PROJECT)
    linker = Linker(onto)
    texts = [t for t in nrc_texts(3000) if t]
    rnd = random.Random(1)
    specific = [c for c, x in onto.concepts.items() if not x.abstract and c in onto.nx]
    queries = []
    for _ in range(args.path_queries):
        src = rnd.sample(specific, rnd.choice((1, 2)))
        tg = list(dict.fromkeys(m.concept for t in rnd.sample(texts, 6) for m in linker.link(t)))
        queries.append((src, tg))
    kg_paths(onto, queries[0][0], queries[0][1])  # builds the cached view once (as a running system has)
    # baseline view as in the first version: undirected simple graph, Yen per (s, t) pair
    g = nx.Graph()
    for s, o, k, d in onto.nx.edges(keys=True, data=True):
        if k != "disjointWith" and s != o and not g.has_edge(s, o):
            g.add_edge(s, o, rel=d["label"])

    def baseline(src, tg, max_hops=3, k=3):
        found = []
        for s in src:
            for t in tg:
                if s == t or s not in g or t not in g:
                    continue
                try:
                    for nodes in islice(nx.shortest_simple_paths(g, s, t), k):
                        if len(nodes) - 1 > max_hops:
                            break
                        found.append(nodes)
                except nx.NetworkXNoPath:
                    pass
        found.sort(key=len)
        return found[:k]

    rows = []
    for name, fn in (("kg_paths (target-distance-pruned search)", lambda s, t: kg_paths(onto, s, t, 3, 3)),
                     ("baseline: Yen per (source, target) pair", baseline)):
        lat, n = [], 0
        for src, tg in queries:
            t0 = time.perf_counter()
            n += len(fn(src, tg))
            lat.append((time.perf_counter() - t0) * 1000)
        lat.sort()
        r = {"method": name, "queries": len(queries), "mean_targets": statistics.mean(len(t) for _, t in queries),
             "p50_ms": lat[len(lat) // 2], "p95_ms": lat[int(len(lat) * 0.95) - 1], "max_ms": lat[-1], "paths": n}
        rows.append(r)
        print(f"  {name:48} p50 {r['p50_ms']:8.2f} ms  p95 {r['p95_ms']:8.2f} ms  max {r['max_ms']:8.1f} ms  paths {n}", flush=True)
    ex = next((p for src, tg in queries for p in kg_paths(onto, src, tg, 3, 1)), None)
    if ex is not None:
        print(f"  example: {ex.render(onto)}")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="load,link,paths")
    ap.add_argument("--synthetic-triples", type=int, default=1_000_000)
    ap.add_argument("--reports", type=int, default=0, help="NRC reports to link (0 = all)")
    ap.add_argument("--path-queries", type=int, default=200)
    ap.add_argument("--baseline-reports", type=int, default=300, help="reports linked by the slow regex baseline")
    ap.add_argument("--json", default="")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    out = {"cpus": os.cpu_count(), "load_avg": os.getloadavg()}
    parts = args.only.split(",")
    if "load" in parts:
        print("load (each in a fresh process; peak = max RSS growth):")
        out["load"] = bench_load(args)
    if "link" in parts and NRC.exists():
        print("entity linking over the NRC corpus:")
        out["link"] = bench_link(args)
    if "paths" in parts:
        print("KG paths (max 3 hops, k = 3):")
        out["paths"] = bench_paths(args)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, default=str))


if __name__ == "__main__":
    main()
