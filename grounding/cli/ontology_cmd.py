"""`grounding ontology ...`: curation commands for domain experts.

  stats [--json] [FILE...]        triples, classes, properties, individuals, labels
  validate [--json] [FILE...]     syntax (file:line), SHACL conventions, ambiguous labels; exit 1 when invalid
  diff [--json] OLD NEW           classes, labels and relations added / removed / changed
  propose                         mine candidate concepts and synonyms from the stored reports into the review queue
  review                          list the review queue
  accept ID --by NAME             write a candidate into the ontology file (Turtle) with provenance
  reject ID --by NAME             reject a candidate (remembered: never proposed again)
  audit [--json]                  embedding-ontology alignment: correlation and misaligned pairs
  link TEXT                       show the concepts the linker finds in a text
  paths A B                       KG paths between two concepts (labels or IRIs); "is A a B?" with its is-a path
  parts X                         what is part of X (part-of edges, through a transitive part of)
  reason [FILE...]                run the reasoner: entailed edges, unsatisfiable classes, consistency (cached)
  test DIR                        competency questions (SPARQL ASK/SELECT, Manchester .omn); exit 1 on a failure

Files default to the configured ontology (`[ontology] files`).
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grounding.cli.context import fail, state

ontology_app = typer.Typer(help="Inspect, validate and curate the ontology.", no_args_is_help=True)
console = Console()


def register(app: typer.Typer) -> None:
    app.add_typer(ontology_app, name="ontology")


def _files(ctx: typer.Context, files: Optional[list[Path]]) -> list[Path]:
    if files:
        return list(files)
    cfg = state(ctx).cfg
    out = [cfg.resolve(f) for f in cfg.ontology.files]
    if not out:
        fail("no file given and no [ontology] files configured", code=2)
    return out


def _import_dirs(ctx: typer.Context) -> list[Path]:
    cfg = state(ctx).cfg
    return [cfg.resolve(d) for d in cfg.ontology.import_dirs]


def _load(ctx: typer.Context):
    from grounding.ontology.loader import OntologyError

    try:
        state(ctx).system.reason_ontology = True  # `ontology` commands materialize entailments (once, cached)
        onto = state(ctx).system.ontology
    except OntologyError as exc:
        fail(str(exc))
    if onto is None:
        fail("no ontology configured ([ontology] files)", code=2)
    return onto


def _print_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _curator(by: Optional[str]) -> str:
    if by:
        return by
    try:
        return os.environ.get("GROUNDING_CURATOR") or getpass.getuser()
    except Exception:
        return ""


def _resolve_concept(ctx: typer.Context, ref: str) -> str:
    """An IRI, a prefixed name (gr:Foo) or a label -> concept IRI."""
    onto = _load(ctx)
    cfg = state(ctx).cfg
    if ref in onto.concepts:
        return ref
    if ":" in ref and not ref.startswith("http"):
        prefix, local = ref.split(":", 1)
        for p, ns in onto.rdf.namespaces():
            if p == prefix and str(ns) + local in onto.concepts:
                return str(ns) + local
        if cfg.ontology.base_namespace + local in onto.concepts:
            return cfg.ontology.base_namespace + local
    linker = state(ctx).system.linker
    ms = linker.link(ref, fuzzy=True) if linker else []
    full = [m for m in ms if m.start == 0 and m.end >= len(ref.strip())]
    if full:
        return full[0].concept
    exact = [i for i, c in onto.concepts.items() if any(t.casefold() == ref.casefold() for t, _, _ in c.all_labels())]
    if len(exact) == 1:
        return exact[0]
    fail(f"{ref!r} is not a concept (give an IRI, a prefixed name such as gr:Pump, or an exact label)")
    return ""


# --- stats ---------------------------------------------------------------------------------------
@ontology_app.command("stats")
def stats_cmd(
    ctx: typer.Context,
    files: Optional[list[Path]] = typer.Argument(None, help="Ontology files (default: the configured ones)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Triples, classes, object/datatype properties, individuals and labels, per file and together."""
    from rdflib import Graph

    from grounding.ontology.curation import ontology_stats
    from grounding.ontology.loader import OntologyError, parse_file

    paths = _files(ctx, files)
    cfg = state(ctx).cfg
    per: dict[str, dict] = {}
    union = Graph()
    for p in paths:
        try:
            pf = parse_file(p, cfg.ontology.max_file_bytes, _import_dirs(ctx))
        except OntologyError as exc:
            fail(str(exc))
        per[str(p)] = ontology_stats(pf.graph)
        union += pf.graph
    total = ontology_stats(union) if len(paths) > 1 else next(iter(per.values()))
    if as_json:
        _print_json({"files": per, "total": total})
        return
    keys = ["triples", "classes", "object_properties", "datatype_properties", "annotation_properties", "individuals",
            "skos_concepts", "labels", "alt_labels", "hidden_labels", "definitions", "unlabelled_classes",
            "subclass_axioms", "restrictions", "disjointness_axioms", "equivalences"]
    t = Table(title="ontology statistics")
    t.add_column("")
    cols = list(per) + (["total"] if len(paths) > 1 else [])
    for c in cols:
        t.add_column(Path(c).name if c != "total" else "total", justify="right")
    rows = [per[c] for c in per] + ([total] if len(paths) > 1 else [])
    for k in keys:
        t.add_row(k.replace("_", " "), *[str(r[k]) for r in rows])
    t.add_row("labels by language", *[" ".join(f"{lang or '-'}:{n}" for lang, n in r["labels_by_lang"].items()) for r in rows])
    t.add_row("mappings", *[str(sum(r["mappings"].values())) for r in rows])
    console.print(t)


