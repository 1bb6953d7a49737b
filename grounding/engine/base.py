"""The engine interface: the compute steps of ingest and summarize that may run elsewhere.

An engine only computes (embed texts, link reports, summarize a group); the caller keeps every
write (store/ and index/) at its own commit points, so the crash-safety and incremental rules of
ingest and summarize are the same whichever engine computed the numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from grounding.config import Config, ConfigError

if TYPE_CHECKING:
    from grounding.embed.base import Embedder


class EngineError(ConfigError):
    """The engine cannot run (no cluster at the address, the extra not installed): one line, no traceback."""


@dataclass(frozen=True)
class Mention:
    """A linker mention as it comes back from an engine (what `Ingestor._links` reads)."""

    concept: str
    start: int
    end: int
    score: float


@runtime_checkable
class Engine(Protocol):
    kind: str
    # Chunks collected before one embed() call during ingest; 0 = the ingest's own grouping (embedder.group).
    embed_group: int
    # Reports read ahead and linked in one link() call; 0 = one SQL batch (nothing is linked ahead).
    link_window: int

    def embed(self, texts: Sequence[str], step: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(positions into `texts`, their unit vectors) per finished batch, in any order; every position once."""
        ...

    def link(self, items: Sequence[tuple[str, str]], fingerprint: str) -> dict[str, list[Mention] | str]:
        """Report id -> its mentions (or an error message) for each (id, text); {} = not linked ahead
        (the store then calls the local linker for each new or changed report, as always)."""
        ...


def make_engine(cfg: Config, embedder: "Embedder | None" = None) -> Engine:
    """The engine named by `[engine] kind` (CLI flags have already been applied to cfg)."""
    if cfg.engine.kind == "ray":
        from grounding.engine.ray_engine import RayEngine

        return RayEngine(cfg)
    from grounding.engine.local import LocalEngine

    if embedder is None:
        raise ValueError("the local engine embeds with the system's embedder: pass it")
    return LocalEngine(embedder)
