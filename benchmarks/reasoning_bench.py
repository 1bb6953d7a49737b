"""Load + reasoning times: the project ontology, the CIM/CGMES union, and a synthetic OEO-sized ontology.

    python benchmarks/reasoning_bench.py [--reasoners hermit,owlrl,none] [--classes 1500] [--json FILE]
    python benchmarks/reasoning_bench.py --write-synthetic out.ttl --classes 1500   # just the ontology

Each case runs in a fresh process (no parse cache, no shared reasoner-result cache): `cold` = parse +
build the KG view + reason + add the entailed edges; `reasoning` = the reasoner alone (HermiT: the
Java subprocess incl. its start; OWL-RL: the forward chaining); then a second process loads the same
files from the data-dir cache (`cached`). The synthetic ontology is generated here (OEO itself cannot
be downloaded on these machines) with OEO's axiom patterns: a BFO-like upper level marked abstract,
a subclass tree, about one artifact/process/role class in five defined by an equivalent-class
intersection of a parent and an existential restriction on a matter/energy/quality class (so a DL
reasoner classifies the siblings that satisfy it under it, as OEO's fueled power plants),
existential restrictions on a transitive part-of with an inverse and on object properties with domains
(each class uses the properties of its own branch, so the ontology stays consistent),
disjoint upper branches, and individuals with property assertions. The CIM/CGMES files are RDFS
(no class definitions): HermiT finds nothing to add there, which is what the numbers show.
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = [ROOT / "ontology" / "grounding.ttl", ROOT / "ontology" / "alignments.ttl"]
CIM_DIRS = [Path("/work/shared/data/cim-cgmes-rdfs"), ROOT / "ontology" / "third_party" / "cim-cgmes"]


def synthetic_oeo(path: Path, classes: int = 1500, seed: int = 19) -> dict:
    """An OEO-like ontology with `classes` named classes; returns counts of what was written."""
    rnd = random.Random(seed)
    ns = "https://w3id.org/grounding/bench/oeo-synth/"
    out = [f"@prefix : <{ns}> .", "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
           "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .", "",
           f"<{ns[:-1]}> a owl:Ontology .", ":abstract a owl:AnnotationProperty .",
           ":partOf a owl:ObjectProperty , owl:TransitiveProperty ; rdfs:label \"part of\"@en ; owl:inverseOf :hasPart .",
           ":hasPart a owl:ObjectProperty , owl:TransitiveProperty ; rdfs:label \"has part\"@en ."]
    props = [f"p{i}" for i in range(12)]
    upper = ["entity", "continuant", "occurrent", "material_entity", "process", "artificial_object", "portion_of_matter",
             "energy", "role", "quality"]
    parents = {"continuant": "entity", "occurrent": "entity", "material_entity": "continuant", "process": "occurrent",
               "artificial_object": "material_entity", "portion_of_matter": "material_entity", "energy": "process",
               "role": "continuant", "quality": "continuant"}
    for u in upper:
        sup = f" ; rdfs:subClassOf :{parents[u]}" if u in parents else ""
        out.append(f":{u} a owl:Class ; rdfs:label \"{u.replace('_', ' ')}\"@en ; :abstract true{sup} .")
    out.append("[] a owl:AllDisjointClasses ; owl:members ( :artificial_object :portion_of_matter ) .")
    out.append(":continuant owl:disjointWith :occurrent .")
    branches = ["artificial_object", "portion_of_matter", "energy", "role", "quality", "process"]
    fillers = ["portion_of_matter", "energy", "quality"]
    props_of: dict[str, list[str]] = {b: [] for b in branches}  # a class only uses properties of its own branch
    for i, p in enumerate(props):
        dom = branches[i % len(branches)]
        props_of[dom].append(p)
        out.append(f":{p} a owl:ObjectProperty ; rdfs:label \"relation {i}\"@en ; rdfs:domain :{dom} .")
    names = [f"OEOS_{i:05d}" for i in range(classes - len(upper))]
    parent_of: dict[str, str] = {}
    branch_of: dict[str, str] = {}
    pool = {b: [b] for b in branches}
    defined = 0
    restrictions = 0
    for n in names:
        b = rnd.choice(branches[:3] * 3 + branches[3:])
        par = rnd.choice(pool[b][-60:])  # deepish trees: recent classes more likely parents
        parent_of[n], branch_of[n] = par, b
        pool[b].append(n)
    children: dict[str, list[str]] = {}
    for n in names:
        children.setdefault(parent_of[n], []).append(n)

    def below(c: str) -> list[str]:
        out_, todo = [c], [c]
        while todo:
            for k in children.get(todo.pop(), []):
                out_.append(k)
                todo.append(k)
        return out_

    defs: dict[str, tuple[str, str]] = {}  # defined class -> (property, filler)
    for n in names:
        b = branch_of[n]
        if b not in fillers and parent_of[n] not in upper and rnd.random() < 0.18:
            defs[n] = ("partOf" if rnd.random() < 0.15 else rnd.choice(props_of[b]), rnd.choice(pool[rnd.choice(fillers)]))
    by_parent: dict[str, list[tuple[str, str]]] = {}
    for d, rf in defs.items():
        by_parent.setdefault(parent_of[d], []).append(rf)
    for n in names:
        b = branch_of[n]
        lines = [f":{n} a owl:Class ; rdfs:label \"synthetic class {n[5:]}\"@en"]
        if b in fillers:  # matter, energy, qualities: fillers of restrictions, themselves plain (as in OEO)
            out.append(f":{n} a owl:Class ; rdfs:label \"synthetic class {n[5:]}\"@en ; rdfs:subClassOf :{parent_of[n]} .")
            continue
        if n in defs:
            prop, filler = defs[n]
            lines.append(f"    owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( :{parent_of[n]} "
                         f"[ a owl:Restriction ; owl:onProperty :{prop} ; owl:someValuesFrom :{filler} ] ) ]")
            defined += 1
        else:
            lines.append(f"    rdfs:subClassOf :{parent_of[n]}")
            picks = []
            if by_parent.get(parent_of[n]) and rnd.random() < 0.6:  # a sibling that meets a definition (or a subclass of it)
                prop, filler = rnd.choice(by_parent[parent_of[n]])
                picks.append((prop, rnd.choice(below(filler))))
            for _ in range(rnd.choice((0, 1, 1, 2))):
                picks.append(("partOf" if rnd.random() < 0.15 else rnd.choice(props_of[b]), rnd.choice(pool[rnd.choice(fillers)])))
            for prop, filler in picks:
                lines.append(f"    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :{prop} ; owl:someValuesFrom :{filler} ]")
                restrictions += 1
        out.append(" ;\n".join(lines) + " .")
    for i in range(200):
        c = rnd.choice(names)
        out.append(f":ind{i} a owl:NamedIndividual , :{c} ; rdfs:label \"individual {i}\"@en .")
        if i % 10 == 0 and i:
            out.append(f":ind{i} :partOf :ind{i - 10} .")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return {"classes": classes, "defined": defined, "restrictions": restrictions, "individuals": 200}


_CHILD = r"""
import json, sys, time
from grounding.ontology.graph import OntologyGraph
files, reasoner, cache = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3] or None
t0 = time.perf_counter()
o = OntologyGraph.load(files, cache_dir=cache, reasoner=reasoner, reasoner_timeout_s=0)
wall = time.perf_counter() - t0
r = o.reasoning or {}
print(json.dumps({"seconds": round(wall, 3), "from_cache": o.from_cache, "reasoning_s": r.get("seconds", 0.0),
                  "reasoner": r.get("reasoner", "none"), "entailed_edges": r.get("entailed_edges", 0),
                  "entailed_subclass": sum(k == "subClassOf" and bool(d.get("entailed")) for _, _, k, d in o.nx.edges(keys=True, data=True)),
                  "unsatisfiable": r.get("unsatisfiable", 0), "consistent": r.get("consistent", True),
                  "triples": o.triples, "classes": sum(c.kind == "class" for c in o.concepts.values())}))
