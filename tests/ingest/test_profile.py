"""`ingest --only FILE`: a profile (the demo's) is a subset with the full run's ids; the full run adds the rest."""

import json

from typer.testing import CliRunner

from grounding.cli.main import app
from tests.conftest import nrc_records, write_jsonl
from tests.ingest.test_cli import _config, use_session_embedder  # noqa: F401  (fixture)


def test_profile_then_full_ingest_adds_only_the_rest(tmp_path, use_session_embedder):  # noqa: F811
    recs = nrc_records(12)
    src = write_jsonl(tmp_path / "c.jsonl", recs)
    cfg = _config(tmp_path, src)
    ids = tmp_path / "ids.txt"
    chosen = [f"nrc:{r['event_number']}" for r in recs[:4]]
    ids.write_text("# a profile\n" + "\n".join(chosen) + "\n\n")
    runner = CliRunner()
    res = runner.invoke(app, ["--config", str(cfg), "ingest", "-q", "--json", "--only", str(ids)])
    assert res.exit_code == 0, res.output
    first = json.loads(res.stdout)
    assert (first["ingested"], first["excluded"], first["rejected"]) == (4, 8, 0)
    stats = json.loads(runner.invoke(app, ["--config", str(cfg), "stats", "--json"]).stdout)
    assert stats["reports"] == 4
    assert stats["bm25_chunks"] == stats["chunks"]  # the lexical index is built by ingest, not by the first question

    res = runner.invoke(app, ["--config", str(cfg), "ingest", "-q", "--json"])
    full = json.loads(res.stdout)
    assert (full["ingested"], full["unchanged"], full["excluded"]) == (8, 4, 0)


def test_only_file_errors_are_one_line(tmp_path, use_session_embedder):  # noqa: F811
    cfg = _config(tmp_path, write_jsonl(tmp_path / "c.jsonl", nrc_records(2)))
    runner = CliRunner()
    bad = tmp_path / "bad.txt"
    bad.write_text("nrc:1\n35209\n")
    res = runner.invoke(app, ["--config", str(cfg), "ingest", "--only", str(bad)])
    assert res.exit_code == 2 and "line 2: '35209' is not a report id" in res.output
    res = runner.invoke(app, ["--config", str(cfg), "ingest", "--only", str(tmp_path / "missing.txt")])
    assert res.exit_code == 2 and "missing.txt" in res.output and "Traceback" not in res.output
    good = tmp_path / "good.txt"
    good.write_text("nrc:1\n")
    res = runner.invoke(app, ["--config", str(cfg), "ingest", "--only", str(good), "--prune"])
    assert res.exit_code == 2 and "cannot be combined with --only" in res.output
