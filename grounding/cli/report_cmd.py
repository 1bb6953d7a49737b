"""`grounding report show ID` and `grounding report rejects`."""

from __future__ import annotations

import json
from typing import Optional

import typer

from grounding.cli.context import fail, state

report_app = typer.Typer(help="Look at stored reports and rejected records.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


@report_app.command("show")
def show(ctx: typer.Context, report_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """One report with its metadata, chunks and ontology links (id "nrc:56912" or just "56912")."""
    system = state(ctx).system
    rep = system.store.get_report(report_id)
    if rep is None:
        fail(f"no report with id {report_id!r} (ids look like 'nrc:56912'; a bare source id works when unambiguous)")
    chunks = system.store.chunks_of(rep.id)
    links = system.store.concepts_of([rep.id])[rep.id]
    try:
        onto = system.ontology
    except Exception:  # the ontology is optional here: show the report without labels
        onto = None
    data = {
        "id": rep.id,
        "corpus": rep.corpus,
        "source_id": rep.source_id,
        "title": rep.title,
        "date": rep.date,
        "facility": rep.facility or "",
        "metadata": rep.meta,
        "source": f"{rep.source_path} {rep.source_location}",
        "updated_at": rep.updated_at.isoformat() if rep.updated_at else None,
        "text": rep.text,
        "chunks": [
            {"id": c.id, "ord": c.ord, "start_char": c.start_char, "chars": len(c.text), "text": c.text}
            for c in chunks
        ],
        "concepts": [
            {"concept": l.concept, "label": onto.label(l.concept) if onto else l.concept, "mentions": l.mentions, "score": l.score}
            for l in sorted(links, key=lambda l: -l.mentions)
        ],
    }
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    typer.echo(f"{data['id']}  {data['date'] or ''}  {data['title']}")
    if data["facility"]:
        typer.echo(f"  facility: {data['facility']}")
    for k, v in (rep.meta or {}).items():
        if v in (None, "") or (k == "facility" and v == data["facility"]):
            continue
        typer.echo(f"  {k}: {json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v}")
    typer.echo(f"  source: {data['source']}")
    typer.echo("")
    typer.echo(rep.text)
    typer.echo("")
    typer.echo(f"chunks ({len(chunks)}):")
    for c in data["chunks"]:
        preview = c["text"][:100].replace("\n", " ")
        typer.echo(f"  [{c['id']}] #{c['ord']} @{c['start_char']} ({c['chars']} chars): {preview}...")
    typer.echo("concepts: " + (", ".join(f"{c['label']} x{c['mentions']}" for c in data["concepts"]) or "(none)"))


@report_app.command("rejects")
def rejects(
    ctx: typer.Context,
    corpus: Optional[str] = typer.Option(None, "--corpus"),
    limit: int = typer.Option(50, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Records the last ingest could not use (and warnings: stored, a date not understood): file, line/row, id, reason."""
    rows = state(ctx).system.store.rejects(corpus, limit)
    items = [
        {"corpus": r.corpus, "source": r.source_path, "location": r.location, "record_id": r.record_id, "reason": r.reason, "run": r.run_id,
         "severity": r.severity or "error"}
        for r in rows
    ]
    if as_json:
        typer.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    for r in items:
        rid = f" (id {r['record_id']})" if r["record_id"] else ""
        tag = "warning: " if r["severity"] == "warning" else ""
        typer.echo(f"[{r['corpus']}] {r['source']}: {r['location']}{rid}: {tag}{r['reason']}")
    if not items:
        typer.echo("no rejected records")
