"""Several --questions files in one calibrate / eval run (grounding/cli/eval_cmd.py)."""

from __future__ import annotations

import json

import pytest
import typer

from grounding.cli.eval_cmd import _load_all


def _write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _q(qid, text):
    return {"id": qid, "question": text, "answer": "x", "gold_reports": [], "answerable": True}


def test_a_question_repeated_with_the_same_text_is_kept_once_in_file_order(tmp_path):
    a = _write(tmp_path / "a.jsonl", [_q("q1", "What caused it?"), _q("q2", "When?")])
    b = _write(tmp_path / "b.jsonl", [_q("q1", "What caused it?"), _q("q1k", "원인은?")])
    assert [i["id"] for i in _load_all([a, b], None)] == ["q1", "q2", "q1k"]


def test_the_same_id_for_another_question_is_an_error_naming_file_and_id(tmp_path, capsys):
    a = _write(tmp_path / "a.jsonl", [_q("q1", "What caused it?")])
    b = _write(tmp_path / "b.jsonl", [_q("q1", "Something else?")])
    with pytest.raises(typer.Exit):
        _load_all([a, b], None)
    err = capsys.readouterr().err
    assert "b.jsonl" in err and "'q1'" in err