# --- validate ------------------------------------------------------------------------------------
@ontology_app.command("validate")
def validate_cmd(
    ctx: typer.Context,
    files: Optional[list[Path]] = typer.Argument(None, help="Ontology files validated together (default: the configured ones)."),
    as_json: bool = typer.Option(False, "--json"),
    strict: bool = typer.Option(False, "--strict", help="Warnings make the exit status 1 too."),
    no_shacl: bool = typer.Option(False, "--no-shacl", help="Syntax and label checks only (fast)."),
    limit: int = typer.Option(200, help="Issues printed at most (all in --json)."),
    reasoner: str = typer.Option("", "--reasoner", help="hermit | owlrl | none for the consistency check (default: [ontology] reasoner)."),
) -> None:
    """Syntax errors (file:line), SHACL conventions (labelled classes, no subClassOf cycles, no dangling
    references), no label shared by two concepts. Exit status 1 when invalid."""
    from grounding.ontology.curation import validate_files
    from grounding.ontology.graph import OntologyGraph
    from grounding.ontology.loader import ImportResolver, OntologyError

    cfg = state(ctx).cfg
    reasoner = _reasoner_name(ctx, reasoner)
    paths = _files(ctx, files)
    dirs = _import_dirs(ctx)
    background = None
    given = {p.resolve() for p in paths}
    bg_files = [f for f in ImportResolver(dirs).files() if f.resolve() not in given]
    if bg_files and not no_shacl:
        try:  # third-party vocabularies resolve references (cached); they are not validated here
            background = OntologyGraph.load(bg_files, max_file_bytes=cfg.ontology.max_file_bytes,
                                            cache_dir=cfg.data_dir / "ontology-cache" if cfg.ontology.cache else None)
        except OntologyError as exc:
            typer.echo(f"note: import folders not used to resolve references: {exc}", err=True)
    rep = validate_files(paths, dirs, cfg.ontology.base_namespace, cfg.ontology.max_file_bytes, background, shacl=not no_shacl)
    if reasoner != "none" and not rep.errors:
        _consistency_issues(ctx, rep, paths, reasoner)
    bad = not rep.ok or (strict and rep.warnings)
    if as_json:
        _print_json(rep.as_dict())
        raise typer.Exit(1 if bad else 0)
    for issue in rep.issues[:limit]:
        style = {"error": "red", "warning": "yellow"}.get(issue.severity, "dim")
        console.print(f"[{style}]{escape(str(issue))}[/]", highlight=False, markup=True, soft_wrap=True)
    if len(rep.issues) > limit:
        console.print(f"... {len(rep.issues) - limit} more (use --json)")
    verdict = "[green]valid[/]" if not bad else "[red]invalid[/]"
    console.print(
        f"{verdict}: {len(rep.errors)} error(s), {len(rep.warnings)} warning(s); {rep.triples} triples; "
        f"checks: {', '.join(rep.checked)}; {rep.seconds:.1f} s", highlight=False)
    raise typer.Exit(1 if bad else 0)


