"""Competency questions as tests: `grounding ontology test DIR`.

Two forms, as ontology projects write them (OEO runs its with ROBOT / HermiT in CI):

* SPARQL (``*.rq``, ``*.sparql``), run over the asserted graph plus the materialized entailments.
  ASK: expected true, or what a ``# expect: false`` comment says. SELECT: the rows of a sibling
  ``NAME.csv`` / ``NAME.tsv`` (header = variable names; compared as a set; IRIs written in full or
  with the query's prefixes), or a comment ``# expect: empty`` (ROBOT-verify style: the query finds
  violations), ``# expect: nonempty``, ``# expect: count N`` / ``count >= N``. A SELECT with no
  expectation is skipped.
* Manchester syntax (``*.omn``, OEO's ``tests/competency_questions`` style): each file is a
  conclusion the ontology must entail. Supported subset: ``Prefix:``, ``Ontology:``, ``Import:``
  (ignored), declarations (``Class:``, ``ObjectProperty:``, ``DataProperty:``,
  ``AnnotationProperty:``, ``Individual:``, ``Datatype:``), class frames with ``SubClassOf:``,
  ``EquivalentTo:`` and ``DisjointWith:``, ``Individual:`` frames with ``Types:`` (of individuals
  the ontology has), ``DisjointClasses:`` / ``EquivalentClasses:``, ``Annotations:`` (ignored);
  class expressions with names (``:OEO_00000420``, ``prefix:name``, ``<iri>``, ``'label'``),
  ``and``, ``or``, ``not``, ``some``, ``only``, ``value`` (an individual), ``min`` / ``max`` /
  ``exactly`` n, ``inverse``, ``{a, b}``, parentheses. A fresh class defined by ``EquivalentTo:``
  names its definition (``Class: C EquivalentTo: X and (p some Y) SubClassOf: owl:Nothing`` asks
  whether ``X and p some Y`` is unsatisfiable). Skipped, each with the reason: data-range
  restrictions and literals, ``Facts:``, property axioms, ``SameAs`` / ``DifferentFrom``,
  ``DisjointUnionOf:``, fresh individuals (a consistency scenario), SWRL ``Rule:``.
  Expected result: entailed, unless a ``# expect: not entailed`` comment says otherwise or an OEO
  ``run_questions.sh`` in the folder lists the file under ``DONT_INFER`` (expected not entailed) or
  ``NON_INFERABLE_BUT_SHOULD`` (skipped). Files in ``deprecated`` or ``implementing`` folders (OEO:
  retired / not yet inferable) are skipped.

All Manchester checks of a folder are answered by one reasoner run: each class expression gets a
probe class defined equivalent to it (a definitorial, conservative extension), the ontology plus
the probes is classified once, and every check is read off the inferred hierarchy
(A SubClassOf E: the probe of E is a superclass of A; unsatisfiable: the probe is owl:Nothing).

Length (~700 lines): the two question forms (SPARQL and the Markdown table) and their report writer;
splitting by form is a known follow-up.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

_PROBE = "urn:grounding:cq:probe:"
_SKIP_DIRS = {"deprecated": "in a 'deprecated' folder (retired question)",
              "implementing": "in an 'implementing' folder (OEO: not inferable yet)"}


@dataclass
class CQResult:
    file: str
    name: str  # the file, relative to the folder
    question: str  # the first comment line, when the file has one
    status: str  # pass | fail | skip
    detail: str = ""
    kind: str = ""  # sparql-ask | sparql-select | omn

    def as_dict(self) -> dict:
        return {"file": self.file, "name": self.name, "question": self.question, "status": self.status,
                "detail": self.detail, "kind": self.kind}


@dataclass
class CQReport:
    results: list[CQResult] = field(default_factory=list)
    reasoner: str = ""
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def ok(self) -> bool:
        return self.count("fail") == 0

    def as_dict(self) -> dict:
        return {"passed": self.count("pass"), "failed": self.count("fail"), "skipped": self.count("skip"),
                "reasoner": self.reasoner, "seconds": round(self.seconds, 3), "results": [r.as_dict() for r in self.results]}


class Unsupported(Exception):
    """A construct outside the supported Manchester subset: the file is skipped, with this reason."""


class CQSyntaxError(Exception):
    """A malformed question file: it fails, with file:line."""

    def __init__(self, msg: str, line: int | None = None) -> None:
        super().__init__(msg)
        self.line = line


# --- discovery ----------------------------------------------------------------------------------------
def _first_comment(text: str) -> str:
    for line in text.splitlines():
        t = line.strip()
        if t.startswith("#") and not re.match(r"#\s*expect", t, re.I):
            q = t.lstrip("#").strip()
            q = re.sub(r"^competency question:\s*", "", q, flags=re.I)
            if q:
                return re.sub(r"\s+", " ", q)
    return ""


def _expect(text: str) -> str | None:
    m = re.search(r"^\s*#\s*expect(?:ed)?\s*:\s*(.+?)\s*$", text, re.M | re.I)
    return m.group(1).lower() if m else None


def _run_questions_lists(folder: Path) -> dict[str, str]:
    """OEO's run_questions.sh: file -> infer | dont | skip."""
    out: dict[str, str] = {}
    for sh in folder.rglob("run_questions.sh"):
        text = sh.read_text(encoding="utf-8", errors="replace")
        for var, verdict in (("INFER", "infer"), ("DONT_INFER", "dont"), ("NON_INFERABLE_BUT_SHOULD", "skip")):
            m = re.search(rf"^{var}=\"([^\"]*)\"", text, re.M)
            if m:
                for name in m.group(1).split():
                    out[name] = verdict
    return out


