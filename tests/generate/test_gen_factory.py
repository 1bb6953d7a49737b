"""Backend choice by config, and the llama.cpp install hint when its library is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from grounding.config import GeneratorConfig
from grounding.generate.base import Generator
from grounding.generate.errors import BackendUnavailableError, GenerationError
from grounding.generate.factory import make_generator


def test_factory_builds_each_backend_without_loading(tmp_path: Path) -> None:
    from grounding.generate.openai_backend import OpenAIGenerator
    from grounding.generate.transformers_backend import TransformersGenerator
    from grounding.generate.xllamacpp_backend import XLlamaCppGenerator

    default = make_generator(GeneratorConfig(), tmp_path)
    assert isinstance(default, XLlamaCppGenerator) and isinstance(default, Generator) and default.load_seconds is None
    tf = make_generator(GeneratorConfig(backend="transformers"), tmp_path)
    assert isinstance(tf, TransformersGenerator) and isinstance(tf, Generator)
    assert tf.load_info is None and not (tmp_path / "models").exists()  # lazy: nothing converted yet
    oa = make_generator(GeneratorConfig(backend="openai", base_url="http://127.0.0.1:9/v1", model="llama3"), tmp_path)
    assert isinstance(oa, OpenAIGenerator) and oa.url == "http://127.0.0.1:9/v1/chat/completions"
    with pytest.raises(ValueError, match="unknown backend 'vllm'"):
        make_generator(GeneratorConfig.model_construct(backend="vllm"), tmp_path)


def test_llamacpp_missing_library_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # makes `import llama_cpp` fail
    with pytest.raises(BackendUnavailableError, match=r"pip install 'grounding\[llamacpp\]'"):
        make_generator(GeneratorConfig(backend="llamacpp"), tmp_path)


def test_llamacpp_rejects_a_non_gguf_model(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python not installed: pip install 'grounding[llamacpp]'")
    with pytest.raises(GenerationError, match="needs a .gguf file"):
        make_generator(GeneratorConfig(backend="llamacpp", model_path=str(tmp_path)), tmp_path)


def test_transformers_rejects_a_bad_model_path(tmp_path: Path) -> None:
    with pytest.raises(GenerationError, match="neither a .gguf file nor a Hugging Face model folder"):
        make_generator(GeneratorConfig(backend="transformers", model_path=str(tmp_path / "nope")), tmp_path)


def test_broken_gguf_fails_clearly_and_leaves_no_half_model(tmp_path: Path) -> None:
    from grounding.generate.transformers_backend import TransformersGenerator

    bogus = tmp_path / "broken.gguf"
    bogus.write_bytes(b"GGUF" + b"\0" * 64)
    gen = TransformersGenerator(GeneratorConfig(model_path=str(bogus)), tmp_path / "cache")
    with pytest.raises(GenerationError, match="cannot convert .*broken.gguf"):
        gen.load()
    assert list((tmp_path / "cache" / "models").iterdir()) == []


def test_without_the_xllamacpp_wheel_the_default_falls_back_to_transformers(monkeypatch, tmp_path: Path) -> None:
    from grounding.generate.transformers_backend import TransformersGenerator

    monkeypatch.setitem(sys.modules, "xllamacpp", None)
    with pytest.warns(UserWarning, match="falling back to generator.backend='transformers'"):
        gen = make_generator(GeneratorConfig(), tmp_path)
    assert isinstance(gen, TransformersGenerator)


def test_xllamacpp_rejects_a_non_gguf_model(tmp_path: Path) -> None:
    with pytest.raises(GenerationError, match="needs a .gguf file"):
        make_generator(GeneratorConfig(backend="xllamacpp", model_path=str(tmp_path)), tmp_path)
