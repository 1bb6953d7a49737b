"""`grounding ask`: one question, or a JSONL batch of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from grounding.cli.context import fail, state


def register(app: typer.Typer) -> None:
    app.command("ask")(ask)


def _print_answer(ans, how: str = "") -> None:
    typer.echo(ans.answer)
    typer.echo("")
    cited = {c for s in ans.sentences for c in s.citations}
    if ans.abstained:
        cited = {p.key for p in ans.passages[:3]}
    for p in ans.passages:
        if p.key not in cited:
            continue
        where = ", ".join(x for x in (p.facility, p.date or "") if x)
        typer.echo(f"[{p.key}] report {p.report_id}" + (f" ({where})" if where else "") + f"  score {p.score:.3f}")
        typer.echo(f"     {p.text[:600]}")
    for k in ans.paths:
        typer.echo(f"[{k.key}] {k.text}")
    agg = getattr(ans, "aggregate", None)
    if agg:
        from grounding.aggregate.render import text_lines

        for line in text_lines(agg):
            typer.echo(line)
    typer.echo("")
    typer.echo(f"confidence {ans.confidence:.2f}" + ("  (abstained)" if ans.abstained else "") + (f"  [{how}]" if how else ""))


def _how(system, threshold: float) -> str:
    """Which threshold and calibrator decided, so a reader knows what the confidence means."""
    cal = system.calibrator
    if cal is None:
        where = "uncalibrated default score"
    else:
        from grounding.verify.calibration import packaged_calibrator

        path = system.calibrator_path
        where = "calibrator: packaged" if path == packaged_calibrator() else f"calibrator: {path}"
        n = cal.train_metrics.get("n")
        if n:
            where += f", fitted on {n} labelled questions"
    return f"threshold {threshold:.2f}; {where}"


def ask(
    ctx: typer.Context,
    question: Optional[str] = typer.Argument(None, help="The question (omit with --questions)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (schema: docs/answer-schema.md)."),
    questions: Optional[Path] = typer.Option(None, "--questions", help="JSONL file of {id, question} to answer in batch."),
    out: Optional[Path] = typer.Option(None, "--out", help="With --questions: write JSONL here (default stdout)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", "-t", help="Abstain unless confidence > t."),
    passages: Optional[int] = typer.Option(None, "--passages", help="How many passages to show the model."),
    temperature: Optional[float] = typer.Option(None, "--temperature"),
    top_k: Optional[int] = typer.Option(None, "--top-k"),
    top_p: Optional[float] = typer.Option(None, "--top-p"),
    min_p: Optional[float] = typer.Option(None, "--min-p"),
    repetition_penalty: Optional[float] = typer.Option(None, "--repetition-penalty"),
    max_new_tokens: Optional[int] = typer.Option(None, "--max-new-tokens"),
    stop: Optional[list[str]] = typer.Option(None, "--stop", help="Stop sequence (repeatable)."),
    seed: Optional[int] = typer.Option(None, "--seed"),
    num_samples: Optional[int] = typer.Option(None, "--num-samples", help="Samples drawn (self-consistency)."),
    best_of: Optional[int] = typer.Option(None, "--best-of"),
    chart_dir: Optional[Path] = typer.Option(None, "--chart-dir", help="Trend answers: write the chart (PNG) here (default: <data dir>/charts)."),
) -> None:
    """Answer from the indexed evidence, citing it, or say there is not enough evidence."""
    from grounding.answer.agent import AskOptions, QuestionError

    st = state(ctx)
    cfg = st.cfg
    overrides = {
        k: v
        for k, v in dict(
            temperature=temperature, top_k=top_k, top_p=top_p, min_p=min_p, repetition_penalty=repetition_penalty,
            max_new_tokens=max_new_tokens, stop=stop, seed=seed, num_samples=num_samples, best_of=best_of,
        ).items()
        if v is not None
    }
    sampling = cfg.generator.sampling.model_copy(update=overrides)
    opts = AskOptions(threshold=threshold, sampling=sampling, top_k=passages)
    if questions is None and not question:
        fail("give a QUESTION or --questions FILE.jsonl", code=2)
    agent = st.system.agent
    if questions is None:
        try:
            ans = agent.ask(question or "", opts)
        except QuestionError as exc:
            fail(str(exc), code=2)
        charts = chart_dir or (cfg.data_dir / "charts")
        if getattr(ans, "aggregate", None) and ans.aggregate.get("kind") == "trend":
            from grounding.aggregate.chart import write_chart

            write_chart({"question": ans.question, "abstained": ans.abstained, "aggregate": ans.aggregate}, charts)
        if as_json:
            typer.echo(json.dumps(ans.to_json(), ensure_ascii=False, indent=2))
        else:
            _print_answer(ans, _how(st.system, cfg.confidence.threshold if threshold is None else threshold))
        return
    sink = open(out, "w", encoding="utf-8") if out else None
    try:
        for lineno, line in enumerate(questions.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                qid, q = item["id"], item["question"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                fail(f"{questions}: line {lineno}: expected an object with 'id' and 'question' ({exc})", code=2)
            try:
                row = {"id": qid, **agent.ask(q, opts).to_json()}
                if row.get("aggregate", {}).get("kind") == "trend":
                    from grounding.aggregate.chart import write_chart

                    write_chart(row, chart_dir or (out.parent if out else cfg.data_dir) / "charts", str(qid))
            except QuestionError as exc:
                row = {"id": qid, "question": q, "error": str(exc)}
            text = json.dumps(row, ensure_ascii=False)
            if sink:
                sink.write(text + "\n")
                sink.flush()
            else:
                typer.echo(text)
    finally:
        if sink:
            sink.close()