def run_folder(folder: Path, onto, reasoner: str = "hermit", timeout_s: float = 900.0, memory_mb: int = 2000) -> CQReport:
    """Run every competency question under `folder` against the loaded ontology."""
    import time

    t0 = time.perf_counter()
    folder = Path(folder)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".rq", ".sparql", ".omn"))
    lists = _run_questions_lists(folder)
    report = CQReport(reasoner=str((onto.reasoning or {}).get("reasoner", "none")) if getattr(onto, "reasoning", None) else "none")
    omn: list[tuple[Path, str, str, str, list]] = []  # (file, name, question, expectation, checks)
    probes = Graph()
    known = _Known(onto)
    sparql: list[tuple[Path, str, str, str]] = []
    for p in files:
        name = str(p.relative_to(folder))
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            report.results.append(CQResult(str(p), name, "", "fail", f"{p}: unreadable: {exc}"))
            continue
        question = _first_comment(text)
        skip_dir = next((why for part in p.relative_to(folder).parts[:-1] for key, why in _SKIP_DIRS.items() if part.lower() == key), None)
        if skip_dir:
            report.results.append(CQResult(str(p), name, question, "skip", skip_dir, "omn" if p.suffix == ".omn" else "sparql"))
            continue
        if p.suffix.lower() == ".omn":
            verdict = lists.get(p.name)
            if verdict == "skip":
                report.results.append(CQResult(str(p), name, question, "skip", "run_questions.sh lists it as NON_INFERABLE_BUT_SHOULD", "omn"))
                continue
            exp = _expect(text) or ""
            expect = "not entailed" if (verdict == "dont" or re.match(r"(not|no|false|non)", exp)) else "entailed"
            try:
                checks = ManchesterReader(text, known, probes, prefix=f"{_PROBE}{len(omn)}-").read()
            except Unsupported as exc:
                report.results.append(CQResult(str(p), name, question, "skip", f"unsupported Manchester construct: {exc}", "omn"))
                continue
            except CQSyntaxError as exc:
                where = f"{p}:{exc.line}" if exc.line else str(p)
                report.results.append(CQResult(str(p), name, question, "fail", f"{where}: {exc}", "omn"))
                continue
            if not checks:
                report.results.append(CQResult(str(p), name, question, "skip", "no axiom to check (declarations only)", "omn"))
                continue
            omn.append((p, name, question, expect, checks))
        else:
            sparql.append((p, name, question, text))
    from grounding.ontology.reasoner import ReasonerError, classify, resolve_reasoner

    engine = resolve_reasoner(reasoner)
    unreasoned = engine != "none" and not getattr(onto, "reasoning", None)
    res = None
    why = ""
    if omn or (unreasoned and sparql):
        if engine == "none":
            why = "reasoner = none: Manchester questions need a reasoner"
        else:  # one run answers the questions and (a conservative extension) classifies the ontology itself
            try:
                res = classify([onto.rdf, probes] if omn else [onto.rdf], engine, timeout_s, memory_mb)
            except ReasonerError as exc:
                why = str(exc)
        report.reasoner = engine
    if res is not None and unreasoned:
        _apply_without_probes(onto, res)
    if sparql:
        g = entailed_graph(onto)
        for p, name, question, text in sparql:
            report.results.append(_run_sparql(p, name, question, text, g))
    if omn:
        if res is not None and not res.consistent:
            why = res.message
        for p, name, question, expect, checks in omn:
            if res is None or not res.consistent:
                report.results.append(CQResult(str(p), name, question, "fail" if res is not None else "skip", why, "omn"))
                continue
            ok, detail = _evaluate(checks, res, onto)
            entailed = ok
            passed = entailed if expect == "entailed" else not entailed
            msg = detail if not passed or expect != "entailed" else ""
            if expect != "entailed":
                msg = ("entailed, but expected not to be" if entailed else "not entailed, as expected") + (f" ({detail})" if detail else "")
            report.results.append(CQResult(str(p), name, question, "pass" if passed else "fail", msg, "omn"))
    report.results.sort(key=lambda r: r.name)
    report.seconds = time.perf_counter() - t0
    return report


