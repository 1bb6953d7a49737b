import pytest

from grounding.store.schema import Chunk, Report
from grounding.store.sql import SqlStore


def _fill(store: SqlStore) -> None:
    with store.session() as s:
        s.add(Report(id="nrc:1", corpus="nrc", source_id="1", title="t", date="2020-01-02", text="x", meta={"facility": "A"}, content_hash="h"))
        s.flush()
        s.add_all([Chunk(report_id="nrc:1", ord=i, text=f"chunk {i}", start_char=i) for i in range(3)])


def _roundtrip(store: SqlStore) -> None:
    _fill(store)
    assert store.stats()["reports"] == 1
    assert store.stats()["chunks"] == 3
    assert store.get_report("1").id == "nrc:1"  # bare source id resolves when unambiguous
    assert [c.ord for c in store.chunks_of("nrc:1")] == [0, 1, 2]
    ids = sorted(store.chunk_ids())
    assert store.get_chunks(ids[:2]).keys() == set(ids[:2])
    store.kv_set("index", {"model": "m"})
    assert store.kv_get("index") == {"model": "m"}
    # A failed transaction leaves nothing behind.
    with pytest.raises(RuntimeError):
        with store.session() as s:
            s.add(Report(id="nrc:2", corpus="nrc", source_id="2", text="y", content_hash="h"))
            s.flush()
            raise RuntimeError("boom")
    assert store.get_report("nrc:2") is None


def test_sqlite_roundtrip(tmp_path):
    _roundtrip(SqlStore(f"sqlite:///{tmp_path / 'db.sqlite'}"))


def test_chunk_ids_are_never_reused_on_sqlite(tmp_path):
    store = SqlStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    _fill(store)
    top = max(store.chunk_ids())
    with store.session() as s:
        s.query(Chunk).delete()
        s.add(Chunk(report_id="nrc:1", ord=0, text="new", start_char=0))
    assert min(store.chunk_ids()) > top


@pytest.mark.postgres
def test_postgres_roundtrip(pg_url):
    store = SqlStore(pg_url)
    assert store.dialect == "postgresql"
    _roundtrip(store)
    store.dispose()


def test_an_older_database_is_upgraded_in_place(tmp_path):
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    eng = create_engine(url)
    with eng.begin() as c:  # the first schema: chunks without the copied report fields
        c.execute(text("CREATE TABLE reports (id VARCHAR(255) PRIMARY KEY, corpus VARCHAR(64), source_id VARCHAR(191), title TEXT, "
                       "date VARCHAR(10), text TEXT, meta JSON, content_hash VARCHAR(64), source_path TEXT, source_location VARCHAR(64), updated_at DATETIME)"))
        c.execute(text("CREATE TABLE chunks (id INTEGER PRIMARY KEY AUTOINCREMENT, report_id VARCHAR(255) REFERENCES reports(id), ord INTEGER, "
                       "text TEXT, start_char INTEGER)"))
        c.execute(text("INSERT INTO reports VALUES ('nrc:1','nrc','1','t','2020-01-01','x','{}','abc','f','line 1','2020-01-01')"))
        c.execute(text("INSERT INTO chunks (report_id, ord, text, start_char) VALUES ('nrc:1', 0, 'x', 0)"))
    eng.dispose()
    store = SqlStore(url)
    assert store.get_report("nrc:1").content_hash == ""  # marked changed: the next ingest refills the new columns
    assert [c.text for c in store.chunks_of("nrc:1")] == ["x"]
    assert store.chunk_ids_where(corpus="nrc") == set()  # not filled yet
