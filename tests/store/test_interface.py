"""The store interface (grounding.store.base.ReportStore) as ingest, retrieval and curation use it."""

import pytest

from grounding.store.base import ReportStore
from grounding.store.records import ChunkRow, LinkRow, RecordRefused, RejectRow, ReportWrite, facility_key
from grounding.store.review import Candidate, ReviewQueue
from grounding.store.sql import SqlStore


def _report(rid: str, text: str, content: str, text_hash: str | None = None, title: str = "t") -> ReportWrite:
    corpus, sid = rid.split(":", 1)
    denorm = dict(corpus=corpus, title=title, date="2020-01-02", facility="Fermi 2", facility_key=facility_key("Fermi 2"), meta={})
    fields = dict(corpus=corpus, source_id=sid, title=title, date="2020-01-02", facility="Fermi 2", facility_key=denorm["facility_key"],
                  text=text, meta={}, content_hash=content, text_hash=text_hash or content, source_path="f", source_location="line 1")
    return ReportWrite(rid, text, content, text_hash or content, fields, denorm)


def _split(text: str) -> list[ChunkRow]:
    return [ChunkRow(i, part, 0, {}) for i, part in enumerate(text.split("|"))]


def _links(rid: str, text: str) -> list[LinkRow]:
    return [LinkRow(concept=f"c:{w}", mentions=1, score=0.9, first_span="0:1") for w in sorted(set(text.split("|")))]


@pytest.fixture
def store(tmp_path):
    return SqlStore(f"sqlite:///{tmp_path / 'db.sqlite'}")


def test_sql_store_implements_the_interface(store):
    assert isinstance(store, ReportStore)


def test_write_reports_new_unchanged_and_changed(store):
    res = store.write_reports([_report("nrc:1", "a|b", "h1"), _report("nrc:2", "c", "h2")],
                              [RejectRow(corpus="nrc", source_path="f", location="line 3", reason="no id")], _split, _links)
    assert (res.ingested, res.chunks, res.unchanged) == (2, 3, 0)
    assert [t for _, t in res.new_chunks] == ["a", "b", "c"]
    first = {t: cid for cid, t in res.new_chunks}
    assert store.stats() == {"reports": 2, "chunks": 3, "rejects": 1, "warnings": 0, "concept_links": 3}

    # Same content: nothing written. Metadata only (same text hash): chunks keep ids, copied columns follow.
    res = store.write_reports([_report("nrc:1", "a|b", "h1"), _report("nrc:2", "c", "h2b", text_hash="h2", title="new")], [], _split, _links)
    assert (res.unchanged, res.updated, res.new_chunks, res.removed) == (1, 1, [], [])
    assert store.chunks_of("nrc:2")[0].title == "new"

    # Text changed: the unchanged chunk text keeps its id, the dropped one is removed, the new one is written.
    res = store.write_reports([_report("nrc:1", "a|z", "h3")], [], _split, _links)
    assert (res.updated, res.reused, res.removed) == (1, 1, [first["b"]])
    assert [t for _, t in res.new_chunks] == ["z"]
    assert [c.id for c in store.chunks_of("nrc:1")][0] == first["a"]
    assert sorted(rc.concept for rc in store.concepts_of(["nrc:1"])["nrc:1"]) == ["c:a", "c:z"]


def test_a_refused_batch_writes_nothing(store):
    bad = _report("nrc:1", "a", "h1")
    bad.fields["corpus"] = None  # NOT NULL
    with pytest.raises(RecordRefused):
        store.write_reports([_report("nrc:0", "x", "h0"), bad], [], _split, _links)
    assert store.count_reports() == 0


def test_reads_deletes_runs_and_rejects(store):
    store.write_reports([_report(f"{c}:{i}", f"t{i}", f"h{i}") for c in ("nrc", "eia") for i in range(5)], [], _split, _links)
    assert [rid for rid, _ in store.report_texts(batch=3)] == sorted(f"{c}:{i}" for c in ("nrc", "eia") for i in range(5))
    assert [rid for rid, _ in store.report_texts(corpus="eia", batch=2)] == [f"eia:{i}" for i in range(5)]
    pages = list(store.report_meta_pages(batch=4))
    assert [len(p) for p in pages] == [4, 4, 2] and pages[0][0] == ("eia:0", "2020-01-02", {})
    assert sorted(rid for _, rid in store.chunk_report_ids(["nrc:1", "nrc:2"])) == ["nrc:1", "nrc:2"]
    assert store.chunk_ids_where(facility="FERMI  2", corpus="eia") == {cid for cid, _ in store.chunk_report_ids([f"eia:{i}" for i in range(5)])}

    rows, total = store.linked_reports("c:t1", limit=1)
    assert total == 2 and len(rows) == 1 and rows[0].report_id == "eia:1" and rows[0].facility == "Fermi 2"

    gone = store.delete_reports(["nrc:0", "nrc:1"])
    assert len(gone) == 2 and not (set(gone) & store.chunk_ids())
    assert store.report_ids(["nrc"]) == ["nrc:2", "nrc:3", "nrc:4"]

    assert store.relink(lambda rid, text: [LinkRow(concept="c:all")], batch=2) == 8
    assert store.stats()["concept_links"] == 8

    run = store.start_run(["nrc"])
    store.add_rejects([RejectRow(corpus="nrc", source_path="f", location="l1", reason="x", run_id=run),
                       RejectRow(corpus="nrc", source_path="f", location="l2", reason="w", severity="warning", run_id=run + 100)])
    store.add_rejects([RejectRow(corpus="nrc", source_path="f", location="l3", reason=None)], one_by_one=True)  # refused: skipped
    assert [r.location for r in store.rejects("nrc")] == ["l1", "l2"]
    store.clear_rejects(["nrc"], keep_run=run)
    assert [r.location for r in store.rejects()] == ["l1"]
    assert store.start_run(["nrc"]) != run  # the first is marked interrupted
    store.finish_run(run, "done", {"ingested": 1})
    assert store.last_run().status == "running"


def test_review_queue(store):
    q = ReviewQueue(store)
    assert q.upsert([Candidate("synonym", "Scram", "scram", concept="c:Trip", reports=3)]) == {"added": 1, "refreshed": 0, "already_decided": 0}
    row = q.list()[0]
    assert q.decide(row.id, "rejected", by="me").status == "rejected"
    assert q.decided_keys() == {("synonym", "scram", "c:Trip")}
    assert q.upsert([Candidate("synonym", "Scram", "scram", concept="c:Trip", reports=9)])["already_decided"] == 1
    assert q.get(row.id).reports == 3 and q.counts() == {"rejected": 1}
    with pytest.raises(KeyError):
        q.decide(999, "accepted", by="me")