def _apply_without_probes(onto, res) -> None:
    """The ontology's own entailments (probe classes and fresh names left out) added to its KG view."""
    from dataclasses import replace

    from grounding.ontology.reasoner import apply_entailments

    own = onto.concepts
    clean = replace(res, unsatisfiable=[c for c in res.unsatisfiable if c in own],
                    subclass=[t for t in res.subclass if t[0] in own and t[1] in own],
                    equivalent=[t for t in res.equivalent if t[0] in own and t[1] in own],
                    types=[t for t in res.types if t[0] in own and t[1] in own])
    apply_entailments(onto, clean)
    onto.reasoning = clean.summary()


# --- SPARQL -----------------------------------------------------------------------------------------------
def entailed_graph(onto) -> Graph:
    """The asserted RDF graph plus every entailed edge of the KG, as triples."""
    g = Graph()
    for t in onto.rdf:
        g.add(t)
    for prefix, ns in onto.rdf.namespaces():
        g.bind(prefix, ns, override=False)
    preds = {"subClassOf": RDFS.subClassOf, "type": RDF.type, "equivalentClass": OWL.equivalentClass}
    for s, o, k, d in onto.nx.edges(keys=True, data=True):
        if d.get("entailed"):
            g.add((URIRef(s), preds.get(k, URIRef(k)), URIRef(o)))
    return g


