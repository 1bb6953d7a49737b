"""An ontology loaded into rdflib, with a networkx view whose edges are typed and labelled.

`OntologyGraph.load(files, ...)` parses every file (and its owl:imports, resolved from local
folders only) into fresh graphs and merges them only when all parsed: a syntax error raises
`OntologyError` naming file and line and leaves whatever graph the caller holds untouched.
The parsed result is cached in the data dir (keyed by the content hashes of every file read,
the import folders' listing, the loader version and the reasoner), so a second start skips parsing.
With a reasoner (reasoner.py), what it entails is added as edges marked `entailed=True` (with the
justifying axioms in `because`) before the view is cached; `from_config` reasons only when asked
(ingest, `ontology` commands), never for a question.

The networkx view (`.nx`, a MultiDiGraph) has one node per concept (OWL/RDFS class, SKOS
concept or named individual) and typed, labelled edges; the edge key is the relation:

  subClassOf ("is a"), type ("instance of", individual -> class), broader (SKOS),
  <object property IRI> (from existential/universal/value/qualified restrictions, domain ->
  range of object properties, and property assertions between individuals; labelled with the
  property's label), equivalentClass, disjointWith, and the SKOS mapping relations
  (exactMatch, closeMatch, broadMatch, narrowMatch, relatedMatch) and skos:related.

Length (~680 lines): the OntologyGraph class (rdflib graph + its networkx view + their cache) is one
object whose methods share private indexes; a split along its sections (load/cache, hierarchy, edges) is
a known follow-up.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from grounding.ontology.loader import (
    FORMATS,
    LOADER_VERSION,
    ImportResolver,
    OntologyError,
    UnsafeInput,
    parse_file,
    sha256_file,
)

__all__ = ["OntologyGraph", "OntologyError", "UnsafeInput", "Concept", "local_name", "rdf_format", "SKOS_MAPPINGS", "HIERARCHY"]

log = logging.getLogger(__name__)

_FORMATS = FORMATS  # kept for callers of the first version

SKOS_MAPPINGS = {
    SKOS.exactMatch: "exact match",
    SKOS.closeMatch: "close match",
    SKOS.broadMatch: "broad match",
    SKOS.narrowMatch: "narrow match",
    SKOS.relatedMatch: "related match",
}
# Edge keys that form the taxonomy (parents/children/ancestors/descendants).
HIERARCHY = frozenset({"subClassOf", "broader", "type"})
_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD), "http://www.w3.org/2004/02/skos/core#")
_DEFINITION = (SKOS.definition, URIRef("http://purl.obolibrary.org/obo/IAO_0000115"), RDFS.comment, DCTERMS.description)
_SYNONYM = (SKOS.altLabel, URIRef("http://www.geneontology.org/formats/oboInOwl#hasExactSynonym"))
_HIDDEN = (SKOS.hiddenLabel,)
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
CACHE_VERSION = "3"


def rdf_format(path: Path) -> str:
    return FORMATS.get(Path(path).suffix.lower(), "turtle")


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


def split_camel(name: str) -> str:
    """"ACLineSegment" -> "AC Line Segment" (CIM-style labels); other strings unchanged."""
    if " " in name or not re.search(r"[a-z][A-Z]|[A-Z]{2}[a-z]", name):
        return name
    return " ".join(_CAMEL.findall(name))


@dataclass
class Concept:
    iri: str
    label: str
    labels: dict[str, list[str]] = field(default_factory=dict)  # lang -> preferred labels
    alt_labels: dict[str, list[str]] = field(default_factory=dict)  # lang -> synonyms / abbreviations
    definition: str = ""
    kind: str = "class"  # class | skos | individual
    deprecated: bool = False
    abstract: bool = False  # upper-level concept with a generic label (annotated `abstract true`)
    hidden_labels: dict[str, list[str]] = field(default_factory=dict)  # misspellings: linked, never shown

    def all_labels(self) -> list[tuple[str, str, bool]]:
        """(text, lang, is_alt) for every label."""
        out = [(t, lang, False) for lang, ts in self.labels.items() for t in ts]
        out += [(t, lang, True) for lang, ts in self.alt_labels.items() for t in ts]
        out += [(t, lang, True) for lang, ts in self.hidden_labels.items() for t in ts]
        return out


def _builtin(iri: str) -> bool:
    return iri.startswith(_BUILTIN)


class OntologyGraph:
    """The RDF graph plus a typed networkx view; edges carry `rel` (an IRI or keyword) and `label`."""

    def __init__(self, rdf: Graph, sources: list[str] | None = None, *, file_hashes: dict[str, str] | None = None) -> None:
        self._rdf: Graph | None = rdf
        self._rdf_loader = None
        self.sources = [str(s) for s in (sources or [])]
        self.file_hashes: dict[str, str] = dict(file_hashes or {})
        self.imports: dict[str, str] = {}  # imported ontology IRI -> local file
        self.warnings: list[str] = []
        self.ontology_iris: list[str] = []
        self.from_cache = False
        self.load_seconds = 0.0
        self.triples = len(rdf)
        self.concepts: dict[str, Concept] = {}
        self.properties: dict[str, str] = {}  # property IRI -> label
        self.property_kinds: dict[str, str] = {}  # property IRI -> object | datatype | annotation | rdf
        self.inverses: dict[str, str] = {}  # property IRI -> inverse property IRI
        self.nx = nx.MultiDiGraph()
        self._fingerprint: str | None = None
        # what the reasoner entailed (grounding/ontology/reasoner.py): entailed edges carry entailed=True
        self.reasoning: dict = {}
        self.unsatisfiable: list[str] = []
        self._build()

    # --- loading ------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        files: Iterable[str | Path],
        import_dirs: Iterable[str | Path] | None = None,
        max_file_bytes: int = 200_000_000,
        cache_dir: str | Path | None = None,
        max_triples: int = 0,
        missing_imports: str = "warn",
        follow_imports: bool = True,
        reasoner: str = "none",
        reasoner_timeout_s: float = 900.0,
        reasoner_memory_mb: int = 2000,
        cache_only: bool = False,
        reasoner_cache_dir: str | Path | None = None,
    ) -> "OntologyGraph | None":
        """Parse `files` and their owl:imports (local folders only) into one graph, atomically.

        With `reasoner` (hermit | owlrl | none), what the reasoner entails is added to the view as
        edges marked entailed (reasoner.py). With `cache_dir`, the parsed and reasoned view is stored
        there (keyed by file hashes and the reasoner) and reused while no file changed;
        `cache_only` returns None instead of parsing when there is no cache entry. With
        `reasoner_cache_dir`, the reasoner's result is also shared with other data dirs (reasoner.py)."""
        from grounding.ontology.reasoner import resolve_reasoner

        t0 = time.perf_counter()
        engine = resolve_reasoner(reasoner)
        roots = [Path(f) for f in files]
        for p in roots:
            if not p.exists():
                raise OntologyError(f"{p}: file not found", p)
        resolver = ImportResolver([Path(d) for d in (import_dirs or [])])
        cache = _Cache(Path(cache_dir), roots, resolver, max_file_bytes, engine) if cache_dir else None
        if cache is not None:
            hit = cache.get()
            if hit is not None:
                hit.load_seconds = round(time.perf_counter() - t0, 4)
                return hit
        if cache_only:
            return None
        g = Graph()
        sources: list[str] = []
        hashes: dict[str, str] = {}
        imports: dict[str, str] = {}
        warnings: list[str] = []
        onts: list[str] = []
        queue: list[tuple[Path, str]] = [(p, "") for p in roots]
        seen: set[Path] = set()
        while queue:
            path, via = queue.pop(0)
            rp = path.resolve()
            if rp in seen:
                continue
            seen.add(rp)
            # every file goes into the same fresh graph `g`; nobody sees it unless all files parse
            pf = parse_file(path, max_file_bytes, resolver.dirs, into=g)
            sources.append(str(path))
            hashes[str(path)] = pf.sha256
            onts = sorted(set(onts) | set(pf.ontology_iris))
            if max_triples and len(g) > max_triples:
                raise UnsafeInput(f"{path}: more than ontology.max_triples ({max_triples}) triples loaded; refused", path)
            if not follow_imports:
                continue
            for iri in pf.imports:
                if iri in imports or iri in onts:
                    continue
                target = resolver.resolve(iri)
                if target is None:
                    msg = f"{path}: owl:imports <{iri}> not found in ontology.import_dirs (never fetched from the network)"
                    if missing_imports == "error":
                        raise OntologyError(msg, path)
                    warnings.append(msg)
                    continue
                imports[iri] = str(target)
                queue.append((target, iri))
        onto = cls(g, sources, file_hashes=hashes)
        onto.imports = imports
        onto.warnings = warnings
        onto.ontology_iris = sorted(set(onts))
        for w in warnings:
            log.warning(w)
        reasoned = (onto.materialize(reasoner, reasoner_timeout_s, reasoner_memory_mb, reasoner_cache_dir)
                    if engine != "none" else True)
        onto.load_seconds = round(time.perf_counter() - t0, 4)
        if cache is not None and reasoned:  # a failed reasoner run (Java error, time limit) is not cached
            cache.put(onto)
        return onto

    def materialize(self, reasoner: str, timeout_s: float = 900.0, memory_mb: int = 2000,
                    result_cache_dir: str | Path | None = None) -> bool:
        """Run the reasoner on the merged graph and add the entailed edges; False when it failed."""
        from grounding.ontology.reasoner import ReasonerError, apply_entailments, classify_cached

        try:
            res = classify_cached(self.rdf, self.file_hashes, reasoner, timeout_s, memory_mb,
                                  Path(result_cache_dir) if result_cache_dir else None)
        except ReasonerError as exc:
            msg = f"{', '.join(self.sources)}: {exc}; the KG holds the asserted edges only"
            log.warning(msg)
            self.warnings.append(msg)
            self.reasoning = {"reasoner": "failed", "requested": reasoner, "message": str(exc)}
            return False
        apply_entailments(self, res)
        self.reasoning = res.summary()
        if not res.consistent:
            log.warning("%s: %s", ", ".join(self.sources), res.message)
        return True

    @classmethod
    def from_config(cls, cfg, cache: bool | None = None, reason: bool = False) -> "OntologyGraph | None":
        """The configured ontology (None when no file is configured), cached in the data dir.

        `reason=True` (ingest, `ontology` commands) runs `[ontology] reasoner` when the cache has no
        reasoned entry for these files. Otherwise (questions) the reasoned entry is used when cached,
        else the asserted graph, with one warning: a question never waits for a reasoner."""
        oc = cfg.ontology
        files = [cfg.resolve(f) for f in oc.files]
        if not files:
            return None
        use_cache = oc.cache if cache is None else cache
        kw = dict(
            import_dirs=[cfg.resolve(d) for d in oc.import_dirs],
            max_file_bytes=oc.max_file_bytes,
            cache_dir=(cfg.data_dir / "ontology-cache") if use_cache else None,
            max_triples=oc.max_triples,
            missing_imports=oc.missing_imports,
            reasoner_timeout_s=oc.reasoner_timeout_s,
            reasoner_memory_mb=oc.reasoner_memory_mb,
            reasoner_cache_dir=cfg.reasoner_cache_dir,
        )
        if oc.reasoner == "none" or reason:
            return cls.load(files, reasoner=oc.reasoner, **kw)
        if use_cache:
            hit = cls.load(files, reasoner=oc.reasoner, cache_only=True, **kw)
            if hit is not None:
                return hit
        from grounding.ontology.reasoner import _warn_once

        _warn_once(f"ontology entailments ({oc.reasoner}) are not materialized for these files yet: the KG holds the "
                   "asserted edges only; `grounding ingest` or `grounding ontology reason` materializes them once")
        return cls.load(files, reasoner="none", **kw)

    @property
    def rdf(self) -> Graph:
        if self._rdf is None:
            loader, self._rdf_loader = self._rdf_loader, None
            self._rdf = loader() if loader else Graph()
        return self._rdf

    @rdf.setter
    def rdf(self, g: Graph) -> None:
        self._rdf = g

    @property
    def fingerprint(self) -> str:
        """Changes whenever any loaded file's content changes."""
        if self._fingerprint is None:
            h = hashlib.sha256()
            if self.file_hashes:
                for s in sorted(self.file_hashes):
                    h.update(self.file_hashes[s].encode())
            elif self.sources and all(Path(s).exists() for s in self.sources):
                for s in sorted(self.sources):
                    h.update(sha256_file(Path(s)).encode())
            else:
                for line in sorted(f"{s} {p} {o!r}" for s, p, o in self.rdf if not isinstance(s, BNode)):
                    h.update(line.encode())
            self._fingerprint = h.hexdigest()[:16]
        return self._fingerprint

    # --- views --------------------------------------------------------------------
    def _literals(self, node: URIRef, preds) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for pred in preds if isinstance(preds, tuple) else (preds,):
            for o in self.rdf.objects(node, pred):
                if isinstance(o, Literal):
                    t = str(o).strip()
                    if t:
                        lst = out.setdefault((o.language or "").lower(), [])
                        if t not in lst:
                            lst.append(t)
        for lst in out.values():
            lst.sort()
        return out

    def _build(self) -> None:
        g = self.rdf
        props: dict[URIRef, str] = {}
        for kind, key in ((OWL.ObjectProperty, "object"), (OWL.DatatypeProperty, "datatype"), (OWL.AnnotationProperty, "annotation"),
                          (OWL.TransitiveProperty, "object"), (OWL.SymmetricProperty, "object"), (OWL.FunctionalProperty, "rdf"),
                          (OWL.InverseFunctionalProperty, "object"), (RDF.Property, "rdf")):
            for p in g.subjects(RDF.type, kind):
                if isinstance(p, URIRef) and (p not in props or props[p] == "rdf"):
                    props[p] = key
        classes: set[URIRef] = set()
        for meta in (OWL.Class, RDFS.Class, RDFS.Datatype):
            classes |= {s for s in g.subjects(RDF.type, meta) if isinstance(s, URIRef)}
        for pred in (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith):
            for s, o in g.subject_objects(pred):
                if isinstance(s, URIRef):
                    classes.add(s)
                if isinstance(o, URIRef):
                    classes.add(o)
        skos = {s for s in g.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)}
        for pred in (SKOS.broader, SKOS.narrower):
            for s, o in g.subject_objects(pred):
                for n in (s, o):
                    if isinstance(n, URIRef) and n not in classes:
                        skos.add(n)
        classes = {c for c in classes if not _builtin(str(c)) and c not in props}
        skos -= classes
        individuals: dict[URIRef, set[URIRef]] = {}
        for s, c in g.subject_objects(RDF.type):
            if isinstance(s, URIRef) and s not in classes and s not in props and s not in skos:
                if c in classes or c == OWL.NamedIndividual:
                    individuals.setdefault(s, set())
                    if c in classes:
                        individuals[s].add(c)
        for p, key in props.items():
            lab = self._literals(p, (RDFS.label, SKOS.prefLabel))
            self.properties[str(p)] = (lab.get("en") or lab.get("") or [split_camel(local_name(str(p)))])[0]
            self.property_kinds[str(p)] = key
        for a, b in g.subject_objects(OWL.inverseOf):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                self.inverses.setdefault(str(a), str(b))
                self.inverses.setdefault(str(b), str(a))
        abstract_preds = {URIRef(str(ns) + "abstract") for _, ns in g.namespaces()}
        abstract_preds |= {p for p in props if local_name(str(p)) == "abstract"}
        abstract_preds = {p for p in abstract_preds if (None, p, None) in g}
        for kind, nodes in (("class", classes), ("skos", skos), ("individual", set(individuals))):
            for c in sorted(nodes):
                self._add_concept(c, kind, abstract_preds)
        # --- edges -------------------------------------------------------------------------
        for s, o in g.subject_objects(RDFS.subClassOf):
            if isinstance(s, URIRef):
                self._class_axiom(s, o, "sub")
        for s, o in g.subject_objects(OWL.equivalentClass):
            if isinstance(s, URIRef):
                self._class_axiom(s, o, "equiv")
            elif isinstance(o, URIRef) and isinstance(s, BNode):
                self._class_axiom(o, s, "equiv")
        for s, o in g.subject_objects(OWL.disjointWith):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                self._edge(str(s), str(o), "disjointWith", "disjoint with")
        for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
            members = [m for lst in g.objects(node, OWL.members) for m in g.items(lst) if isinstance(m, URIRef)]
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    self._edge(str(a), str(b), "disjointWith", "disjoint with")
        for s, lst in g.subject_objects(OWL.disjointUnionOf):
            members = [m for m in g.items(lst) if isinstance(m, URIRef)]
            for i, a in enumerate(members):
                if isinstance(s, URIRef):
                    self._edge(str(a), str(s), "subClassOf", "is a")
                for b in members[i + 1 :]:
                    self._edge(str(a), str(b), "disjointWith", "disjoint with")
        for pred, lab in SKOS_MAPPINGS.items():
            for s, o in g.subject_objects(pred):
                if isinstance(s, URIRef) and isinstance(o, URIRef):
                    self._edge(str(s), str(o), local_name(str(pred)), lab)
        for s, o in g.subject_objects(SKOS.broader):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                self._edge(str(s), str(o), "broader", "narrower than")
        for s, o in g.subject_objects(SKOS.narrower):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                self._edge(str(o), str(s), "broader", "narrower than")
        for s, o in g.subject_objects(SKOS.related):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                self._edge(str(s), str(o), "related", "related to")
        for ind, types in individuals.items():
            for c in types:
                self._edge(str(ind), str(c), "type", "instance of")
        for p, kind in props.items():
            if kind not in ("object", "rdf"):
                continue
            ps = str(p)
            doms = self._named(g.value(p, RDFS.domain))
            rngs = self._named(g.value(p, RDFS.range))
            for d in doms:
                for r in rngs:
                    if d != r and str(d) in self.concepts and str(r) in self.concepts and self.concepts[str(r)].kind != "individual" and not _builtin(str(r)):
                        if (r, RDF.type, RDFS.Datatype) not in g:
                            self._edge(str(d), str(r), ps, self.property_label(ps), how="domain-range")
            for s, o in g.subject_objects(p):  # assertions between individuals / concepts
                if isinstance(s, URIRef) and isinstance(o, URIRef) and str(s) in self.concepts and str(o) in self.concepts:
                    if self.concepts[str(s)].kind != "class" or self.concepts[str(o)].kind != "class":
                        self._edge(str(s), str(o), ps, self.property_label(ps), how="assertion")

    def _add_concept(self, c: URIRef, kind: str, abstract_preds: set) -> None:
        g = self.rdf
        labels = self._literals(c, RDFS.label)
        for lang, ts in self._literals(c, SKOS.prefLabel).items():
            labels.setdefault(lang, [])
            labels[lang] += [t for t in ts if t not in labels[lang]]
        alts = self._literals(c, _SYNONYM)
        hidden = self._literals(c, _HIDDEN)
        en = labels.get("en") or labels.get("") or [x for k, v in sorted(labels.items()) if k.startswith("en") for x in v]
        label = en[0] if en else split_camel(local_name(str(c)))
        definition = ""
        for pred in _DEFINITION:
            defs = self._literals(c, pred)
            d = defs.get("en") or defs.get("") or next(iter(defs.values()), None)
            if d:
                definition = d[0]
                break
        deprecated = any(str(v).lower() in ("true", "1") for v in g.objects(c, OWL.deprecated))
        abstract = any(str(v).lower() in ("true", "1") for p in abstract_preds for v in g.objects(c, p))
        self.concepts[str(c)] = Concept(str(c), label, labels, alts, definition, kind, deprecated, abstract, hidden)
        self.nx.add_node(str(c), label=label, kind=kind)

    def _named(self, node) -> list[URIRef]:
        """Named classes of a class expression: the IRI itself, or the members of a union."""
        if node is None:
            return []
        if isinstance(node, URIRef):
            return [node]
        out = []
        for pred in (OWL.unionOf, OWL.intersectionOf):
            lst = self.rdf.value(node, pred)
            if lst is not None:
                out += [m for m in self.rdf.items(lst) if isinstance(m, URIRef)]
        return out

    def _class_axiom(self, s: URIRef, o, mode: str, depth: int = 0) -> None:
        """s subClassOf o (mode sub) or s equivalentClass o (mode equiv), o any class expression."""
        g = self.rdf
        if depth > 8:
            return
        if isinstance(o, URIRef):
            if _builtin(str(o)):
                return
            if mode == "sub":
                self._edge(str(s), str(o), "subClassOf", "is a")
            else:
                self._edge(str(s), str(o), "equivalentClass", "equivalent to")
            return
        if not isinstance(o, BNode):
            return
        if (o, RDF.type, OWL.Restriction) in g or g.value(o, OWL.onProperty) is not None:
            prop = g.value(o, OWL.onProperty)
            inverse = False
            if isinstance(prop, BNode):
                prop = g.value(prop, OWL.inverseOf)
                inverse = True
            if not isinstance(prop, URIRef):
                return
            for qp, quant in ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only"), (OWL.hasValue, "value"), (OWL.onClass, "qualified")):
                filler = g.value(o, qp)
                if filler is None:
                    continue
                for f in self._named(filler):
                    if _builtin(str(f)) or (f, RDF.type, RDFS.Datatype) in g:
                        continue
                    a, b = (str(f), str(s)) if inverse else (str(s), str(f))
                    self._edge(a, b, str(prop), self.property_label(str(prop)), how=quant)
            return
        inter = g.value(o, OWL.intersectionOf)
        if inter is not None:
            for m in g.items(inter):
                self._class_axiom(s, m, "sub", depth + 1)
        union = g.value(o, OWL.unionOf)
        if union is not None and mode == "equiv":
            for m in g.items(union):
                if isinstance(m, URIRef):
                    self._edge(str(m), str(s), "subClassOf", "is a")

    def _edge(self, s: str, o: str, rel: str, label: str, how: str = "") -> None:
        if s == o and rel in HIERARCHY:
            return
        for n in (s, o):
            if n not in self.nx:
                self.nx.add_node(n, label=self.label(n), kind=self.concepts[n].kind if n in self.concepts else "external")
        if not self.nx.has_edge(s, o, key=rel):
            self.nx.add_edge(s, o, key=rel, rel=rel, label=label, how=how)

    # --- queries ------------------------------------------------------------------
    def label(self, iri: str, lang: str = "en") -> str:
        c = self.concepts.get(iri)
        if c is None:
            return self.properties.get(iri) or split_camel(local_name(iri))
        if lang not in ("en", ""):
            ts = c.labels.get(lang)
            if ts:
                return ts[0]
        return c.label

    def property_label(self, iri: str) -> str:
        return self.properties.get(iri) or split_camel(local_name(iri))

    def inverse_label(self, rel: str) -> str | None:
        """The label of the inverse property ("has part" for "part of"), when declared."""
        inv = self.inverses.get(rel)
        return self.property_label(inv) if inv else None

    def parents(self, iri: str) -> set[str]:
        return {o for _, o, k in self.nx.out_edges(iri, keys=True) if k in HIERARCHY} if iri in self.nx else set()

    def children(self, iri: str) -> set[str]:
        return {s for s, _, k in self.nx.in_edges(iri, keys=True) if k in HIERARCHY} if iri in self.nx else set()

    def ancestors(self, iri: str) -> set[str]:
        out: set[str] = set()
        todo = [iri]
        while todo:
            for p in self.parents(todo.pop()):
                if p not in out:
                    out.add(p)
                    todo.append(p)
        out.discard(iri)
        return out

    def descendants(self, iri: str) -> set[str]:
        out: set[str] = set()
        todo = [iri]
        while todo:
            for c in self.children(todo.pop()):
                if c not in out:
                    out.add(c)
                    todo.append(c)
        out.discard(iri)
        return out

    def siblings(self, iri: str) -> set[str]:
        sib: set[str] = set()
        for p in self.parents(iri):
            sib |= self.children(p)
        sib.discard(iri)
        return sib

    def disjoint(self, a: str, b: str) -> bool:
        """True when the ontology says a and b (or their ancestors) cannot overlap."""
        left = {a} | self.ancestors(a)
        right = {b} | self.ancestors(b)
        for x in left:
            if x not in self.nx:
                continue
            for _, y, k in self.nx.out_edges(x, keys=True):
                if k == "disjointWith" and y in right:
                    return True
            for y, _, k in self.nx.in_edges(x, keys=True):
                if k == "disjointWith" and y in right:
                    return True
        return False

    def roots(self) -> list[str]:
        """Classes without a parent (the top of each branch)."""
        return sorted(c for c, k in self.concepts.items() if k.kind != "individual" and not self.parents(c))

    # --- pickling (the cache) --------------------------------------------------------
    def __getstate__(self):
        state = dict(self.__dict__)
        state["_rdf"] = None
        state["_rdf_loader"] = None
        state.pop("_path_view", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)


