"""Typed KG paths between concepts, rendered readably and citable as evidence.

    Emergency diesel generator -part of-> Onsite AC power -mitigates-> Loss of offsite power

Edges may be walked against their direction; such a hop is rendered with the inverse
property's label when the ontology declares one ("-has part->"), else as "<-part of-".
Paths are ranked by weighted length ("shortest" = cheapest): every hop costs about 1; a hop over
a domain property (restriction or assertion) costs least, a taxonomy hop a little more, mappings
and domain/range links more, and touching an abstract or hub concept (a node with very many
neighbours, such as "equipment") costs 0.5 extra per edge end, since "A is a equipment, B is a
equipment" explains little: a 3-hop causal chain outranks a 2-hop detour through "equipment".
disjointWith is a constraint, never a path.

Paths worth citing: an abstract concept (`abstract true`) or a hub (more than 40 neighbours) is never
an intermediate node of a path unless the question names it (`via`, default: the sources); and
every edge end costs extra by the concept's generality (log of the size of its subtree over log of
the ontology's size: 0 for a leaf, 1 for the root), so a path through specific concepts outranks
one through broad ones. Going up the taxonomy or the mereology and straight down again
("A -is a-> P <-is a- B": both are kinds of P; "A -part of-> S -has part-> B": both are parts of S,
which says nothing about either) is not a path unless P / S is in `via`. Edges a reasoner entailed (reasoner.py) are walked like asserted ones,
asserted ones preferred on a tie, and rendered "-is a (entailed)->".

Query: one bounded BFS from all targets gives each node's distance to the nearest target; a
depth-first walk from the sources then enumerates the simple paths of at most `max_hops` hops,
entering a node only when a target is still reachable from it in the hops left. One query covers
all (source, target) pairs; the paths are ranked by (hops, cost) and the k best distinct ones kept.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from dataclasses import dataclass, field

import networkx as nx

from grounding.ontology.graph import HIERARCHY, OntologyGraph

# Edges that connect meaningfully; disjointness is a constraint, not a path.
_SKIP = {"disjointWith"}
_HUB_DEGREE = 40
_GENERALITY_COST = 0.25  # per edge end, times the concept's generality (0 leaf .. 1 root)
_MAX_EXPANSIONS = 200_000  # bound on the path search per query
_LOCK = threading.Lock()
_PART_OF_NAMES = {"partof", "part_of", "ispartof", "bfo_0000050", "ro_0000050"}
_HAS_PART_NAMES = {"haspart", "has_part", "bfo_0000051", "ro_0000051"}


def _edge_cost(key: str, data: dict) -> float:
    if key in HIERARCHY:
        return 1.05
    if key in ("equivalentClass", "exactMatch"):
        return 1.08
    if key in ("closeMatch", "broadMatch", "narrowMatch", "relatedMatch", "related"):
        return 1.12
    if data.get("how") == "domain-range":
        return 1.15
    return 1.0  # a domain relation (restriction or assertion)


@dataclass
class KGPath:
    nodes: list[str]
    rels: list[str]  # relation label per hop (the label of the underlying edge)
    forward: list[bool]  # True: the edge points along the path
    keys: list[str] = field(default_factory=list)  # relation per hop: property IRI or keyword (subClassOf, ...)
    cost: float = 0.0
    entailed: list[bool] = field(default_factory=list)  # per hop: the edge was entailed by the reasoner, not asserted
    because: list[list[str]] = field(default_factory=list)  # per hop: the axioms that justify an entailed edge

    @property
    def any_entailed(self) -> bool:
        return any(self.entailed)

    @property
    def hops(self) -> int:
        return len(self.nodes) - 1

    def _hop(self, onto: OntologyGraph, i: int) -> tuple[str, bool]:
        """(label, rendered forward?) of hop i, using the inverse property's label when walking back."""
        rel, fwd = self.rels[i], self.forward[i]
        mark = " (entailed)" if i < len(self.entailed) and self.entailed[i] else ""
        if not fwd and i < len(self.keys):
            inv = onto.inverse_label(self.keys[i])
            if inv:
                return inv + mark, True
        return rel + mark, fwd

    def render(self, onto: OntologyGraph) -> str:
        parts = [onto.label(self.nodes[0])]
        for i, node in enumerate(self.nodes[1:]):
            rel, fwd = self._hop(onto, i)
            parts.append(f"-{rel}->" if fwd else f"<-{rel}-")
            parts.append(onto.label(node))
        return " ".join(parts)

    def as_list(self, onto: OntologyGraph) -> list[str]:
        out = [onto.label(self.nodes[0])]
        for i, node in enumerate(self.nodes[1:]):
            rel, fwd = self._hop(onto, i)
            out += [rel if fwd else f"inverse of {rel}", onto.label(node)]
        return out

    def triples(self) -> list[tuple[str, str, str]]:
        """The ontology statements the path rests on, (subject, relation, object) as stored."""
        out = []
        for i, (a, b) in enumerate(zip(self.nodes, self.nodes[1:])):
            key = self.keys[i] if i < len(self.keys) else self.rels[i]
            out.append((a, key, b) if self.forward[i] else (b, key, a))
        return out

    @property
    def id(self) -> str:
        """A stable citation id for this path (same statements -> same id)."""
        h = hashlib.sha256("\n".join(" ".join(t) for t in self.triples()).encode())
        return "kg:" + h.hexdigest()[:12]

    def as_dict(self, onto: OntologyGraph) -> dict:
        """JSON form (`ontology paths --json`, the answer's evidence): text, steps, triples, entailed hops."""
        return {"id": self.id, "text": self.render(onto), "hops": self.hops, "steps": self.as_list(onto),
                "triples": self.triples(), "entailed": list(self.entailed) or [False] * self.hops,
                "because": [list(b) for b in self.because] if self.any_entailed else []}


