"""Safe, local-only parsing of ontology files into rdflib graphs.

Rules, all enforced before rdflib sees a byte:

* size: a file larger than `max_file_bytes` is refused without being read;
* XML formats (RDF/XML, TriX): the prolog is scanned with expat and any DOCTYPE,
  ENTITY or external-reference declaration is refused (XXE, billion-laughs), so
  no entity is ever expanded or fetched;
* JSON-LD: remote `@context` / `@import` references are never fetched; they are
  resolved from local files (same folder or the configured import folders) or refused;
* owl:imports are resolved from local import folders only: an XML catalog
  (catalog-v001.xml, as Protege writes), the ontology IRI / version IRI a file
  declares, or the IRI's last path segment as a file name. Never the network.

Every file is parsed into a fresh graph; callers merge only when all files parsed,
so a syntax error never leaves a half-loaded graph in use.

Length (~410 lines): kept in one file on purpose, so a reviewer sees every safety check that runs before
rdflib in one place.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.parsers.expat
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF

LOADER_VERSION = "3"

FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".owl": "xml",
    ".rdf": "xml",
    ".xml": "xml",
    ".rdfs": "xml",
    ".nt": "nt",
    ".ntriples": "nt",
    ".n3": "n3",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
    ".trix": "trix",
}
_DATASET_FORMATS = {"trig", "nquads", "trix"}
_XML_FORMATS = {"xml", "trix"}
RDF_SUFFIXES = tuple(FORMATS)


class OntologyError(ValueError):
    """A file that cannot be loaded; the message names the file (and line when known)."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column


class UnsafeInput(OntologyError):
    """Refused for safety (DTD/entities, remote context, size); never partially read."""


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            b = fh.read(chunk)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


