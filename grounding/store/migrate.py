"""Schema migrations, run by the store itself when it opens a database (Alembic, no alembic.ini).

The revisions live in grounding/store/migrations/versions/ (shipped with the package). A database
already at the head revision costs one small query; anything older is upgraded in one transaction
(on PostgreSQL under an advisory lock, so two processes opening the same database do not race).
A database from before migrations existed (tables, no alembic_version) is upgraded by the baseline
revision itself, additively: see versions/0001_baseline.py.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

MIGRATIONS = Path(__file__).parent / "migrations"
_PG_LOCK = 0x67726E64  # "grnd": the advisory lock key of schema upgrades


def alembic_config(conn: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged revisions (and at `conn`, when given)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migration revisions are packaged"
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the head revision (a no-op when it is there)."""
    try:
        _upgrade(engine)
    except (OperationalError, ProgrammingError):
        # Another process may have upgraded the same (SQLite) database a moment before: fine if so.
        with engine.connect() as conn:
            if current_revision(conn) != head_revision():
                raise


def _upgrade(engine: Engine) -> None:
    head = head_revision()
    with engine.connect() as conn:
        if current_revision(conn) == head:
            return
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
            if current_revision(conn) == head:
                return
        command.upgrade(alembic_config(conn), "head")
