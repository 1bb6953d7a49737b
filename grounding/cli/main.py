"""`grounding` command line: global options, then one module per command group."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from grounding.cli import ask_cmd, ingest_cmd, report_cmd
from grounding.cli.context import CliState

app = typer.Typer(
    name="grounding",
    help="Answer questions about energy-equipment faults from evidence, with citations and abstention.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root(
    ctx: typer.Context,
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Config file (default: ./config.toml)."),
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help="Where the database, FAISS files and caches live."),
) -> None:
    ctx.obj = CliState(config, data_dir)


ingest_cmd.register(app)
ask_cmd.register(app)
report_cmd.register(app)


def _optional(module: str) -> None:
    """Command groups owned by later stages register themselves when present."""
    import importlib

    try:
        mod = importlib.import_module(f"grounding.cli.{module}")
    except ModuleNotFoundError as exc:
        if exc.name != f"grounding.cli.{module}":
            raise
        return
    mod.register(app)


for _m in ("ontology_cmd", "eval_cmd", "summarize_cmd", "serve_cmd"):
    _optional(_m)

if __name__ == "__main__":
    app()
