"""Reasoning over the ontology: what the axioms entail, materialized as typed edges of the KG.

Two engines, named by `[ontology] reasoner`:

* ``hermit`` (default): the OWL 2 DL reasoner HermiT, the jar bundled with owlready2, run as a Java
  subprocess on an N-Triples copy of the merged graph (classification of classes, object
  properties and instances, and the property values of individuals: ``-c -O -I -Y``). It finds the
  subclass edges that equivalent-class intersections with existential restrictions, transitive
  and inverse properties and domain/range axioms imply, as Protege + HermiT shows them.
* ``owlrl``: OWL 2 RL forward chaining in pure Python (the `owlrl` package), the fallback where no
  Java runtime exists (one warning). It does not classify through equivalences of intersections
  with existential restrictions, so it finds far fewer subclass edges; it needs no Java.
* ``none``: the asserted graph only.

The result (`ReasoningResult`) holds the *direct* inferred subsumptions between named classes (the
inferred hierarchy), named-class equivalences, direct types of individuals, property values
between individuals, unsatisfiable classes and whether the ontology is consistent.
`apply_entailments` adds what is new to the networkx view of an `OntologyGraph`, each edge marked
``entailed=True`` with the axioms that justify it (the superclass's definitions and the subclass's
told superclass axioms, rendered in Manchester syntax: the axioms a curator reads to see why;
HermiT's command line gives no minimal justifications).

Reasoning is slow on large ontologies (HermiT: minutes for OEO's 1.5k classes on a busy 2-core
machine), so it runs once per ontology version when the ontology is loaded for `ingest` or an
`ontology` command and is cached with the parsed ontology; a question never reasons.

Length (~470 lines): the two engines share the cache, the N-Triples export and the edge materialization;
they are one interface (`materialize`) with two implementations below it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

log = logging.getLogger(__name__)

REASONERS = ("hermit", "owlrl", "none")
REASONER_VERSION = "1"  # bump when what a reasoner run yields changes (invalidates the shared result cache)
_NOTHING = str(OWL.Nothing)
_THING = str(OWL.Thing)
_warned: set[str] = set()


class ReasonerError(RuntimeError):
    """The reasoner could not run (Java error, time limit); the asserted graph stays usable."""


@dataclass
class ReasoningResult:
    reasoner: str  # the engine that ran: hermit | owlrl | none
    requested: str = ""
    seconds: float = 0.0
    consistent: bool = True
    unsatisfiable: list[str] = field(default_factory=list)
    subclass: list[tuple[str, str]] = field(default_factory=list)  # direct inferred (sub, super), named classes
    equivalent: list[tuple[str, str]] = field(default_factory=list)
    types: list[tuple[str, str]] = field(default_factory=list)  # (individual, class), direct
    property_values: list[tuple[str, str, str]] = field(default_factory=list)  # (s, property, o) between individuals
    warnings: list[str] = field(default_factory=list)
    message: str = ""  # why the ontology is inconsistent / what failed
    entailed_edges: int = 0  # edges apply_entailments added to the view

    def supers(self) -> dict[str, set[str]]:
        """Every inferred superclass of every class (transitive, equivalents included)."""
        up: dict[str, set[str]] = {}
        for a, b in self.subclass:
            up.setdefault(a, set()).add(b)
        for a, b in self.equivalent:
            up.setdefault(a, set()).add(b)
            up.setdefault(b, set()).add(a)
        out: dict[str, set[str]] = {}
        for start in up:
            seen: set[str] = set()
            todo = [start]
            while todo:
                for p in up.get(todo.pop(), ()):
                    if p not in seen:
                        seen.add(p)
                        todo.append(p)
            seen.discard(start)
            out[start] = seen
        return out

    def summary(self) -> dict:
        return {
            "reasoner": self.reasoner, "requested": self.requested, "seconds": round(self.seconds, 3),
            "consistent": self.consistent, "unsatisfiable": len(self.unsatisfiable), "subclass": len(self.subclass),
            "equivalent": len(self.equivalent), "types": len(self.types), "property_values": len(self.property_values),
            "entailed_edges": self.entailed_edges, "warnings": list(self.warnings), "message": self.message,
        }


# --- engine selection ----------------------------------------------------------------------------
def java_executable() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return os.path.join(home, "bin", "java")
    return shutil.which("java")


def _warn_once(msg: str) -> None:
    if msg not in _warned:
        _warned.add(msg)
        log.warning(msg)


def resolve_reasoner(name: str) -> str:
    """The engine that will run for `name`: hermit needs Java and owlready2's jar; else owlrl (warned once)."""
    name = (name or "none").lower()
    if name not in REASONERS:
        raise ValueError(f"unknown reasoner {name!r}; choose one of {', '.join(REASONERS)}")
    if name != "hermit":
        return name
    if java_executable() is None:
        _warn_once("reasoner hermit needs a Java runtime (none on PATH or JAVA_HOME): using the OWL-RL fallback, "
                   "which misses subclass edges implied by equivalent-class definitions")
        return "owlrl"
    try:
        _hermit_classpath()
    except ImportError:
        _warn_once("reasoner hermit needs owlready2 (pip install owlready2): using the OWL-RL fallback")
        return "owlrl"
    return "hermit"