def _reasoner_name(ctx: typer.Context, name: str) -> str:
    from grounding.ontology.reasoner import REASONERS

    name = (name or state(ctx).cfg.ontology.reasoner).lower()
    if name not in REASONERS:
        fail(f"--reasoner {name!r}: choose one of {', '.join(REASONERS)}", code=2)
    return name


def _load_reasoned(ctx: typer.Context, paths: list[Path], reasoner: str, follow_imports: bool = True, cache_only: bool = False):
    """The files loaded with the reasoner's entailments, cached in the data dir like the configured ontology."""
    from grounding.ontology.graph import OntologyGraph
    from grounding.ontology.loader import OntologyError

    cfg = state(ctx).cfg
    oc = cfg.ontology
    if cache_only and not oc.cache:
        return None
    try:
        return OntologyGraph.load(
            paths, import_dirs=_import_dirs(ctx) if follow_imports else None, max_file_bytes=oc.max_file_bytes,
            cache_dir=cfg.data_dir / "ontology-cache" if oc.cache else None, max_triples=oc.max_triples,
            missing_imports=oc.missing_imports, follow_imports=follow_imports, reasoner=reasoner,
            reasoner_timeout_s=oc.reasoner_timeout_s, reasoner_memory_mb=oc.reasoner_memory_mb,
            cache_only=cache_only)
    except OntologyError as exc:
        fail(str(exc))


def _consistency_issues(ctx: typer.Context, rep, paths: list[Path], reasoner: str) -> None:
    """Inconsistency and unsatisfiable classes (the reasoner's), added to a validation report."""
    from grounding.ontology.curation import Issue, _Locator

    onto = _load_reasoned(ctx, paths, reasoner)
    info = onto.reasoning or {}
    ran = info.get("reasoner", reasoner)
    rep.checked.append(f"reasoner ({ran})")
    if ran == "failed":
        rep.issues.append(Issue("warning", "reasoner", f"consistency not checked: {info.get('message', '')}"))
        return
    if not info.get("consistent", True):
        rep.issues.append(Issue("error", "consistency", info.get("message") or "the ontology is inconsistent"))
    loc = _Locator(paths)
    for iri in onto.unsatisfiable:
        f, line = loc.find(iri)
        rep.issues.append(Issue("error", "unsatisfiable", f"class {onto.label(iri)!r} <{iri}> is unsatisfiable (equivalent to "
                                f"owl:Nothing, {ran}): no individual can be one; check its superclasses and disjointness axioms",
                                f, line, iri))
    if ran == "owlrl":
        rep.issues.append(Issue("info", "reasoner", "OWL-RL does not find unsatisfiable classes through class "
                                "definitions; use reasoner = hermit (needs Java) for a full check"))