def _view(onto: OntologyGraph) -> nx.Graph:
    """Undirected simple view; per node pair the cheapest typed edge; cached on the ontology."""
    cached = getattr(onto, "_path_view", None)
    if cached is not None:
        return cached
    with _LOCK:
        cached = getattr(onto, "_path_view", None)
        if cached is not None:
            return cached
        g = nx.Graph()
        for s, o, k, data in onto.nx.edges(keys=True, data=True):
            if k in _SKIP or s == o:
                continue
            cost = _edge_cost(k, data)
            ent = bool(data.get("entailed"))
            prev = g.get_edge_data(s, o)
            if prev is None or cost < prev["cost"] or (cost == prev["cost"] and (ent, k, s) < (prev["entailed"], prev["key"], prev["src"])):
                g.add_edge(s, o, rel=data["label"], key=k, src=s, cost=cost, entailed=ent, because=list(data.get("because") or []))
        hubs = set()
        for n in g.nodes:
            c = onto.concepts.get(n)
            if g.degree(n) > _HUB_DEGREE or (c is not None and c.abstract):
                hubs.add(n)
        gen = _generality(onto, g)
        for a, b, d in g.edges(data=True):
            d["w"] = d["cost"] + 0.5 * ((a in hubs) + (b in hubs)) + _GENERALITY_COST * (gen.get(a, 0.0) + gen.get(b, 0.0))
        g.graph["hubs"] = hubs
        g.graph["generality"] = gen
        g.graph["parts"] = part_properties(onto)
        onto._path_view = g  # type: ignore[attr-defined]
        return g


def _generality(onto: OntologyGraph, g: nx.Graph) -> dict[str, float]:
    """0 for a leaf .. 1 for the root: log(subtree size) / log(concepts), subtree over the taxonomy
    (children through subClassOf / broader / type, counted as a tree: multiple parents count twice)."""
    nodes = list(g.nodes)
    n = max(len(nodes), 2)
    size: dict[str, int] = {}
    for root in nodes:
        if root in size:
            continue
        stack: list[tuple[str, bool]] = [(root, False)]
        onstack: set[str] = set()
        while stack:
            u, done = stack.pop()
            if done:
                onstack.discard(u)
                size[u] = 1 + sum(size.get(c, 0) for c in onto.children(u) if c not in onstack and c != u)
                continue
            if u in size or u in onstack:
                continue
            onstack.add(u)
            stack.append((u, True))
            for c in onto.children(u):
                if c not in size and c not in onstack:
                    stack.append((c, False))
    import math

    return {u: min(1.0, math.log(s) / math.log(n)) for u, s in size.items() if s > 1}


def _up(e: dict, a: str, parts: tuple[set, set]) -> bool:
    """The hop a -> b along edge e goes up the taxonomy (is a) or the mereology (part of)."""
    fwd = e["src"] == a
    return (e["key"] in HIERARCHY and fwd) or (e["key"] in parts[0] and fwd) or (e["key"] in parts[1] and not fwd)


