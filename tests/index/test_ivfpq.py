"""storage.index_type = "ivfpq": IVF lists of product-quantized codes (the structure for large archives)."""

import faiss
import numpy as np
import pytest

from grounding.config import ConfigError, StorageConfig
from grounding.index.faiss_index import FaissIndex, _kind_of

DIM = 32
CFG = StorageConfig(index_type="ivfpq", ivf_nlist=8, ivf_nprobe=8, ivfpq_m=16, ivfpq_nbits=4)  # trains at 39 x 16 = 624


def _clustered(n, seed=0, centres=20):
    """Unit vectors around a few centres, so a nearest neighbour is meaningful under quantization."""
    rng = np.random.default_rng(seed)
    c = rng.normal(size=(centres, DIM))
    v = c[rng.integers(0, centres, n)] + 0.3 * rng.normal(size=(n, DIM))
    v = v.astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _exact_top(v, q, k):
    flat = faiss.IndexFlatIP(DIM)
    flat.add(v)
    return flat.search(q, k)[1]


def test_stays_exact_below_the_training_size_then_trains_into_ivfpq(tmp_path):
    idx = FaissIndex(tmp_path, "m", DIM, CFG)
    v = _clustered(2000)
    idx.add(np.arange(500), v[:500])
    assert not idx.build_ann() and idx._kind == "flat"  # 500 < 624: nothing to train on yet
    _, ids = idx.search(v[:5], 3)
    assert (ids == _exact_top(v[:500], v[:5], 3)).all()
    idx.add(np.arange(500, 2000), v[500:])
    assert idx.build_ann()
    assert idx._kind == "ivfpq:8:16:4"


def test_codes_are_smaller_than_floats_and_recall_is_useful(tmp_path):
    v = _clustered(3000, seed=1)
    q = _clustered(50, seed=2)
    idx = FaissIndex(tmp_path, "m", DIM, CFG)
    idx.add(np.arange(3000), v)
    idx.build_ann()
    codes = faiss.extract_index_ivf(idx._index).code_size
    assert codes == 16 * 4 // 8 < DIM * 4  # 8 bytes per vector instead of 128
    _, got = idx.search(q, 10)
    truth = _exact_top(v, q, 10)
    recall = np.mean([len(set(g) & set(t)) / 10 for g, t in zip(got.tolist(), truth.tolist())])
    assert recall > 0.3, recall  # quantized, all lists probed: well above chance (10 / 3000)
    rec = idx.vectors([5, 6])  # reconstructions, not the floats
    assert rec.shape == (2, DIM)
    assert float(np.sum(rec[0] * v[5])) > 0.8


def test_removal_replacement_and_a_restart_keep_the_structure(tmp_path):
    v = _clustered(1500, seed=3)
    with FaissIndex(tmp_path, "m", DIM, CFG).writer() as idx:
        idx.add(np.arange(1500), v)
        idx.save()
        idx.build_ann()
        idx.remove([7, 8])
        idx.add(np.array([9]), v[100:101])  # id 9 now holds another vector
        idx.save()
    again = FaissIndex(tmp_path, "m", DIM, CFG)
    assert _kind_of(again._index) == "ivfpq:8:16:4"
    assert again.count() == 1498 and 7 not in again and 9 in again
    _, ids = again.search(v[7:8], 20)
    assert 7 not in ids[0].tolist()
    assert np.allclose(again.vectors([9]), again.vectors([100]))  # the replaced id holds its new vector's code
    assert not np.allclose(again.vectors([9]), again.vectors([10]))


def test_a_snapshot_of_another_structure_is_converted(tmp_path):
    v = _clustered(1000, seed=4)
    with FaissIndex(tmp_path, "m", DIM, StorageConfig(index_type="ivf", ivf_nlist=8)).writer() as idx:
        idx.add(np.arange(1000), v)
        idx.save()
        idx.build_ann()
    again = FaissIndex(tmp_path, "m", DIM, CFG)
    assert again._kind == "ivfpq:8:16:4" and again.count() == 1000


def test_m_must_divide_the_dimension(tmp_path):
    with pytest.raises(ConfigError, match="storage.ivfpq_m = 7"):
        FaissIndex(tmp_path, "m", DIM, StorageConfig(index_type="ivfpq", ivfpq_m=7))