"""


def run_case(files: list[str], reasoner: str, cache: str) -> dict:
    # the child loads without reasoner_cache_dir: every case reasons (no result shared from an earlier run)
    out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(files), reasoner, cache], capture_output=True, text=True,
                         cwd=ROOT)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reasoners", default="hermit,owlrl,none")
    ap.add_argument("--classes", type=int, default=1500)
    ap.add_argument("--only", default="project,cim,synthetic")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--write-synthetic", type=Path)
    args = ap.parse_args()
    if args.write_synthetic:
        print(json.dumps(synthetic_oeo(args.write_synthetic, args.classes)))
        return
    tmp = Path(tempfile.mkdtemp(prefix="reasonbench-"))
    cases = []
    only = set(args.only.split(","))
    if "project" in only and all(p.exists() for p in PROJECT):
        cases.append(("project ontology (grounding.ttl + alignments.ttl)", [str(p) for p in PROJECT]))
    if "cim" in only:
        for d in CIM_DIRS:
            files = sorted(glob.glob(str(d / "**" / "*.ttl"), recursive=True)) or sorted(glob.glob(str(d / "**" / "*.rdf"), recursive=True))
            if files:
                cases.append((f"CIM/CGMES union ({len(files)} files)", files))
                break
    if "synthetic" in only:
        syn = tmp / "oeo_synthetic.ttl"
        info = synthetic_oeo(syn, args.classes)
        cases.append((f"synthetic OEO-like ({info['classes']} classes, {info['defined']} defined)", [str(syn)]))
    rows = []
    for name, files in cases:
        for r in args.reasoners.split(","):
            cache = str(tmp / f"cache-{len(rows)}")
            t0 = time.perf_counter()
            cold = run_case(files, r, cache)
            warm = run_case(files, r, cache)
            row = {"case": name, "reasoner": r, "cold": cold, "cached": warm, "wall": round(time.perf_counter() - t0, 1)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
