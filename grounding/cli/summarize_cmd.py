"""`grounding summarize`: cited, charted summaries by facility, concept, month or year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grounding.cli.context import fail, state
from grounding.cli.progress import progress


def register(app: typer.Typer) -> None:
    app.command("summarize")(summarize)


def summarize(
    ctx: typer.Context,
    by: str = typer.Option("facility", "--by", help="Group by facility | concept | month | year (or any metadata key, e.g. event_type)."),
    where: Optional[list[str]] = typer.Option(None, "--where", help="KEY=VALUE filter (repeatable), e.g. facility=OCONEE, corpus=nrc, concept=pump."),
    since: Optional[str] = typer.Option(None, "--since", help="Earliest event date, inclusive (YYYY, YYYY-MM or YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Latest event date, inclusive."),
    fmt: str = typer.Option("md", "--format", "-f", help="md | html | json (md and html include PNG charts)."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the report and its charts."),
    force: bool = typer.Option(False, "--force", help="Recompute every group instead of resuming from checkpoints."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help="Parallel worker processes (default: summarize.workers)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the run summary (paths, timings, counts) as JSON on stdout."),
    engine: Optional[str] = typer.Option(None, "--engine", help="local | ray: where the groups are summarized (default: [engine] kind)."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster address host:port (default: [engine] address)."),
    actors: Optional[int] = typer.Option(None, "--actors", min=1, help="Ray summarizer actors (default: [engine] summarize_actors)."),
) -> None:
    """Summarize the selected reports per group: every sentence cites report ids and passes the
    support checks; statistics (events per period, concepts, scrams) are SQL counts.

    Resumable: each finished group is checkpointed in SQL, so after a kill the same command
    continues where it stopped and writes the same report; --force recomputes.
    """
    from grounding.summarize import SummarizeRequest, parse_where, run_summaries

    try:
        req = SummarizeRequest(by=by, where=parse_where(where), since=since, until=until, fmt=fmt.lower(), force=force, workers=workers)
    except ValueError as exc:
        fail(str(exc), code=2)
    st = state(ctx)
    from grounding.cli.ingest_cmd import apply_engine_flags

    apply_engine_flags(st.cfg, engine, address, None)
    if actors is not None:
        st.cfg.engine.summarize_actors = actors
    system = st.system
    console = Console(stderr=True)
    if not console.is_terminal:
        console = Console(stderr=True, width=max(console.width, 120))
    with progress("summarize", None, console, unit="groups", quiet=quiet) as update:

        def tick(done: int, total: int, key: str) -> None:
            update(done, total=total, detail=key[:40])

        try:
            result = run_summaries(system, req, out, progress=tick)
        except ValueError as exc:  # also the Ray engine's EngineError (no cluster there, the extra missing)
            fail(str(exc), code=2)
    if as_json:
        data = result.to_json()
        data.pop("groups", None)
        typer.echo(json.dumps(data, indent=2, default=str))
    table = Table(title="time per stage (s; worker stages summed over workers)")
    stages = [k for k in result.timings if k != "wall"]
    for k in stages + ["wall"]:
        table.add_column(k, justify="right")
    table.add_row(*[f"{result.timings[k]:.2f}" for k in stages + ["wall"]])
    console.print(table)
    n_sent = sum(len(g.get("sentences", [])) for g in result.groups)
    n_reph = sum(1 for g in result.groups for s in g.get("sentences", []) if s.get("status") == "rephrased")
    console.print(
        f"{len(result.groups):,} groups ({result.computed:,} computed, {result.reused:,} from checkpoints), "
        f"{result.overall.get('n_reports', 0):,} reports, {n_sent:,} cited sentences ({n_reph:,} rephrased by the model), "
        f"{result.workers} worker(s)",
        highlight=False,
    )
    for w in result.warnings:
        console.print(f"[yellow]warning[/] {escape(w)}", highlight=False)
    console.print(f"report: {escape(str(result.paths[0]))}", highlight=False)
