"""Model resolution and the atomic conversion, without loading any model."""

from __future__ import annotations

from pathlib import Path

import pytest

from grounding.generate.errors import GenerationError
from grounding.generate.model_cache import SMOLLM2_GGUF, build_atomically, resolve_source


def _write_model(folder: Path) -> None:
    (folder / "config.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"x")


def test_killed_conversion_leaves_neither_model_nor_temp(tmp_path: Path) -> None:
    target = tmp_path / "models" / "m"

    def half_then_die(folder: Path) -> None:
        (folder / "config.json").write_text("{}")
        raise KeyboardInterrupt  # what an interrupted conversion looks like from inside

    with pytest.raises(KeyboardInterrupt):
        build_atomically(target, half_then_die)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_incomplete_write_is_rejected_not_installed(tmp_path: Path) -> None:
    target = tmp_path / "m"
    with pytest.raises(GenerationError, match="did not write"):
        build_atomically(target, lambda folder: (folder / "config.json").write_text("{}"))
    assert not target.exists()


def test_conversion_runs_once(tmp_path: Path) -> None:
    target = tmp_path / "m"
    calls: list[Path] = []

    def write(folder: Path) -> None:
        calls.append(folder)
        _write_model(folder)

    assert build_atomically(target, write) is True
    assert build_atomically(target, write) is False
    assert len(calls) == 1 and calls[0] != target
    assert (target / "model.safetensors").read_bytes() == b"x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]


def test_half_folder_in_the_way_is_reported(tmp_path: Path) -> None:
    target = tmp_path / "m"
    target.mkdir()
    (target / "config.json").write_text("{}")
    with pytest.raises(GenerationError, match="not a complete converted model"):
        build_atomically(target, _write_model)


def test_default_source_is_the_packaged_gguf() -> None:
    src = resolve_source("")
    assert src.is_gguf and src.path.name == SMOLLM2_GGUF and src.path.is_file()
    assert src.name == "smollm2-135m-instruct"


def test_user_paths(tmp_path: Path) -> None:
    gguf = tmp_path / "My-Model.Q8_0.gguf"
    gguf.write_bytes(b"GGUF")
    src = resolve_source(str(gguf))
    assert src.is_gguf and src.name.startswith("my-model.q8_0-") and len(src.name) > len("my-model.q8_0-")

    hf = tmp_path / "hf"
    hf.mkdir()
    (hf / "config.json").write_text("{}")
    src = resolve_source(str(hf))
    assert not src.is_gguf and src.path == hf

    with pytest.raises(GenerationError, match="neither a .gguf file nor"):
        resolve_source(str(tmp_path / "missing"))