def _hermit_classpath() -> str:
    from owlready2 import reasoning  # noqa: PLC0415  (imported only when HermiT runs)

    return reasoning._HERMIT_CLASSPATH


# --- running ---------------------------------------------------------------------------------------
def classify(graphs: Graph | list[Graph], reasoner: str = "hermit", timeout_s: float = 900.0, memory_mb: int = 2000) -> ReasoningResult:
    """Classify the union of `graphs` with the named reasoner (resolved: hermit falls back to owlrl)."""
    if isinstance(graphs, Graph):
        graphs = [graphs]
    engine = resolve_reasoner(reasoner)
    t0 = time.perf_counter()
    if engine == "none":
        res = ReasoningResult("none", reasoner)
    elif engine == "hermit":
        res = _hermit(graphs, timeout_s, memory_mb)
    else:
        res = _owlrl(graphs)
    res.requested = reasoner
    res.seconds = time.perf_counter() - t0
    return res


def classify_cached(graph: Graph, file_hashes: dict[str, str], reasoner: str, timeout_s: float = 900.0,
                    memory_mb: int = 2000, cache_dir: Path | None = None) -> ReasoningResult:
    """`classify`, its result shared by content through `cache_dir` (None: not shared): the same files and
    engine are classified once per machine (a second data dir, a test run) and read back from a small
    JSON file, never a pickle."""
    engine = resolve_reasoner(reasoner)
    folder = cache_dir if file_hashes and engine != "none" else None
    path = None
    if folder is not None:
        h = hashlib.sha256(f"{REASONER_VERSION}|{engine}|".encode())
        for digest in sorted(file_hashes.values()):
            h.update(digest.encode())
        path = folder / f"{h.hexdigest()[:32]}.json"
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
            res = ReasoningResult(**{k: v for k, v in d.items() if k in ReasoningResult.__dataclass_fields__})
            res.subclass = [tuple(x) for x in res.subclass]
            res.equivalent = [tuple(x) for x in res.equivalent]
            res.types = [tuple(x) for x in res.types]
            res.property_values = [tuple(x) for x in res.property_values]
            res.requested = reasoner
            return res
        except (OSError, ValueError, TypeError):
            pass
    res = classify(graph, engine, timeout_s, memory_mb)
    res.requested = reasoner
    if path is not None:
        try:
            from grounding.atomic_write import atomic_write_bytes

            path.parent.mkdir(parents=True, exist_ok=True)
            d = {k: getattr(res, k) for k in ReasoningResult.__dataclass_fields__}
            atomic_write_bytes(path, json.dumps(d).encode("utf-8"))
        except OSError as exc:
            log.info("reasoner result not shared in %s: %s", folder, exc)
    return res


_HERMIT_LINE = re.compile(r"^(SubClassOf|EquivalentClasses|Type)\( (.*) \)\s*$", re.M)
_HERMIT_TERM = re.compile(r"<([^>\s]+)>|owl:(Thing|Nothing)")
_HERMIT_PROP = re.compile(r"^<([^>]+)> \(known instances:\s*(.*?)\s*\|\s*possible instances:", re.M)
_HERMIT_PAIR = re.compile(r"\(<([^>]+)>, <([^>]+)>\)")


