"""Adapters: every format reads good records and turns each bad one into a located reason."""

import csv
import gzip
from collections import Counter
from pathlib import Path

import pytest

from grounding.config import ConfigError, CorpusConfig, load_config
from grounding.ingest.adapters import adapter_for
from grounding.ingest.records import RawRecord, RecordError, Skipped, to_draft

REPO = Path(__file__).resolve().parents[2]
XLSX = REPO / "corpora" / "oe417" / "DOE_Electric_Disturbance_Events_2002_2023H1_raw.xlsx"
OE_CSV = REPO / "corpora" / "oe417" / "oe417_events_2002_2023H1.csv"
# Rows per sheet of the normalized CSV, from corpora/oe417/PROVENANCE.md.
OE_ROWS = {
    "2002": 23, "2003": 61, "2004": 93, "2005": 85, "2006": 91, "2007": 78, "2008": 149, "2009": 97, "2010": 123,
    "2011": 307, "2012": 196, "2013": 174, "2014": 214, "2015": 143, "2016": 141, "2017": 150, "2018": 220,
    "2019": 278, "2020": 383, "2021": 387, "2022": 390, "2023": 167,
}


def _corpus(fmt, **kw):
    base = dict(name="t", path="x", format=fmt, id="id", text=["text"])
    return CorpusConfig(**{**base, **kw})


def _read(corpus, path):
    items = list(adapter_for(corpus.format).read(corpus, path))
    return [i for i in items if isinstance(i, RawRecord)], [i for i in items if isinstance(i, RecordError)], [i for i in items if isinstance(i, Skipped)]


def test_jsonl_plain_and_gzip_with_bad_lines(tmp_path):
    body = (
        b'\xef\xbb\xbf{"id": 1, "text": "one"}\n'
        b"\n"
        b'{"id": 2, "text": "tw\n'
        b'[1, 2]\n'
        b'{"id": 3, "text": "caf\xe9"}\n'
        b'{"id": 4, "text": "four", "Body": "x"}\n'
    )
    for name, data in (("c.jsonl", body), ("c.jsonl.gz", gzip.compress(body))):
        p = tmp_path / name
        p.write_bytes(data)
        good, bad, _ = _read(_corpus("jsonl", rename={"Body": "body"}), p)
        assert [r.fields["id"] for r in good] == [1, 4] and good[1].fields["body"] == "x"
        assert [(e.location, e.reason.split(":")[0]) for e in bad] == [
            ("line 3", "malformed JSON"), ("line 4", "expected a JSON object, got list"), ("line 5", "not valid utf-8 (byte 0xe9 at column 23)")
        ]
        assert all(e.source_path == str(p) for e in bad)


def test_csv_rejects_missing_extra_and_undecodable_rows(tmp_path):
    p = tmp_path / "c.csv"
    p.write_bytes(
        b"\xef\xbb\xbfid,text,site\n"
        b"1,first,A\n"
        b'2,"a quoted\nmulti-line text",B\n'
        b"3,missing\n"
        b"4,extra,C,D\n"
        b"5,trailing empty cells,E,,\n"
        b"6,caf\xe9,F\n"
        b"7,last,G\n"
    )
    good, bad, _ = _read(_corpus("csv", metadata=["site"]), p)
    assert [r.fields["id"] for r in good] == ["1", "2", "5", "7"]
    assert good[1].fields["text"] == "a quoted\nmulti-line text"
    assert good[1].location == "row 2 (line 3)"
    assert [(e.location, e.reason) for e in bad] == [
        ("row 3 (line 5)", "missing fields: expected 3 columns, got 2"),
        ("row 4 (line 6)", "extra fields: expected 3 columns, got 4"),
        ("row 6 (line 8)", "not valid utf-8 (byte 0xe9)"),
    ]


