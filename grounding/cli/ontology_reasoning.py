"""`grounding ontology reason | test`: the reasoner's entailments (cached) and competency questions."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from grounding.cli.context import fail, state
from grounding.cli.ontology_cmd import config_files, console, load_reasoned, ontology_app, print_json, reasoner_name


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

    name = reasoner_name(ctx, reasoner)
    t0 = time.perf_counter()
    onto = load_reasoned(ctx, config_files(ctx, files), name)
    wall = time.perf_counter() - t0
    info = dict(onto.reasoning or {"reasoner": "none"})
    edges = [(s, o, k, d) for s, o, k, d in onto.nx.edges(keys=True, data=True) if d.get("entailed")]
    if as_json:
        print_json({**info, "from_cache": onto.from_cache, "load_seconds": round(wall, 3), "classes": sum(
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
    name = reasoner_name(ctx, reasoner)
    oc = state(ctx).cfg.ontology
    files = config_files(ctx, ontology)
    # the reasoned view when cached; else the asserted one, which the questions' own reasoner run classifies
    onto = load_reasoned(ctx, files, name, cache_only=True) or load_reasoned(ctx, files, "none")
    rep = run_folder(folder, onto, name, oc.reasoner_timeout_s, oc.reasoner_memory_mb)
    if as_json:
        print_json(rep.as_dict())
        raise typer.Exit(0 if rep.ok else 1)
    for r in rep.results:
        mark = {"pass": "[green]PASS[/]", "fail": "[red]FAIL[/]", "skip": "[yellow]SKIP[/]"}[r.status]
        q = f" -- {escape(r.question)}" if r.question else ""
        detail = f"\n       {escape(r.detail)}" if r.detail and r.status != "pass" else ""
        console.print(f"{mark} {escape(r.name)}{q}{detail}", highlight=False, soft_wrap=True)
    console.print(f"{rep.count('pass')} passed, {rep.count('fail')} failed, {rep.count('skip')} skipped "
                  f"(reasoner {rep.reasoner}, {rep.seconds:.1f} s)", highlight=False)
    raise typer.Exit(0 if rep.ok else 1)