def _terms(text: str) -> list[str]:
    return [m.group(1) or str(OWL) + m.group(2) for m in _HERMIT_TERM.finditer(text)]


def _hermit(graphs: list[Graph], timeout_s: float, memory_mb: int) -> ReasoningResult:
    java = java_executable() or "java"
    fd, tmp = tempfile.mkstemp(suffix=".nt", prefix="grounding-hermit-")
    try:
        with os.fdopen(fd, "wb") as fh:
            for g in graphs:
                for s, p, o in g:
                    if p == OWL.imports:  # imports are merged already; HermiT must not fetch them
                        continue
                    fh.write(f"{s.n3()} {p.n3()} {_nt(o)} .\n".encode("utf-8", "replace"))
        cmd = [java, f"-Xmx{int(memory_mb)}M", "-cp", _hermit_classpath(), "org.semanticweb.HermiT.cli.CommandLine",
               "-c", "-O", "-I", "-Y", "--ignoreUnsupportedDatatypes", "file://" + os.path.abspath(tmp)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s or None)
        except subprocess.TimeoutExpired:
            raise ReasonerError(f"HermiT ran past ontology.reasoner_timeout_s ({timeout_s:g} s)") from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        if "InconsistentOntologyException" in err or "Inconsistent ontology" in err:
            return ReasoningResult("hermit", consistent=False, message="the ontology is inconsistent (HermiT): no individual "
                                   "can satisfy all axioms; unsatisfiable classes cannot be listed until it is consistent"
                                   + _datatype_clashes(graphs))
        tail = [line for line in err.strip().splitlines() if line.strip()][:3]
        raise ReasonerError("HermiT failed: " + (" / ".join(tail) or f"exit status {proc.returncode}"))
    res = ReasoningResult("hermit")
    for kind, body in _HERMIT_LINE.findall(out):
        ts = _terms(body)
        if kind == "SubClassOf" and len(ts) == 2:
            if ts[0] != _NOTHING and ts[1] != _THING and not ts[0].startswith(str(OWL)):
                res.subclass.append((ts[0], ts[1]))
        elif kind == "EquivalentClasses":
            if _NOTHING in ts:
                res.unsatisfiable += [t for t in ts if t != _NOTHING]
            else:
                named = [t for t in ts if not t.startswith(str(OWL))]
                res.equivalent += [(named[0], t) for t in named[1:]]
        elif kind == "Type" and len(ts) == 2 and ts[1] != _THING:
            res.types.append((ts[0], ts[1]))
    for prop, known in _HERMIT_PROP.findall(out):
        if prop.startswith(str(OWL)):
            continue
        for a, b in _HERMIT_PAIR.findall(known):
            res.property_values.append((a, prop, b))
    return res


def _datatype_clashes(graphs: list[Graph]) -> str:
    """The commonest cause in RDFS vocabularies: literal values whose datatype is not the property's
    rdfs:range (a language-tagged title of a property ranged xsd:string is a clash in OWL 2 DL)."""
    from collections import Counter

    from rdflib.namespace import XSD

    ranged = {p: r for g in graphs for p, r in g.subject_objects(RDFS.range) if str(r).startswith(str(XSD))}
    bad: Counter = Counter()
    for g in graphs:
        for p, r in ranged.items():
            for o in g.objects(None, p):
                if isinstance(o, Literal):
                    dt = o.datatype or (RDF.langString if o.language else XSD.string)
                    if dt != r:
                        bad[(p, r, dt)] += 1
    if not bad:
        return ""
    parts = [f"{n} value(s) of <{p}> are {dt.n3() if hasattr(dt, 'n3') else dt} but its rdfs:range is <{r}>"
             for (p, r, dt), n in bad.most_common(3)]
    return "; likely cause, datatype clashes: " + "; ".join(parts)


def _nt(o) -> str:
    if isinstance(o, Literal):
        try:
            return o.n3()
        except Exception:
            return Literal(str(o)).n3()
    return o.n3()