def test_csv_holds_a_10_mb_field_and_tsv_by_config(tmp_path):
    p = tmp_path / "big.csv"
    with open(p, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        w.writerow(["big", "x" * 10_000_000])
        w.writerow(["small", "fine"])
    good, bad, _ = _read(_corpus("csv"), p)
    assert [r.fields["id"] for r in good] == ["big", "small"] and not bad
    t = tmp_path / "c.tsv"
    t.write_text("id\ttext\n1\ta, b, c\n")
    good, bad, _ = _read(_corpus("csv", delimiter="\t"), t)
    assert good[0].fields == {"id": "1", "text": "a, b, c"}


def test_json_array_streams_items_and_stops_at_a_syntax_error(tmp_path):
    p = tmp_path / "a.json"
    p.write_text('[\n {"id": 1, "text": "a"},\n "not an object",\n {"id": 3, "text": "c"},\n {"id": 4, "text": oops},\n {"id": 5, "text": "e"}\n]\n')
    good, bad, _ = _read(_corpus("json"), p)
    assert [r.fields["id"] for r in good] == [1, 3]
    assert good[1].location == "line 4 (item 3)"
    assert bad[0].location == "line 3 (item 2)" and "expected a JSON object" in bad[0].reason
    assert bad[1].location == "line 5 (item 4)" and "malformed JSON" in bad[1].reason and "rest of the file" in bad[1].reason


def test_json_records_key_and_bad_bytes(tmp_path):
    p = tmp_path / "o.json"
    p.write_bytes(b'{"meta": {}, "data": {"events": [{"id": "a", "text": "ok"}, {"id": "b", "text": "\xff"}]}}')
    good, bad, _ = _read(_corpus("json", records_key="data.events"), p)
    assert [r.fields["id"] for r in good] == ["a"]
    assert bad[0].location == "data.events[1]" and "not valid utf-8" in bad[0].reason
    good, bad, _ = _read(_corpus("json", records_key="data.nope"), p)
    assert not good and "no key 'nope'" in bad[0].reason


def test_textdir_reads_files_with_stable_ids(tmp_path):
    d = tmp_path / "docs"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("PUMP SEAL LEAK\nThe seal leaked. It was replaced.\n")
    (d / "sub" / "b.txt").write_text("second report")
    (d / "empty.txt").write_text("")
    (d / "bad.txt").write_bytes(b"line one\nbad \xff byte\n")
    (d / "notes.md").write_text("not matched by the glob")
    c = CorpusConfig(name="docs", path=str(d), format="textdir")
    good, bad, _ = _read(c, d)
    assert sorted(r.fields["id"] for r in good) == ["a", "empty", "sub.b"]
    assert bad[0].location == "file bad.txt line 2" and "not valid utf-8" in bad[0].reason
    drafts = {r.fields["id"]: to_draft(c, r, 1000) for r in good}
    assert drafts["a"].title == "PUMP SEAL LEAK" and drafts["a"].id == "docs:a"
    assert drafts["empty"].reason.startswith("empty text")


def _oe417():
    return next(c for c in load_config(REPO / "config.toml").corpus if c.name == "oe417")


def test_xlsx_oe417_workbook_yields_every_event_of_every_sheet():
    c = _oe417()
    good, bad, skipped = _read(c, XLSX)
    assert not bad
    assert Counter(r.fields["source_sheet"] for r in good) == Counter(OE_ROWS)
    assert len(good) == 3950 and len(skipped) > 100  # titles, month dividers, footnotes, repeated headers
    # The per-year column names land on canonical fields.
    by_sheet: dict = {}
    for r in good:
        by_sheet.setdefault(r.fields["source_sheet"], r.fields)
    assert by_sheet["2002"]["event_type"] == "Ice Storm" and by_sheet["2002"]["demand_loss_mw"] == 500
    assert "customers_affected" in by_sheet["2007"] and "restoration" in by_sheet["2008"]
    assert by_sheet["2016"]["alert_criteria"] and by_sheet["2023"]["date_of_restoration"]
    assert not any(k.startswith("Number of") or k == "Date" for f in by_sheet.values() for k in f)


def test_xlsx_matches_the_normalized_csv():
    """The workbook read through config yields the same events as the hand-normalized CSV."""
    c = _oe417()
    good, _, _ = _read(c, XLSX)
    with open(OE_CSV, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))

    def key(f):
        return (str(f["source_sheet"]), " ".join(str(f.get("area_affected") or "").split()), " ".join(str(f.get("event_type") or "").split()))

    assert Counter(key(r.fields) for r in good) == Counter(key(r) for r in rows)


