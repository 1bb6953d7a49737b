"""`grounding ontology audit | link | paths | parts`: the embedding-ontology alignment and look-ups for debugging."""

from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from grounding.cli.context import fail, state
from grounding.cli.ontology_cmd import console, load_ontology, ontology_app, print_json, resolve_concept_arg


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

    onto = load_ontology(ctx)
    system = state(ctx).system
    try:
        res = audit(onto, system.embedder, top=top, threshold=threshold, far=far, namespace=namespace, with_definition=with_definition)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_json({"embedder": getattr(system.embedder, "name", ""), **res.as_dict()})
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
    onto = load_ontology(ctx)
    linker = state(ctx).system.linker
    ms = linker.link(text, fuzzy=not exact)
    rows = [{"concept": m.concept, "label": onto.label(m.concept), "start": m.start, "end": m.end, "surface": m.surface,
             "score": m.score, "method": m.method} for m in ms]
    if as_json:
        print_json(rows)
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

    onto = load_ontology(ctx)
    cfg = state(ctx).cfg
    a, b = resolve_concept_arg(ctx, source), resolve_concept_arg(ctx, target)
    ans = is_a_answer(onto, a, b)
    if is_a:
        if as_json:
            print_json(ans.as_dict(onto))
        else:
            typer.echo(ans.text(onto))
            for axiom in (ans.path.because if ans.path else []):
                for line in axiom:
                    typer.echo(f"    because: {line}")
        raise typer.Exit(0 if ans.holds else 1)
    paths = kg_paths(onto, [a], [b], max_hops or cfg.ontology.max_hops, k)
    if as_json:
        print_json({"is_a": ans.as_dict(onto), "paths": [p.as_dict(onto) for p in paths]})
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

    onto = load_ontology(ctx)
    x = resolve_concept_arg(ctx, whole)
    ans = part_of_answer(onto, x)
    if as_json:
        print_json({"whole": x, "parts": [{"part": p.nodes[0], "label": onto.label(p.nodes[0]), **p.as_dict(onto)} for p in ans.paths]})
        return
    for p in ans.paths:
        typer.echo(f"[{p.id}] {p.render(onto)}")
    if not ans.paths:
        typer.echo(f"nothing in the ontology is part of {onto.label(x)}")
