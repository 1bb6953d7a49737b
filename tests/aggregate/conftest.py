"""A small synthetic archive (NRC- and OE-417-shaped reports) written straight into SQL: no models needed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from grounding.config import load_config
from grounding.ingest.records import facility_key
from grounding.store.schema import Report, ReportConcept
from grounding.store.sql import SqlStore

from tests.conftest import REPO
from tests.serve.conftest import serve_data  # noqa: F401  (the served data dir, for test_surfaces.py)


def _nrc(n: int, facility: str, date: str, codes: list[str], state: str = "CA", emergency: str = "NON EMERGENCY", units=None) -> Report:
    units = units or list(range(1, len(codes) + 1))
    meta = {
        "facility": facility, "state": state, "emergency_class": emergency,
        "reactor_units": [{"unit": u, "scram_code": c, "initial_power": 100} for u, c in zip(units, codes)],
    }
    return Report(id=f"nrc:{n}", corpus="nrc", source_id=str(n), title=f"EVENT {n} AT {facility}", date=date, facility=facility,
                  facility_key=facility_key(facility), text=f"Report {n}.", meta=meta, content_hash=str(n))


def _oe(n: int, area: str, date: str, region: str, etype: str, customers) -> Report:
    meta = {"area_affected": area, "nerc_region": region, "event_type": etype, "customers_affected": customers}
    return Report(id=f"oe417:{n}", corpus="oe417", source_id=str(n), title=f"{etype} - {area}", date=date, facility=area,
                  facility_key=facility_key(area), text=f"{etype} affecting {area}.", meta=meta, content_hash=str(n))


# What the tests count (by hand): DIABLO CANYON scrams in 1999: 3 (101 A/R, 102 M/R, 104 unit 2 A/R); 103 is "N".
REPORTS = [
    _nrc(101, "DIABLO CANYON", "1999-02-01", ["A/R"]),
    _nrc(102, "DIABLO CANYON", "1999-05-01", ["M/R", "N"]),
    _nrc(103, "DIABLO CANYON", "1999-07-01", ["N"]),
    _nrc(104, "Diablo Canyon", "1999-09-01", ["N", "A/R"]),
    _nrc(105, "DIABLO CANYON", "2001-03-01", ["A/R"]),
    _nrc(106, "OCONEE", "1999-03-03", ["A/R"], state="SC"),
    _nrc(107, "OCONEE", "2000-04-04", ["A/R"], state="SC"),
    _nrc(108, "OCONEE", "2000-05-05", ["A/R"], state="SC"),
    _nrc(109, "OCONEE", "2000-06-06", ["M/R"], state="SC", emergency="UNUSUAL EVENT"),
    _nrc(110, "SALEM", "2000-01-01", ["N"], state="NJ"),
    _nrc(111, "SALEM", "2001-01-01", ["A/R"], state="NJ"),
    _nrc(112, "SALEM", "1999-01-01", ["N"], state="NJ"),
    _nrc(113, "SALEM", "1999-11-01", ["N"], state="NJ"),
    _nrc(114, "SALEM", "2001-06-01", ["N"], state="NJ"),
    _oe(1, "Texas: ERCOT", "2011-02-02", "TRE", "Severe Weather", 1000),
    _oe(2, "Northern Texas", "2011-06-02", "TRE", "Vandalism", None),
    _oe(3, "Michigan", "2011-07-02", "RFC", "Severe Weather - Thunderstorms", 250),
    _oe(4, "Ohio", "2011-08-02", "RF", "System Operations", 40),
    _oe(5, "Ohio; Michigan", "2012-01-02", "SERC/RF", "Severe Weather", 10),
    _oe(6, "Minnesota", "2012-05-02", "MRO", "Vandalism", 0),
    _oe(7, "Texas", "2012-09-02", "TRE", "Fuel Supply Deficiency", 5),
]


def make_store(url: str) -> SqlStore:
    store = SqlStore(url)
    with store.session() as s:
        for r in REPORTS:
            s.merge(Report(**{c.name: getattr(r, c.name) for c in Report.__table__.columns if getattr(r, c.name) is not None}))
        s.add(ReportConcept(report_id="nrc:101", concept="urn:x#LOOP", mentions=1))
        s.add(ReportConcept(report_id="nrc:106", concept="urn:x#LOOP", mentions=1))
    return store


def fake_agent(store: SqlStore, **cfg_updates):
    cfg = load_config(REPO / "config.toml")
    for k, v in cfg_updates.items():
        setattr(cfg.aggregate, k, v)
    return SimpleNamespace(cfg=cfg, store=store, linker=None, onto=None, calibrator=None)


@pytest.fixture
def sqlite_store(tmp_path):
    store = make_store(f"sqlite:///{tmp_path / 'agg.db'}")
    yield store
    store.dispose()
