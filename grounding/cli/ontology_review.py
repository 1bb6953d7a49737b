"""`grounding ontology propose | review | accept | reject`: the review queue from the command line.

The work is grounding.ontology.review's (the same service as the HTTP curation endpoints); this
module reads the options and prints the outcome.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from grounding.cli.context import fail, state
from grounding.cli.ontology_cmd import console, curator_name, load_ontology, ontology_app, print_json, resolve_concept_arg


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
    from grounding.ontology import review

    load_ontology(ctx)
    system = state(ctx).system
    res = review.mine(system, corpus=corpus, limit=limit, min_reports=min_reports, max_candidates=max_candidates)
    if as_json:
        print_json({"added": res.added, "refreshed": res.refreshed, "candidates": [c.__dict__ for c in res.candidates[:show]]})
        return
    console.print(f"{len(res.candidates)} candidate(s) in >= {res.min_reports} reports: {res.added} new, {res.refreshed} refreshed "
                  f"(decided ones are kept as decided)", highlight=False)
    _print_rows(ctx, review.queue(system).list("pending", limit=show))


def _print_rows(ctx: typer.Context, rows) -> None:
    onto = load_ontology(ctx)
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
    from grounding.ontology import review

    queue = review.queue(state(ctx).system)
    rows = queue.list(status, kind, limit)
    if as_json:
        cols = ("id", "kind", "term", "term_key", "concept", "abbreviation", "reports", "mentions", "examples", "context",
                "evidence", "status", "decided_by", "decided_at", "note", "accepted_iri")
        print_json({"counts": queue.counts(), "candidates": [{c: getattr(r, c) for c in cols} for r in rows]})
        return
    console.print(f"queue: {queue.counts()}", highlight=False)
    _print_rows(ctx, rows)


def _decision_error(cid: int, exc: Exception, with_decider: bool = True) -> None:
    """The service's refusal in this command's words (the wording of the CLI before the shared service)."""
    from grounding.ontology import review

    if isinstance(exc, review.CandidateNotFound):
        fail(f"no candidate #{cid}")
    if isinstance(exc, review.AlreadyDecided):
        row = exc.row
        fail(f"candidate #{cid} is already {row.status}" + (f" (by {row.decided_by or '?'})" if with_decider else ""))
    fail(str(exc))


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
    file: Optional[Path] = typer.Option(None, help="Turtle file to write (default: the first Turtle file of [ontology] files)."),
    force: bool = typer.Option(False, help="Write even when the label already names another concept."),
) -> None:
    """Write the candidate into the ontology file with provenance (report ids, curator, time), atomically,
    keeping a backup of the previous file."""
    from grounding.ontology import review

    # Written concepts are resolved exactly (no fuzzy match): a typo must not attach a synonym elsewhere.
    target_concept = resolve_concept_arg(ctx, concept, fuzzy=False) if concept else ""
    parent_iri = resolve_concept_arg(ctx, parent, fuzzy=False) if parent else ""
    try:
        row, res = review.accept(state(ctx).system, cid, curator_name(by), label=label or "", parent=parent_iri,
                                 concept=target_concept, ko_label=ko or "", definition=definition or "", file=file, force=force)
    except review.ReviewError as exc:
        _decision_error(cid, exc)
    console.print(f"accepted #{cid} as {row.kind if not target_concept else 'synonym'} <{res.iri}> into {res.file} "
                  f"(backup: {res.backup or 'none'})", highlight=False)
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
    from grounding.ontology import review

    try:
        row = review.reject(state(ctx).system, cid, curator_name(by), note=reason)
    except review.ReviewError as exc:
        _decision_error(cid, exc, with_decider=False)
    typer.echo(f"rejected #{cid} {row.term!r}")
