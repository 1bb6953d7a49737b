"""The local engine: this process's embedder, in the slices ingest always used."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from grounding.embed.base import Embedder
from grounding.engine.base import Mention


class LocalEngine:
    kind = "local"
    embed_group = 0
    link_window = 0

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed(self, texts: Sequence[str], step: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for i in range(0, len(texts), step):
            part = list(texts[i : i + step])
            yield np.arange(i, i + len(part)), self.embedder.embed_passages(part)

    def link(self, items: Sequence[tuple[str, str]], fingerprint: str) -> dict[str, list[Mention] | str]:
        return {}  # the store calls the linker per report, inside the batch's transaction
