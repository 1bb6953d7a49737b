"""Pick the embedder named in config."""

from __future__ import annotations

from grounding.config import EmbedderConfig
from grounding.embed.base import Embedder


def make_embedder(cfg: EmbedderConfig) -> Embedder:
    kwargs = dict(model_path=cfg.model_path, batch_size=cfg.batch_size, device=cfg.device, threads=cfg.threads)
    if cfg.backend == "minilm":
        from grounding.embed.minilm import MiniLMEmbedder

        return MiniLMEmbedder(**kwargs)
    if cfg.backend == "e5":
        from grounding.embed.e5 import E5Embedder

        return E5Embedder(**kwargs)
    raise ValueError(f"embedder.backend: unknown backend {cfg.backend!r}")
