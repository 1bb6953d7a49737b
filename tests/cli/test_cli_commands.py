"""The command line over a real ingested data dir: stats, report show, ask (single and batch), calibrate, eval."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grounding.cli.main import app

QUESTIONS = [
    {"id": "a1", "question": "What caused the reactor trip at Oconee on December 31, 1998?", "answer": "breaker",
     "answer_type": "text", "gold_reports": ["nrc:35209"], "answerable": True, "split": "dev"},
    {"id": "a2", "question": "What leakage did Indian Point report on December 31, 1998?", "answer": "leakage",
     "answer_type": "text", "gold_reports": ["nrc:35207"], "answerable": True, "split": "dev"},
    {"id": "u1", "question": "What caused the turbine trip at Vogtle Unit 7 on March 3, 2011?", "answer": None,
     "answer_type": None, "gold_reports": [], "answerable": False, "split": "dev"},
    {"id": "u2", "question": "Why did the main transformer fail at Springfield Nuclear on June 5, 2024?", "answer": None,
     "answer_type": None, "gold_reports": [], "answerable": False, "split": "dev"},
]


@pytest.fixture(scope="module")
def cli(ingested, tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    c = ingested.cfg.corpus[0]
    toml = f"""
[storage]
data_dir = "{ingested.cfg.data_dir}"
[[corpus]]
name = "{c.name}"
path = "{c.path}"
format = "jsonl"
id = "{c.id}"
text = {json.dumps(c.text)}
date = "{c.date}"
metadata = {json.dumps(c.metadata)}
[ontology]
files = {json.dumps(ingested.cfg.ontology.files)}
[generator.sampling]
max_new_tokens = 40
"""
    (d / "config.toml").write_text(toml)
    qfile = d / "q.jsonl"
    qfile.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS))
    runner = CliRunner()

    def run(*args):
        res = runner.invoke(app, ["--config", str(d / "config.toml"), *args], catch_exceptions=False)
        return res

    return run, d, qfile


def test_stats_json_counts_match_sql_and_faiss(cli, ingested):
    run, _, _ = cli
    res = run("stats", "--json")
    assert res.exit_code == 0, res.output
    stats = json.loads(res.stdout)
    assert stats["reports"] == 200 and stats["chunks"] == stats["vectors"] > 200 and stats["rejects"] == 0


def test_report_show(cli):
    run, _, _ = cli
    res = run("report", "show", "35209")
    assert res.exit_code == 0
    assert "nrc:35209" in res.output and "CONTROL ROD DRIVE BREAKER" in res.output.upper()
    assert run("report", "show", "nope").exit_code == 1


@pytest.mark.slow
def test_ask_json_and_batch(cli, tmp_path):
    run, _, qfile = cli
    res = run("ask", "--json", "--threshold", "0", "What caused the reactor trip at Oconee on December 31, 1998?")
    assert res.exit_code == 0, res.output
    ans = json.loads(res.stdout)
    assert ans["evidence"]["P1"]["report_id"] == "nrc:35209" and ans["sentences"][0]["citations"]
    out = tmp_path / "answers.jsonl"
    assert run("ask", "--questions", str(qfile), "--out", str(out)).exit_code == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a1", "a2", "u1", "u2"] and all("answer" in r for r in rows)


def test_empty_question_is_a_clear_error(cli):
    run, _, _ = cli
    res = run("ask", "   ")
    assert res.exit_code == 2 and "empty" in res.output


@pytest.mark.slow
def test_calibrate_then_eval_writes_metrics_and_plots(cli, tmp_path):
    run, d, qfile = cli
    res = run("calibrate", "--questions", str(qfile), "--split", "dev")
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["n"] == 4 and (d / "config.toml").exists()
    fitted_on = [json.loads(x) for x in Path(info["calibrator"]).with_suffix(".questions.jsonl").read_text().splitlines()]
    assert len(fitted_on) == 4 and all("signals" in r and "correct" in r for r in fitted_on)
    out = tmp_path / "eval"
    res = run("eval", "--questions", str(qfile), "--out", str(out), "--threshold", "0.5")
    assert res.exit_code == 0, res.output
    m = json.loads((out / "metrics.json").read_text())
    for key in ("n", "accuracy", "coverage", "abstain_rate_unanswerable", "answered_rate_answerable", "citation_precision",
                "citation_recall", "penalized_score", "ece", "auroc", "brier"):
        assert key in m["pipeline"] and key in m["baseline_plain_rag"]
    assert m["pipeline"]["n"] == 4 and m["baseline_plain_rag"]["coverage"] == 1.0
    assert (out / "reliability.png").stat().st_size > 1000 and (out / "risk_coverage.png").stat().st_size > 1000
    assert len((out / "results.jsonl").read_text().splitlines()) == 4
    assert "| penalized_score |" in (out / "report.md").read_text()