def _run_sparql(p: Path, name: str, question: str, text: str, g: Graph) -> CQResult:
    from rdflib.plugins.sparql import prepareQuery

    try:
        q = prepareQuery(text)
    except Exception as exc:
        line = getattr(exc, "lineno", None)
        m = re.search(r"line:?\s*(\d+)", str(exc))
        line = line or (int(m.group(1)) if m else None)
        return CQResult(str(p), name, question, "fail", f"{p}{':' + str(line) if line else ''}: SPARQL syntax error: "
                        f"{str(exc).splitlines()[0][:200]}", "sparql")
    form = q.algebra.name
    exp = _expect(text)
    try:
        res = g.query(q)
    except Exception as exc:
        return CQResult(str(p), name, question, "fail", f"{p}: query failed: {exc}", "sparql")
    if form == "AskQuery":
        want = not (exp and re.match(r"(false|no|not)", exp))
        got = bool(res.askAnswer)
        return CQResult(str(p), name, question, "pass" if got == want else "fail",
                        "" if got == want else f"ASK returned {str(got).lower()}, expected {str(want).lower()}", "sparql-ask")
    if form != "SelectQuery":
        return CQResult(str(p), name, question, "skip", f"{form}: only ASK and SELECT are run", "sparql")
    rows = [tuple("" if v is None else str(v) for v in row) for row in res]
    for suffix, delim in ((".csv", ","), (".tsv", "\t")):
        exp_file = p.with_suffix(suffix)
        if exp_file.is_file():
            return _compare_rows(p, name, question, rows, [str(v) for v in res.vars], exp_file, delim, q)
    if exp:
        m = re.match(r"count\s*(>=|<=|=|==)?\s*(\d+)", exp)
        if exp.startswith("empty"):
            ok, want = not rows, "no rows"
        elif exp.startswith("nonempty") or exp.startswith("non-empty"):
            ok, want = bool(rows), "some rows"
        elif m:
            op, n = m.group(1) or "=", int(m.group(2))
            ok = {">=": len(rows) >= n, "<=": len(rows) <= n}.get(op, len(rows) == n)
            want = f"{op} {n} rows"
        else:
            return CQResult(str(p), name, question, "skip", f"unknown expectation {exp!r}", "sparql-select")
        return CQResult(str(p), name, question, "pass" if ok else "fail",
                        "" if ok else f"{len(rows)} row(s), expected {want}" + (f"; first: {rows[0]}" if rows else ""), "sparql-select")
    return CQResult(str(p), name, question, "skip", f"no expected result (add {p.with_suffix('.csv').name} or '# expect: ...')", "sparql-select")


def _compare_rows(p, name, question, rows, variables, exp_file: Path, delim: str, q) -> CQResult:
    ns = dict(q.prologue.namespace_manager.namespaces()) if getattr(q, "prologue", None) else {}

    def expand(v: str) -> str:
        v = v.strip()
        if v.startswith("<") and v.endswith(">"):
            return v[1:-1]
        if ":" in v and not re.match(r"^[a-z][a-z0-9+.-]*://", v):
            pfx, local = v.split(":", 1)
            if pfx in ns:
                return str(ns[pfx]) + local
        return v

    try:
        with open(exp_file, newline="", encoding="utf-8") as fh:
            table = list(csv.reader(fh, delimiter=delim))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return CQResult(str(p), name, question, "fail", f"{exp_file}: unreadable: {exc}", "sparql-select")
    if not table:
        want: set[tuple] = set()
        header = variables
    else:
        header = [h.strip().lstrip("?") for h in table[0]]
        want = {tuple(expand(c) for c in r) for r in table[1:] if any(c.strip() for c in r)}
    missing_vars = [h for h in header if h not in variables]
    if missing_vars:
        return CQResult(str(p), name, question, "fail", f"{exp_file}:1: columns {missing_vars} are not variables of the query", "sparql-select")
    idx = [variables.index(h) for h in header]
    got = {tuple(r[i] for i in idx) for r in rows}
    if got == want:
        return CQResult(str(p), name, question, "pass", "", "sparql-select")
    miss, extra = sorted(want - got), sorted(got - want)
    return CQResult(str(p), name, question, "fail",
                    f"{len(miss)} expected row(s) missing{': ' + str(miss[:3]) if miss else ''}; "
                    f"{len(extra)} unexpected{': ' + str(extra[:3]) if extra else ''}", "sparql-select")


# --- Manchester syntax --------------------------------------------------------------------------------------
_TOKEN = re.compile(r"""<[^>\s]*>|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"(?:\^\^\S+|@[\w-]+)?|[(){}\[\],]|[^\s(){}\[\],]+""")
_FRAMES = {"Class:", "ObjectProperty:", "DataProperty:", "AnnotationProperty:", "Individual:", "Datatype:",
           "DisjointClasses:", "EquivalentClasses:", "DisjointProperties:", "EquivalentProperties:", "SameIndividual:",
           "DifferentIndividuals:", "Rule:", "Prefix:", "Ontology:", "Import:"}
