"""Pick the generator named in config; backends import their heavy libraries only when chosen."""

from __future__ import annotations

import warnings
from pathlib import Path

from grounding.config import GeneratorConfig
from grounding.generate.base import Generator
from grounding.generate.errors import BackendUnavailableError


def make_generator(cfg: GeneratorConfig, cache_dir: Path) -> Generator:
    """`cache_dir` holds converted models (transformers backend); the others ignore it."""
    if cfg.backend == "transformers":
        from grounding.generate.transformers_backend import TransformersGenerator

        return TransformersGenerator(cfg, Path(cache_dir))
    if cfg.backend == "xllamacpp":
        from grounding.generate.xllamacpp_backend import XLlamaCppGenerator

        try:
            return XLlamaCppGenerator(cfg)
        except BackendUnavailableError as exc:
            # The wheel is prebuilt for common CPUs only; elsewhere the transformers backend runs
            # the same GGUF (slower). The calibrator check warns that its generator differs.
            warnings.warn(f"{exc}; falling back to generator.backend='transformers'", stacklevel=2)
            from grounding.generate.transformers_backend import TransformersGenerator

            return TransformersGenerator(cfg, Path(cache_dir))
    if cfg.backend == "llamacpp":
        from grounding.generate.llamacpp_backend import LlamaCppGenerator

        return LlamaCppGenerator(cfg)
    if cfg.backend == "openai":
        from grounding.generate.openai_backend import OpenAIGenerator

        return OpenAIGenerator(cfg)
    raise ValueError(f"generator.backend: unknown backend {cfg.backend!r}")