# --- diff ----------------------------------------------------------------------------------------
@ontology_app.command("diff")
def diff_cmd(
    ctx: typer.Context,
    old: Path = typer.Argument(..., help="The old version (file)."),
    new: Path = typer.Argument(..., help="The new version (file)."),
    as_json: bool = typer.Option(False, "--json"),
    limit: int = typer.Option(50, help="Lines printed per section."),
    reasoner: str = typer.Option("", "--reasoner", help="hermit | owlrl | none: entailments compared (default: [ontology] reasoner)."),
) -> None:
    """Classes, properties, labels, definitions, parents and relations added, removed or changed, and the
    entailments (reasoner) gained or lost."""
    from grounding.ontology.curation import diff_ontologies

    name = _reasoner_name(ctx, reasoner)
    a = _load_reasoned(ctx, [old], name, follow_imports=False)
    b = _load_reasoned(ctx, [new], name, follow_imports=False)
    d = diff_ontologies(a, b)
    if as_json:
        _print_json(d)
        return
    s = d["summary"]
    console.print(
        f"classes +{s['classes_added']} -{s['classes_removed']}, changed {s['changed']}; properties +{s['properties_added']} "
        f"-{s['properties_removed']}; individuals +{s['individuals_added']} -{s['individuals_removed']}; relations "
        f"+{s['relations_added']} -{s['relations_removed']}", highlight=False)
    for key, sign in (("classes_added", "+"), ("classes_removed", "-"), ("properties_added", "+"), ("properties_removed", "-"),
                      ("individuals_added", "+"), ("individuals_removed", "-")):
        for item in d[key][:limit]:
            typer.echo(f"{sign} {key.split('_')[0][:-2] if key.startswith('classes') else key.split('_')[0]} {item['label']} <{item['iri']}>")
    for item in d["possible_renames"][:limit]:
        typer.echo(f"~ renamed? {item['label']}: <{item['old']}> -> <{item['new']}>")
    for ch in d["changed"][:limit]:
        parts = []
        for k in ("labels", "alt_labels", "hidden_labels", "parents"):
            if k in ch:
                parts += [f"{k} +{x}" for x in ch[k]["added"]] + [f"{k} -{x}" for x in ch[k]["removed"]]
        if "definition" in ch:
            parts.append("definition changed")
        if "deprecated" in ch:
            parts.append(f"deprecated={ch['deprecated']}")
        typer.echo(f"~ {ch['label']} <{ch['iri']}>: " + "; ".join(parts))
    for item in d["relations_added"][:limit]:
        typer.echo(f"+ relation {item['text']}")
    for item in d["relations_removed"][:limit]:
        typer.echo(f"- relation {item['text']}")
    if name != "none":
        typer.echo(f"entailments ({(b.reasoning or {}).get('reasoner', name)}): +{len(d['entailments_gained'])} "
                   f"-{len(d['entailments_lost'])}; unsatisfiable +{len(d['unsatisfiable_gained'])} -{len(d['unsatisfiable_lost'])}")
    for item in d["entailments_gained"][:limit]:
        typer.echo(f"+ entailed {item['text']}")
    for item in d["entailments_lost"][:limit]:
        typer.echo(f"- entailed {item['text']}")
    for item in d["unsatisfiable_gained"][:limit]:
        typer.echo(f"+ unsatisfiable {item['label']} <{item['iri']}>")
    for item in d["unsatisfiable_lost"][:limit]:
        typer.echo(f"- unsatisfiable {item['label']} <{item['iri']}>")


# --- review queue ----------------------------------------------------------------------------------
def _queue(ctx: typer.Context):
    from grounding.ontology.review_store import ReviewQueue

    return ReviewQueue(state(ctx).system.store)


