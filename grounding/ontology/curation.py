"""Curation tools for domain experts: statistics, validation and diffs of ontology files.

* `ontology_stats(graph)`: triples, classes, object/datatype/annotation properties, individuals,
  labels (per language), synonyms, definitions, axioms, mappings.
* `validate_files(files, ...)`: syntax errors with file and line (every file is checked, not
  only the first bad one), the SHACL shapes in `shapes.py` (pyshacl), and the label-uniqueness
  convention checked with the linker's own normalization; each issue names file and line.
* `diff_ontologies(old, new)`: classes, properties and individuals added/removed, changed labels,
  synonyms, definitions, parents and deprecation, relations (typed edges) added/removed, and
  likely renames (a removed and an added concept with the same English label).

Length (~410 lines): statistics, validation and diff share the graph walks and the file/line bookkeeping;
splitting them would mean three modules importing each other's helpers.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from grounding.ontology.graph import HIERARCHY, OntologyGraph, _builtin, local_name
from grounding.ontology.loader import ImportResolver, OntologyError, parse_file

GV = "https://w3id.org/grounding/validation#"


# --- statistics ---------------------------------------------------------------------------------
def ontology_stats(g: Graph) -> dict:
    """Counts over one rdflib graph (named terms only; W3C vocabularies excluded)."""

    def named(nodes) -> set:
        return {n for n in nodes if isinstance(n, URIRef) and not _builtin(str(n))}

    classes = named(g.subjects(RDF.type, OWL.Class)) | named(g.subjects(RDF.type, RDFS.Class))
    referenced = set()
    for s, o in g.subject_objects(RDFS.subClassOf):
        referenced |= named([s, o])
    obj = named(g.subjects(RDF.type, OWL.ObjectProperty))
    dat = named(g.subjects(RDF.type, OWL.DatatypeProperty))
    ann = named(g.subjects(RDF.type, OWL.AnnotationProperty))
    other = named(g.subjects(RDF.type, RDF.Property)) - obj - dat - ann
    props = obj | dat | ann | other
    classes -= props
    referenced -= props | classes
    skos = named(g.subjects(RDF.type, SKOS.Concept)) - classes
    individuals = named(g.subjects(RDF.type, OWL.NamedIndividual))
    for s, c in g.subject_objects(RDF.type):
        if c in classes and isinstance(s, URIRef) and s not in classes and s not in props:
            individuals.add(s)
    terms = classes | props | skos | individuals

    def literals(pred, subjects) -> Counter:
        c: Counter = Counter()
        for s, o in g.subject_objects(pred):
            if s in subjects and isinstance(o, Literal):
                c[o.language or ""] += 1
        return c

    labels = literals(RDFS.label, terms) + literals(SKOS.prefLabel, terms)
    alt = literals(SKOS.altLabel, terms)
    hidden = literals(SKOS.hiddenLabel, terms)
    definitions = sum(1 for s in terms if (s, SKOS.definition, None) in g or (s, RDFS.comment, None) in g)
    unlabelled = sum(1 for c in classes if (c, RDFS.label, None) not in g and (c, SKOS.prefLabel, None) not in g)
    restrictions = sum(1 for _ in g.subjects(RDF.type, OWL.Restriction))
    subclass = sum(1 for s, o in g.subject_objects(RDFS.subClassOf) if isinstance(s, URIRef) and isinstance(o, URIRef))
    mappings = {local_name(str(p)): sum(1 for _ in g.triples((None, p, None)))
                for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)}
    disjoint = sum(1 for _ in g.triples((None, OWL.disjointWith, None))) + sum(1 for _ in g.subjects(RDF.type, OWL.AllDisjointClasses))
    ns: Counter = Counter()
    for t in terms:
        iri = str(t)
        ns[iri[: max(iri.rfind("#"), iri.rfind("/")) + 1]] += 1
    return {
        "triples": len(g),
        "classes": len(classes),
        "undeclared_classes": len(referenced),  # used in rdfs:subClassOf, declared elsewhere (or nowhere)
        "object_properties": len(obj),
        "datatype_properties": len(dat),
        "annotation_properties": len(ann),
        "other_properties": len(other),
        "individuals": len(individuals),
        "skos_concepts": len(skos),
        "labels": sum(labels.values()),
        "labels_by_lang": dict(sorted(labels.items())),
        "alt_labels": sum(alt.values()),
        "alt_labels_by_lang": dict(sorted(alt.items())),
        "hidden_labels": sum(hidden.values()),
        "definitions": definitions,
        "unlabelled_classes": unlabelled,
        "subclass_axioms": subclass,
        "restrictions": restrictions,
        "disjointness_axioms": disjoint,
        "equivalences": sum(1 for _ in g.triples((None, OWL.equivalentClass, None))),
        "mappings": mappings,
        "deprecated": sum(1 for _ in g.subjects(OWL.deprecated, Literal(True))),
        "imports": sorted(str(o) for o in g.objects(None, OWL.imports)),
        "ontologies": sorted(str(s) for s in g.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)),
        "namespaces": dict(ns.most_common(5)),
    }


# --- validation ---------------------------------------------------------------------------------
@dataclass
class Issue:
    severity: str  # error | warning | info
    rule: str
    message: str
    file: str = ""
    line: int | None = None
    focus: str = ""
    value: str = ""

    def where(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        w = self.where()
        return f"{w + ': ' if w else ''}{self.severity}: [{self.rule}] {self.message}"


@dataclass
class ValidationReport:
    files: list[str]
    issues: list[Issue] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    checked: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "files": self.files, "ok": self.ok, "errors": len(self.errors), "warnings": len(self.warnings),
            "triples": self.triples, "seconds": self.seconds, "checked": self.checked,
            "issues": [asdict(i) for i in self.issues],
        }


class _Locator:
    """file:line of the block that describes a subject (Turtle/N-Triples/RDF-XML text search)."""

    def __init__(self, paths: list[Path]) -> None:
        self.index: dict[str, tuple[str, int]] = {}
        for p in paths:
            try:
                text = p.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            prefixes = {m.group(1): m.group(2) for m in re.finditer(r"(?im)^\s*@?prefix\s+([\w.-]*):\s*<([^>]*)>", text)}
            for n, line in enumerate(text.splitlines(), start=1):
                m = re.match(r"<([^>\s]+)>|([A-Za-z_][\w.-]*)?:([\w.-]*)\b", line)
                iri = None
                if m and m.group(1):
                    iri = m.group(1)
                elif m and line[:1] not in (" ", "\t", "@") and (m.group(2) or "") in prefixes:
                    iri = prefixes[m.group(2) or ""] + m.group(3)
                else:
                    about = re.search(r'rdf:(?:about|ID)="([^"]+)"', line)
                    iri = about.group(1) if about else None
                if iri and iri not in self.index:
                    self.index[iri] = (str(p), n)

    def find(self, iri: str) -> tuple[str, int | None]:
        hit = self.index.get(iri)
        return hit if hit else ("", None)


def _severity(node) -> str:
    s = str(node or "")
    return "error" if s.endswith("Violation") else "warning" if s.endswith("Warning") else "info"


def validate_files(
    files: list[str | Path],
    import_dirs: list[str | Path] | None = None,
    base_namespace: str = "https://w3id.org/grounding/onto#",
    max_file_bytes: int = 200_000_000,
    background: OntologyGraph | None = None,
    shacl: bool = True,
) -> ValidationReport:
    """Validate files together (one ontology). `background` (e.g. the third-party vocabularies in
    the import folders) resolves references without being validated itself."""
    t0 = time.perf_counter()
    paths = [Path(f) for f in files]
    rep = ValidationReport([str(p) for p in paths])
    parsed = []
    for p in paths:
        try:
            parsed.append(parse_file(p, max_file_bytes, [Path(d) for d in import_dirs or []]))
        except OntologyError as exc:
            rep.issues.append(Issue("error", "syntax", str(exc).split(": ", 1)[-1] if exc.line else str(exc),
                                    exc.path or str(p), exc.line))
    rep.checked.append("syntax")
    if rep.errors:
        rep.issues.append(Issue("info", "skipped", "semantic checks skipped until every file parses"))
        rep.seconds = round(time.perf_counter() - t0, 3)
        return rep
    g = Graph()
    own: set = set()
    for pf in parsed:
        g += pf.graph
        own |= {s for s in pf.graph.subjects() if isinstance(s, URIRef)}
    resolver = ImportResolver([Path(d) for d in import_dirs or []])
    seen = {pf.path.resolve() for pf in parsed}
    todo = [i for pf in parsed for i in pf.imports]
    while todo:
        iri = todo.pop()
        target = resolver.resolve(iri)
        if target is None:
            rep.issues.append(Issue("warning", "import", f"owl:imports <{iri}> not found in the import folders (never fetched)"))
            continue
        if target.resolve() in seen:
            continue
        seen.add(target.resolve())
        try:
            imp = parse_file(target, max_file_bytes)
        except OntologyError as exc:
            rep.issues.append(Issue("error", "import", str(exc), str(target), exc.line))
            continue
        g += imp.graph
        todo += imp.imports
    rep.triples = len(g)
    locator = _Locator(paths)

    def located(severity, rule, message, focus="", value="") -> Issue:
        f, line = locator.find(focus) if focus else ("", None)
        return Issue(severity, rule, message, f, line, focus, value)

    if shacl:
        rep.issues += _shacl_issues(g, own, base_namespace, background, located)
        rep.checked.append("shacl")
    onto = OntologyGraph(g)
    rep.issues += _label_issues(onto, own, located)
    rep.checked.append("unique-labels")
    order = {"error": 0, "warning": 1, "info": 2}
    rep.issues.sort(key=lambda i: (order.get(i.severity, 3), i.rule, i.file, i.line or 0, i.focus))
    rep.seconds = round(time.perf_counter() - t0, 3)
    return rep


def _shacl_issues(g: Graph, own: set, base_namespace: str, background: OntologyGraph | None, located) -> list[Issue]:
    import pyshacl

    from grounding.ontology.shapes import shapes_ttl

    sg = Graph().parse(data=shapes_ttl(base_namespace), format="turtle")
    _conforms, rg, _text = pyshacl.validate(g, shacl_graph=sg, inference="none", allow_warnings=True, advanced=True)
    out = []
    known = set(background.concepts) | set(background.properties) if background is not None else set()
    resolved = 0
    seen = set()
    for report in rg.subjects(RDF.type, SH.ValidationReport):
        for r in rg.objects(report, SH.result):
            focus = rg.value(r, SH.focusNode)
            value = rg.value(r, SH.value)
            source = rg.value(r, SH.sourceShape)
            rule_node = sg.value(rg.value(r, SH.sourceConstraint), URIRef(GV + "rule")) if rg.value(r, SH.sourceConstraint) is not None else None
            rule_node = rule_node or sg.value(source, URIRef(GV + "rule"))
            rule = str(rule_node) if rule_node else (local_name(str(source)) if not isinstance(source, BNode) else "shacl")
            msg = str(rg.value(r, SH.resultMessage) or "")
            sev = _severity(rg.value(r, SH.resultSeverity))
            if str(focus) == GV + "Graph":
                focus = value
            if isinstance(focus, URIRef) and focus not in own:
                continue  # about a term of an imported file: not this file's problem
            if rule == "no-dangling-reference" and value is not None and str(value) in known:
                resolved += 1
                continue
            path = rg.value(r, SH.resultPath)
            via = f" via {local_name(str(path))}" if isinstance(path, URIRef) else ""
            if rule == "no-dangling-reference" and value is not None:
                msg = f"dangling reference{via}: <{value}> is used but never declared"
            elif value is not None and value != focus and rule not in ("no-subclass-cycle",):
                msg += f" ({value})"
            key = (rule, str(focus), str(value), msg)
            if key in seen:
                continue
            seen.add(key)
            out.append(located(sev, rule, f"<{focus}>: {msg}", str(focus), str(value or "")))
    if resolved:
        out.append(Issue("info", "no-dangling-reference", f"{resolved} reference(s) resolved against the vocabularies in the import folders"))
    return out


def _label_issues(onto: OntologyGraph, own: set, located) -> list[Issue]:
    """No label shared by two concepts: same language, case-insensitively, and after the linker's
    normalization (plural, hyphen, abbreviation rules), which is what makes links ambiguous."""
    from grounding.ontology.linker import Linker

    out = []
    by_text: dict[tuple[str, str], set[str]] = defaultdict(set)
    for iri, c in onto.concepts.items():
        if c.deprecated:
            continue
        for text, lang, _alt in c.all_labels():
            by_text[(text.strip().casefold(), lang)].add(iri)
    reported: set[frozenset] = set()
    for (text, lang), iris in sorted(by_text.items()):
        if len(iris) > 1 and any(URIRef(i) in own for i in iris):
            names = ", ".join(f"<{i}>" for i in sorted(iris))
            first = sorted(i for i in iris if URIRef(i) in own)[0]
            out.append(located("error", "unique-label", f"label {text!r}@{lang or '-'} is shared by {names}", first))
            reported.add(frozenset(iris))
    linker = Linker(onto, link_abstract=True)
    for shown, iris in sorted(linker.ambiguous.items()):
        if frozenset(iris) in reported or not any(URIRef(i) in own for i in iris):
            continue
        names = ", ".join(f"<{i}>" for i in sorted(iris))
        first = sorted(i for i in iris if URIRef(i) in own)[0]
        out.append(located("error", "unique-label", f"label {shown!r} links ambiguously (same key after case/plural/hyphen normalization): {names}", first))
    return out


# --- diff ---------------------------------------------------------------------------------------
def diff_ontologies(old: OntologyGraph, new: OntologyGraph) -> dict:
    """What changed between two versions of an ontology (by IRI)."""

    def kinds(o: OntologyGraph, kind: set[str]) -> set[str]:
        return {i for i, c in o.concepts.items() if c.kind in kind}

    def rels(o: OntologyGraph) -> set[tuple[str, str, str]]:  # asserted; entailed ones are compared below
        return {(s, k, t) for s, t, k, d in o.nx.edges(keys=True, data=True) if not d.get("entailed")}

    def told_parents(o: OntologyGraph, iri: str) -> set[str]:
        return {t for _, t, k, d in o.nx.out_edges(iri, keys=True, data=True) if k in HIERARCHY and not d.get("entailed")} if iri in o.nx else set()

    out: dict = {}
    for name, kind in (("classes", {"class", "skos"}), ("individuals", {"individual"})):
        a, b = kinds(old, kind), kinds(new, kind)
        out[f"{name}_added"] = [{"iri": i, "label": new.label(i)} for i in sorted(b - a)]
        out[f"{name}_removed"] = [{"iri": i, "label": old.label(i)} for i in sorted(a - b)]
    pa, pb = set(old.properties), set(new.properties)
    out["properties_added"] = [{"iri": i, "label": new.property_label(i)} for i in sorted(pb - pa)]
    out["properties_removed"] = [{"iri": i, "label": old.property_label(i)} for i in sorted(pa - pb)]
    changed = []
    for iri in sorted(set(old.concepts) & set(new.concepts)):
        c1, c2 = old.concepts[iri], new.concepts[iri]
        ch: dict = {}
        for attr, name in (("labels", "labels"), ("alt_labels", "alt_labels"), ("hidden_labels", "hidden_labels")):
            f1 = {(t, lang) for lang, ts in getattr(c1, attr).items() for t in ts}
            f2 = {(t, lang) for lang, ts in getattr(c2, attr).items() for t in ts}
            if f1 != f2:
                ch[name] = {"added": [f"{t}@{lang}" if lang else t for t, lang in sorted(f2 - f1)],
                            "removed": [f"{t}@{lang}" if lang else t for t, lang in sorted(f1 - f2)]}
        if c1.definition != c2.definition:
            ch["definition"] = {"old": c1.definition, "new": c2.definition}
        p1, p2 = told_parents(old, iri), told_parents(new, iri)
        if p1 != p2:
            ch["parents"] = {"added": sorted(p2 - p1), "removed": sorted(p1 - p2)}
        if c1.deprecated != c2.deprecated:
            ch["deprecated"] = c2.deprecated
        if ch:
            changed.append({"iri": iri, "label": new.label(iri), **ch})
    out["changed"] = changed
    r1, r2 = rels(old), rels(new)

    def show(o, t):
        s, k, x = t
        lab = "is a" if k in HIERARCHY else o.property_label(k) if k.startswith("http") else k
        return {"subject": s, "relation": k, "object": x, "text": f"{o.label(s)} -{lab}-> {o.label(x)}"}

    out["relations_added"] = [show(new, t) for t in sorted(r2 - r1)]
    out["relations_removed"] = [show(old, t) for t in sorted(r1 - r2)]
    out["entailments_gained"], out["entailments_lost"] = _entailment_diff(old, new, show)
    u1, u2 = set(getattr(old, "unsatisfiable", []) or []), set(getattr(new, "unsatisfiable", []) or [])
    out["unsatisfiable_gained"] = [{"iri": i, "label": new.label(i)} for i in sorted(u2 - u1)]
    out["unsatisfiable_lost"] = [{"iri": i, "label": old.label(i)} for i in sorted(u1 - u2)]
    removed_by_label = {old.label(i["iri"]).casefold(): i["iri"] for i in out["classes_removed"]}
    out["possible_renames"] = [
        {"old": removed_by_label[new.label(i["iri"]).casefold()], "new": i["iri"], "label": new.label(i["iri"])}
        for i in out["classes_added"] if new.label(i["iri"]).casefold() in removed_by_label
    ]
    out["summary"] = {k: len(v) for k, v in out.items() if isinstance(v, list)}
    return out


def _entailment_diff(old: OntologyGraph, new: OntologyGraph, show) -> tuple[list[dict], list[dict]]:
    """Entailed edges of one version that do not hold (asserted or entailed, through the hierarchy for
    is-a) in the other: what a change to the axioms made the reasoner conclude, or stop concluding."""

    def entailed(o: OntologyGraph) -> set[tuple[str, str, str]]:
        return {(s, k, t) for s, t, k, d in o.nx.edges(keys=True, data=True) if d.get("entailed")}

    def holds(o: OntologyGraph, t: tuple[str, str, str]) -> bool:
        s, k, x = t
        if k in HIERARCHY or k == "equivalentClass":
            return x in o.ancestors(s) or o.nx.has_edge(s, x, key=k) or o.nx.has_edge(x, s, key=k)
        inv = o.inverses.get(k)
        return o.nx.has_edge(s, x, key=k) or bool(inv and o.nx.has_edge(x, s, key=inv))

    gained = [show(new, t) for t in sorted(entailed(new)) if not holds(old, t)]
    lost = [show(old, t) for t in sorted(entailed(old)) if not holds(new, t)]
    return gained, lost
