"""Progress for long commands: a live bar on a terminal, a log line every few seconds elsewhere.

Why: a job run from CI, a pipe or `nohup ... > log` must show it is alive and how far it is,
and a rich bar writes nothing useful there (it is disabled when the console is not a TTY).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

LOG_EVERY_S = 5.0

# update(completed, total=None, detail="") -> None
Update = Callable[..., None]


def _eta(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else (f"{m}m{s:02d}s" if m else f"{s}s")


class LineLogger:
    """Writes '<label>: done/total (pct), rate/s, detail, ETA ...' at most every `every_s` seconds."""

    def __init__(self, console: Console, label: str, total: int | None, unit: str, every_s: float = LOG_EVERY_S) -> None:
        self.console, self.label, self.total, self.unit, self.every_s = console, label, total, unit, every_s
        self.t0 = time.monotonic()
        self.last = self.t0
        self.done = 0
        self.detail = ""

    def line(self, detail: str = "") -> str:
        elapsed = max(time.monotonic() - self.t0, 1e-9)
        rate = self.done / elapsed
        parts = [f"{self.label}: {self.done:,}" + (f"/{self.total:,} {self.unit} ({100 * self.done / self.total:.0f}%)" if self.total else f" {self.unit}")]
        parts.append(f"{rate:,.1f} {self.unit}/s")
        if detail:
            parts.append(detail)
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"ETA {_eta((self.total - self.done) / rate)}")
        parts.append(f"elapsed {_eta(elapsed)}")
        return ", ".join(parts)

    def update(self, completed: int, total: int | None = None, detail: str = "", force: bool = False) -> None:
        self.done = completed
        self.detail = detail or self.detail
        if total:
            self.total = total
        now = time.monotonic()
        if force or now - self.last >= self.every_s:
            self.last = now
            self.console.print(self.line(self.detail), highlight=False, markup=False, soft_wrap=True)


@contextmanager
def progress(label: str, total: int | None, console: Console, unit: str = "items", quiet: bool = False) -> Iterator[Update]:
    """Yields `update(completed, total=None, detail="")`; a bar on a TTY, log lines otherwise, nothing if quiet."""
    if quiet:
        yield lambda *a, **k: None
        return
    if not console.is_terminal:
        log = LineLogger(console, label, total, unit)
        yield log.update
        log.update(log.done, force=True)
        return
    columns = [
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn(unit), TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
    ]
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(label, total=total, detail="")

        def update(completed: int, total: int | None = None, detail: str = "", force: bool = False) -> None:
            if total:
                bar.update(task, total=total)
            bar.update(task, completed=completed, detail=detail)

        yield update
