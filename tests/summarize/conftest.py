"""A small linked corpus for the summarization tests: the first NRC reports + a test ontology."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import build_system, make_config, nrc_records, write_jsonl

HERE = Path(__file__).resolve().parent
ONTO = HERE / "onto.ttl"
N_REPORTS = 50


def summ_config(root: Path, corpus: Path, **summarize):
    cfg = make_config(root, corpus)
    cfg.ontology.files = [str(ONTO)]
    cfg.corpus[0].metadata = ["facility", "state", "emergency_class", "reactor_units", "cfr_sections", "page_url"]
    cfg.summarize = cfg.summarize.model_copy(update={"rephrase": False, **summarize})
    return cfg


@pytest.fixture(scope="session")
def summ_records() -> list[dict]:
    return nrc_records(N_REPORTS)


@pytest.fixture(scope="session")
def summ_system(tmp_path_factory, summ_records, embedder):
    """N_REPORTS real NRC reports ingested and linked to the test ontology (shared; summaries only add rows)."""
    root = tmp_path_factory.mktemp("summ")
    cfg = summ_config(root, write_jsonl(root / "nrc.jsonl", summ_records))
    g = build_system(cfg, embedder)
    assert g.ingestor().run().ingested == N_REPORTS
    return g


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Small embedding batches on a shared 2-core machine run several times faster on one thread
    (summarize.threads_per_worker does the same inside run_summaries); restored afterwards."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
