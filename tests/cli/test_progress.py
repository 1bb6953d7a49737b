"""Progress where no terminal is: plain log lines with counts, rate and ETA, at most every few seconds."""

import io

from rich.console import Console

from grounding.cli.progress import LineLogger, progress


def test_log_lines_when_not_a_terminal():
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=False, width=200)
    with progress("ingest", 400, console, unit="records") as update:
        update(100, detail="50 chunks embedded")
    lines = buf.getvalue().splitlines()
    assert lines[-1].startswith("ingest: 100/400 records (25%)") and "50 chunks embedded" in lines[-1]
    assert "ETA" in lines[-1] and "records/s" in lines[-1]


def test_lines_are_throttled_but_forced_at_the_end():
    buf = io.StringIO()
    log = LineLogger(Console(file=buf, force_terminal=False, width=200), "eval", 10, "questions", every_s=3600)
    for i in range(1, 11):
        log.update(i)
    assert buf.getvalue() == ""  # within the interval: nothing yet
    log.update(10, force=True)
    assert buf.getvalue().strip().startswith("eval: 10/10 questions (100%)")


def test_quiet_prints_nothing():
    buf = io.StringIO()
    with progress("ingest", 5, Console(file=buf, force_terminal=False), quiet=True) as update:
        update(5)
    assert buf.getvalue() == ""
