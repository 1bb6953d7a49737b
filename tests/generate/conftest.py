"""Shared fixtures: SmolLM2 loads once per session; a loopback OpenAI-compatible server over it.

Set GROUNDING_TEST_CACHE=/some/dir to keep the converted model between sessions (saves ~25 s).
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grounding.config import GeneratorConfig
from grounding.generate.base import Generator
from tests.conftest import serve_app


@pytest.fixture(scope="session")
def gen_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = os.environ.get("GROUNDING_TEST_CACHE")
    return Path(env) if env else tmp_path_factory.mktemp("generate-cache")


@pytest.fixture(scope="session")
def converted_before(gen_cache_dir: Path) -> bool:
    """Whether a converted SmolLM2 was already in the cache before this session loaded it."""
    from grounding.generate.model_cache import SMOLLM2_NAME

    return (gen_cache_dir / "models" / SMOLLM2_NAME / "model.safetensors").exists()


@pytest.fixture(scope="session")
def smollm(gen_cache_dir: Path, converted_before: bool):
    """The real default model, loaded (and converted if needed) once per session."""
    from grounding.generate.transformers_backend import TransformersGenerator

    gen = TransformersGenerator(GeneratorConfig(backend="transformers"), gen_cache_dir)
    gen.load()
    return gen


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """The app on a free loopback port; yield its /v1 base URL."""
    with serve_app(app, lifespan="off") as url:
        yield f"{url}/v1"


@pytest.fixture(scope="session")
def smollm_server(smollm: Generator) -> Iterator[str]:
    from grounding.generate.openai_server import make_app

    with serving(make_app(smollm, "smollm2")) as url:
        yield url


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    """`serve(app)` starts `app` on loopback for this test and returns its base URL."""
    with contextlib.ExitStack() as stack:
        yield lambda app: stack.enter_context(serving(app))


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback port that is bound but not listening: connecting is refused, and no one can take it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    finally:
        sock.close()


@pytest.fixture(scope="session")
def llama_gen():
    """llama.cpp on the packaged GGUF; skipped with the install hint when llama_cpp is absent."""
    pytest.importorskip("llama_cpp", reason="llama-cpp-python not installed: pip install 'grounding[llamacpp]'")
    from grounding.generate.llamacpp_backend import LlamaCppGenerator

    gen = LlamaCppGenerator(GeneratorConfig(backend="llamacpp"))
    gen.load()
    return gen


@pytest.fixture(params=["transformers", "llamacpp"])
def backend(request: pytest.FixtureRequest) -> Generator:
    """Each local backend in turn, for the behaviour every backend must share."""
    return request.getfixturevalue("smollm" if request.param == "transformers" else "llama_gen")