def _owlrl(graphs: list[Graph]) -> ReasoningResult:
    import owlrl  # noqa: PLC0415

    g = Graph()
    for src in graphs:
        for t in src:
            g.add(t)
    before = set(g)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    res = ReasoningResult("owlrl")
    errns = "http://www.daml.org/2002/03/agents/agent-ont#"
    msgs = [str(m) for e in g.subjects(RDF.type, URIRef(errns + "ErrorMessage")) for m in g.objects(e, URIRef(errns + "error"))]
    incons = [m for m in msgs if "ncons" in m or "disjoint" in m.lower() or "Nothing" in m]
    if incons:
        res.consistent = False
        res.message = "the ontology is inconsistent (OWL-RL): " + "; ".join(sorted(incons)[:3])
        return res
    named = {s for s in g.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    named |= {s for s in g.subjects(RDF.type, RDFS.Class) if isinstance(s, URIRef)}
    up: dict[str, set[str]] = {}
    for a, b in g.subject_objects(RDFS.subClassOf):
        if isinstance(a, URIRef) and isinstance(b, URIRef) and a != b and not str(a).startswith(str(OWL)) and str(b) != _THING:
            if str(b) == _NOTHING:
                res.unsatisfiable.append(str(a))
            elif not str(b).startswith(str(OWL)):
                up.setdefault(str(a), set()).add(str(b))
    for a, sups in up.items():  # keep the direct superclasses (the inferred hierarchy)
        eq = {b for b in sups if a in up.get(b, ())}
        proper = sups - eq
        direct = {b for b in proper if not any(b in up.get(c, ()) and c not in up.get(b, ()) for c in proper if c != b)}
        res.subclass += [(a, b) for b in sorted(direct)]
        res.equivalent += [(a, b) for b in sorted(eq) if a < b]
    classes = named | {URIRef(c) for c in up}
    for s, c in g.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(c, URIRef) and c in classes and s not in classes and (s, RDF.type, c) not in before:
            res.types.append((str(s), str(c)))
    objprops = {p for p in g.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)}
    for s, p, o in g:
        if p in objprops and isinstance(s, URIRef) and isinstance(o, URIRef) and s not in classes and o not in classes:
            if (s, p, o) not in before:
                res.property_values.append((str(s), str(p), str(o)))
    return res


# --- applying to the KG view ---------------------------------------------------------------------
def apply_entailments(onto, res: ReasoningResult) -> int:
    """Add the entailed edges that the asserted view lacks; returns how many were added."""
    g = onto.nx
    hier = ("subClassOf", "equivalentClass", "type", "broader")
    reach_cache: dict[str, set[str]] = {}

    def reach(a: str) -> set[str]:  # asserted superclasses/types, through equivalences both ways
        if a in reach_cache:
            return reach_cache[a]
        seen: set[str] = set()
        todo = [a]
        while todo:
            u = todo.pop()
            if u not in g:
                continue
            nxt = [o for _, o, k, d in g.out_edges(u, keys=True, data=True) if k in hier and not d.get("entailed")]
            nxt += [s for s, _, k, d in g.in_edges(u, keys=True, data=True) if k == "equivalentClass" and not d.get("entailed")]
            for v in nxt:
                if v not in seen:
                    seen.add(v)
                    todo.append(v)
        reach_cache[a] = seen
        return seen

    added = 0

    def add(s: str, o: str, key: str, label: str, because: list[str]) -> None:
        nonlocal added
        if s not in onto.concepts or o not in onto.concepts or s == o or g.has_edge(s, o, key=key):
            return
        g.add_edge(s, o, key=key, rel=key, label=label, how="entailed", entailed=True, because=because)
        added += 1

    for a, b in res.subclass:
        if b not in reach(a):
            add(a, b, "subClassOf", "is a", explain_subclass(onto, a, b))
    for a, b in res.equivalent:
        if b not in reach(a) or a not in reach(b):
            if not g.has_edge(b, a, key="equivalentClass"):
                add(a, b, "equivalentClass", "equivalent to", explain_subclass(onto, a, b))
    for i, c in res.types:
        if c not in reach(i):
            add(i, c, "type", "instance of", explain_subclass(onto, i, c))
    for s, p, o in sorted(res.property_values):  # sorted: the same direction of an inverse pair every run
        inv = onto.inverses.get(p)
        if g.has_edge(s, o, key=p) or (inv and g.has_edge(o, s, key=inv)):
            continue  # asserted, or the inverse of an asserted value (walked backwards anyway)
        add(s, o, p, onto.property_label(p), [])
    onto.unsatisfiable = sorted(set(res.unsatisfiable))
    res.entailed_edges = added
    onto.__dict__.pop("_path_view", None)
    return added


