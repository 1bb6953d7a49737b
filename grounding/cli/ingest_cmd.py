"""`grounding ingest` and `grounding stats`."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grounding.cli.context import fail, state
from grounding.cli.progress import progress
from grounding.config import ConfigError

SUMMARY_COLUMNS = ("read", "ingested", "updated", "unchanged", "rejected", "pruned", "chunks", "embedded", "seconds")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("stats")(stats)


def ingest(
    ctx: typer.Context,
    corpus: Optional[list[str]] = typer.Option(None, "--corpus", help="Only these corpora (by name; repeatable)."),
    prune: bool = typer.Option(False, "--prune", help="Remove reports that are gone from the source."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    show_rejects: int = typer.Option(10, "--show-rejects", help="How many reject messages to print."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
    only: Optional[Path] = typer.Option(
        None, "--only", help="Ingest only the report ids listed in this file (one per line, '#' comments): a profile such as the demo's."
    ),
    engine: Optional[str] = typer.Option(None, "--engine", help="local | ray: where embedding and linking run (default: [engine] kind)."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster address host:port (default: [engine] address)."),
    actors: Optional[int] = typer.Option(None, "--actors", min=1, help="Ray actors per pool (default: [engine] embed_actors)."),
) -> None:
    """Index the configured corpora (reports -> SQL, chunks -> FAISS) and link them to the ontology.

    Incremental and restartable: unchanged reports cost nothing, and after a crash or kill the
    same command repairs SQL and FAISS and carries on.
    """
    st = state(ctx)
    cfg = st.cfg
    apply_engine_flags(cfg, engine, address, actors)
    chosen = cfg.corpus
    if corpus:
        names = {c.name for c in cfg.corpus}
        unknown = [n for n in corpus if n not in names]
        if unknown:
            fail(f"unknown corpus {unknown}; configured: {sorted(names)}", code=2)
        chosen = [c for c in cfg.corpus if c.name in corpus]
    chosen = [c for c in chosen if c.enabled]
    if not chosen:
        fail("no enabled corpus is configured ([[corpus]] in config.toml)", code=2)
    from grounding.index.base import IndexBusy, IndexModelMismatch
    from grounding.ingest.pipeline import check_corpora, count_records

    try:
        check_corpora(cfg, chosen)  # before loading any model: a wrong config fails in a second
    except ConfigError as exc:
        fail(str(exc), code=2)
    wanted = _read_ids(only) if only is not None else None
    console = Console(stderr=True)
    if not console.is_terminal:
        console = Console(stderr=True, width=max(console.width, 120))  # logs: keep the summary table on one line
    st.system.reason_ontology = True  # ingest materializes the reasoner's entailments once (cached)
    try:
        ingestor = st.system.ingestor()
    except IndexModelMismatch as exc:
        fail(str(exc), code=2)
    total = len(wanted) if wanted is not None else (count_records(cfg, chosen) or None)

    def records_done(s) -> int:
        # Layout rows count towards the whole source, not towards a profile's id list.
        return s.read + (0 if wanted is not None else s.skipped)

    with progress("ingest", total, console, unit="records", quiet=quiet) as update:
        t0 = time.monotonic()

        def tick(s) -> None:
            elapsed = max(time.monotonic() - t0, 1e-9)
            done = records_done(s)
            update(done, total=done if total and done > total else None,
                   detail=f"{s.embedded:,} chunks embedded ({s.embedded / elapsed:,.1f}/s), {s.rejected:,} rejected")

        try:
            summary = ingestor.run(chosen, prune=prune, on_progress=tick, only=wanted)
        except IndexBusy as exc:
            fail(str(exc), code=3)
        except ConfigError as exc:
            fail(str(exc), code=2)
        done = records_done(summary)
        update(done, total=done)
    d = summary.as_dict()
    if as_json:
        typer.echo(json.dumps({**d, "rejects": summary.errors[:show_rejects], "warnings": summary.warnings}, indent=2))
    table = Table(title="ingest summary")
    for col in SUMMARY_COLUMNS:
        table.add_column(col, justify="right")
    table.add_row(*[f"{d[c]:,}" if isinstance(d[c], int) else str(d[c]) for c in SUMMARY_COLUMNS])
    console.print(table)
    extra = {k: d[k] for k in ("undated", "skipped", "duplicates", "reused", "repaired") if d[k]}
    if extra:
        console.print("  " + ", ".join(f"{k} {v:,}" for k, v in extra.items()), highlight=False)
    for line in summary.warnings:
        console.print(f"[yellow]warning[/] {escape(line)}", highlight=False, markup=True, soft_wrap=True)
    if summary.undated > 10:
        console.print(f"... and {summary.undated - 10:,} more undated records (grounding report rejects)", highlight=False)
    for line in summary.errors[:show_rejects]:
        console.print(f"[yellow]rejected[/] {escape(line)}", highlight=False, markup=True, soft_wrap=True)
    if len(summary.errors) > show_rejects:
        console.print(f"... and {len(summary.errors) - show_rejects:,} more (grounding report rejects)", highlight=False)


def apply_engine_flags(cfg, engine: str | None, address: str | None, actors: int | None) -> None:
    """--engine / --address / --actors override [engine] (the one config object, passed down)."""
    if engine is not None:
        if engine not in ("local", "ray"):
            fail(f"--engine {engine!r}: use local or ray", code=2)
        cfg.engine.kind = engine
    if address is not None:
        cfg.engine.address = address
    if actors is not None:
        cfg.engine.embed_actors = actors
    if cfg.engine.kind == "ray":  # a wrong address fails here, in seconds, before any model loads
        from grounding.engine.base import EngineError
        from grounding.engine.ray_engine import check_address

        try:
            check_address(cfg.engine.address)
        except EngineError as exc:
            fail(str(exc), code=2)


def _read_ids(path: Path) -> set[str]:
    """Report ids ("nrc:35209"), one per line; blank lines and '#' comments ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        fail(f"--only {path}: {exc.strerror or exc}", code=2)
    ids = set()
    for n, line in enumerate(lines, start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if ":" not in line:
            fail(f"--only {path}, line {n}: {line!r} is not a report id (corpus:id, e.g. nrc:35209)", code=2)
        ids.add(line)
    if not ids:
        fail(f"--only {path}: no report ids in the file", code=2)
    return ids


def stats(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Counts from SQL and the FAISS index: reports, chunks, vectors, rejects, per corpus."""
    system = state(ctx).system
    out = system.stats()
    out["corpora"] = system.store.corpus_counts()
    run = system.store.last_run()
    if run is not None:
        out["last_run"] = {"id": run.id, "status": run.status, "started_at": run.started_at.isoformat(), **(run.stats or {})}
    if as_json:
        typer.echo(json.dumps(out, indent=2, default=str))
        return
    for k, v in out.items():
        typer.echo(f"{k:>14}: {v}")