def _down(e: dict, b: str, parts: tuple[set, set]) -> bool:
    """The hop into b along edge e goes down (to a subclass / a part)."""
    fwd = e["src"] != b  # the edge points to b
    return (e["key"] in HIERARCHY and not fwd) or (e["key"] in parts[0] and not fwd) or (e["key"] in parts[1] and fwd)


def part_properties(onto: OntologyGraph) -> tuple[set[str], set[str]]:
    """(part-of property IRIs, has-part property IRIs), by local name, label and declared inverses."""
    from grounding.ontology.graph import local_name

    part, has = set(), set()
    for iri, lab in onto.properties.items():
        ln = local_name(iri).lower()
        if ln in _PART_OF_NAMES or lab.lower() in ("part of", "is part of"):
            part.add(iri)
        elif ln in _HAS_PART_NAMES or lab.lower() == "has part":
            has.add(iri)
    for p in list(part):
        if p in onto.inverses:
            has.add(onto.inverses[p])
    for p in list(has):
        if p in onto.inverses:
            part.add(onto.inverses[p])
    return part, has


def _bfs(g: nx.Graph, starts: list[str], limit: int, blocked: set[str] | frozenset = frozenset()) -> dict[str, int]:
    dist = {s: 0 for s in starts}
    q = deque(starts)
    while q:
        u = q.popleft()
        if dist[u] >= limit:
            continue
        for v in g.adj[u]:
            if v not in dist and v not in blocked:
                dist[v] = dist[u] + 1
                q.append(v)
    return dist


def kg_paths(onto: OntologyGraph, sources: list[str], targets: list[str], max_hops: int = 3, k: int = 3,
             via: list[str] | None = None) -> list[KGPath]:
    """The k cheapest (shortest weighted) typed paths of at most `max_hops` hops from any source to any target.

    An abstract or hub concept is an intermediate node only when it is in `via` (default: the
    sources, i.e. the concepts the question names); as a source or target it is always allowed.
    Likewise a sibling step (up the taxonomy to P and straight down) only through a P in `via`."""
    if k <= 0 or max_hops <= 0:
        return []
    g = _view(onto)
    src = [s for s in dict.fromkeys(sources) if s in g]
    tgt = [t for t in dict.fromkeys(targets) if t in g]
    tset = set(tgt)
    sset = set(src)
    if not src or not tgt or (len(sset) == 1 and sset == tset):
        return []
    allowed = set(src if via is None else via)
    parts = g.graph["parts"]
    blocked = set(g.graph.get("hubs", ())) - allowed - tset
    dt = _bfs(g, tgt, max_hops, blocked)
    if not any(s in dt for s in src):
        return []
    # Enumerate simple paths of at most max_hops hops from the sources, pruned by the distance
    # to the nearest target (a node is entered only if a target is still reachable in time).
    adj = g.adj
    found: list[KGPath] = []
    budget = [_MAX_EXPANSIONS]

    def walk(path: list[str], cost: float) -> None:
        u = path[-1]
        hops = len(path) - 1
        if hops and u in tset:
            rels, fwd, keys, ent, why = [], [], [], [], []
            for a, b in zip(path, path[1:]):
                e = adj[a][b]
                rels.append(e["rel"])
                fwd.append(e["src"] == a)
                keys.append(e["key"])
                ent.append(e["entailed"])
                why.append(e["because"])
            found.append(KGPath(list(path), rels, fwd, keys, round(cost, 4), ent, why))
            return  # a path continuing past a target is dominated by this one
        if hops >= max_hops:
            return
        left = max_hops - hops - 1
        for v, e in adj[u].items():
            if budget[0] <= 0:
                return
            if dt.get(v, max_hops + 1) > left or v in path or (v in sset and v not in tset) or v in blocked:
                continue
            budget[0] -= 1
            if hops and u not in allowed and _down(e, v, parts) and _up(adj[path[-2]][u], path[-2], parts):
                continue  # up to u and straight down again: siblings (kinds of u, or parts of u)
            path.append(v)
            walk(path, cost + e["w"])
            path.pop()

    for s in src:
        walk([s], 0.0)
    if not found:
        return []
    found.sort(key=lambda p: (p.cost, p.hops))
    seen: set[str] = set()
    uniq: list[KGPath] = []
    for p in found:
        r = p.render(onto)
        if r not in seen:
            seen.add(r)
            uniq.append(p)
        if len(uniq) >= 4 * k + 8:
            break
    found = uniq
    found.sort(key=lambda p: (p.cost, p.hops, p.render(onto)))
    return found[:k]
