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
_MAX_EXPANSIONS = 200_000  # bound on the path search per query
_LOCK = threading.Lock()


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

    @property
    def hops(self) -> int:
        return len(self.nodes) - 1

    def _hop(self, onto: OntologyGraph, i: int) -> tuple[str, bool]:
        """(label, rendered forward?) of hop i, using the inverse property's label when walking back."""
        rel, fwd = self.rels[i], self.forward[i]
        if not fwd and i < len(self.keys):
            inv = onto.inverse_label(self.keys[i])
            if inv:
                return inv, True
        return rel, fwd

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
            prev = g.get_edge_data(s, o)
            if prev is None or cost < prev["cost"] or (cost == prev["cost"] and (k, s) < (prev["key"], prev["src"])):
                g.add_edge(s, o, rel=data["label"], key=k, src=s, cost=cost)
        hubs = set()
        for n in g.nodes:
            c = onto.concepts.get(n)
            if g.degree(n) > _HUB_DEGREE or (c is not None and c.abstract):
                hubs.add(n)
        for a, b, d in g.edges(data=True):
            d["w"] = d["cost"] + 0.5 * ((a in hubs) + (b in hubs))
        g.graph["hubs"] = hubs
        onto._path_view = g  # type: ignore[attr-defined]
        return g


def _bfs(g: nx.Graph, starts: list[str], limit: int) -> dict[str, int]:
    dist = {s: 0 for s in starts}
    q = deque(starts)
    while q:
        u = q.popleft()
        if dist[u] >= limit:
            continue
        for v in g.adj[u]:
            if v not in dist:
                dist[v] = dist[u] + 1
                q.append(v)
    return dist


def kg_paths(onto: OntologyGraph, sources: list[str], targets: list[str], max_hops: int = 3, k: int = 3) -> list[KGPath]:
    """The k cheapest (shortest weighted) typed paths of at most `max_hops` hops from any source to any target."""
    if k <= 0 or max_hops <= 0:
        return []
    g = _view(onto)
    src = [s for s in dict.fromkeys(sources) if s in g]
    tgt = [t for t in dict.fromkeys(targets) if t in g]
    tset = set(tgt)
    sset = set(src)
    if not src or not tgt or (len(sset) == 1 and sset == tset):
        return []
    dt = _bfs(g, tgt, max_hops)
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
            rels, fwd, keys = [], [], []
            for a, b in zip(path, path[1:]):
                e = adj[a][b]
                rels.append(e["rel"])
                fwd.append(e["src"] == a)
                keys.append(e["key"])
            found.append(KGPath(list(path), rels, fwd, keys, round(cost, 4)))
            return  # a path continuing past a target is dominated by this one
        if hops >= max_hops:
            return
        left = max_hops - hops - 1
        for v, e in adj[u].items():
            if budget[0] <= 0:
                return
            if dt.get(v, max_hops + 1) > left or v in path or (v in sset and v not in tset):
                continue
            budget[0] -= 1
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
