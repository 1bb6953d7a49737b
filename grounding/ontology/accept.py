"""Write an accepted candidate into a Turtle ontology file, with provenance, safely.

The expert's file is never re-serialized (that would lose its comments, order and layout): a
well-formed Turtle block is appended. The block declares any prefix it needs that the file does
not (and spells an IRI out in full when the file binds that prefix name to another namespace).

Provenance:
* a new concept carries dct:source (the report ids), dct:creator, dct:created and a
  skos:changeNote on the class itself;
* a new synonym is one skos:altLabel triple, annotated with an owl:Axiom (annotatedSource /
  annotatedProperty / annotatedTarget) holding dct:source, dct:creator, dct:created and a
  skos:changeNote, so the concept's own provenance is not confused with the synonym's.

Safety: the whole new text is parsed and checked (the new triples are present, the label does
not collide with another concept's, the parent exists) before anything is written; the old file
is copied to the backup folder, the new one written to a temporary file in the same folder,
fsynced and renamed over the old one (atomic); an exclusive lock serializes concurrent accepts.
"""

from __future__ import annotations

import fcntl
import glob
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from rdflib import BNode, Graph, Literal
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from grounding.ontology.graph import OntologyGraph
from grounding.ontology.loader import OntologyError

VOCAB = {"owl": str(OWL), "rdfs": str(RDFS), "skos": str(SKOS), "dct": str(DCTERMS), "xsd": str(XSD), "rdf": str(RDF)}


class AcceptError(ValueError):
    pass


# Curator names are written into the file (dct:creator, the block's comment line): letters (any
# script), digits, space and . _ - @ ' only, so no name can end a comment or a literal.
CURATOR_NAME = re.compile(r"[^\W_][\w .@'-]{0,63}")


def check_curator(by: str) -> str:
    """The curator name, stripped, or AcceptError (one line) when it holds anything else."""
    name = (by or "").strip()
    if not name:
        raise AcceptError("a curator name is required (--by)")
    if not CURATOR_NAME.fullmatch(name):
        raise AcceptError(
            f"curator name {name[:40]!r} is not allowed: use 1-64 letters, digits, spaces and . _ - @ ' (starting with a letter or digit)"
        )
    return name


def _comment(text: str) -> str:
    """Text safe inside one Turtle comment line: no line breaks or other control characters."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _ground(g: Graph) -> tuple[set, int]:
    """(triples without blank nodes, count of triples with one): comparable across two parses."""
    ground, blank = set(), 0
    for t in g:
        if any(isinstance(x, BNode) for x in t):
            blank += 1
        else:
            ground.add(t)
    return ground, blank


@dataclass
class AcceptResult:
    iri: str
    block: str
    file: str
    backup: str


def _declared_prefixes(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r"(?im)^\s*@?prefix\s+([\w.-]*):\s*<([^>]*)>\s*\.?", text)}


class _Writer:
    """Turtle terms for the appended block, reusing the file's prefixes."""

    def __init__(self, text: str, base_namespace: str) -> None:
        self.declared = _declared_prefixes(text)
        self.needed: dict[str, str] = {}
        self.base = base_namespace
        self.base_prefix = next((p for p, ns in self.declared.items() if ns == base_namespace), None)

    def vocab(self, prefix: str, local: str) -> str:
        ns = VOCAB[prefix]
        for p, iri in self.declared.items():
            if iri == ns:
                return f"{p}:{local}"
        if prefix in self.declared:  # the name means something else in this file
            return f"<{ns}{local}>"
        self.needed[prefix] = ns
        return f"{prefix}:{local}"

    def iri(self, iri: str) -> str:
        if self.base_prefix is not None and iri.startswith(self.base):
            local = iri[len(self.base) :]
            if re.fullmatch(r"[A-Za-z_][\w-]*", local):
                return f"{self.base_prefix}:{local}"
        return f"<{iri}>"

    def header(self) -> str:
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(self.needed.items()))


def camel_iri(base: str, term: str, taken: set[str]) -> str:
    words = re.findall(r"[A-Za-z0-9]+", term)
    name = "".join(w if (w.isupper() and len(w) <= 6) else w[:1].upper() + w[1:].lower() for w in words) or "Concept"
    if name[0].isdigit():
        name = "C" + name
    iri, n = base + name, 2
    while iri in taken:
        iri, n = f"{base}{name}{n}", n + 1
    return iri


