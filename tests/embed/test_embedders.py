"""Both configured embedders: unit vectors, stable names, and an index refuses the other model."""

import numpy as np
import pytest

from grounding.config import EmbedderConfig, StorageConfig
from grounding.embed.factory import make_embedder
from grounding.index.faiss_index import FaissIndex, IndexModelMismatch


@pytest.fixture(scope="module")
def e5():
    return make_embedder(EmbedderConfig(backend="e5", batch_size=4))


def test_minilm_vectors_are_unit_length_and_batched_like_single(embedder):
    texts = ["Reactor tripped on low steam generator level.", "Emergency diesel generator failed to start.", "x"]
    many = embedder.embed_passages(texts)
    assert many.shape == (3, 384) and many.dtype == np.float32
    assert np.allclose(np.linalg.norm(many, axis=1), 1.0, atol=1e-5)
    one = embedder.embed_passages(texts[1:2])
    assert float(one[0] @ many[1]) > 0.9999
    assert embedder.embed_passages([]).shape == (0, 384)
    assert embedder.name == "all-MiniLM-L6-v2"


def test_e5_handles_korean_and_english(e5):
    docs = ["변압기 과열로 인한 정전이 발생했다.", "The emergency diesel generator failed its surveillance test.",
            "원자로 냉각재 펌프가 정지되었다.", "A fire alarm in containment was not verified within 30 minutes."]
    p = e5.embed_passages(docs)
    assert p.shape == (4, 384) and np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-5)
    q = e5.embed_queries(["변압기 과열", "diesel generator test failure"])
    assert int(np.argmax(q[0] @ p.T)) == 0 and int(np.argmax(q[1] @ p.T)) == 1
    assert e5.name == "multilingual-e5-small-q4" and e5.dim == 384
    assert np.allclose(e5.embed_passages(docs[:1])[0], p[0], atol=1e-5)  # batching does not change vectors


def test_an_index_built_by_one_model_refuses_the_other(tmp_path, embedder, e5):
    idx = FaissIndex(tmp_path, embedder.name, embedder.dim, StorageConfig())
    idx.add(np.arange(2), embedder.embed_passages(["a pump", "a valve"]))
    idx.save()
    with pytest.raises(IndexModelMismatch, match="all-MiniLM-L6-v2.*multilingual-e5-small-q4"):
        FaissIndex(tmp_path, e5.name, e5.dim, StorageConfig())


def test_a_korean_textdir_corpus_ingests_and_retrieves_with_e5(tmp_path, e5):
    from grounding.config import Config
    from tests.conftest import build_system

    d = tmp_path / "ko"
    d.mkdir()
    (d / "t1.txt").write_text("주변압기 과열\n주변압기 온도가 상승하여 냉각 팬이 자동으로 기동되었다.", encoding="utf-8")
    (d / "t2.txt").write_text("비상 디젤 발전기 기동 실패\n정기 시험 중 비상 디젤 발전기가 기동하지 않았다.", encoding="utf-8")
    (d / "t3.txt").write_text("Loss of offsite power\nBoth offsite power lines were lost during a storm.", encoding="utf-8")
    cfg = Config.model_validate({"storage": {"data_dir": str(tmp_path / "data")}, "embedder": {"backend": "e5"},
                                 "corpus": [{"name": "ko", "path": str(d), "format": "textdir"}],
                                 "ontology": {"files": []}, "root": tmp_path})
    g = build_system(cfg, e5)
    s = g.ingestor().run()
    assert s.ingested == 3 and g.stats()["embedder"] == "multilingual-e5-small-q4"
    assert g.store.get_report("ko:t2").title == "비상 디젤 발전기 기동 실패"  # first line of a text is its title
    _, ids = g.index.search(e5.embed_queries(["디젤 발전기가 기동하지 않음"]), 1)
    assert g.store.get_chunks([int(ids[0][0])])[int(ids[0][0])].report_id == "ko:t2"
