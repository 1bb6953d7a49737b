"""The metadata catalog reads the fields [retrieval.catalog] names (defaults: the bundled corpora's)."""

from grounding.config import CatalogConfig, load_config
from grounding.retrieve.metadata import MetadataCatalog, report_units, unit_conflict
from grounding.retrieve.query import QueryFilters
from grounding.store.records import ReportWrite
from grounding.store.sql import SqlStore


def _add(store: SqlStore, rid: str, meta: dict, date: str = "2020-01-02") -> None:
    corpus, sid = rid.split(":", 1)
    fields = dict(corpus=corpus, source_id=sid, title="t", date=date, facility="", facility_key="", text="x", meta=meta,
                  content_hash=rid, text_hash=rid, source_path="", source_location="")
    store.write_reports([ReportWrite(rid, "x", rid, rid, fields, dict(corpus=corpus, title="t", date=date, facility="", facility_key="", meta=meta))],
                        [], lambda text: [], lambda rid, text: [])


def test_default_fields_are_the_bundled_corpora_fields():
    assert load_config().retrieval.catalog == CatalogConfig()
    meta = {"unit": "[2]", "reactor_units": [{"unit": "3"}]}
    assert report_units(meta) == {2, 3}
    assert unit_conflict([1], meta) and not unit_conflict([3], meta)


def test_catalog_reads_the_configured_fields(tmp_path):
    store = SqlStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    _add(store, "a:1", {"reported_on": "2021-05-06", "region": "Ohio: Dayton", "units": "[4]", "level": "alert"})
    fields = CatalogConfig(date_fields=["reported_on"], unit_field="units", unit_list_field="", emergency_field="level")
    cat = MetadataCatalog(store, fields, place_fields=["region"])
    f = cat.analyze("What happened in Dayton on May 6, 2021 at unit 4?")
    assert f.facilities == ["dayton"]
    [m] = cat.match(f)
    assert m.report_id == "a:1" and m.reasons == ["place", "date", "unit"]
    assert cat._rows[0].emergency == "ALERT"
    # The default fields do not see these names.
    assert MetadataCatalog(store).match(QueryFilters(facilities=["dayton"])) == []