_SECTIONS = {"SubClassOf:", "EquivalentTo:", "DisjointWith:", "DisjointUnionOf:", "Annotations:", "Types:", "Facts:",
             "SameAs:", "DifferentFrom:", "Characteristics:", "Domain:", "Range:", "SubPropertyOf:", "InverseOf:",
             "SubPropertyChain:", "HasKey:", "EquivalentTo", "DisjointWith"}


class _Known:
    """Names of the ontology under test, for resolving and for telling fresh names apart."""

    def __init__(self, onto) -> None:
        self.onto = onto
        self.concepts = onto.concepts
        self.props = onto.properties
        self._by_label: dict[str, list[str]] | None = None

    def by_label(self, label: str) -> list[str]:
        if self._by_label is None:
            self._by_label = {}
            for iri, c in self.concepts.items():
                for t, _, _ in c.all_labels():
                    self._by_label.setdefault(t.casefold(), []).append(iri)
            for iri, lab in self.props.items():
                self._by_label.setdefault(lab.casefold(), []).append(iri)
        return sorted(set(self._by_label.get(label.casefold(), [])))


@dataclass
class _Check:
    kind: str  # sub | equiv | unsat | disjoint | type
    a: str  # class / individual IRI (or probe)
    b: str = ""  # class IRI (or probe)
    text: str = ""
    line: int = 0
    probe: str = ""  # disjoint: a probe class for the intersection (unsatisfiable iff disjoint)