@contextmanager
def _locked(path: Path):
    lock = path.with_name(f".{path.name}.lock")
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def accept_into_file(
    path: str | Path,
    *,
    kind: str,
    term: str,
    by: str,
    reports: list[str],
    candidate_id: int | None = None,
    concept: str = "",
    parent: str = "",
    abbreviation: str = "",
    lang: str = "en",
    ko_label: str = "",
    definition: str = "",
    base_namespace: str = "https://w3id.org/grounding/onto#",
    backup_dir: str | Path | None = None,
    report_count: int | None = None,
    check_with: list[str | Path] | None = None,
    force: bool = False,
    max_backups: int | None = None,
) -> AcceptResult:
    """Append a concept (kind "concept") or a synonym of `concept` (kind "synonym") to `path`."""
    path = Path(path)
    if path.suffix.lower() not in (".ttl", ".turtle"):
        raise AcceptError(f"{path}: accept writes Turtle files (.ttl) only")
    by = check_curator(by)
    term = term.strip()
    if not term:
        raise AcceptError("empty term")
    with _locked(path):
        text = path.read_text(encoding="utf-8")
        try:
            current = Graph().parse(data=text, format="turtle", publicID=path.resolve().as_uri())
        except Exception as exc:
            raise AcceptError(f"{path} does not parse now; fix it first: {exc}") from None
        context = Graph()
        for f in check_with or []:
            if Path(f).resolve() != path.resolve():
                context.parse(str(f), format="turtle")
        whole = OntologyGraph(current + context)
        w = _Writer(text, base_namespace)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        stamp = now.isoformat().replace("+00:00", "Z")
        n = report_count if report_count is not None else len(reports)
        shown = ", ".join(reports[:5]) + (" ..." if len(reports) > 5 else "")
        note = (f"Proposed by `grounding ontology propose` from {n} report(s) (e.g. {shown}); "
                f"accepted by {by} on {now.date().isoformat()}" + (f" (review candidate #{candidate_id})" if candidate_id else "") + ".")
        sources = " , ".join(Literal(r).n3() for r in reports[:20])
        lit = Literal(term, lang=lang or None).n3()
        # the label must not already name another concept
        from grounding.ontology.linker import Linker, _label_keys, abbrev_core

        linker = Linker(whole, langs=("en", "", "ko"), link_abstract=True)
        keys = [("a", abbrev_core(term))] if abbrev_core(term) else [("e", k) for k in _label_keys(term)]
        owners = {linker._abbrev.get(k) if t == "a" else linker._exact.get(k) for t, k in keys} - {None}
        lines: list[str] = []
        if kind == "synonym":
            if not concept or concept not in whole.concepts:
                raise AcceptError(f"synonym target {concept!r} is not a concept of the ontology")
            if owners - {concept} and not force:
                raise AcceptError(f"{term!r} already names {', '.join(sorted(owners - {concept}))}; refusing to make it ambiguous (--force to override)")
            if concept in owners:
                raise AcceptError(f"{term!r} already links to {concept}")
            iri = concept
            c = w.iri(concept)
            lines.append(f"{c} {w.vocab('skos', 'altLabel')} {lit} .")
            lines.append(f"[] a {w.vocab('owl', 'Axiom')} ;")
            lines.append(f"    {w.vocab('owl', 'annotatedSource')} {c} ;")
            lines.append(f"    {w.vocab('owl', 'annotatedProperty')} {w.vocab('skos', 'altLabel')} ;")
            lines.append(f"    {w.vocab('owl', 'annotatedTarget')} {lit} ;")
        elif kind == "concept":
            if owners and not force:
                raise AcceptError(f"{term!r} already names {', '.join(sorted(owners))}; accept it as a synonym instead (--force to override)")
            if parent and parent not in whole.concepts:
                raise AcceptError(f"parent {parent!r} is not a concept of the ontology")
            taken = {str(s) for s in current.subjects()} | set(whole.concepts)
            iri = camel_iri(base_namespace, term, taken)
            lines.append(f"{w.iri(iri)} a {w.vocab('owl', 'Class')} ;")
            if parent:
                lines.append(f"    {w.vocab('rdfs', 'subClassOf')} {w.iri(parent)} ;")
            labels = [lit] + ([Literal(ko_label, lang="ko").n3()] if ko_label else [])
            lines.append(f"    {w.vocab('rdfs', 'label')} {' , '.join(labels)} ;")
            lines.append(f"    {w.vocab('skos', 'prefLabel')} {' , '.join(labels)} ;")
            if abbreviation:
                lines.append(f"    {w.vocab('skos', 'altLabel')} {Literal(abbreviation, lang=lang or None).n3()} ;")
            if definition:
                lines.append(f"    {w.vocab('skos', 'definition')} {Literal(definition, lang='en').n3()} ;")
        else:
            raise AcceptError(f"unknown candidate kind {kind!r}")
        if sources:
            lines.append(f"    {w.vocab('dct', 'source')} {sources} ;")
        lines.append(f"    {w.vocab('dct', 'creator')} {Literal(by).n3()} ;")
        lines.append(f"    {w.vocab('dct', 'created')} \"{stamp}\"^^{w.vocab('xsd', 'dateTime')} ;")
        lines.append(f"    {w.vocab('skos', 'changeNote')} {Literal(note, lang='en').n3()} .")
        title = _comment(f"# Accepted {kind} {term!r}" + (f" (review candidate #{candidate_id})" if candidate_id else "") + f" by {by}, {stamp}")
        block = "\n" + title + "\n" + w.header() + "\n".join(lines) + "\n"
        new_text = (text if text.endswith("\n") else text + "\n") + block
        try:
            new_graph = Graph().parse(data=new_text, format="turtle", publicID=path.resolve().as_uri())
        except Exception as exc:  # a bug here must never reach the file
            raise AcceptError(f"the new block does not parse; file left unchanged: {exc}") from None
        if len(new_graph) <= len(current):
            raise AcceptError("the new block added no triple; file left unchanged")
        # The file must change by exactly the intended triples: the block parsed on its own (with the
        # file's prefixes) added to the current graph. Anything else (a comment or literal that
        # escaped) is refused.
        prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in w.declared.items())
        try:
            intended = Graph().parse(data=prefixes + w.header() + "\n".join(lines) + "\n", format="turtle",
                                     publicID=path.resolve().as_uri())
        except Exception as exc:
            raise AcceptError(f"the new block does not parse on its own; file left unchanged: {exc}") from None
        want_ground, want_blank = _ground(current)
        add_ground, add_blank = _ground(intended)
        got_ground, got_blank = _ground(new_graph)
        if got_ground != want_ground | add_ground or got_blank != want_blank + add_blank:
            extra = len(got_ground - want_ground - add_ground) + max(0, got_blank - want_blank - add_blank)
            raise AcceptError(f"the written file would differ from the intended change ({extra} unexpected triple(s)); file left unchanged")
        added = OntologyGraph(new_graph + context)
        if kind == "concept" and iri not in added.concepts:
            raise AcceptError("the new concept is missing after parsing; file left unchanged")
        if kind == "synonym" and term not in [t for t, _, _ in added.concepts[iri].all_labels()]:
            raise AcceptError("the new synonym is missing after parsing; file left unchanged")
        backup = ""
        if backup_dir is not None:
            bdir = Path(backup_dir)
            bdir.mkdir(parents=True, exist_ok=True)
            fine = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")  # sorts by time; unique per accept
            backup = str(bdir / f"{path.name}.{fine}.{os.getpid()}.bak")
            shutil.copy2(path, backup)
            if max_backups is not None:
                old = sorted(bdir.glob(f"{glob.escape(path.name)}.*.bak"), key=lambda b: b.name)
                for stale in old[: max(0, len(old) - max_backups)]:
                    try:
                        stale.unlink()
                    except OSError:
                        pass
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(new_text)
                fh.flush()
                os.fsync(fh.fileno())
            shutil.copymode(path, tmp)
            os.replace(tmp, path)
        except OSError as exc:
            try:
                tmp.unlink()
            except OSError:
                pass
            raise OntologyError(f"{path}: not written: {exc}") from exc
        return AcceptResult(iri, block, str(path), backup)
