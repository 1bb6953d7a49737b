"""`grounding ingest`, `stats --json`, `report show`, `report rejects` through the real CLI."""

import json

import pytest
from typer.testing import CliRunner

from grounding.cli.main import app
from tests.conftest import nrc_records, write_jsonl


def _config(tmp_path, corpus, text_field="event_text"):
    p = tmp_path / "config.toml"
    p.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n\n[ontology]\nfiles = []\n\n'
        f'[[corpus]]\nname = "nrc"\npath = "{corpus}"\nformat = "jsonl"\nid = "event_number"\ntext = ["{text_field}"]\n'
        'date = "event_date"\nfacility = "facility"\nmetadata = ["facility", "state", "cfr_sections"]\n'
    )
    return p


@pytest.fixture
def use_session_embedder(monkeypatch, embedder):
    import grounding.embed.factory as factory

    monkeypatch.setattr(factory, "make_embedder", lambda cfg: embedder)


def test_ingest_prints_progress_and_summary_then_stats_and_report_show(tmp_path, use_session_embedder):
    recs = nrc_records(6)
    src = tmp_path / "c.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in recs) + "{broken\n")
    cfg = _config(tmp_path, src)
    runner = CliRunner()
    res = runner.invoke(app, ["--config", str(cfg), "ingest"])
    assert res.exit_code == 0, res.output
    out = res.output
    # Not a terminal (as in CI or a log file): progress is plain log lines, the last one at the end.
    assert "ingest summary" in out and "ingest: 7/7 records (100%)" in out and "chunks embedded" in out
    for col in ("read", "ingested", "updated", "unchanged", "rejected", "chunks", "seconds"):
        assert col in out
    assert "line 7: malformed JSON" in out

    res = runner.invoke(app, ["--config", str(cfg), "stats", "--json"])
    stats = json.loads(res.stdout)
    assert stats["reports"] == 6 and stats["rejects"] == 1 and stats["vectors"] == stats["chunks"] > 0
    assert stats["embedder"] == "all-MiniLM-L6-v2" and stats["corpora"] == {"nrc": 6}

    rid = recs[2]["event_number"]
    res = runner.invoke(app, ["--config", str(cfg), "report", "show", str(rid)])
    assert res.exit_code == 0
    assert res.stdout.startswith(f"nrc:{rid}  {recs[2]['event_date']}  {recs[2]['event_text'].splitlines()[0].strip()}")
    assert "chunks (" in res.stdout and f"state: {recs[2]['state']}" in res.stdout
    data = json.loads(runner.invoke(app, ["--config", str(cfg), "report", "show", f"nrc:{rid}", "--json"]).stdout)
    assert data["metadata"]["cfr_sections"] == recs[2]["cfr_sections"] and data["chunks"][0]["ord"] == 0
    assert data["facility"] == recs[2]["facility"]
    assert runner.invoke(app, ["--config", str(cfg), "report", "show", "nope"]).exit_code == 1

    rej = json.loads(runner.invoke(app, ["--config", str(cfg), "report", "rejects", "--json"]).stdout)
    assert rej[0]["location"] == "line 7" and rej[0]["reason"].startswith("malformed JSON")

    res = runner.invoke(app, ["--config", str(cfg), "ingest", "-q", "--json"])
    summary = json.loads(res.stdout)
    assert summary["unchanged"] == 6 and summary["embedded"] == 0


def test_wrong_field_fails_fast_with_exit_code_2(tmp_path, monkeypatch):
    import grounding.embed.factory as factory

    def no_model(cfg):
        raise AssertionError("the model must not load for a wrong config")

    monkeypatch.setattr(factory, "make_embedder", no_model)
    cfg = _config(tmp_path, write_jsonl(tmp_path / "c.jsonl", nrc_records(2)), text_field="narrative")
    res = CliRunner().invoke(app, ["--config", str(cfg), "ingest"])
    assert res.exit_code == 2 and "corpus.nrc.text: field 'narrative'" in res.output
