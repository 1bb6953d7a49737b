"""Alembic environment of the store's schema migrations.

The store runs these itself on open (grounding/store/migrate.py passes its connection in
`config.attributes["connection"]`), so users need no alembic.ini. A developer writing a new
revision can still use the alembic command line with `-x url=<database url>`, e.g.

    alembic -c /dev/null -x url=sqlite:///data/grounding.db revision --autogenerate -m "..."

with `script_location` pointing here (see docs or migrate.alembic_config()).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import grounding.store.sql  # noqa: F401  (registers every table of the store on Base.metadata)
from grounding.store.schema import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url") or ""


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    conn = config.attributes.get("connection")
    if conn is None:
        engine = create_engine(_url())
        with engine.begin() as own:
            _run(own)
        engine.dispose()
    else:
        _run(conn)


def _run(conn) -> None:
    # SQLite cannot ALTER most things in place: batch mode rebuilds a table when a revision needs it.
    context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=conn.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