class ManchesterReader:
    """Parses the supported subset into probe definitions (triples into `probes`) and checks."""

    def __init__(self, text: str, known: _Known, probes: Graph, prefix: str) -> None:
        self.known = known
        self.g = probes
        self.probe_prefix = prefix
        self.n = 0
        self.prefixes = {"owl:": str(OWL), "rdf:": str(RDF), "rdfs:": str(RDFS), "xsd:": str(XSD)}
        self.toks: list[tuple[str, int]] = []
        for i, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith("#"):
                continue
            for m in _TOKEN.finditer(line):
                self.toks.append((m.group(0), i))
        self.i = 0
        self.fresh: set[str] = set()
        self.checks: list[_Check] = []

    # token helpers
    def peek(self, k: int = 0) -> str | None:
        j = self.i + k
        return self.toks[j][0] if j < len(self.toks) else None

    def line(self) -> int:
        return self.toks[min(self.i, len(self.toks) - 1)][1] if self.toks else 0

    def take(self) -> str:
        if self.i >= len(self.toks):
            raise CQSyntaxError("unexpected end of file", self.line())
        t = self.toks[self.i][0]
        self.i += 1
        return t

    def expect(self, tok: str) -> None:
        t = self.take()
        if t != tok:
            raise CQSyntaxError(f"expected {tok!r}, found {t!r}", self.toks[self.i - 1][1])

    def at_keyword(self) -> bool:
        t = self.peek()
        return t is None or t in _FRAMES or t in _SECTIONS

    # names
    def iri(self, tok: str, line: int | None = None) -> str:
        if tok.startswith("<") and tok.endswith(">"):
            return tok[1:-1]
        if tok.startswith("'") and tok.endswith("'"):
            hits = self.known.by_label(tok[1:-1].replace("\\'", "'"))
            if len(hits) != 1:
                raise CQSyntaxError(f"label {tok} names {len(hits)} entities of the ontology", line or self.line())
            return hits[0]
        if tok.startswith('"') or re.fullmatch(r"-?\d+(\.\d+)?", tok):
            raise Unsupported(f"literal {tok} (data values)")
        if ":" in tok:
            pfx, local = tok.split(":", 1)
            ns = self.prefixes.get(pfx + ":")
            if ns is None:
                raise CQSyntaxError(f"undeclared prefix {pfx + ':'!r} in {tok!r}", line or self.line())
            return ns + local
        ns = self.prefixes.get(":")
        if ns is None:
            raise CQSyntaxError(f"name {tok!r} without a default prefix (Prefix: : <...>)", line or self.line())
        return ns + tok

    def probe(self, node) -> str:
        """A named class for a class expression (the name itself when it is one)."""
        if isinstance(node, URIRef):
            return str(node)
        self.n += 1
        p = URIRef(f"{self.probe_prefix}{self.n}")
        self.g.add((p, RDF.type, OWL.Class))
        self.g.add((p, OWL.equivalentClass, node))
        return str(p)

    # class expressions -> RDF
    def expr(self):
        parts = [self.conj()]
        while self.peek() == "or":
            self.take()
            parts.append(self.conj())
        return parts[0] if len(parts) == 1 else self._list(OWL.unionOf, parts)

    def conj(self):
        parts = [self.unary()]
        while self.peek() in ("and", "that"):
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else self._list(OWL.intersectionOf, parts)

    def _list(self, pred, items):
        b = BNode()
        self.g.add((b, RDF.type, OWL.Class))
        lst = BNode()
        Collection(self.g, lst, list(items))
        self.g.add((b, pred, lst))
        return b

    def unary(self):
        t = self.peek()
        if t == "not":
            self.take()
            b = BNode()
            self.g.add((b, RDF.type, OWL.Class))
            self.g.add((b, OWL.complementOf, self.unary()))
            return b
        if t == "(":
            self.take()
            e = self.expr()
            self.expect(")")
            return e
        if t == "{":
            self.take()
            items = [URIRef(self.iri(self.take()))]
            while self.peek() == ",":
                self.take()
                items.append(URIRef(self.iri(self.take())))
            self.expect("}")
            return self._list(OWL.oneOf, items)
        if t is None or self.at_keyword():
            raise CQSyntaxError(f"class expression expected, found {t!r}", self.line())
        if t == "inverse" or self.peek(1) in ("some", "only", "value", "min", "max", "exactly", "Self"):
            return self.restriction()
        if self.peek(1) == "[":
            raise Unsupported(f"datatype restriction {t}[...]")
        tok = self.take()
        iri = self.iri(tok)
        if iri in self.known.props:
            raise CQSyntaxError(f"{tok} is a property, not a class", self.toks[self.i - 1][1])
        return URIRef(iri)

    def restriction(self):
        line = self.line()
        prop = None
        if self.peek() == "inverse":
            self.take()
            paren = self.peek() == "("
            if paren:
                self.take()
            inner = URIRef(self.iri(self.take()))
            if paren:
                self.expect(")")
            prop = BNode()
            self.g.add((prop, OWL.inverseOf, inner))
        else:
            tok = self.take()
            prop = URIRef(self.iri(tok))
            if str(prop) in self.known.onto.property_kinds and self.known.onto.property_kinds[str(prop)] == "datatype":
                raise Unsupported(f"data property restriction on {tok}")
        q = self.take()
        r = BNode()
        self.g.add((r, RDF.type, OWL.Restriction))
        self.g.add((r, OWL.onProperty, prop))
        if q in ("some", "only"):
            nxt = self.peek()
            if nxt and (nxt.startswith("xsd:") or nxt.startswith("rdfs:Literal")):
                raise Unsupported(f"data range {nxt}")
            self.g.add((r, OWL.someValuesFrom if q == "some" else OWL.allValuesFrom, self.unary()))
        elif q == "value":
            tok = self.take()
            self.g.add((r, OWL.hasValue, URIRef(self.iri(tok))))
        elif q in ("min", "max", "exactly"):
            n = self.take()
            if not n.isdigit():
                raise CQSyntaxError(f"a number expected after {q}, found {n!r}", line)
            pred = {"min": OWL.minQualifiedCardinality, "max": OWL.maxQualifiedCardinality, "exactly": OWL.qualifiedCardinality}[q]
            nxt = self.peek()
            if nxt is not None and not self.at_keyword() and nxt not in (")", ",", "and", "or", "}"):
                self.g.add((r, pred, Literal(int(n), datatype=XSD.nonNegativeInteger)))
                self.g.add((r, OWL.onClass, self.unary()))
            else:
                plain = {"min": OWL.minCardinality, "max": OWL.maxCardinality, "exactly": OWL.cardinality}[q]
                self.g.add((r, plain, Literal(int(n), datatype=XSD.nonNegativeInteger)))
        elif q == "Self":
            raise Unsupported("hasSelf (Self)")
        else:
            raise CQSyntaxError(f"some/only/value/min/max/exactly expected, found {q!r}", line)
        return r

    def expr_list(self) -> list:
        out = [self.expr()]
        while self.peek() == ",":
            self.take()
            out.append(self.expr())
        return out

    def skip_annotations(self) -> None:
        while not self.at_keyword():
            self.take()

    def known_class(self, iri: str) -> bool:
        return iri in self.known.concepts or iri in (str(OWL.Thing), str(OWL.Nothing))

    # frames
    def read(self) -> list[_Check]:
        while self.peek() is not None:
            t = self.take()
            line = self.toks[self.i - 1][1]
            if t == "Prefix:":
                name = self.take()
                if not name.endswith(":"):
                    raise CQSyntaxError(f"prefix name must end with ':', found {name!r}", line)
                tok = self.take()
                if not (tok.startswith("<") and tok.endswith(">")):
                    raise CQSyntaxError(f"prefix IRI expected in <...>, found {tok!r}", line)
                self.prefixes[name] = tok[1:-1]
            elif t in ("Ontology:", "Import:"):
                while self.peek() is not None and self.peek().startswith("<"):
                    self.take()
            elif t == "Class:":
                self.class_frame(self.iri(self.take(), line), line)
            elif t in ("ObjectProperty:", "DataProperty:", "AnnotationProperty:", "Datatype:"):
                self.take()
                while not (self.peek() is None or self.peek() in _FRAMES):
                    sec = self.take()
                    if sec == "Annotations:":
                        self.skip_annotations()
                    elif sec in _SECTIONS:
                        raise Unsupported(f"{t} {sec} (property axioms)")
                    else:
                        raise CQSyntaxError(f"unexpected {sec!r} in a {t} frame", self.toks[self.i - 1][1])
            elif t == "Individual:":
                self.individual_frame(self.iri(self.take(), line), line)
            elif t in ("DisjointClasses:", "EquivalentClasses:"):
                items = [self.probe(e) for e in self.expr_list()]
                for i, a in enumerate(items):
                    for b in items[i + 1:]:
                        if t == "DisjointClasses:":
                            self.disjoint_check(a, b, line)
                        else:
                            self.checks.append(_Check("equiv", a, b, f"{t} ...", line))
            elif t in _FRAMES:
                raise Unsupported(t.rstrip(":"))
            else:
                raise CQSyntaxError(f"frame keyword expected (Class:, Individual:, ...), found {t!r}", line)
        return self.checks

    def class_frame(self, c: str, line: int) -> None:
        sections: list[tuple[str, list, int]] = []
        while not (self.peek() is None or self.peek() in _FRAMES):
            sec = self.take()
            sline = self.toks[self.i - 1][1]
            if sec == "Annotations:":
                self.skip_annotations()
            elif sec in ("SubClassOf:", "EquivalentTo:", "DisjointWith:"):
                sections.append((sec, self.expr_list(), sline))
            elif sec in _SECTIONS:
                raise Unsupported(f"Class: {sec}")
            else:
                raise CQSyntaxError(f"unexpected {sec!r} in a Class: frame", sline)
        fresh = not self.known_class(c) and c not in self.fresh
        defs = [e for sec, es, _ in sections if sec == "EquivalentTo:" for e in es]
        if fresh and defs:  # a new name for a class expression: its definition, not a question
            self.fresh.add(c)
            self.g.add((URIRef(c), RDF.type, OWL.Class))
            for e in defs:
                self.g.add((URIRef(c), OWL.equivalentClass, e))
            sections = [s for s in sections if s[0] != "EquivalentTo:"]
            if not sections:  # "Class: C EquivalentTo: X" alone: is the expression satisfiable? nothing asked
                return
        for sec, exprs, sline in sections:
            for e in exprs:
                if sec == "SubClassOf:":
                    if isinstance(e, URIRef) and str(e) == str(OWL.Nothing):
                        self.checks.append(_Check("unsat", c, "", f"{c} SubClassOf owl:Nothing", sline))
                    else:
                        self.checks.append(_Check("sub", c, self.probe(e), f"SubClassOf at line {sline}", sline))
                elif sec == "EquivalentTo:":
                    self.checks.append(_Check("equiv", c, self.probe(e), f"EquivalentTo at line {sline}", sline))
                else:
                    self.disjoint_check(c, self.probe(e), sline)

    def disjoint_check(self, a: str, b: str, line: int) -> None:
        both = self._list(OWL.intersectionOf, [URIRef(a), URIRef(b)])
        self.checks.append(_Check("disjoint", a, b, f"DisjointWith at line {line}", line, probe=self.probe(both)))

    def individual_frame(self, i: str, line: int) -> None:
        while not (self.peek() is None or self.peek() in _FRAMES):
            sec = self.take()
            sline = self.toks[self.i - 1][1]
            if sec == "Annotations:":
                self.skip_annotations()
            elif sec == "Types:":
                exprs = self.expr_list()
                if i not in self.known.concepts:
                    raise Unsupported("a new individual (a consistency scenario)")
                for e in exprs:
                    self.checks.append(_Check("type", i, self.probe(e), f"Types at line {sline}", sline))
            elif sec in _SECTIONS:
                raise Unsupported(f"Individual: {sec}")
            else:
                raise CQSyntaxError(f"unexpected {sec!r} in an Individual: frame", sline)


