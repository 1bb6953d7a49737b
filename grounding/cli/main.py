"""`grounding` command line: global options, then one module per command group."""

from __future__ import annotations

import sys
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
    debug: bool = typer.Option(False, "--debug", help="Show the Python traceback of an error."),
) -> None:
    ctx.obj = CliState(config, data_dir)
    _log_warnings()


def _log_warnings() -> None:
    """The package's warnings (a calibrator not used, a fallback backend) as one 'warning:' line each."""
    import logging

    log = logging.getLogger("grounding")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    logging.captureWarnings(True)
    py = logging.getLogger("py.warnings")
    if not py.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        py.addHandler(handler)
        py.propagate = False


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

def run() -> None:
    """The console entry point: an error ends the command with one line, never a traceback.

    `--debug` (a root option, so it stands before the command) lets the traceback through.
    """
    if "--debug" in sys.argv[1:]:
        app()
        return
    try:
        app()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except Exception as exc:  # the last line of defence: every expected error is reported where it occurs
        print(f"error: {one_line(exc)} (run with --debug for the traceback)", file=sys.stderr)
        raise SystemExit(1) from None


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    known = ("ConfigError", "OntologyError", "GenerationError", "BackendUnavailableError", "CalibratorError", "QuestionError")
    return text if type(exc).__name__ in known or isinstance(exc, OSError) else f"{type(exc).__name__}: {text}"


if __name__ == "__main__":
    run()