@ontology_app.command("propose")
def propose_cmd(
    ctx: typer.Context,
    min_reports: Optional[int] = typer.Option(None, help="Minimum reports per candidate (default: [ontology] propose_min_reports)."),
    corpus: Optional[str] = typer.Option(None, help="Only reports of this corpus."),
    limit: int = typer.Option(0, help="Read at most this many reports (0 = all)."),
    max_candidates: int = typer.Option(300, help="Keep the most frequent N candidates."),
    show: int = typer.Option(25, help="Candidates printed."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Mine candidate concepts and synonyms (frequent unlinked terms and abbreviations) from the stored
    reports into the review queue. Rejected and accepted candidates are never proposed again."""
    from sqlalchemy import select

    from grounding.ontology.propose import mine_candidates
    from grounding.store.schema import Report

    system = state(ctx).system
    cfg = state(ctx).cfg
    _load(ctx)
    linker = system.linker
    queue = _queue(ctx)
    store = system.store

    def reports():
        last, n = "", 0
        while True:
            with store.session() as s:
                q = select(Report.id, Report.text).where(Report.id > last).order_by(Report.id).limit(1000)
                if corpus:
                    q = q.where(Report.corpus == corpus)
                rows = list(s.execute(q))
            if not rows:
                return
            for rid, text in rows:
                yield rid, text
                n += 1
                if limit and n >= limit:
                    return
            last = rows[-1][0]

    mr = min_reports or cfg.ontology.propose_min_reports
    cands = mine_candidates(reports(), linker, min_reports=mr, max_candidates=max_candidates, skip=queue.decided_keys())
    res = queue.upsert(cands)
    if as_json:
        _print_json({**res, "candidates": [c.__dict__ for c in cands[:show]]})
        return
    console.print(f"{len(cands)} candidate(s) in >= {mr} reports: {res['added']} new, {res['refreshed']} refreshed "
                  f"(decided ones are kept as decided)", highlight=False)
    _print_rows(ctx, queue.list("pending", limit=show))


def _print_rows(ctx: typer.Context, rows) -> None:
    onto = _load(ctx)
    t = Table()
    for c in ("id", "kind", "term", "concept / parent", "reports", "found by", "examples"):
        t.add_column(c)
    for r in rows:
        target = onto.label(r.concept) if r.concept else ""
        term = r.term + (f" ({r.abbreviation})" if r.abbreviation else "")
        t.add_row(str(r.id), r.kind, term, target, str(r.reports), r.evidence, ", ".join(r.examples[:3]))
    console.print(t)


@ontology_app.command("review")
def review_cmd(
    ctx: typer.Context,
    status: str = typer.Option("pending", help="pending | accepted | rejected | all"),
    kind: Optional[str] = typer.Option(None, help="concept | synonym"),
    limit: int = typer.Option(50),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List the review queue, most frequent first."""
    queue = _queue(ctx)
    rows = queue.list(status, kind, limit)
    if as_json:
        cols = ("id", "kind", "term", "term_key", "concept", "abbreviation", "reports", "mentions", "examples", "context",
                "evidence", "status", "decided_by", "decided_at", "note", "accepted_iri")
        _print_json({"counts": queue.counts(), "candidates": [{c: getattr(r, c) for c in cols} for r in rows]})
        return
    console.print(f"queue: {queue.counts()}", highlight=False)
    _print_rows(ctx, rows)


@ontology_app.command("accept")
def accept_cmd(
    ctx: typer.Context,
    cid: int = typer.Argument(..., help="Candidate id (see `review`)."),
    by: Optional[str] = typer.Option(None, "--by", help="Curator name (default: $GROUNDING_CURATOR or the login name)."),
    label: Optional[str] = typer.Option(None, help="Label to write instead of the mined term."),
    parent: Optional[str] = typer.Option(None, help="Parent concept of a new concept (IRI, gr:Name or label)."),
    concept: Optional[str] = typer.Option(None, "--concept", help="Accept as a synonym of this concept instead."),
    ko: Optional[str] = typer.Option(None, "--ko", help="Korean label of a new concept."),
    definition: Optional[str] = typer.Option(None, help="skos:definition of a new concept."),
    file: Optional[Path] = typer.Option(None, help="Turtle file to write (default: the first configured ontology file)."),
    force: bool = typer.Option(False, help="Write even when the label already names another concept."),
) -> None:
    """Write the candidate into the ontology file with provenance (report ids, curator, time), atomically,
    keeping a backup of the previous file."""
    from grounding.ontology.accept import AcceptError, accept_into_file

    cfg = state(ctx).cfg
    queue = _queue(ctx)
    row = queue.get(cid)
    if row is None:
        fail(f"no candidate #{cid}")
    if row.status != "pending":
        fail(f"candidate #{cid} is already {row.status} (by {row.decided_by or '?'})")
    curator = _curator(by)
    target = file or (cfg.resolve(cfg.ontology.files[0]) if cfg.ontology.files else None)
    if target is None:
        fail("no ontology file to write (--file)")
    kind = "synonym" if (concept or row.kind == "synonym") else "concept"
    target_concept = _resolve_concept(ctx, concept) if concept else row.concept
    parent_iri = _resolve_concept(ctx, parent) if parent else (row.concept if row.kind == "concept" else "")
    others = [cfg.resolve(f) for f in cfg.ontology.files]
    try:
        res = accept_into_file(
            target, kind=kind, term=label or row.term, by=curator, reports=list(row.examples), candidate_id=row.id,
            concept=target_concept, parent=parent_iri, abbreviation=row.abbreviation if kind == "concept" else "",
            ko_label=ko or "", definition=definition or "", base_namespace=cfg.ontology.base_namespace,
            backup_dir=cfg.data_dir / cfg.ontology.backup_dir, report_count=row.reports, check_with=others, force=force,
            max_backups=cfg.ontology.max_backups,
        )
    except AcceptError as exc:
        fail(str(exc))
    queue.decide(cid, "accepted", curator, iri=res.iri)
    console.print(f"accepted #{cid} as {kind} <{res.iri}> into {res.file} (backup: {res.backup or 'none'})", highlight=False)
    typer.echo(res.block)
    typer.echo("The linker fingerprint changed: the next `grounding ingest` relinks every report.")


@ontology_app.command("reject")
def reject_cmd(
    ctx: typer.Context,
    cid: int = typer.Argument(..., help="Candidate id (see `review`)."),
    by: Optional[str] = typer.Option(None, "--by", help="Curator name."),
    reason: str = typer.Option("", help="Why (kept with the decision)."),
) -> None:
    """Reject a candidate; the decision is remembered and the term is not proposed again."""
    queue = _queue(ctx)
    row = queue.get(cid)
    if row is None:
        fail(f"no candidate #{cid}")
    if row.status != "pending":
        fail(f"candidate #{cid} is already {row.status}")
    queue.decide(cid, "rejected", _curator(by), note=reason)
    typer.echo(f"rejected #{cid} {row.term!r}")


# --- audit ---------------------------------------------------------------------------------------
@ontology_app.command("audit")
def audit_cmd(
    ctx: typer.Context,
    top: int = typer.Option(20, help="Misaligned pairs shown."),
    threshold: float = typer.Option(0.6, help="Similarity above which a separated pair counts as misaligned."),
    far: int = typer.Option(6, help="Taxonomic distance from which two concepts are in distant branches."),
    namespace: Optional[str] = typer.Option(None, help="Only concepts whose IRI starts with this."),
    with_definition: bool = typer.Option(False, help="Embed 'label: definition' instead of the label."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Embedding-ontology alignment: similarity of concept embeddings against graph distance (the
    correlation), and the pairs the embedder puts close that the ontology separates."""
    from grounding.ontology.audit import audit

    onto = _load(ctx)
    system = state(ctx).system
    try:
        res = audit(onto, system.embedder, top=top, threshold=threshold, far=far, namespace=namespace, with_definition=with_definition)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        _print_json({"embedder": getattr(system.embedder, "name", ""), **res.as_dict()})
        return
    console.print(
        f"{res.concepts} concepts, {res.pairs} pairs, embedder {getattr(system.embedder, 'name', '?')}: Spearman(similarity, "
        f"distance) = {res.spearman:+.3f}, Pearson = {res.pearson:+.3f} (negative: the embedder agrees with the ontology)",
        highlight=False)
    console.print(f"pairs with similarity >= {res.threshold} that the ontology separates: {res.counts}", highlight=False)
    t = Table(title="mean similarity by taxonomic distance")
    t.add_column("distance", justify="right")
    t.add_column("pairs", justify="right")
    t.add_column("mean similarity", justify="right")
    for row in res.by_distance:
        t.add_row(str(row["distance"]), str(row["pairs"]), f"{row['mean_similarity']:.3f}")
    console.print(t)
    t = Table(title="most similar pairs the ontology separates")
    for c in ("similarity", "relation", "hops", "concept", "concept"):
        t.add_column(c)
    for p in res.misaligned:
        t.add_row(f"{p.similarity:.3f}", p.relation, str(p.distance), p.label_a, p.label_b)
    console.print(t)


# --- debugging helpers ---------------------------------------------------------------------------
@ontology_app.command("link")
def link_cmd(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="Text to link (a question or a report passage)."),
    exact: bool = typer.Option(False, "--exact", help="Exact matching only, as for reports (default: as for questions)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The concepts the entity linker finds in a text, with spans, scores and methods."""
    onto = _load(ctx)
    linker = state(ctx).system.linker
    ms = linker.link(text, fuzzy=not exact)
    rows = [{"concept": m.concept, "label": onto.label(m.concept), "start": m.start, "end": m.end, "surface": m.surface,
             "score": m.score, "method": m.method} for m in ms]
    if as_json:
        _print_json(rows)
        return
    for r in rows:
        typer.echo(f"{r['start']:>4}-{r['end']:<4} {r['surface']!r:30} -> {r['label']} <{r['concept']}> {r['method']} {r['score']:.2f}")
    if not rows:
        typer.echo("no concept linked")


@ontology_app.command("paths")
def paths_cmd(
    ctx: typer.Context,
    source: str = typer.Argument(..., help="Concept (IRI, gr:Name or label)."),
    target: str = typer.Argument(..., help="Concept (IRI, gr:Name or label)."),
    max_hops: Optional[int] = typer.Option(None, help="Default: [ontology] max_hops."),
    k: int = typer.Option(5, "-k", help="Paths shown."),
    as_json: bool = typer.Option(False, "--json"),
    is_a: bool = typer.Option(False, "--is-a", help="Only answer \"is A a B?\" (exit 0 yes, 1 no / not entailed)."),
) -> None:
    """The k shortest typed KG paths between two concepts, and whether A is a B (asserted or entailed).
    Entailed edges are marked "(entailed)"; --json gives per hop `entailed` and the justifying axioms."""
    from grounding.ontology.paths import kg_paths
    from grounding.ontology.questions import is_a_answer

    onto = _load(ctx)
    cfg = state(ctx).cfg
    a, b = _resolve_concept(ctx, source), _resolve_concept(ctx, target)
    ans = is_a_answer(onto, a, b)
    if is_a:
        if as_json:
            _print_json(ans.as_dict(onto))
        else:
            typer.echo(ans.text(onto))
            for axiom in (ans.path.because if ans.path else []):
                for line in axiom:
                    typer.echo(f"    because: {line}")
        raise typer.Exit(0 if ans.holds else 1)
    paths = kg_paths(onto, [a], [b], max_hops or cfg.ontology.max_hops, k)
    if as_json:
        _print_json({"is_a": ans.as_dict(onto), "paths": [p.as_dict(onto) for p in paths]})
        return
    if ans.holds is not None:
        typer.echo(f"is a: {ans.text(onto)}")
    for p in paths:
        typer.echo(f"[{p.id}] {p.render(onto)}")
    if not paths:
        typer.echo(f"no path within {max_hops or cfg.ontology.max_hops} hops")


@ontology_app.command("parts")
def parts_cmd(
    ctx: typer.Context,
    whole: str = typer.Argument(..., help="Concept (IRI, gr:Name or label)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """What is part of X: concepts with a part-of edge to X (or X has part), through a transitive part of."""
    from grounding.ontology.questions import part_of_answer

    onto = _load(ctx)
    x = _resolve_concept(ctx, whole)
    ans = part_of_answer(onto, x)
    if as_json:
        _print_json({"whole": x, "parts": [{"part": p.nodes[0], "label": onto.label(p.nodes[0]), **p.as_dict(onto)} for p in ans.paths]})
        return
    for p in ans.paths:
        typer.echo(f"[{p.id}] {p.render(onto)}")
    if not ans.paths:
        typer.echo(f"nothing in the ontology is part of {onto.label(x)}")


# --- reasoning and competency questions ------------------------------------------------------------
@ontology_app.command("reason")
def reason_cmd(
    ctx: typer.Context,
    files: Optional[list[Path]] = typer.Argument(None, help="Ontology files (default: the configured ones)."),
    reasoner: str = typer.Option("", "--reasoner", help="hermit | owlrl | none (default: [ontology] reasoner)."),
    show: int = typer.Option(20, help="Entailed edges printed."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Run the reasoner once and cache the entailed KG (as `ingest` does): timings, entailed edges,
    unsatisfiable classes, consistency. A later load of the same files and reasoner is read from the cache."""
    import time

    name = _reasoner_name(ctx, reasoner)
    t0 = time.perf_counter()
    onto = _load_reasoned(ctx, _files(ctx, files), name)
    wall = time.perf_counter() - t0
    info = dict(onto.reasoning or {"reasoner": "none"})
    edges = [(s, o, k, d) for s, o, k, d in onto.nx.edges(keys=True, data=True) if d.get("entailed")]
    if as_json:
        _print_json({**info, "from_cache": onto.from_cache, "load_seconds": round(wall, 3), "classes": sum(
            c.kind == "class" for c in onto.concepts.values()), "triples": onto.triples, "unsatisfiable_classes": onto.unsatisfiable,
            "entailed": [{"subject": s, "relation": k, "object": o, "text": f"{onto.label(s)} -{d['label']}-> {onto.label(o)}",
                          "because": d.get("because", [])} for s, o, k, d in edges]})
        return
    typer.echo(f"{onto.triples} triples, {sum(c.kind == 'class' for c in onto.concepts.values())} classes; reasoner "
               f"{info.get('reasoner')}: {info.get('seconds', 0):.2f} s reasoning, {wall:.2f} s load"
               f"{' (from the cache)' if onto.from_cache else ''}; consistent: {info.get('consistent', True)}; "
               f"{len(onto.unsatisfiable)} unsatisfiable; {len(edges)} entailed edge(s) added")
    if info.get("message"):
        typer.echo(f"note: {info['message']}")
    for iri in onto.unsatisfiable[:show]:
        typer.echo(f"unsatisfiable: {onto.label(iri)} <{iri}>")
    for s, o, k, d in edges[:show]:
        typer.echo(f"entailed: {onto.label(s)} -{d['label']}-> {onto.label(o)}")
    if len(edges) > show:
        typer.echo(f"... {len(edges) - show} more (--json)")


@ontology_app.command("test")
def test_cmd(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="Folder of competency questions (*.rq, *.sparql, *.omn; searched recursively)."),
    ontology: Optional[list[Path]] = typer.Option(None, "--ontology", help="Ontology file(s) to test (default: the configured ones)."),
    reasoner: str = typer.Option("", "--reasoner", help="hermit | owlrl | none (default: [ontology] reasoner)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Run competency questions: pass / fail / skipped (with the reason) per question; exit 1 on a failure."""
    from grounding.ontology.competency import run_folder

    if not folder.is_dir():
        fail(f"{folder}: not a folder", code=2)
    name = _reasoner_name(ctx, reasoner)
    oc = state(ctx).cfg.ontology
    files = _files(ctx, ontology)
    # the reasoned view when cached; else the asserted one, which the questions' own reasoner run classifies
    onto = _load_reasoned(ctx, files, name, cache_only=True) or _load_reasoned(ctx, files, "none")
    rep = run_folder(folder, onto, name, oc.reasoner_timeout_s, oc.reasoner_memory_mb)
    if as_json:
        _print_json(rep.as_dict())
        raise typer.Exit(0 if rep.ok else 1)
    for r in rep.results:
        mark = {"pass": "[green]PASS[/]", "fail": "[red]FAIL[/]", "skip": "[yellow]SKIP[/]"}[r.status]
        q = f" -- {escape(r.question)}" if r.question else ""
        detail = f"\n       {escape(r.detail)}" if r.detail and r.status != "pass" else ""
        console.print(f"{mark} {escape(r.name)}{q}{detail}", highlight=False, soft_wrap=True)
    console.print(f"{rep.count('pass')} passed, {rep.count('fail')} failed, {rep.count('skip')} skipped "
                  f"(reasoner {rep.reasoner}, {rep.seconds:.1f} s)", highlight=False)
    raise typer.Exit(0 if rep.ok else 1)
