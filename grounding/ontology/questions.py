"""Class questions answered from the KG, with the path that answers them as evidence.

* `is_a_answer(onto, a, b)`: "Is A a B?" -- the is-a path from A up to B (subClassOf, instance of,
  SKOS broader, equivalences), asserted or entailed by the reasoner (each hop says which); "no"
  when the ontology makes A and B disjoint (the disjointness is the evidence); "unknown" otherwise
  (open world: nothing says A is not a B).
* `part_of_answer(onto, x)`: "What is part of X?" -- the concepts with a part-of edge to X (or a
  has-part edge from X), through a transitive part-of property when the ontology declares one.

The question router (grounding/aggregate/) calls these; `grounding ontology paths A B` shows the
is-a answer and `grounding ontology parts X` the parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grounding.ontology.graph import OntologyGraph
from grounding.ontology.paths import KGPath, part_properties

_IS_A = ("subClassOf", "type", "broader")


@dataclass
class IsAAnswer:
    a: str
    b: str
    holds: bool | None  # True: A is a B; False: the ontology says A and B are disjoint; None: not entailed
    path: KGPath | None = None  # the is-a path (holds) or A's way up to the disjoint class (not holds)
    entailed: bool = False  # some hop of the path was entailed by the reasoner
    disjoint: tuple[str, str] | None = None  # (ancestor of A, ancestor of B) declared disjoint
    reasoner: str = ""  # the reasoner whose entailments the KG holds ("" = asserted only)

    def as_dict(self, onto: OntologyGraph) -> dict:
        return {
            "a": self.a, "b": self.b, "holds": self.holds, "entailed": self.entailed, "reasoner": self.reasoner,
            "text": self.text(onto), "path": self.path.as_dict(onto) if self.path else None,
            "disjoint": list(self.disjoint) if self.disjoint else None,
        }

    def text(self, onto: OntologyGraph) -> str:
        la, lb = onto.label(self.a), onto.label(self.b)
        if self.holds:
            how = "entailed by the reasoner" if self.entailed else "asserted"
            return f"yes: {la} is {_a(lb)} ({how}): {self.path.render(onto) if self.path else ''}".rstrip(": ")
        if self.holds is False and self.disjoint:
            x, y = self.disjoint
            return f"no: {onto.label(x)} and {onto.label(y)} are disjoint" + (f"; {self.path.render(onto)}" if self.path else "")
        return f"not entailed: nothing in the ontology makes {la} {_a(lb)}"


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _up_edges(onto: OntologyGraph, u: str):
    """(next node, key, forward, edge data) for every is-a step up from u (equivalences both ways)."""
    g = onto.nx
    if u not in g:
        return
    for _, v, k, d in g.out_edges(u, keys=True, data=True):
        if k in _IS_A or k == "equivalentClass":
            yield v, k, True, d
    for s, _, k, d in g.in_edges(u, keys=True, data=True):
        if k == "equivalentClass":
            yield s, k, False, d


def is_a_path(onto: OntologyGraph, a: str, b: str, max_hops: int = 12) -> KGPath | None:
    """The shortest is-a path from a up to b, preferring asserted hops over entailed ones."""
    if a == b or a not in onto.nx or b not in onto.nx:
        return None
    # lexicographic (hops, entailed hops) best-first search: a small Dijkstra on tuples
    best: dict[str, tuple[int, int]] = {a: (0, 0)}
    prev: dict[str, tuple[str, str, bool, dict]] = {}
    frontier = [a]
    for _ in range(max_hops):
        nxt: list[str] = []
        for u in frontier:
            hu, eu = best[u]
            for v, k, fwd, d in _up_edges(onto, u):
                cand = (hu + 1, eu + (1 if d.get("entailed") else 0))
                if v not in best or cand < best[v]:
                    if v not in best:
                        nxt.append(v)
                    best[v] = cand
                    prev[v] = (u, k, fwd, d)
        frontier = nxt
        if b in best or not frontier:
            break
    if b not in best:
        return None
    nodes, rels, fwds, keys, ent, why = [b], [], [], [], [], []
    cur = b
    while cur != a:
        u, k, fwd, d = prev[cur]
        nodes.append(u)
        rels.append(d.get("label", k))
        fwds.append(fwd)
        keys.append(k)
        ent.append(bool(d.get("entailed")))
        why.append(list(d.get("because") or []))
        cur = u
    nodes.reverse()
    for lst in (rels, fwds, keys, ent, why):
        lst.reverse()
    return KGPath(nodes, rels, fwds, keys, float(len(rels)), ent, why)


def is_a_answer(onto: OntologyGraph, a: str, b: str) -> IsAAnswer:
    """Is `a` (a class or individual IRI) a `b`? With the path that says so as evidence."""
    reasoner = str((getattr(onto, "reasoning", None) or {}).get("reasoner", "") or "")
    reasoner = "" if reasoner in ("none", "failed") else reasoner
    path = is_a_path(onto, a, b)
    if path is not None:
        return IsAAnswer(a, b, True, path, path.any_entailed, reasoner=reasoner)
    pair = _disjoint_pair(onto, a, b)
    if pair is not None:
        up = is_a_path(onto, a, pair[0]) if pair[0] != a else None
        return IsAAnswer(a, b, False, up, bool(up and up.any_entailed), pair, reasoner)
    return IsAAnswer(a, b, None, reasoner=reasoner)


def _disjoint_pair(onto: OntologyGraph, a: str, b: str) -> tuple[str, str] | None:
    left = [a] + sorted(onto.ancestors(a))
    right = {b} | onto.ancestors(b)
    g = onto.nx
    for x in left:
        if x not in g:
            continue
        for _, y, k in g.out_edges(x, keys=True):
            if k == "disjointWith" and y in right:
                return (x, y)
        for y, _, k in g.in_edges(x, keys=True):
            if k == "disjointWith" and y in right:
                return (x, y)
    return None


# --- "what is part of X?" ----------------------------------------------------------------------------
@dataclass
class PartsAnswer:
    whole: str
    paths: list[KGPath] = field(default_factory=list)  # one per part: part -part of-> ... -> whole

    @property
    def parts(self) -> list[str]:
        return [p.nodes[0] for p in self.paths]


def part_of_answer(onto: OntologyGraph, whole: str, max_depth: int = 3, limit: int = 50) -> PartsAnswer:
    """What is part of `whole`? Direct parts, and parts of parts when part-of is transitive."""
    part, has = part_properties(onto)
    g = onto.nx
    ans = PartsAnswer(whole)
    if whole not in g or not (part or has):
        return ans
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF

    try:
        transitive = {p for p in part | has if (URIRef(p), RDF.type, OWL.TransitiveProperty) in onto.rdf}
    except Exception:
        transitive = set()
    depth = max_depth if transitive else 1
    # backwards from the whole: each step finds y with (y part_of x) or (x has_part y)
    seen = {whole}
    frontier: list[tuple[str, KGPath | None]] = [(whole, None)]
    for _ in range(depth):
        nxt = []
        for x, tail in frontier:
            steps = []
            for y, _, k, d in g.in_edges(x, keys=True, data=True):
                if k in part:
                    steps.append((y, k, True, d))
            for _, y, k, d in g.out_edges(x, keys=True, data=True):
                if k in has:
                    steps.append((y, k, False, d))
            for y, k, fwd, d in sorted(steps, key=lambda t: (onto.label(t[0]), t[1])):
                if y in seen:
                    continue
                seen.add(y)
                hop = KGPath([y, x], [d.get("label", k)], [fwd], [k], 1.0, [bool(d.get("entailed"))], [list(d.get("because") or [])])
                path = hop if tail is None else KGPath(
                    hop.nodes + tail.nodes[1:], hop.rels + tail.rels, hop.forward + tail.forward, hop.keys + tail.keys,
                    float(1 + tail.hops), hop.entailed + tail.entailed, hop.because + tail.because)
                ans.paths.append(path)
                nxt.append((y, path))
                if len(ans.paths) >= limit:
                    return ans
        frontier = nxt
    return ans