# --- format detection ------------------------------------------------------------------------
def sniff_format(path: Path, head: bytes) -> str:
    """The rdflib format for a file: by suffix, checked against the first bytes when ambiguous
    (a .owl file may be RDF/XML, Turtle or OWL/XML; an unknown suffix is sniffed)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt not in (None, "xml"):
        return fmt
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "xml"  # UTF-16: only XML is sensible; expat reads the BOM
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"{", b"["):
        return "json-ld"
    if text.startswith((b"<?xml", b"<!")) or _XML_TAG.match(text):
        body = _XML_PROLOG.sub(b"", text)
        if _OWLXML_ROOT.match(body):
            raise OntologyError(f"{path}: OWL/XML syntax is not supported; save it as RDF/XML or Turtle", path)
        return "xml"
    return "turtle" if (fmt is None or text[:1] in (b"@", b"#", b"<") or text[:6].lower() in (b"prefix", b"base <")) else fmt


_XML_TAG = re.compile(rb"<[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?[\s>/]")
_XML_PROLOG = re.compile(rb"^(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.S)
_OWLXML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Ontology[\s>]")


# --- XML safety ------------------------------------------------------------------------------
class _PrologDone(Exception):
    pass


def check_xml_safe(data: bytes, path: Path) -> None:
    """Refuse DOCTYPE / ENTITY declarations: scan the prolog with expat, stop at the root element.

    A DTD can only appear before the root element, so once the root starts the document
    can declare no entity. No entity is expanded or fetched during the scan."""
    p = xml.parsers.expat.ParserCreate()

    def refuse(what: str):
        def handler(*_args):
            raise UnsafeInput(
                f"{path}:{p.CurrentLineNumber}: {what} refused: DTDs and entity declarations are not allowed in "
                "ontology files (external entities / entity expansion)", path, p.CurrentLineNumber)
        return handler

    p.StartDoctypeDeclHandler = refuse("DOCTYPE declaration")
    p.EntityDeclHandler = refuse("ENTITY declaration")
    p.UnparsedEntityDeclHandler = refuse("unparsed ENTITY declaration")
    p.ExternalEntityRefHandler = refuse("external entity reference")
    p.NotationDeclHandler = refuse("NOTATION declaration")

    def start(*_args):
        raise _PrologDone

    p.StartElementHandler = start
    try:
        for i in range(0, len(data), 65536):
            p.Parse(data[i : i + 65536], False)
        p.Parse(b"", True)
    except _PrologDone:
        return
    except xml.parsers.expat.ExpatError as exc:
        raise OntologyError(f"{path}:{exc.lineno}:{exc.offset}: XML syntax error: {xml.parsers.expat.errors.messages.get(exc.code, exc)}",
                            path, exc.lineno, exc.offset) from None


# --- JSON-LD safety --------------------------------------------------------------------------
def _inline_contexts(node, resolve, depth: int = 0):
    if depth > 64:
        raise OntologyError("JSON-LD nested too deeply")
    if isinstance(node, list):
        return [_inline_contexts(x, resolve, depth + 1) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if k == "@context":
            out[k] = _context_value(v, resolve, depth)
        else:
            out[k] = _inline_contexts(v, resolve, depth + 1)
    return out


def _context_value(v, resolve, depth: int):
    if isinstance(v, str):
        return _context_value(resolve(v), resolve, depth + 1)
    if isinstance(v, list):
        return [_context_value(x, resolve, depth + 1) for x in v]
    if isinstance(v, dict):
        v = dict(v)
        if isinstance(v.get("@import"), str):
            imported = _context_value(resolve(v.pop("@import")), resolve, depth + 1)
            if isinstance(imported, dict):
                v = {**imported, **v}
        return {k: (_context_value(x, resolve, depth + 1) if k == "@context" else x) for k, x in v.items()}
    return v


# --- parsing -----------------------------------------------------------------------------------
def _line_of(data: bytes, needle: str) -> int | None:
    idx = data.find(needle.encode("utf-8", "replace"))
    return data.count(b"\n", 0, idx) + 1 if idx >= 0 else None


def _syntax_error(path: Path, fmt: str, exc: Exception, data: bytes) -> OntologyError:
    line = col = None
    msg = str(exc)
    name = type(exc).__name__
    if hasattr(exc, "getLineNumber"):
        line, col = exc.getLineNumber(), exc.getColumnNumber()  # type: ignore[attr-defined]
        msg = exc.getMessage()  # type: ignore[attr-defined]
    elif name == "BadSyntax":
        m = re.match(r"at line (\d+)", msg)
        line = int(m.group(1)) if m else (getattr(exc, "lines", None) or 0) + 1
        inner = re.search(r"Bad syntax \((.*?)\) at \^", msg, re.S)
        msg = inner.group(1) if inner else msg.split("\n", 1)[-1]
        ctx = re.search(r'at \^ in:\n"(.*)"', str(exc), re.S)
        if ctx:
            near = ctx.group(1).split("'^b'", 1)[-1][:40].replace("\\n", " ").strip()
            msg += f" near {near!r}" if near else ""
    elif isinstance(exc, json.JSONDecodeError):
        line, col, msg = exc.lineno, exc.colno, exc.msg
    elif name == "ParserError" and msg.startswith("Invalid line"):
        bad = msg.split(":", 1)[-1].strip()
        line = _line_of(data, bad) if bad else None
    where = f"{path}:{line}" + (f":{col}" if col else "") if line else str(path)
    return OntologyError(f"{where}: {fmt} syntax error: {msg}".strip(), path, line, col)


@dataclass
class ParsedFile:
    path: Path
    format: str
    sha256: str
    graph: Graph
    ontology_iris: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)


def read_limited(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise OntologyError(f"{path}: file not found", path) from None
    if not path.is_file():
        raise OntologyError(f"{path}: not a file", path)
    if max_bytes and size > max_bytes:
        raise UnsafeInput(f"{path}: {size} bytes exceeds ontology.max_file_bytes ({max_bytes}); refused", path)
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1 if max_bytes else -1)
    if max_bytes and len(data) > max_bytes:  # grew while we looked
        raise UnsafeInput(f"{path}: larger than ontology.max_file_bytes ({max_bytes}); refused", path)
    return data


def parse_file(
    path: str | Path,
    max_file_bytes: int = 200_000_000,
    context_dirs: list[Path] | None = None,
    fmt: str | None = None,
    into: Graph | None = None,
) -> ParsedFile:
    """Parse one file into a fresh Graph (named graphs of TriG/N-Quads are merged).

    With `into`, triples are added to that graph instead (the caller's own fresh graph, which it
    discards when any file fails: loading stays atomic without copying every triple twice)."""
    path = Path(path)
    data = read_limited(path, max_file_bytes)
    fmt = fmt or sniff_format(path, data[:4096])
    digest = hashlib.sha256(data).hexdigest()
    base = path.resolve().as_uri()
    if fmt in _XML_FORMATS:
        check_xml_safe(data, path)
    payload: bytes | str = data
    if fmt == "json-ld":
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise OntologyError(f"{path}: JSON-LD must be UTF-8 ({exc})", path) from None
        except json.JSONDecodeError as exc:
            raise _syntax_error(path, fmt, exc, data) from None
        dirs = [path.parent] + list(context_dirs or [])

        def resolve(ref: str):
            name = ref.rstrip("/").rsplit("/", 1)[-1]
            for d in dirs:
                for cand in (d / name, d / (name + ".jsonld"), d / (name + ".json")):
                    if name and cand.is_file():
                        ctx = json.loads(read_limited(cand, max_file_bytes).decode("utf-8-sig"))
                        return ctx.get("@context", ctx) if isinstance(ctx, dict) else ctx
            raise UnsafeInput(
                f"{path}: JSON-LD context {ref!r} is not fetched (no network); put a copy named {name!r} next to the "
                "file or in an ontology.import_dirs folder", path)

        payload = json.dumps(_inline_contexts(doc, resolve))
    try:
        if fmt in _DATASET_FORMATS:
            ds = Dataset()
            ds.parse(data=payload, format=fmt, publicID=base)
            g = into if into is not None else Graph()
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
        else:
            g = into if into is not None else Graph()
            g.parse(data=payload, format=fmt, publicID=base)
    except OntologyError:
        raise
    except Exception as exc:  # rdflib raises many types; the message carries the line
        raise _syntax_error(path, fmt, exc, data) from None
    onts = sorted(str(s) for s in g.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    onts += sorted(str(v) for v in g.objects(None, OWL.versionIRI) if isinstance(v, URIRef))
    imports = sorted({str(o) for o in g.objects(None, OWL.imports) if isinstance(o, URIRef)})
    return ParsedFile(path, fmt, digest, g, onts, imports)


# --- owl:imports resolution ---------------------------------------------------------------------
_ONT_IRI = [
    re.compile(rb"<([^>\s]+)>\s+(?:a|rdf:type|<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>)\s+(?:owl:Ontology|<http://www\.w3\.org/2002/07/owl#Ontology>)"),
    re.compile(rb"<owl:Ontology\s[^>]*?rdf:about=\"([^\"]+)\""),
    re.compile(rb"owl:versionIRI\s+<([^>\s]+)>"),
    re.compile(rb"<owl:versionIRI\s+rdf:resource=\"([^\"]+)\""),
    re.compile(rb"\"@id\"\s*:\s*\"([^\"]+)\"[^{}]{0,200}\"@type\"\s*:\s*\"(?:owl:Ontology|http://www\.w3\.org/2002/07/owl#Ontology)\""),
]


class ImportResolver:
    """Maps owl:imports IRIs to local files in the import folders (never the network)."""

    def __init__(self, dirs: list[Path] | None = None) -> None:
        self.dirs = [Path(d) for d in (dirs or []) if Path(d).is_dir()]
        self._by_iri: dict[str, Path] | None = None
        self._by_name: dict[str, list[Path]] = {}

    def files(self) -> list[Path]:
        out = []
        for d in self.dirs:
            for p in sorted(d.rglob("*")):
                if p.is_file() and p.suffix.lower() in RDF_SUFFIXES and not p.name.startswith("catalog"):
                    if self._inside(p, self.dirs):  # a symlink out of the import folders is not followed
                        out.append(p)
        return out

    def signature(self) -> str:
        """Changes when a file appears, disappears or changes size/mtime in an import folder."""
        h = hashlib.sha256()
        for d in self.dirs:
            for p in sorted(d.rglob("*")):
                if p.is_file():
                    st = p.stat()
                    h.update(f"{p}|{st.st_size}|{st.st_mtime_ns}\n".encode())
        return h.hexdigest()[:16]

    def _index(self) -> dict[str, Path]:
        if self._by_iri is not None:
            return self._by_iri
        by_iri: dict[str, Path] = {}
        for d in self.dirs:
            for cat in sorted(list(d.glob("catalog*.xml"))):
                by_iri.update(self._catalog(cat, self.dirs))
        for p in self.files():
            self._by_name.setdefault(p.name.lower(), []).append(p)
            self._by_name.setdefault(p.stem.lower(), []).append(p)
            try:
                with open(p, "rb") as fh:
                    head = fh.read(65536)
            except OSError:
                continue
            for rx in _ONT_IRI:
                for m in rx.finditer(head):
                    by_iri.setdefault(m.group(1).decode("utf-8", "replace"), p)
        self._by_iri = by_iri
        return by_iri

    @staticmethod
    def _inside(target: Path, roots: list[Path]) -> bool:
        """True when `target`, resolved (symlinks and `..` followed), lies inside one of `roots`."""
        real = target.resolve()
        return any(real.is_relative_to(Path(r).resolve()) for r in roots)

    @staticmethod
    def _catalog(path: Path, roots: list[Path] | None = None) -> dict[str, Path]:
        """name -> local file of a catalog-v001.xml; entries that resolve outside `roots` (default: the
        catalog's folder) or name a URL are ignored."""
        from defusedxml import ElementTree as DET

        out: dict[str, Path] = {}
        try:
            root = DET.parse(str(path), forbid_dtd=True).getroot()
        except Exception:
            return out
        for el in root.iter():
            if el.tag.rsplit("}", 1)[-1] == "uri" and el.get("name") and el.get("uri"):
                target = (path.parent / el.get("uri")).resolve()
                if target.is_file() and not re.match(r"^[a-z]+://", el.get("uri") or "") and ImportResolver._inside(
                    target, roots or [path.parent]
                ):
                    out[el.get("name")] = target
        return out

    def resolve(self, iri: str) -> Path | None:
        idx = self._index()
        for key in (iri, iri.rstrip("#/"), iri.rstrip("#/") + "#", iri.rstrip("#/") + "/"):
            if key in idx:
                return idx[key]
        last = iri.rstrip("#/").rsplit("/", 1)[-1].lower()
        if not last:
            return None
        for key in (last, last.rsplit(".", 1)[0], last.replace("-", "_"), last.replace("_", "-")):
            hits = self._by_name.get(key)
            if hits:
                return hits[0]
        return None
