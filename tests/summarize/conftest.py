"""A small linked corpus for the summarization tests: the first NRC reports + a test ontology."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, build_system, make_config, nrc_records, write_jsonl

HERE = Path(__file__).resolve().parent
ONTO = HERE / "onto.ttl"
N_REPORTS = 50


STATS_KEYS = ("scram_measure", "scram_automatic", "scram_manual", "emergency_field")


def bundled_stats():
    """The statistics settings of the repository's config.toml: summarize.scram_* / emergency_field and
    the [[measure]] and [[qualifier]]s they name (the NRC corpus's field names live there, not in code)."""
    from grounding.config import load_config

    bundled = load_config(REPO / "config.toml")
    s = bundled.summarize
    names = {s.scram_automatic, s.scram_manual}
    return (
        {k: getattr(s, k) for k in STATS_KEYS},
        [m for m in bundled.measure if m.name == s.scram_measure],
        [q for q in bundled.qualifier if q.name in names],
    )


def stats_toml() -> str:
    """bundled_stats() as config.toml text, for a config file written by a test ([summarize] keys first)."""
    import json

    keys, measures, qualifiers = bundled_stats()
    out = ["[summarize]", *(f"{k} = {json.dumps(v)}" for k, v in keys.items())]
    for table, items in (("measure", measures), ("qualifier", qualifiers)):
        for item in items:
            out.append(f"[[{table}]]")
            for k, v in item.model_dump(exclude_defaults=True).items():
                if k == "where":
                    v = "[" + ", ".join("{ " + ", ".join(f"{a} = {json.dumps(b)}" for a, b in p.items()) + " }" for p in v) + "]"
                    out.append(f"where = {v}")
                else:
                    out.append(f"{k} = {json.dumps(v)}")
    return "\n".join(out) + "\n"


def summ_config(root: Path, corpus: Path, **summarize):
    cfg = make_config(root, corpus)
    cfg.ontology.files = [str(ONTO)]
    cfg.corpus[0].metadata = ["facility", "state", "emergency_class", "reactor_units", "cfr_sections", "page_url"]
    keys, cfg.measure, cfg.qualifier = bundled_stats()
    cfg.summarize = cfg.summarize.model_copy(update={"rephrase": False, **keys, **summarize})
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
