import json

import pytest

from grounding.config import ConfigError
from grounding.index.faiss_index import FaissIndex, IndexBusy, IndexModelMismatch
from tests.conftest import build_system, make_config, nrc_records, write_jsonl
from tests.ingest.fakes import CountingEmbedder, HashEmbedder, assert_consistent


def test_ingest_is_incremental_and_consistent(tmp_path, embedder):
    recs = nrc_records(30)
    src = write_jsonl(tmp_path / "c.jsonl", recs)
    counting = CountingEmbedder(embedder)
    g = build_system(make_config(tmp_path, src), counting)
    first = g.ingestor().run()
    assert (first.ingested, first.rejected) == (30, 0)
    assert_consistent(g)
    n_embedded = counting.calls
    assert n_embedded == first.chunks > 0

    again = g.ingestor().run()
    assert again.unchanged == 30 and again.ingested == again.updated == 0
    assert counting.calls == n_embedded  # nothing re-embedded

    recs[5]["event_text"] += " UPDATE: the cause was a failed relay."
    write_jsonl(src, recs[:-3])
    third = g.ingestor().run(prune=True)
    assert third.updated == 1 and third.pruned == 3
    assert g.store.stats()["reports"] == 27
    assert_consistent(g)
    rid = f"nrc:{recs[5]['event_number']}"
    assert "failed relay" in " ".join(c.text for c in g.store.chunks_of(rid))
    # Only the changed chunk was embedded again; the vector of a chunk is its text's.
    assert counting.calls - n_embedded == third.chunks <= 2
    for c in g.store.chunks_of(rid):
        assert float(g.index.vectors([c.id])[0] @ embedder.embed_passages([c.text])[0]) > 0.999


def test_chunks_carry_report_fields_for_filtering(tmp_path):
    recs = nrc_records(25)
    cfg = make_config(tmp_path, write_jsonl(tmp_path / "c.jsonl", recs))
    cfg.corpus[0].facility = "facility"
    g = build_system(cfg, HashEmbedder())
    g.ingestor().run()
    rep = g.store.get_report(f"nrc:{recs[2]['event_number']}")
    assert rep.title == recs[2]["event_text"].split("\n")[0].strip()  # the NRC headline
    for c in g.store.chunks_of(rep.id):
        assert (c.corpus, c.title, c.date, c.facility) == ("nrc", rep.title, rep.date, rep.facility)
        assert c.meta == rep.meta and c.meta["facility"] == recs[2]["facility"]
    fac = recs[2]["facility"]
    hits = g.store.chunk_ids_where(facility=fac.lower() + "  ")  # case and spacing do not matter
    want = {c.id for r in recs if r["facility"] == fac for c in g.store.chunks_of(f"nrc:{r['event_number']}")}
    assert hits == want
    day = rep.date
    dated = g.store.chunk_ids_where(date_from=day, date_to=day)
    assert dated and all(c.date == day for c in g.store.get_chunks(list(dated)).values())
    # Dense search restricted to those chunks (what retrieval does with a filter).
    q = g.embedder.embed_queries([g.store.chunks_of(rep.id)[0].text])
    _, ids = g.index.search(q, 5, ids=hits)
    assert set(ids[0].tolist()) - {-1} <= hits and ids[0][0] == g.store.chunks_of(rep.id)[0].id


def test_metadata_only_change_updates_rows_without_embedding(tmp_path):
    recs = nrc_records(10)
    src = write_jsonl(tmp_path / "c.jsonl", recs)
    emb = HashEmbedder()
    g = build_system(make_config(tmp_path, src), emb)
    g.ingestor().run()
    before = emb.calls
    ids_before = g.store.chunk_ids()
    recs[3]["facility"] = "RENAMED STATION"
    write_jsonl(src, recs)
    s = g.ingestor().run()
    assert s.updated == 1 and s.chunks == 0 and emb.calls == before
    assert g.store.chunk_ids() == ids_before
    rid = f"nrc:{recs[3]['event_number']}"
    assert g.store.get_report(rid).meta["facility"] == "RENAMED STATION"
    assert all(c.meta["facility"] == "RENAMED STATION" for c in g.store.chunks_of(rid))


