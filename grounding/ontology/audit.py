"""Embedding-ontology alignment audit: does the embedder's notion of "close" match the ontology's?

For every pair of concepts (classes and SKOS concepts with an English label, not deprecated),
compare the cosine similarity of their label embeddings with their taxonomic distance (hops
through is-a / broader links, with a virtual root above all top classes). Reported:

* the Spearman (and Pearson) correlation between similarity and distance: strongly negative
  means the embedder and the ontology agree on what is close;
* the mean similarity per distance (the curve should fall with distance);
* misaligned pairs: pairs the embedder puts close that the ontology separates: declared
  disjoint, siblings (same parent, different concepts: "main transformer" vs "auxiliary
  transformer"), or in distant branches. These are the confusions that retrieval by embedding
  makes and that the KG re-ranking and answer checks must catch.
Pairs where one concept is an ancestor of the other, or that are declared equivalent, are never
misaligned.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from grounding.ontology.graph import HIERARCHY, OntologyGraph, split_camel

ROOT = "__root__"


@dataclass
class AuditPair:
    a: str
    b: str
    label_a: str
    label_b: str
    similarity: float
    distance: int
    relation: str  # disjoint | sibling | distant

    def as_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class AuditResult:
    concepts: int
    pairs: int
    spearman: float
    pearson: float
    by_distance: list[dict] = field(default_factory=list)
    misaligned: list[AuditPair] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # misaligned pairs above the threshold, per relation
    threshold: float = 0.0
    far: int = 0

    def as_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k != "misaligned"}
        d["misaligned"] = [p.as_dict() for p in self.misaligned]
        return d


def _taxonomy(onto: OntologyGraph, nodes: list[str]) -> dict[str, set[str]]:
    """Undirected is-a adjacency over all concepts, with a virtual root above the top classes."""
    adj: dict[str, set[str]] = {n: set() for n in onto.concepts}
    adj[ROOT] = set()
    for s, o, k in onto.nx.edges(keys=True):
        if k in HIERARCHY and s in adj and o in adj:
            adj[s].add(o)
            adj[o].add(s)
    for n in onto.concepts:
        if not onto.parents(n) or not any(p in onto.concepts for p in onto.parents(n)):
            adj[n].add(ROOT)
            adj[ROOT].add(n)
    return adj


def _distances(adj: dict[str, set[str]], src: str, limit: int = 64) -> dict[str, int]:
    dist = {src: 0}
    q = deque([src])
    while q:
        u = q.popleft()
        if dist[u] >= limit:
            continue
        for v in adj[u]:
            if v not in dist:
                dist[v] = dist[u] + 1
                q.append(v)
    return dist


def audit(
    onto: OntologyGraph,
    embedder,
    top: int = 20,
    threshold: float = 0.6,
    far: int = 6,
    namespace: str | None = None,
    max_concepts: int = 3000,
    with_definition: bool = False,
) -> AuditResult:
    from scipy.stats import pearsonr, spearmanr

    nodes = sorted(
        i for i, c in onto.concepts.items()
        if c.kind in ("class", "skos") and not c.deprecated and (namespace is None or i.startswith(namespace))
        and (c.labels.get("en") or c.labels.get(""))
    )
    if len(nodes) > max_concepts:
        rng = np.random.default_rng(0)
        nodes = sorted(rng.choice(nodes, max_concepts, replace=False).tolist())
    if len(nodes) < 3:
        raise ValueError(f"audit needs at least 3 labelled concepts, found {len(nodes)}")
    texts = []
    for n in nodes:
        c = onto.concepts[n]
        t = split_camel(c.label)
        if with_definition and c.definition:
            t = f"{t}: {c.definition}"
        texts.append(t)
    vecs = np.asarray(embedder.embed_passages(texts), dtype=np.float32)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
    sims = vecs @ vecs.T
    adj = _taxonomy(onto, nodes)
    idx = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    dist = np.full((n, n), -1, dtype=np.int32)
    for i, a in enumerate(nodes):
        for b, d in _distances(adj, a).items():
            j = idx.get(b)
            if j is not None:
                dist[i, j] = d
    unreachable = dist < 0
    dist[unreachable] = dist.max() + 1
    iu = np.triu_indices(n, k=1)
    s_flat, d_flat = sims[iu], dist[iu].astype(np.float64)
    rho = float(spearmanr(s_flat, d_flat).statistic) if d_flat.std() > 0 else 0.0
    r = float(pearsonr(s_flat, d_flat).statistic) if d_flat.std() > 0 else 0.0
    by_distance = []
    for d in sorted(set(d_flat.astype(int).tolist())):
        m = d_flat == d
        by_distance.append({"distance": int(d), "pairs": int(m.sum()), "mean_similarity": round(float(s_flat[m].mean()), 4)})
    ancestors = {a: onto.ancestors(a) for a in nodes}
    parents = {a: onto.parents(a) for a in nodes}
    equivalent = {(s, o) for s, o, k in onto.nx.edges(keys=True) if k in ("equivalentClass", "exactMatch")}
    order = np.argsort(-s_flat)
    found: list[AuditPair] = []
    counts = {"disjoint": 0, "sibling": 0, "distant": 0}
    for k in order:
        sim = float(s_flat[k])
        if sim < threshold and len(found) >= top:
            break
        i, j = int(iu[0][k]), int(iu[1][k])
        a, b = nodes[i], nodes[j]
        if b in ancestors[a] or a in ancestors[b] or (a, b) in equivalent or (b, a) in equivalent:
            continue
        d = int(dist[i, j])
        if onto.disjoint(a, b):
            rel = "disjoint"
        elif parents[a] & parents[b]:
            rel = "sibling"
        elif d >= far:
            rel = "distant"
        else:
            continue
        if sim >= threshold:
            counts[rel] += 1
        if len(found) < top:
            found.append(AuditPair(a, b, onto.label(a), onto.label(b), round(sim, 4), d, rel))
    return AuditResult(n, len(s_flat), round(rho, 4), round(r, 4), by_distance, found, counts, threshold, far)
