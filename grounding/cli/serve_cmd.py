"""`grounding serve`: the HTTP API and web page, one process holding the loaded models."""

from __future__ import annotations

from typing import Optional

import typer

from grounding.cli.context import fail, state


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: Optional[str] = typer.Option(None, "--host", help="Address to bind (default serve.host, 127.0.0.1). A non-loopback address needs serve.curator_token."),
    port: Optional[int] = typer.Option(None, "--port", help="Port (default serve.port, 8765; 0 = any free port)."),
    no_warm: bool = typer.Option(False, "--no-warm", help="Load models on the first request instead of at start."),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
) -> None:
    """Serve POST /ask (and a streaming variant), search, reports, summaries, ontology curation and the web page."""
    import logging

    from grounding.serve.app import create_app, warm
    from grounding.serve.auth import ServeError, check_bind

    st = state(ctx)
    cfg = st.cfg
    host = host or cfg.serve.host
    port = cfg.serve.port if port is None else port
    try:
        check_bind(host, cfg.serve)
    except ServeError as exc:
        fail(str(exc), code=2)
    try:
        import uvicorn
    except ModuleNotFoundError:
        fail("uvicorn is not installed: pip install uvicorn", code=2)
    level = getattr(logging, log_level.upper(), logging.INFO)
    handler = logging.StreamHandler()
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    ours = logging.getLogger("grounding")
    ours.addHandler(handler)
    ours.setLevel(level)
    system = st.system
    errors = [] if no_warm else warm(system)
    for e in errors:
        typer.echo(f"warning: {e}", err=True)
    app = create_app(system, cfg.serve, load_errors=errors)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"grounding: serving on http://{shown}:{port}/ (API schema at /openapi.json); Ctrl-C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, workers=1, timeout_graceful_shutdown=5)
