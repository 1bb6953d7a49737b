"""Where the heavy batch work runs: in this process (`local`, the default) or on a Ray cluster (`ray`)."""

from grounding.engine.base import Engine, EngineError, Mention, make_engine

__all__ = ["Engine", "EngineError", "Mention", "make_engine"]