# --- explanations: the axioms a curator reads --------------------------------------------------------
def explain_subclass(onto, a: str, b: str, limit: int = 6) -> list[str]:
    """Axioms that make `a` a `b`: b's definitions (EquivalentTo) and a's told superclass axioms."""
    try:
        g = onto.rdf
    except Exception:
        return []
    A, B = URIRef(a), URIRef(b)
    out = []
    for d in list(g.objects(B, OWL.equivalentClass)) + list(g.subjects(OWL.equivalentClass, B)):
        if d != B:
            out.append(f"{_q(onto, b)} EquivalentTo {manchester(g, d, onto)}")
    for sup in g.objects(A, RDFS.subClassOf):
        out.append(f"{_q(onto, a)} SubClassOf {manchester(g, sup, onto)}")
    for t in g.objects(A, RDF.type):
        if isinstance(t, URIRef) and str(t) in onto.concepts:
            out.append(f"{_q(onto, a)} Type {manchester(g, t, onto)}")
    for d in g.objects(A, OWL.equivalentClass):
        out.append(f"{_q(onto, a)} EquivalentTo {manchester(g, d, onto)}")
    return out[:limit]


def _q(onto, iri: str) -> str:
    lab = onto.label(iri) if onto is not None else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return lab if re.fullmatch(r"[A-Za-z_][\w-]*", lab) else "'" + lab.replace("'", "\\'") + "'"


def manchester(g: Graph, node, onto=None, depth: int = 0) -> str:
    """A class expression in Manchester syntax, names shown by label."""
    if isinstance(node, URIRef):
        if str(node) == _THING:
            return "owl:Thing"
        if str(node) == _NOTHING:
            return "owl:Nothing"
        return _q(onto, str(node)) if onto is not None else f"<{node}>"
    if not isinstance(node, BNode) or depth > 8:
        return str(node)

    def sub(n):
        s = manchester(g, n, onto, depth + 1)
        return f"({s})" if isinstance(n, BNode) and g.value(n, OWL.oneOf) is None else s

    for pred, word in ((OWL.intersectionOf, " and "), (OWL.unionOf, " or ")):
        lst = g.value(node, pred)
        if lst is not None:
            return word.join(sub(m) for m in g.items(lst))
    comp = g.value(node, OWL.complementOf)
    if comp is not None:
        return "not " + sub(comp)
    one = g.value(node, OWL.oneOf)
    if one is not None:
        return "{" + ", ".join(manchester(g, m, onto, depth + 1) for m in g.items(one)) + "}"
    prop = g.value(node, OWL.onProperty)
    if prop is not None:
        inv = g.value(prop, OWL.inverseOf) if isinstance(prop, BNode) else None
        pname = ("inverse " + _q(onto, str(inv))) if inv is not None else (_q(onto, str(prop)) if onto is not None else f"<{prop}>")
        for pred, word in ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only"), (OWL.hasValue, "value")):
            v = g.value(node, pred)
            if v is not None:
                return f"{pname} {word} {sub(v)}"
        for pred, word in ((OWL.minQualifiedCardinality, "min"), (OWL.maxQualifiedCardinality, "max"), (OWL.qualifiedCardinality, "exactly"),
                           (OWL.minCardinality, "min"), (OWL.maxCardinality, "max"), (OWL.cardinality, "exactly")):
            v = g.value(node, pred)
            if v is not None:
                filler = g.value(node, OWL.onClass) or g.value(node, OWL.onDataRange)
                return f"{pname} {word} {v}" + (f" {sub(filler)}" if filler is not None else "")
    return "[expression]"