def test_xlsx_header_search_rename_and_layout_rows(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    a = wb.active
    a.title = "2001"
    a.append(["Table 1. Disturbances, 2001"])
    a.append([])
    a.append(["Date", "Area", "Type of Disturbance", "Loss (megawatts)"])
    a.append(["January"])
    a.append(["2001-01-05", "Ohio", "Ice Storm", 120])
    a.append(["Date", "Area", "Type of Disturbance", "Loss (megawatts) [1]"])  # header repeated after a page break
    a.append(["2001-02-01", "Texas", "", "n/a"])
    a.append(["Note: preliminary"])
    b = wb.create_sheet("2002")
    b.append(["Date Event Began", "Area Affected", "Event Type", "Demand Loss (MW)", "Alert Criteria"])
    b.append(["2002-03-03", "Maine", "Vandalism", "Unknown", "Physical attack"])
    b.append([None, "Vermont", None, None, None])  # one cell: layout
    p = tmp_path / "w.xlsx"
    wb.save(p)
    rename = {"Date": "date", "Date Event Began": "date", "area": "area", "Area Affected": "area",
              "Type of Disturbance": "event_type", "Event Type": "event_type", "LOSS (MEGAWATTS)": "mw", "Demand Loss (MW)": "mw",
              "Alert Criteria": "alert"}
    c = CorpusConfig(name="w", path=str(p), format="xlsx", id_fields=["source_sheet", "date", "area"], date="date",
                     template=["{event_type} in {area}.", "Loss {mw} MW."], metadata=["alert"], numeric=["mw"], rename=rename)
    good, bad, skipped = _read(c, p)
    assert [(r.fields["source_sheet"], r.fields["area"]) for r in good] == [("2001", "Ohio"), ("2001", "Texas"), ("2002", "Maine")]
    assert good[0].location == "sheet 2001 row 5" and good[0].fields["mw"] == 120
    assert [s.location for s in skipped] == ["sheet 2001 row 4", "sheet 2001 row 6", "sheet 2001 row 8", "sheet 2002 row 3"]
    d = [to_draft(c, r, 1000) for r in good]
    assert d[0].text == "Ice Storm in Ohio. Loss 120 MW." and d[0].meta == {"mw": 120}
    assert d[1].text == "Loss n/a MW." and d[1].meta == {"mw": None, "mw_raw": "n/a"}
    assert d[2].meta == {"alert": "Physical attack", "mw": None, "mw_raw": "Unknown"}
    assert d[0].id.startswith("w:2001-01-05-") and d[0].id != d[1].id


def test_xlsx_wrong_sheet_name_fails_fast():
    from grounding.ingest.pipeline import check_corpora

    cfg = load_config(REPO / "config.toml")
    oe = next(c for c in cfg.corpus if c.name == "oe417")
    oe.sheets = ["2011", "2099"]
    with pytest.raises(ConfigError, match=r"corpus\.oe417\.sheets: no sheet named \['2099'\]"):
        check_corpora(cfg, [oe])


def test_adapters_never_raise_on_garbage(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 50)
    for fmt in ("jsonl", "csv", "json"):
        items = list(adapter_for(fmt).read(_corpus(fmt), junk))
        assert all(isinstance(i, (RawRecord, RecordError, Skipped)) for i in items)
        assert not any(isinstance(i, RawRecord) for i in items)
    items = list(adapter_for("xlsx").read(_corpus("xlsx"), junk))
    assert len(items) == 1 and "not a readable XLSX" in items[0].reason
