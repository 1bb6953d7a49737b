"""What a new user meets first: a config with only [[corpus]] works; errors are one line; --debug shows the traceback."""

import json

import pytest
from typer.testing import CliRunner

from grounding.cli.main import app, one_line
from tests.conftest import nrc_records, write_jsonl

OCONEE = "What caused the reactor trip at Oconee Unit 3 on December 31, 1998?"


def _minimal(tmp_path, corpus):
    p = tmp_path / "sub" / "config.toml"
    p.parent.mkdir()
    p.write_text(
        f'[[corpus]]\nname = "plants"\npath = "{corpus}"\nformat = "jsonl"\nid = "event_number"\n'
        'text = ["event_text"]\ndate = "event_date"\nfacility = "facility"\n'
    )
    return p


@pytest.mark.slow
def test_config_with_only_a_corpus_ingests_and_answers(tmp_path, monkeypatch, embedder, generator):
    """Regression: the default ontology path was resolved against the config's folder -> a traceback."""
    import grounding.embed.factory as efactory
    import grounding.generate.factory as gfactory

    monkeypatch.setattr(efactory, "make_embedder", lambda cfg: embedder)
    monkeypatch.setattr(gfactory, "make_generator", lambda cfg, cache_dir: generator)
    cfg = _minimal(tmp_path, write_jsonl(tmp_path / "c.jsonl", nrc_records(20)))
    monkeypatch.chdir(tmp_path)  # neither the working folder nor the config's folder holds an ontology
    runner = CliRunner()
    res = runner.invoke(app, ["--config", str(cfg), "--data-dir", str(tmp_path / "data"), "ingest", "-q", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["ingested"] == 20
    res = runner.invoke(app, ["--config", str(cfg), "--data-dir", str(tmp_path / "data"), "report", "show", "35209", "--json"])
    assert json.loads(res.stdout)["concepts"], "reports are linked to the packaged ontology"
    res = runner.invoke(app, ["--config", str(cfg), "--data-dir", str(tmp_path / "data"), "ask", "--json", "--threshold", "0", OCONEE])
    assert res.exit_code == 0, res.output
    ans = json.loads(res.stdout)
    assert not ans["abstained"] and ans["evidence"]["P1"]["report_id"] == "plants:35209"
    # The abstention names the place from the corpus mapping (facility), whatever the corpus calls it.
    res = runner.invoke(app, ["--config", str(cfg), "--data-dir", str(tmp_path / "data"), "ask", "--threshold", "1", OCONEE])
    assert "OCONEE" in res.stdout and "unknown place" not in res.stdout


def test_bad_config_is_one_line_with_exit_2(tmp_path):
    p = tmp_path / "config.toml"
    p.write_text('[storage]\nindex_type = "annoy"\n')
    res = CliRunner().invoke(app, ["--config", str(p), "stats"])
    assert res.exit_code == 2 and "storage.index_type" in res.output and "Traceback" not in res.output


def test_unexpected_errors_reach_the_user_as_one_line(tmp_path, capsys, monkeypatch):
    """The console entry point (`grounding`), not the test runner's: no traceback unless --debug."""
    import sys

    from grounding.cli import main

    def boom():
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(main, "app", boom)
    monkeypatch.setattr(sys, "argv", ["grounding", "stats"])
    with pytest.raises(SystemExit) as exc:
        main.run()
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.strip() == "error: RuntimeError: disk on fire second line (run with --debug for the traceback)"
    monkeypatch.setattr(sys, "argv", ["grounding", "--debug", "stats"])
    with pytest.raises(RuntimeError):
        main.run()


def test_one_line_keeps_known_messages_plain():
    from grounding.config import ConfigError

    assert one_line(ConfigError("a\n  b")) == "a b"
    assert one_line(FileNotFoundError(2, "No such file", "x.ttl")).startswith("[Errno 2]")
    assert one_line(KeyError("k")) == "KeyError: 'k'"
