"""Schema migrations: a fresh database gets the head revision; databases made before migrations
existed are upgraded in place, additively, and stamped."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from grounding.store import migrate
from grounding.store.schema import Base, Report
from grounding.store.sql import SqlStore


def _revision(store: SqlStore) -> str | None:
    with store.engine.connect() as conn:
        return migrate.current_revision(conn)


def _model_diff(store: SqlStore) -> list:
    with store.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), Base.metadata)


def _check_fresh(store: SqlStore) -> None:
    assert _revision(store) == migrate.head_revision()
    assert _model_diff(store) == []  # the migrations build exactly the tables the models describe


def test_fresh_sqlite_gets_head(tmp_path):
    store = SqlStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    _check_fresh(store)
    again = SqlStore(store.url)  # reopening is a no-op
    assert _revision(again) == migrate.head_revision()


@pytest.mark.postgres
def test_fresh_postgres_gets_head(pg_url):
    store = SqlStore(pg_url)
    _check_fresh(store)
    SqlStore(pg_url).dispose()
    store.dispose()


def _first_schema(url: str) -> None:
    """The first hand-written schema: chunks without the copied report fields, no text hash, no flags."""
    eng = create_engine(url)
    with eng.begin() as c:
        c.execute(text("CREATE TABLE reports (id VARCHAR(255) PRIMARY KEY, corpus VARCHAR(64), source_id VARCHAR(191), title TEXT, "
                       "date VARCHAR(10), text TEXT, meta JSON, content_hash VARCHAR(64), source_path TEXT, source_location VARCHAR(64), "
                       "updated_at TIMESTAMP)"))
        c.execute(text("CREATE TABLE chunks (id SERIAL PRIMARY KEY, report_id VARCHAR(255) REFERENCES reports(id), ord INTEGER, "
                       "text TEXT, start_char INTEGER)" if eng.dialect.name == "postgresql" else
                       "CREATE TABLE chunks (id INTEGER PRIMARY KEY AUTOINCREMENT, report_id VARCHAR(255) REFERENCES reports(id), "
                       "ord INTEGER, text TEXT, start_char INTEGER)"))
        c.execute(text("INSERT INTO reports VALUES ('nrc:1','nrc','1','t','2020-01-01','x','{}','abc','f','line 1','2020-01-01')"))
        c.execute(text("INSERT INTO chunks (report_id, ord, text, start_char) VALUES ('nrc:1', 0, 'x', 0)"))
    eng.dispose()


def _check_upgraded_first_schema(store: SqlStore) -> None:
    assert _revision(store) == migrate.head_revision()
    insp = inspect(store.engine)
    assert {"facility_key", "flags", "meta"} <= {c["name"] for c in insp.get_columns("chunks")}
    assert {"text_hash", "facility", "facility_key"} <= {c["name"] for c in insp.get_columns("reports")}
    assert "ix_chunks_facility_date" in {ix["name"] for ix in insp.get_indexes("chunks")}
    assert {"kv", "rejects", "ingest_runs", "report_concepts", "ontology_candidates"} <= set(insp.get_table_names())
    assert store.get_report("nrc:1").content_hash == ""  # marked changed: the next ingest refills the new columns
    assert [c.text for c in store.chunks_of("nrc:1")] == ["x"]  # the chunk keeps its id (and so its vector)
    assert store.chunk_ids_where(corpus="nrc") == set()  # not filled yet
    store.kv_set("k", {"v": 1})  # the created tables work
    assert store.kv_get("k") == {"v": 1}


def test_first_schema_sqlite_is_upgraded_and_stamped(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    _first_schema(url)
    _check_upgraded_first_schema(SqlStore(url))


@pytest.mark.postgres
def test_first_schema_postgres_is_upgraded_and_stamped(pg_url):
    _first_schema(pg_url)
    store = SqlStore(pg_url)
    _check_upgraded_first_schema(store)
    store.dispose()


def test_a_database_of_the_last_unmigrated_version_is_only_stamped(tmp_path):
    """Made by create_all of the same schema (the version before Alembic): nothing to add, and the
    reports are not marked changed (no needless re-ingest)."""
    url = f"sqlite:///{tmp_path / 'v2.sqlite'}"
    eng = create_engine(url)
    Base.metadata.create_all(eng)
    with eng.begin() as c:
        c.execute(Report.__table__.insert().values(id="nrc:1", corpus="nrc", source_id="1", title="t", text="x", meta={},
                                                   content_hash="abc", text_hash="def", source_path="", source_location=""))
    eng.dispose()
    store = SqlStore(url)
    assert _revision(store) == migrate.head_revision()
    assert (store.get_report("nrc:1").content_hash, store.get_report("nrc:1").text_hash) == ("abc", "def")
    assert _model_diff(store) == []