def _evaluate(checks: list[_Check], res, onto) -> tuple[bool, str]:
    """(every check entailed?, what was not)."""
    supers = res.supers()
    unsat = set(res.unsatisfiable)
    types: dict[str, set[str]] = {}
    for ind, c in res.types:
        types.setdefault(ind, set()).update({c} | supers.get(c, set()))

    def lab(x: str) -> str:
        if x.startswith(_PROBE):
            return "the class expression"
        return onto.label(x) if x in onto.concepts else x.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    missing = []
    for ch in checks:
        if ch.kind == "unsat":
            ok = ch.a in unsat
            why = f"{lab(ch.a)} is satisfiable" if not ok else ""
        elif ch.kind == "sub":
            ok = ch.a in unsat or ch.b == str(OWL.Thing) or ch.b in supers.get(ch.a, set())
            why = f"{lab(ch.a)} SubClassOf {lab(ch.b)} (line {ch.line}) not entailed"
            if not ok and ch.a not in onto.concepts and not ch.a.startswith(_PROBE) and ch.a not in supers:
                why += f": {lab(ch.a)} is not a class of the ontology"
        elif ch.kind == "equiv":
            ok = (ch.b in supers.get(ch.a, set()) and ch.a in supers.get(ch.b, set())) or (ch.a in unsat and ch.b in unsat)
            why = f"{lab(ch.a)} EquivalentTo {lab(ch.b)} (line {ch.line}) not entailed"
        elif ch.kind == "disjoint":
            ok = bool(ch.probe) and ch.probe in unsat  # the intersection's probe is unsatisfiable

            why = f"{lab(ch.a)} DisjointWith {lab(ch.b)} (line {ch.line}) not entailed"
        else:  # type
            ok = ch.b in types.get(ch.a, set())
            why = f"{lab(ch.a)} Types {lab(ch.b)} (line {ch.line}) not entailed"
        if not ok:
            missing.append(why)
    return (not missing), "; ".join(missing)