def test_every_kind_of_bad_input_is_rejected_with_location_and_the_rest_ingests(tmp_path):
    good = nrc_records(6)
    big = {**good[3], "event_number": 999001, "event_text": "A long report. " * 700_000}  # ~10 MB
    lines = [
        json.dumps(good[0]),
        "{not json",
        json.dumps({**good[1], "event_text": ""}),
        json.dumps(good[2]),
        json.dumps(big),
        json.dumps({**good[0], "event_text": "Different content under the same id."}),
        json.dumps(good[4]),
    ]
    src = tmp_path / "c.jsonl"
    src.write_bytes(("\n".join(lines) + "\n").encode() + b'{"event_number": 9, "event_text": "\xff\xfe"}\n' + json.dumps(good[5]).encode() + b"\n")
    cfg = make_config(tmp_path, src)
    cfg.chunking.max_report_chars = 2_000_000
    g = build_system(cfg, HashEmbedder())
    s = g.ingestor().run()
    assert s.ingested == 4 and s.rejected == 5
    joined = "\n".join(s.errors)
    assert f"{src}: line 2: malformed JSON" in joined
    assert "line 3 (id" in joined and "empty text" in joined
    assert "line 5 (id 999001): text is 10,500,000 characters, over the limit of 2,000,000" in joined
    assert "line 6" in joined and "duplicate id with different content (the record at line 1 was kept)" in joined
    assert "line 8: not valid utf-8 (byte 0xff at column 36)" in joined
    rows = g.store.rejects()
    assert len(rows) == 5 and {r.location for r in rows} == {"line 2", "line 3", "line 5", "line 6", "line 8"}
    assert all(r.source_path == str(src) and r.reason for r in rows)
    assert_consistent(g)
    # A second run records the same rejects once, not twice.
    g.ingestor().run()
    assert g.store.stats()["rejects"] == 5


def test_duplicates_last_keeps_the_later_record(tmp_path):
    recs = nrc_records(4)
    later = {**recs[1], "event_text": recs[1]["event_text"] + " * * * UPDATE * * * Cause found."}
    src = write_jsonl(tmp_path / "c.jsonl", recs + [later, recs[2]])
    cfg = make_config(tmp_path, src)
    cfg.corpus[0].duplicates = "last"
    g = build_system(cfg, HashEmbedder())
    s = g.ingestor().run()
    assert s.ingested == 4 and s.rejected == 1 and s.duplicates == 1
    assert "line 2" in s.errors[0] and "superseded by the later record at line 5" in s.errors[0]
    assert "Cause found" in g.store.get_report(f"nrc:{recs[1]['event_number']}").text
    assert g.ingestor().run().unchanged == 4  # stable across runs


def test_wrong_field_name_fails_before_any_work(tmp_path):
    src = write_jsonl(tmp_path / "c.jsonl", nrc_records(3))
    cfg = make_config(tmp_path, src)
    cfg.corpus[0].text = ["event_txt"]
    emb = HashEmbedder()
    g = build_system(cfg, emb)
    with pytest.raises(ConfigError, match=r"corpus\.nrc\.text: field 'event_txt' is not in .*did you mean \['event_text'"):
        g.ingestor().run()
    assert g.store.stats()["reports"] == 0 and emb.calls == 0 and g.store.last_run() is None


def test_unknown_config_key_fails_naming_it(tmp_path):
    from grounding.config import load_config

    p = tmp_path / "c.toml"
    p.write_text('[[corpus]]\nname = "x"\npath = "x.jsonl"\nformat = "jsonl"\nid = "id"\ntext = ["t"]\ntxet = ["t"]\n')
    with pytest.raises(ConfigError, match=r"corpus\.0\.txet"):
        load_config(p)


def test_prune_keeps_rejected_and_refuses_an_empty_source(tmp_path):
    recs = nrc_records(6)
    src = write_jsonl(tmp_path / "c.jsonl", recs)
    g = build_system(make_config(tmp_path, src), HashEmbedder())
    g.ingestor().run()
    write_jsonl(src, recs[:4] + [{**recs[4], "event_text": " "}])  # 5 now rejected (empty), 6 gone
    s = g.ingestor().run(prune=True)
    assert s.pruned == 1 and g.store.get_report(f"nrc:{recs[4]['event_number']}") is not None
    src.write_text("")
    s = g.ingestor().run(prune=True)
    assert s.pruned == 0 and "prune skipped" in s.warnings[0] and g.store.stats()["reports"] == 5
    assert_consistent(g)


def test_one_writer_at_a_time_and_no_mixing_of_models(tmp_path):
    src = write_jsonl(tmp_path / "c.jsonl", nrc_records(3))
    cfg = make_config(tmp_path, src)
    g = build_system(cfg, HashEmbedder())
    g.ingestor().run()
    other = FaissIndex(g.index.folder, "hash-embedder", 32, cfg.storage)
    with other.writer():
        with pytest.raises(IndexBusy, match="another process"):
            build_system(cfg, HashEmbedder()).ingestor().run()
    with pytest.raises(IndexModelMismatch, match="hash-embedder"):
        build_system(cfg, HashEmbedder(name="another-model")).ingestor()


