"""What every command receives: the loaded config and a lazily built system."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from grounding.config import Config, ConfigError, load_config

err_console = Console(stderr=True)


@dataclass
class CliState:
    config_path: Path | None
    data_dir: Path | None
    _cfg: Config | None = field(default=None, repr=False)
    _system: object | None = field(default=None, repr=False)

    @property
    def cfg(self) -> Config:
        if self._cfg is None:
            try:
                self._cfg = load_config(self.config_path, self.data_dir)
            except ConfigError as exc:
                fail(str(exc), code=2)
        return self._cfg

    @property
    def system(self):
        if self._system is None:
            from grounding.system import Grounding

            self._system = Grounding(self.cfg)
        return self._system


def state(ctx: typer.Context) -> CliState:
    return ctx.find_root().obj


def fail(message: str, code: int = 1) -> None:
    # soft_wrap: one line whatever the terminal width, so a log or a grep sees the whole message.
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    sys.stderr.flush()
    raise typer.Exit(code)
