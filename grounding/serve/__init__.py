"""`grounding serve`: the HTTP API (FastAPI) and the web page, one process holding the models."""

from grounding.serve.app import create_app, warm

__all__ = ["create_app", "warm"]