def test_a_new_csv_corpus_ingests_by_config_alone(tmp_path):
    from grounding.config import Config

    p = tmp_path / "faults.csv"
    p.write_text(
        "Ticket,Reported,Site,Summary,Cost (USD)\n"
        "T-1,2021-03-04,North Yard,Transformer T2 tripped on Buchholz relay alarm.,\"12,000\"\n"
        "T-2,2021-05-06,South Yard,Breaker failed to close during switching.,unknown\n"
        "T-3,2021-07-08,North Yard\n"
    )
    cfg = Config.model_validate({
        "storage": {"data_dir": str(tmp_path / "data")},
        "corpus": [{"name": "faults", "path": str(p), "format": "csv", "id": "ticket", "text": ["summary"], "date": "reported",
                    "facility": "site", "metadata": ["site"], "numeric": ["cost_usd"],
                    "rename": {"Ticket": "ticket", "Reported": "reported", "Site": "site", "Summary": "summary", "Cost (USD)": "cost_usd"}}],
        "ontology": {"files": []},
        "root": tmp_path,
    })
    g = build_system(cfg, HashEmbedder())
    s = g.ingestor().run()
    assert (s.ingested, s.rejected) == (2, 1) and "row 3 (line 4): missing fields" in s.errors[0]
    r = g.store.get_report("faults:T-1")
    assert r.date == "2021-03-04" and r.facility == "North Yard" and r.meta == {"site": "North Yard", "cost_usd": 12000, "cost_usd_raw": "12,000"}
    assert r.title == "Transformer T2 tripped on Buchholz relay alarm."
    assert_consistent(g)


def test_bundled_config_ingests_oe417_rows_as_readable_reports(tmp_path):
    from sqlalchemy import select

    from grounding.config import load_config
    from grounding.store.schema import Report
    from tests.conftest import REPO

    cfg = load_config(REPO / "config.toml", data_dir=tmp_path / "data")
    oe = next(c for c in cfg.corpus if c.name == "oe417")
    oe.sheets = ["2002", "2011", "2023"]
    cfg.ontology.files = []
    g = build_system(cfg, HashEmbedder())
    s = g.ingestor().run([oe])
    assert (s.ingested, s.rejected) == (23 + 307 + 167, 0) and s.skipped > 0
    with g.store.session() as sess:
        kc = sess.scalars(select(Report).where(Report.title == "Ice Storm - Metropolitan Kansas City Area")).one()
    assert kc.id.startswith("oe417:2002-01-29-") and kc.date == "2002-01-29" and kc.facility == "Metropolitan Kansas City Area"
    assert kc.text == (
        "Ice Storm affecting Metropolitan Kansas City Area (NERC region SPP). The event began on 2002-01-29 at Evening. "
        "Restoration: NA. Demand loss (MW): 500-600. Customers affected: 270000."
    )
    assert kc.meta["customers_affected"] == 270000 and kc.meta["demand_loss_mw"] is None
    assert kc.meta["demand_loss_mw_raw"] == "500-600" and kc.meta["source_sheet"] == "2002"
    assert g.ingestor().run([oe]).unchanged == 23 + 307 + 167  # ids are stable across runs


@pytest.mark.postgres
def test_postgres_end_to_end(tmp_path, pg_url):
    recs = nrc_records(12)
    src = write_jsonl(tmp_path / "c.jsonl", recs + [{"event_number": 5, "event_text": "nul \u0000 byte and a lone \ud800 surrogate"}])
    cfg = make_config(tmp_path, src, database_url=pg_url)
    cfg.corpus[0].facility = "facility"
    g = build_system(cfg, HashEmbedder())
    assert g.store.dialect == "postgresql"
    s = g.ingestor().run()
    assert s.ingested == 13 and s.rejected == 0
    assert "\ufffd" in g.store.get_report("nrc:5").text
    recs[0]["event_text"] += " More."
    write_jsonl(src, recs[1:] + [recs[0]])
    s = g.ingestor().run(prune=True)
    assert (s.updated, s.pruned, s.unchanged) == (1, 1, 11)
    assert g.store.chunk_ids_where(facility=recs[1]["facility"].upper())
    assert_consistent(g)
    g.store.dispose()


def test_entity_links_and_relink_when_the_ontology_changes(tmp_path):
    from dataclasses import dataclass

    from grounding.ingest.pipeline import Ingestor

    @dataclass
    class M:
        concept: str
        start: int
        end: int
        score: float = 1.0

    def linker(word, concept):
        def link(text):
            i = text.lower().find(word)
            return [M(concept, i, i + len(word))] * (2 if i >= 0 else 0)
        return link

    recs = nrc_records(8)
    cfg = make_config(tmp_path, write_jsonl(tmp_path / "c.jsonl", recs))
    emb = HashEmbedder()
    g = build_system(cfg, emb)
    Ingestor(cfg, g.store, g.index, emb, link=linker("reactor", "onto:Reactor"), link_fingerprint="v1").run()
    linked = g.store.concepts_of(f"nrc:{r['event_number']}" for r in recs)
    assert any(l and l[0].concept == "onto:Reactor" and l[0].mentions == 2 for l in linked.values())
    calls = emb.calls
    s = Ingestor(cfg, g.store, g.index, emb, link=linker("the", "onto:The"), link_fingerprint="v2").run()
    assert s.unchanged == 8 and emb.calls == calls  # relinking embeds nothing
    linked = g.store.concepts_of(f"nrc:{r['event_number']}" for r in recs)
    assert {l.concept for ls in linked.values() for l in ls} == {"onto:The"}
    assert g.store.kv_get("links") == {"fingerprint": "v2"}
