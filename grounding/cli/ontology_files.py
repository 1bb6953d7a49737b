"""`grounding ontology stats | validate | diff`: what is in the ontology files, whether they are valid, what changed."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from grounding.cli.context import fail, state
from grounding.cli.ontology_cmd import (
    config_files,
    consistency_issues,
    console,
    import_dirs,
    load_reasoned,
    ontology_app,
    print_json,
    reasoner_name,
)


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

    paths = config_files(ctx, files)
    cfg = state(ctx).cfg
    per: dict[str, dict] = {}
    union = Graph()
    for p in paths:
        try:
            pf = parse_file(p, cfg.ontology.max_file_bytes, import_dirs(ctx))
        except OntologyError as exc:
            fail(str(exc))
        per[str(p)] = ontology_stats(pf.graph)
        union += pf.graph
    total = ontology_stats(union) if len(paths) > 1 else next(iter(per.values()))
    if as_json:
        print_json({"files": per, "total": total})
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
    reasoner = reasoner_name(ctx, reasoner)
    paths = config_files(ctx, files)
    dirs = import_dirs(ctx)
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
        consistency_issues(ctx, rep, paths, reasoner)
    bad = not rep.ok or (strict and rep.warnings)
    if as_json:
        print_json(rep.as_dict())
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

    name = reasoner_name(ctx, reasoner)
    a = load_reasoned(ctx, [old], name, follow_imports=False)
    b = load_reasoned(ctx, [new], name, follow_imports=False)
    d = diff_ontologies(a, b)
    if as_json:
        print_json(d)
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