# --- the parse cache ----------------------------------------------------------------------------
class _Cache:
    """data_dir/ontology-cache/<key>.view.pickle (concepts, properties, networkx view) and
    <key>.rdf.pickle (the rdflib graph, read only when a command needs raw triples).

    The key hashes the loader and cache versions and the content of every root file; the entry
    also records every imported file's hash and the import folders' listing, checked on use.
    Entries are written atomically (temp file + rename); a corrupt entry is ignored."""

    keep = 4

    def __init__(self, folder: Path, roots: list[Path], resolver: ImportResolver, max_file_bytes: int, reasoner: str = "none") -> None:
        self.folder = folder
        self.roots = roots
        self.resolver = resolver
        h = hashlib.sha256(f"{LOADER_VERSION}|{CACHE_VERSION}|{max_file_bytes}|{[str(d) for d in resolver.dirs]}|{reasoner}".encode())
        self.root_hashes = {}
        for p in roots:
            digest = sha256_file(p)
            self.root_hashes[str(p)] = digest
            h.update(f"{p.resolve()}|{digest}\n".encode())
        self.key = h.hexdigest()[:24]
        self.view_path = folder / f"{self.key}.view.pickle"
        self.rdf_path = folder / f"{self.key}.rdf.pickle"

    def get(self) -> OntologyGraph | None:
        if not self.view_path.exists():
            return None
        try:
            with open(self.view_path, "rb") as fh:
                entry = pickle.load(fh)
            if entry.get("version") != CACHE_VERSION or entry.get("loader") != LOADER_VERSION:
                return None
            if entry["import_sig"] != (self.resolver.signature() if entry["imports"] else entry["import_sig"]):
                return None
            for path, digest in entry["files"].items():
                if path in self.root_hashes:
                    continue
                if not Path(path).exists() or sha256_file(Path(path)) != digest:
                    return None
            onto: OntologyGraph = entry["onto"]
        except Exception as exc:  # unreadable / incompatible cache entry: parse again
            log.info("ontology cache entry %s ignored: %s", self.view_path, exc)
            return None
        rdf_path, files = self.rdf_path, list(onto.sources)

        def load_rdf() -> Graph:
            try:
                with open(rdf_path, "rb") as fh:
                    return pickle.load(fh)
            except Exception:
                g = Graph()
                for f in files:
                    g += parse_file(Path(f)).graph
                return g

        onto._rdf_loader = load_rdf
        onto.from_cache = True
        return onto

    def put(self, onto: OntologyGraph) -> None:
        from grounding.atomic_write import atomic_write_bytes

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            entry = {
                "version": CACHE_VERSION,
                "loader": LOADER_VERSION,
                "files": dict(onto.file_hashes),
                "imports": dict(onto.imports),
                "import_sig": self.resolver.signature() if onto.imports else "",
                "onto": onto,
            }
            atomic_write_bytes(self.rdf_path, pickle.dumps(onto.rdf, protocol=pickle.HIGHEST_PROTOCOL))
            atomic_write_bytes(self.view_path, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
            entries = sorted(self.folder.glob("*.view.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in entries[self.keep :]:
                for p in (old, old.with_name(old.name.replace(".view.", ".rdf."))):
                    try:
                        os.unlink(p)
                    except OSError:
                        pass
        except OSError as exc:  # a read-only data dir must not stop the system
            log.warning("ontology cache not written to %s: %s", self.folder, exc)
