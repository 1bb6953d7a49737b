#!/usr/bin/env python3
"""Build the evaluation question set in corpora/eval/ from the bundled NRC and OE-417 data.

    python3 benchmarks/build_eval_set.py              # (re)writes corpora/eval/{questions,dev,test}.jsonl
    python3 benchmarks/build_eval_set.py --check      # rebuild in memory, fail if the files differ
    python3 benchmarks/build_eval_set.py --review     # print every question with its evidence (manual check)
    python3 benchmarks/build_eval_set.py --review --kind nrc_cause --limit 20
    python3 benchmarks/build_eval_set.py --candidates --kind nrc_component   # mined pool before sampling

Standard library only, except the last step (OE-417 gold ids are mapped to the ids `grounding
ingest` gives the raw workbook's rows, with the project's own XLSX adapter: run it in the project's
venv, e.g. `.venv/bin/python benchmarks/build_eval_set.py`); deterministic (fixed seed, sorted inputs), so re-running it reproduces the
committed files byte for byte.

How it works
1. Load the NRC events (one record per event_number; of the 67 event numbers that occur twice the
   later record wins, as in the ingest config) and the OE-417 CSV (id `oe417:<sheet>-<n>`, n = the
   1-based row number within its sheet in CSV order; the CSV line number is kept in `gold_csv_rows`).
2. Mine candidate questions per kind with templates over structured fields and regexes over the
   narratives (headline, "... DUE TO ...", "the cause of the X was Y", "from 100% power", emergency
   class declarations, "manually tripped the reactor", "commenced a shutdown", ...). An answerable
   candidate must name a facility (and unit) + date with exactly ONE report that day at that site
   (OE-417: one row whose area overlaps, within +-1 day), and its gold answer must occur in the report.
3. Apply the manual-curation tables below (DROP, OVERRIDE), which record what reading the items
   against their reports found, then take a fixed number per kind in a seeded hash order (sha256 of
   seed + candidate key, so dropping one item pulls in the next without reshuffling the rest).
4. Build unanswerable questions with the same templates for: facility/area + date with no report
   (checked against event, notification and report dates +-10 days and against the narratives),
   facilities/units that do not exist, dates outside the corpus, real events whose report says the
   cause is unknown / under investigation, OE-417 rows whose number is "Unknown".
5. Re-validate every item against the data (validate(): gold text occurs in the report, numbers/dates
   equal the row/field, one report per site+date, no facility-less report naming the site that day,
   no report near an unanswerable "no report" date), number the questions in a seeded order, and split
   ~50/50 into dev/test stratified by (kind, answerable, lang).

The manual check (see corpora/eval/README.md) used `--review`, which prints each question with its
report text; what it found is encoded in DROP / OVERRIDE below and in the mining filters.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NRC_PATH = ROOT / "corpora/nrc/events.jsonl.gz"
OE_PATH = ROOT / "corpora/oe417/oe417_events_2002_2023H1.csv"
OUT_DIR = ROOT / "corpora/eval"
SEED = 417

# ----------------------------------------------------------------------------------------------
# Manual curation. Keys are "<kind>:<report id>" (stable across re-runs, unlike question ids).
# Each entry says why; see corpora/eval/README.md ("Manual check").
# ----------------------------------------------------------------------------------------------
DROP: dict[str, str] = {
    # answerable candidates
    "nrc_cause:nrc:45038": "gold 'equipment failure' is the headline's vague wording; narrative says the phone "
                           "system's power supply failed to realign after an offsite outage",
    "nrc_emergency_class:nrc:37378": "narrative: NOUE conditions were met but the NOUE was NOT declared",
    "nrc_emergency_class:nrc:49975": "after-the-fact discovery: criteria were met, nothing was declared at the time",
    "nrc_emergency_class:nrc:51137": "narrative dates the declaration June 7 (2359 EDT); the record's event_date is "
                                     "June 8",
    "nrc_component:nrc:38902": "'multiple siren' is not a component name (more than 10 sirens failed a test)",
    # unanswerable candidates: the report gives a proximate cause, so 'cause unknown' would be wrong
    "unans_cause_unknown:nrc:50795": "'the cause of the SCRAM appears to be a Generator/Turbine trip'",
    "unans_cause_unknown:nrc:44666": "'licensee is investigating a potential fault in the switchyard'",
    "unans_cause_unknown:nrc:56220": "HPCI injection valve opened and injected cold water during testing",
}
OVERRIDE: dict[str, dict] = {
    "nrc_cause:nrc:40735": {"question": "Why was the reactor startup at Dresden Unit 3 cancelled on May 8, 2004?"},
    "nrc_cause:nrc:44009": {"question": "What caused Turkey Point Units 3 and 4 to trip on February 26, 2008?"},
    "nrc_component:nrc:35378": {"answer": "'A' reactor trip breaker"},
    "nrc_component:nrc:36146": {"answer": "RCP 2B seal"},
    "nrc_cause_narrative:nrc:50161": {"question": "What was the cause of the failure of the emergency tone alert radio "
                                                 "transmitter at Cooper on May 31, 2014?"},
}

# How many questions of each kind to sample (answerable, English).
QUOTA_EN = {
    "nrc_what_happened": 26,
    "nrc_cause": 30,
    "nrc_cause_narrative": 10,
    "nrc_component": 18,
    "nrc_initial_power": 20,
    "nrc_mode_after": 18,
    "nrc_emergency_class": 15,
    "nrc_action": 16,
    "oe_customers": 14,
    "oe_demand_mw": 12,
    "oe_event_type": 12,
    "oe_nerc_region": 10,
    "oe_restoration_date": 12,
}
# Korean answerable questions (different reports from the English ones).
QUOTA_KO = {
    "nrc_cause": 4,
    "nrc_initial_power": 3,
    "nrc_mode_after": 2,
    "nrc_emergency_class": 2,
    "nrc_what_happened": 1,
    "oe_customers": 2,
    "oe_event_type": 2,
}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def en_date(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def ko_date(d: dt.date) -> str:
    return f"{d.year}년 {d.month}월 {d.day}일"


# ----------------------------------------------------------------------------------------------
# NRC
# ----------------------------------------------------------------------------------------------
# Canonical facility name (merges case/spelling variants) and the display name used in questions.
FACILITY_CANON = {
    "ARKANSAS NUCLEAR": "Arkansas Nuclear One", "BEAVER VALLEY": "Beaver Valley", "BRAIDWOOD": "Braidwood",
    "BROWNS FERRY": "Browns Ferry", "BRUNSWICK": "Brunswick", "BYRON": "Byron", "CALLAWAY": "Callaway",
    "CALVERT CLIFFS": "Calvert Cliffs", "CATAWBA": "Catawba", "CLINTON": "Clinton",
    "COLUMBIA GENERATING STATION": "Columbia Generating Station",
    "COLUMBIA GENERATING STATIREGION: 4": "Columbia Generating Station",
    "WNP-2": "Columbia Generating Station", "WASHINGTON NUCLEAR": "Columbia Generating Station",
    "WASHINGTON NUCLEAR (WNP-2REGION: 4": "Columbia Generating Station",
    "COMANCHE PEAK": "Comanche Peak", "COOK": "D.C. Cook", "COOPER": "Cooper", "CRYSTAL RIVER": "Crystal River",
    "DAVIS BESSE": "Davis-Besse", "DAVIS-BESSE": "Davis-Besse", "DIABLO CANYON": "Diablo Canyon",
    "DRESDEN": "Dresden", "DUANE ARNOLD": "Duane Arnold", "FARLEY": "Farley", "FERMI": "Fermi",
    "FITZPATRICK": "FitzPatrick", "FORT CALHOUN": "Fort Calhoun", "FT CALHOUN": "Fort Calhoun", "GINNA": "Ginna",
    "GRAND GULF": "Grand Gulf", "HADDAM NECK": "Haddam Neck", "HARRIS": "Harris", "HATCH": "Hatch",
    "HOPE CREEK": "Hope Creek", "INDIAN POINT": "Indian Point", "KEWAUNEE": "Kewaunee", "LASALLE": "LaSalle",
    "LIMERICK": "Limerick", "MAINE YANKEE": "Maine Yankee", "MCGUIRE": "McGuire", "MILLSTONE": "Millstone",
    "MONTICELLO": "Monticello", "NINE MILE POINT": "Nine Mile Point", "NORTH ANNA": "North Anna",
    "OCONEE": "Oconee", "OYSTER CREEK": "Oyster Creek", "PALISADES": "Palisades", "PALO VERDE": "Palo Verde",
    "PEACH BOTTOM": "Peach Bottom", "PERRY": "Perry", "PILGRIM": "Pilgrim", "POINT BEACH": "Point Beach",
    "PRAIRIE ISLAND": "Prairie Island", "QUAD CITIES": "Quad Cities", "RIVER BEND": "River Bend",
    "ROBINSON": "Robinson", "SAINT LUCIE": "St. Lucie", "SALEM": "Salem", "SAN ONOFRE": "San Onofre",
    "SEABROOK": "Seabrook", "SEQUOYAH": "Sequoyah", "SOUTH TEXAS": "South Texas Project", "SUMMER": "V.C. Summer",
    "SURRY": "Surry", "SUSQUEHANNA": "Susquehanna", "THREE MILE ISLAND": "Three Mile Island",
    "TURKEY POINT": "Turkey Point", "VERMONT YANKEE": "Vermont Yankee", "VOGTLE": "Vogtle", "VOGTLE 1/2": "Vogtle",
    "VOGTLE 3/4": "Vogtle", "WATERFORD": "Waterford", "WATTS BAR": "Watts Bar", "WOLF CREEK": "Wolf Creek",
    "BIG ROCK POINT": "Big Rock Point", "YANKEE ROWE": "Yankee Rowe", "ZION": "Zion", "BELLEFONTE": "Bellefonte",
    "HUMBOLDT BAY": "Humboldt Bay", "LACROSSE": "LaCrosse", "RANCHO SECO": "Rancho Seco", "TROJAN": "Trojan",
    "SUMMER CONSTRUCTION": "V.C. Summer",
}
# Only these (operating-reactor sites) are used for answerable questions.
QUESTION_SITES = {v for k, v in FACILITY_CANON.items()} - {
    "Big Rock Point", "Yankee Rowe", "Zion", "Bellefonte", "Humboldt Bay", "LaCrosse", "Rancho Seco", "Trojan",
    "Haddam Neck", "Maine Yankee"}

PREAMBLE = re.compile(r"(?s)^\s*EN Revision Imported Date:.*?EN Revision Text:\s*")


def canon_facility(raw: str | None) -> str | None:
    if not raw:
        return None
    return FACILITY_CANON.get(raw.strip().upper())


def parse_iso(s: str | None) -> dt.date | None:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


class Nrc:
    def __init__(self, e: dict):
        self.raw = e
        self.en = int(e["event_number"])
        self.id = f"nrc:{self.en}"
        self.site = canon_facility(e.get("facility"))
        self.date = parse_iso(e.get("event_date"))
        self.notif = parse_iso(e.get("notification_date"))
        self.report = parse_iso(e.get("report_date"))
        text = e.get("event_text") or ""
        self.text = text
        self.body_all = PREAMBLE.sub("", text)
        nonempty = [ln.strip() for ln in self.body_all.split("\n") if ln.strip()]
        # Hard-wrapped (pre-2004) headlines continue on the next upper-case line(s).
        k = 1
        while nonempty and k < min(len(nonempty), 4) and len(nonempty[0]) >= 40 and is_upper(nonempty[k]) \
                and len(nonempty[k]) <= 80:
            k += 1
        rest = " ".join(nonempty[k:])
        # When the narrative itself is upper-case the headline's end cannot be told: mark it unsure.
        self.headline_sure = bool(nonempty) and (not is_upper(rest[:400]) or len(nonempty[0]) < 50)
        self.headline = re.sub(r"\s+", " ", " ".join(nonempty[:k])).strip(" -") if nonempty else ""
        self.body = "\n".join(nonempty[k:])
        self.flat = re.sub(r"\s+", " ", self.body)  # narrative without the headline, unwrapped
        self.units = [u for u in (e.get("reactor_units") or []) if u.get("unit") is not None]
        self.retracted = bool(re.search(r"RETRACT", text, re.I))
        self.updated = bool(re.search(r"\*\s*\*\s*\*\s*UPDATE", text, re.I))


def is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def load_nrc() -> list[Nrc]:
    by_en: dict[int, dict] = {}
    with gzip.open(NRC_PATH, "rt", encoding="utf-8") as fh:
        for line in fh:
            e = json.loads(line)
            by_en[int(e["event_number"])] = e  # later record wins
    return [Nrc(by_en[k]) for k in sorted(by_en)]


# Sites whose corpus records only ever name one unit number.
def site_units(events: list[Nrc]) -> dict[str, set[int]]:
    su: dict[str, set[int]] = defaultdict(set)
    for e in events:
        if e.site:
            for u in e.units:
                su[e.site].add(int(u["unit"]))
            for m in re.findall(r"\[(\d)\]", e.raw.get("unit") or ""):
                su[e.site].add(int(m))
    return su


# Single-unit sites whose unit is not 1 are usually called by name + number.
SINGLE_NAME = {"Fermi": "Fermi 2", "Waterford": "Waterford 3", "Crystal River": "Crystal River Unit 3"}


def unit_phrase(name: str, su: dict[str, set[int]], unit: int | None, lang: str = "en") -> str:
    if len(su.get(name, ())) <= 1:
        return SINGLE_NAME.get(name, name)
    if unit is None:
        return name
    return f"{name} {unit}호기" if lang == "ko" else f"{name} Unit {unit}"


def event_unit(e: Nrc) -> int | None:
    """The unit a report is about: its only unit, or the only unit that scrammed."""
    u = single_unit(e)
    if u is None:
        tripped = sorted({int(x["unit"]) for x in e.units if str(x.get("scram_code") or "N").upper() != "N"})
        if len(tripped) == 1:
            u = tripped[0]
    return u


def site_phrase(e: Nrc, su: dict[str, set[int]], unit: int | None, lang: str = "en") -> str:
    return unit_phrase(e.site, su, unit, lang)


def single_unit(e: Nrc) -> int | None:
    """The one unit the report is about (reactor_units and the unit field agree), else None."""
    listed = sorted({int(m) for m in re.findall(r"\[(\d)\]", e.raw.get("unit") or "")})
    ru = sorted({int(u["unit"]) for u in e.units})
    if len(ru) == 1 and (not listed or listed == ru):
        return ru[0]
    if not ru and len(listed) == 1:
        return listed[0]
    return None


# ----------------------------------------------------------------------------------------------
# Text helpers
# ----------------------------------------------------------------------------------------------
_TOK = re.compile(r"[0-9a-z]+")
STOP_END = {"a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "by", "with", "from", "as",
            "that", "this", "its", "is", "was", "were", "be", "due", "while", "during", "no", "not"}


def toks(s: str) -> list[str]:
    return _TOK.findall(s.lower().replace("%", " percent "))


def contains(text: str, phrase: str) -> bool:
    """The phrase's tokens occur contiguously in the text's tokens."""
    t, p = " " + " ".join(toks(text)) + " ", " " + " ".join(toks(phrase)) + " "
    return p.strip() != "" and p in t


def sentence_case(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip(" .,;:-")
    return s.lower() if s.isupper() or sum(c.isupper() for c in s) > 0.6 * sum(c.isalpha() for c in s) else s


ACRONYMS = {a.lower(): a for a in (
    "AC DC ECCS EOF MSIV MSIVs RHR HPCI RCIC EDG EDGs TSC ERDS SPDS EHC RCS AFW CEA CEDM SRV PORV NRC OSHA LOCA ESF RPS "
    "SBGT LCO RWCU HVAC KV CRD CRDM MFP RCP ECP NOUE EAL ENS SGTR HPCS LPCI RWST FSAR UFSAR NPDES USCG EPA TEMA "
    "SI SW CCW ESW RCIC TDAFW MDAFW LPRM APRM IRM SRM RPV SBLC EFW MFW FWRV MSR II III IV").split()}


def pretty(s: str) -> str:
    """Sentence case for upper-case headline text, keeping common plant acronyms and 'Unit N'."""
    s = sentence_case(s)
    s = re.sub(r"\b[a-z]+\b", lambda m: ACRONYMS.get(m.group(0), m.group(0)), s)
    return re.sub(r"\bunit(s?) (\d)", r"Unit\1 \2", s)


def clean_phrase(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip(" .,;:-\"'")
    s = re.sub(r"\s*\[[^\]]*\]\s*", " ", s).strip()  # NRC editorial brackets
    return s


def ends_ok(phrase: str) -> bool:
    w = toks(phrase)
    return bool(w) and w[-1] not in STOP_END and not w[-1].isdigit()


def nwords(s: str) -> int:
    return len(s.split())


# ----------------------------------------------------------------------------------------------
# Candidates
# ----------------------------------------------------------------------------------------------
class Cand(dict):
    """A question candidate; key = '<kind>:<report id>'."""

    @property
    def key(self) -> str:
        return f"{self['kind']}:{self['gold_reports'][0]}"


def nrc_index(events: list[Nrc]):
    by_site_date: dict[tuple[str, dt.date], list[Nrc]] = defaultdict(list)
    for e in events:
        if e.site and e.date:
            by_site_date[(e.site, e.date)].append(e)
    return by_site_date


def eligible(e: Nrc, by_site_date) -> bool:
    return (e.site in QUESTION_SITES and e.date is not None and 1999 <= e.date.year <= 2026
            and len(by_site_date[(e.site, e.date)]) == 1 and bool(e.headline) and e.headline_sure and len(e.flat) > 80
            and not e.retracted)


SUBJECT_OK = re.compile(
    r"(TRIP|SCRAM|SHUTDOWN|SHUT DOWN|ACTUATION|ISOLATION|INOPERABLE|LOSS OF|UNUSUAL EVENT|NOTIFICATION|START|"
    r"DECLARED|OUT OF SERVICE|UNAVAILAB|NON-?FUNCTIONAL|RUNBACK|TRANSIENT|INJECTION|RELEASE|EVACUAT|POWER REDUCTION|"
    r"DOWNPOWER|INITIATION)", re.I)
STATE_SUFFIX = re.compile(r"^(.*?)\s+((?:DECLARED\s+)?(?:INOPERABLE|OUT OF SERVICE|NON-?FUNCTIONAL|UNAVAILABLE|"
                          r"DEGRADED))$", re.I)
GENERIC_HEADLINES = re.compile(r"FITNESS|60-DAY|OPTIONAL TELEPHONIC|^EVENT NOTIFICATION|^SECURITY|^DEGRADED CONDITION$|"
                               r"^UNANALYZED CONDITION$|^OFFSITE NOTIFICATION$|^INFORMATION ONLY|^PART 21|"
                               r"^TECHNICAL SPECIFICATION VIOLATION$|^\W*$", re.I)


EQUIPMENT_END = re.compile(
    r"(VALVES?|PUMPS?|GENERATORS?|MONITORS?|BREAKERS?|RELAYS?|TRANSFORMERS?|MOTORS?|FANS?|DAMPERS?|SWITCH(ES)?|"
    r"CARDS?|COMPUTERS?|INVERTERS?|BATTER(Y|IES)|CHARGERS?|PANELS?|SOLENOIDS?|SIRENS?|DIESELS?|EDGS?|CHILLERS?|"
    r"COMPRESSORS?|HEATERS?|CONTROLLERS?|REGULATORS?|ACTUATORS?|SEALS?|BUS(ES)?|CABLES?|FUSES?|TURBINES?|"
    r"INSTRUMENTS?|TRANSMITTERS?|SENSORS?|DETECTORS?|OPERATORS?|UNIT|SUPPLY|SUPPLIES|MULTIPLEXER|TRANSMITTER|"
    r"ANALYZERS?|PIPE|PIPING|LINE|WELD|TUBES?|HEAT EXCHANGERS?|STRAINERS?|SNUBBERS?|INTERLOCKS?|ENGINES?|TANKS?|"
    r"CONVERTERS?|RECORDERS?|PROCESSORS?)$", re.I)


def trip_noun(e: Nrc) -> str:
    h = e.headline.upper()
    if "SCRAM" in h:
        return "reactor scram"
    if "TRIP" in h:
        return "reactor trip"
    return "reactor shutdown"


def trip_subject(subject: str) -> str | None:
    """'REACTOR MANUALLY TRIPPED FROM 100% POWER' -> 'manual reactor trip'; None if not a trip/scram."""
    u = subject.upper()
    if not re.search(r"\b(TRIP|TRIPPED|SCRAM|SCRAMMED)\b", u) or re.search(r"\b(TURBINE|PUMP|BREAKER|FAN)\b", u):
        return None
    how = "manual " if "MANUAL" in u else ("automatic " if "AUTO" in u else "")
    return f"{how}reactor {'scram' if 'SCRAM' in u else 'trip'}"


def cause_question(subject: str, where: str, when: str) -> str:
    subject = re.sub(r"^UNITS? \d( AND \d)?\s+", "", subject.strip(), flags=re.I)
    ts = trip_subject(subject)
    if ts:
        return f"What caused the {ts} at {where} on {when}?"
    subj = pretty(subject)
    m = STATE_SUFFIX.match(subject)
    if m:
        thing, state = pretty(m.group(1)), pretty(m.group(2))
        plural = bool(re.match(r"(both|two|all|three|four|multiple|several)\b", thing, re.I)) or \
            bool(re.search(r"(?<!s)s$", thing))
        art = "" if re.match(r"(both|one|two|all|three|four|an?|the|multiple|several|\d)\b", thing, re.I) else "the "
        return f"Why {'were' if plural else 'was'} {art}{thing} {state} at {where} on {when}?"
    if re.search(r"notification", subj, re.I):
        return f"What prompted the {subj} from {where} on {when}?"
    return f"What caused the {subj} at {where} on {when}?"


def mine_nrc(events: list[Nrc]) -> dict[str, list[Cand]]:
    by_site_date = nrc_index(events)
    su = site_units(events)
    out: dict[str, list[Cand]] = defaultdict(list)
    headline_count = Counter(" ".join(toks(e.headline)) for e in events)

    def base(e: Nrc, kind: str, q: str, a, atype: str, field: str, lang="en", qko=None) -> Cand:
        return Cand(question=q, answer=a, answer_type=atype, gold_reports=[e.id], answerable=True, kind=kind,
                    source_field=field, lang=lang, _ko=qko, _date=e.date.isoformat(), _site=e.site)

    for e in events:
        if not eligible(e, by_site_date):
            continue
        unit = single_unit(e)
        where = site_phrase(e, su, event_unit(e))
        where_ko = site_phrase(e, su, event_unit(e), "ko")
        when, when_ko = en_date(e.date), ko_date(e.date)
        h = e.headline
        hw = nwords(h)

        # --- what happened: the headline --------------------------------------------------------
        if 5 <= hw <= 14 and not GENERIC_HEADLINES.search(h) and ends_ok(h) and "(" not in h \
                and headline_count[" ".join(toks(h))] == 1:
            q = f"What happened at {where} on {when}, according to the NRC event report?"
            c = base(e, "nrc_what_happened", q, pretty(h), "text", "event_text headline")
            c["_ko"] = f"{when_ko} {where_ko}에서 어떤 사건이 보고되었는가?"
            out["nrc_what_happened"].append(c)

        # --- cause from the headline: "<SUBJECT> DUE TO <CAUSE>" ----------------------------------
        m = re.match(r"^(.{3,80}?)\s+DUE TO\s+(.{5,120})$", h, re.I)
        if m and h.upper().count("DUE TO") == 1:
            subj, cause = m.group(1).strip(" -,"), clean_phrase(m.group(2))
            if (1 <= nwords(subj) <= 8 and 2 <= nwords(cause) <= 12 and SUBJECT_OK.search(subj) and ends_ok(cause)
                    and not re.search(r"UNKNOWN|UNDETERMINED|UNDER INVESTIGATION", cause, re.I)
                    and not re.search(r"\b(UNUSUAL EVENT|ALERT)\b", subj, re.I)):
                c = base(e, "nrc_cause", cause_question(subj, where, when), pretty(cause), "text",
                         "event_text headline (after 'due to')")
                ts = trip_subject(subj)
                if ts:
                    c["_ko"] = f"{when_ko} {where_ko}에서 발생한 원자로 정지({ts})의 원인은 무엇인가?"
                c["_subject"] = subj
                out["nrc_cause"].append(c)

        # --- cause stated in the narrative: "the cause of the X was Y" ----------------------------
        for m in re.finditer(r"\b[Tt]he (?:root |apparent |probable |direct |likely |suspected )?cause of the "
                             r"([a-zA-Z][\w\s\-/']{3,70}?) (?:was|is|has been determined to be|appears to be|"
                             r"was determined to be|is believed to be|was due to|is due to) "
                             r"((?:a |an |the )?[^.;:()\"]{6,160})", e.flat):
            subject, cause = clean_phrase(m.group(1)), clean_phrase(m.group(2))
            cause = re.split(r",| which | that | and was | and is | when | resulting | while |\bcausing\b", cause)[0]
            cause = re.sub(r"^(?:(?:apparently|probably|likely|possibly|most likely)\s+)?(?:(?:determined|identified|"
                           r"reported|suspected|believed|found|thought)\s+to\s+be\s+|due\s+to\s+|attributed\s+to\s+|"
                           r"attributable\s+to\s+|related\s+to\s+)", "", clean_phrase(cause), flags=re.I)
            cause = clean_phrase(re.sub(r"^from\s+", "", cause, flags=re.I))
            if (2 <= nwords(cause) <= 14 and 1 <= nwords(subject) <= 6 and ends_ok(cause)
                    and not re.search(r"\b(has|have|not|but|and intends|which|that)\b", subject)
                    and not re.match(r"not\b", cause, re.I)
                    and not re.search(r"unknown|not (yet |fully |currently )?(known|determined|understood)|investigat|"
                                      r"being|evaluat|undetermined|not clear|in progress|ongoing|known and|"
                                      r"the only|^(a |an )?(very|line|combination)\b", cause, re.I)):
                q = f"What was the cause of the {pretty(subject)} at {where} on {when}?"
                c = base(e, "nrc_cause_narrative", q, cause, "text", "event_text ('the cause of ... was ...')")
                c["_subject"] = subject
                out["nrc_cause_narrative"].append(c)
                break

        # --- failed component (headline) ---------------------------------------------------------
        comp = None
        hu = h.upper()
        for pat in (r"\bFAILURE OF (?:THE |AN? |ONE |TWO )?([A-Z0-9][A-Z0-9 \-/']{3,60}?)(?: DURING| DUE| RESULTS| CAUSES"
                    r"| LEADS| TO | ON | WHILE|$)",
                    r"(?:^|DUE TO (?:AN? |THE )?)([A-Z][A-Z0-9 \-/']{3,60}?) FAILURES?\b",
                    r"^(?:AN? |THE )?([A-Z][A-Z0-9 \-/']{3,60}?) FAILED\b"):
            m = re.search(pat, hu)
            if m:
                comp = clean_phrase(m.group(1))
                break
        if comp and 1 <= nwords(comp) <= 7 and EQUIPMENT_END.search(comp) and contains(e.flat, comp) \
                and not re.search(r"\b(FITNESS|PERSONNEL|SURVEILLANCE|REPORT|ACCESS|SECURITY)\b", comp):
            q = f"Which component failed at {where} on {when}?"
            c = base(e, "nrc_component", q, pretty(comp), "text", "event_text headline + narrative")
            out["nrc_component"].append(c)

        # --- power level before the event (single unit, stated in narrative) ---------------------
        if unit is not None and len(e.units) == 1 and e.units[0].get("initial_power") not in (None, 0) and \
                str(e.units[0].get("scram_code") or "N").upper() != "N":
            p = int(e.units[0]["initial_power"])
            mentions = {int(x) for x in re.findall(r"\b(\d{1,3})\s*(?:%|percent)\s*(?:rated\s+|reactor\s+|thermal\s+)?"
                                                   r"power", e.flat, re.I)}
            stated = re.search(rf"\b(?:from|at|approximately|about)\s+(?:approximately\s+)?{p}\s*(?:%|percent)\s*"
                               rf"(?:rated\s+|reactor\s+|thermal\s+)?power", e.flat, re.I)
            sent = ""
            if stated:
                a = max(e.flat.rfind(". ", 0, stated.start()), 0)
                b = e.flat.find(". ", stated.end())
                sent = e.flat[a: b if b > 0 else len(e.flat)]
            other_unit = any(int(x) != unit for x in re.findall(r"\b(?:unit|U-?)\s*(\d)\b", sent, re.I))
            if mentions == {p} and stated and not other_unit and \
                    not re.search(r"remain|continu|unaffected|no (effect|impact)|other unit", sent, re.I):
                noun = trip_noun(e)
                q = f"At what power level (percent) was {where} operating before the {noun} on {when}?"
                c = base(e, "nrc_initial_power", q, str(p), "number", "reactor_units.initial_power (stated in narrative)")
                c["_ko"] = f"{when_ko} {where_ko}의 원자로 정지 직전 출력은 몇 퍼센트였는가?"
                c["_evidence"] = stated.group(0)
                out["nrc_initial_power"].append(c)

        # --- mode after a scram (single unit; narrative names that mode and no other) ------------
        if unit is not None and len(e.units) == 1 and str(e.units[0].get("scram_code") or "N").upper() != "N":
            mode = (e.units[0].get("current_rx_mode") or "").strip()
            modes = ["hot standby", "hot shutdown", "cold shutdown", "startup"]
            if mode.lower() in modes[:3]:
                named = {mo for mo in modes if re.search(rf"\b{mo}\b", e.flat, re.I)}
                if named == {mode.lower()}:
                    noun = trip_noun(e)
                    q = f"What operating mode was {where} in after the {noun} on {when}?"
                    # "Hot Standby (Mode 3)" when the narrative pairs the name with the mode number: a two-token
                    # gold would let the wrong mode ("Hot Shutdown") pass the token-F1 >= 0.5 rule.
                    mn = re.search(rf"\bmode\s*(\d)\s*[\(\[]\s*{mode}\b|\b{mode}\s*[\(\[]\s*mode\s*(\d)\b",
                                   e.flat, re.I)
                    ans = f"{mode} (Mode {mn.group(1) or mn.group(2)})" if mn else mode
                    c = base(e, "nrc_mode_after", q, ans, "text", "reactor_units.current_rx_mode (named in narrative)")
                    c["_ko"] = f"{when_ko} 원자로 정지 후 {where_ko}는 어떤 운전 모드에 있었는가?"
                    out["nrc_mode_after"].append(c)

        # --- emergency class ------------------------------------------------------------------------
        ec = (e.raw.get("emergency_class") or "").strip().upper()
        ec = {"UNU": "UNUSUAL EVENT", "ALE": "ALERT"}.get(ec, ec)
        if ec in ("UNUSUAL EVENT", "ALERT", "SITE AREA EMERGENCY"):
            txt = e.text
            ue = bool(re.search(r"unusual\s+event|\bNOUE\b|\bUE\b", txt, re.I))
            al = bool(re.search(r"(declared|declaration of|entered|classified as|declare)\s+(an\s+|the\s+)?alert\b|"
                                r"\balert\s+(was|has been)\s+declared|\bALERT\b[^.]{0,40}\bdeclared", txt, re.I))
            sae = bool(re.search(r"site\s+area\s+emergency", txt, re.I))
            ok = {"UNUSUAL EVENT": ue and not al and not sae, "ALERT": al and not sae,
                  "SITE AREA EMERGENCY": sae}[ec]
            if ok and not re.search(r"after[- ]the[- ]fact|not (been )?declared|was not declared|should have been",
                                    txt, re.I):
                ans = {"UNUSUAL EVENT": "Unusual Event", "ALERT": "Alert", "SITE AREA EMERGENCY": "Site Area Emergency"}[ec]
                q = f"What emergency classification was declared at {where} on {when}?"
                c = base(e, "nrc_emergency_class", q, ans, "text", "emergency_class (stated in narrative)")
                c["_ko"] = f"{when_ko} {where_ko}에서 선포된 비상 등급은 무엇인가?"
                out["nrc_emergency_class"].append(c)

        # --- action taken -------------------------------------------------------------------------
        m = re.match(r"^(?:UNIT \d )?(?:MANUAL(?:LY)? (?:REACTOR )?(?:TRIP|SCRAM)|REACTOR MANUAL(?:LY)? (?:TRIP|SCRAM)"
                     r"|(?:REACTOR |UNIT |PLANT )?(?:MANUAL(?:LY)? )?(?:TRIPPED|SCRAMMED) MANUALLY)"
                     r"(?:PED|MED)? (?:DUE TO|FOLLOWING|AFTER|ON) (.{5,100})$", h, re.I)
        act = None
        if m:
            trig = clean_phrase(m.group(1))
            am = re.search(r"\b((?:the )?(?:operators?|crew|licensee|control room (?:staff|operators))\s+)?"
                           r"(manually (?:tripped|scrammed) (?:the )?(?:reactor|unit(?: \d)?)|inserted a manual "
                           r"(?:reactor )?(?:trip|scram)|initiated a manual (?:reactor )?(?:trip|scram)|"
                           r"(?:the )?reactor was manually (?:tripped|scrammed))", e.flat, re.I)
            if am and 2 <= nwords(trig) <= 10 and ends_ok(trig) and "%" not in trig and not re.search(
                    r"\b(INADVERTENT|FROM|PERCENT)$", trig, re.I):
                act = (trig, clean_phrase(am.group(2)), "operators")
        m2 = re.match(r"^(?:TECHNICAL SPECIFICATION|TECH SPEC|TS)[- ]?(?:REQUIRED )?(?:PLANT |UNIT |REACTOR )?"
                      r"SHUT ?DOWN (?:INITIATED |COMMENCED |REQUIRED )?DUE TO (.{5,100})$", h, re.I)
        if not act and m2:
            trig = clean_phrase(m2.group(1))
            am = re.search(r"\b(commenced|initiated|began|started) (?:a |an |the )?((?:[\w\-()]+ ){0,5}?"
                           r"(?:shut ?down|power reduction|cooldown))\b", e.flat, re.I)
            if am and 2 <= nwords(trig) <= 10 and ends_ok(trig) and not re.search(r"\b(within|hours?)\b", am.group(0)):
                act = (trig, clean_phrase(am.group(0)), "the licensee")
        if act:
            trig, phrase, who = act
            trig = re.sub(r"^(?:an?|the)\s+", "", trig, flags=re.I)
            q = f"What action did {who} take in response to the {pretty(trig)} at {where} on {when}?"
            c = base(e, "nrc_action", q, phrase, "text", "event_text narrative (action sentence)")
            out["nrc_action"].append(c)
    return out


# ----------------------------------------------------------------------------------------------
# OE-417
# ----------------------------------------------------------------------------------------------
STATES = ["Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
          "District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
          "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
          "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York",
          "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island",
          "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington",
          "West Virginia", "Wisconsin", "Wyoming", "Puerto Rico"]
STATE_SET = {s.lower() for s in STATES}
STATE_RE = re.compile(r"\b(" + "|".join(sorted(STATES, key=len, reverse=True)) + r")\b", re.I)
AREA_STOP = {"county", "counties", "city", "area", "metropolitan", "metro", "service", "territory", "north", "south",
             "east", "west", "northern", "southern", "eastern", "western", "central", "of", "and", "the", "parts",
             "portions", "state", "region", "new", "northeast", "northwest", "southeast", "southwest"}


def parse_oe_date(s: str) -> dt.date | None:
    s = (s or "").strip()
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(?: \d\d:\d\d(?::\d\d)?)?", s)
    if m:
        y, mo, d = map(int, m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:,? .*)?", s)
        if not m:
            return None
        mo, d, y = map(int, m.groups())
        if y < 100:
            y += 2000
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


class Oe:
    def __init__(self, row: dict, n: int, line: int):
        self.row = row
        self.sheet = row["source_sheet"]
        self.id = f"oe417:{self.sheet}-{n}"
        self.line = line
        self.date = parse_oe_date(row["date_event_began"])
        self.area_raw = row["area_affected"].strip()
        self.states = {s.lower() for s in STATE_RE.findall(self.area_raw)}
        self.area_toks = {t for t in toks(self.area_raw) if t not in AREA_STOP and len(t) > 2}
        rest = row["date_of_restoration"] if row["date_of_restoration"].strip() else row["restoration"]
        self.restored = parse_oe_date(rest)


def load_oe() -> list[Oe]:
    out = []
    per_sheet: Counter = Counter()
    with open(OE_PATH, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            per_sheet[row["source_sheet"]] += 1
            out.append(Oe(row, per_sheet[row["source_sheet"]], reader.line_num))
    return out


def area_phrase(a: str) -> str | None:
    """'Washington: Pierce County;' -> 'Pierce County, Washington'; None when too long / a list of states."""
    a = re.sub(r"\[\d+\]", "", a)  # footnote markers
    a = re.sub(r"\s+", " ", a).strip(" ;:,")
    if not a or len(a) > 60 or not ends_ok(a):
        return None
    if ":" in a:
        parts = [p.strip(" ;,") for p in a.split(":")]
        parts = [p for p in parts if p]
        if len(parts) == 1:
            return parts[0]
        if all(p.lower() in STATE_SET for p in parts):
            return " and ".join(parts) if len(parts) == 2 else ", ".join(parts[:-1]) + " and " + parts[-1]
        if len(parts) == 2 and ";" not in parts[1] and parts[1].count(",") <= 1:
            return f"{parts[1]}, {parts[0]}"
        return None
    return re.sub(r"\s*;\s*", " and ", a)


def oe_overlap(a: Oe, b: Oe) -> bool:
    if a.states and b.states:
        return bool(a.states & b.states)
    return bool(a.area_toks & b.area_toks) or bool(a.states & b.area_toks) or bool(b.states & a.area_toks) \
        or not (a.area_toks or a.states) or not (b.area_toks or b.states)


def event_phrase(t: str) -> str:
    t = re.sub(r"\s+", " ", t).strip(" -")
    t = re.sub(r"\s*;\s*", " and ", t).replace("Physcial", "Physical").replace("Suspcious", "Suspicious")
    low = t.lower()
    if not t or "unknown" in low or low in ("other", "-"):
        return "event"
    return low


def oe_unique(o: Oe, by_date: dict[dt.date, list[Oe]]) -> bool:
    for k in (-1, 0, 1):
        for other in by_date.get(o.date + dt.timedelta(days=k), []):
            if other is not o and oe_overlap(o, other):
                return False
    return True


PLAIN_INT = re.compile(r"\d+")


def mine_oe(rows: list[Oe]) -> dict[str, list[Cand]]:
    by_date: dict[dt.date, list[Oe]] = defaultdict(list)
    for o in rows:
        if o.date:
            by_date[o.date].append(o)
    out: dict[str, list[Cand]] = defaultdict(list)
    for o in rows:
        if not o.date or not (2002 <= o.date.year <= 2023) or str(o.date.year) != o.sheet:
            continue
        area = area_phrase(o.area_raw)
        if not area or not oe_unique(o, by_date):
            continue
        r = o.row
        ev = event_phrase(r["event_type"])
        when, when_ko = en_date(o.date), ko_date(o.date)

        def base(kind, q, a, atype, field, qko=None):
            return Cand(question=q, answer=a, answer_type=atype, gold_reports=[o.id], gold_csv_rows=[o.line],
                        answerable=True, kind=kind, source_field=field, lang="en", _ko=qko, _date=o.date.isoformat(),
                        _site=area)

        cust = r["customers_affected"].strip()
        if PLAIN_INT.fullmatch(cust) and int(cust) > 0:
            q = f"How many customers were affected by the {ev} in {area} that began on {when}?"
            out["oe_customers"].append(base("oe_customers", q, str(int(cust)), "number", "customers_affected",
                                            f"{when_ko} {area}에서 시작된 {ev} 사건으로 영향을 받은 고객 수는 몇 명인가?"))
        elif cust.lower() in ("unknown", "unk"):
            q = f"How many customers were affected by the {ev} in {area} that began on {when}?"
            c = base("unans_oe_number_unknown", q, None, None, "customers_affected = " + cust,
                     f"{when_ko} {area}에서 시작된 {ev} 사건으로 영향을 받은 고객 수는 몇 명인가?")
            out["unans_oe_number_unknown"].append(c)
        mw = r["demand_loss_mw"].strip()
        if PLAIN_INT.fullmatch(mw) and int(mw) > 0:
            q = f"How much demand (in MW) was lost in the {ev} in {area} that began on {when}?"
            out["oe_demand_mw"].append(base("oe_demand_mw", q, str(int(mw)), "number", "demand_loss_mw"))
        elif mw.lower() in ("unknown", "unk"):
            q = f"How much demand (in MW) was lost in the {ev} in {area} that began on {when}?"
            out["unans_oe_number_unknown"].append(
                base("unans_oe_number_unknown", q, None, None, "demand_loss_mw = " + mw))
        et = re.sub(r"\s+", " ", r["event_type"]).strip()
        if et and ev != "event" and len(et) <= 50:
            q = f"What type of event affected {area} on {when}, according to the OE-417 report?"
            out["oe_event_type"].append(base("oe_event_type", q, et, "text", "event_type",
                                             f"OE-417 보고에 따르면 {when_ko} {area}에 영향을 준 사건의 유형은 무엇인가?"))
        reg = r["nerc_region"].strip()
        if re.fullmatch(r"[A-Z]{2,5}(?: RE)?", reg):
            q = f"Which NERC region reported the {ev} in {area} that began on {when}?"
            out["oe_nerc_region"].append(base("oe_nerc_region", q, reg, "text", "nerc_region"))
        if o.restored and o.date <= o.restored <= o.date + dt.timedelta(days=60):
            field = "date_of_restoration" if r["date_of_restoration"].strip() else "restoration"
            q = f"On what date was service restored after the {ev} in {area} that began on {when}?"
            out["oe_restoration_date"].append(base("oe_restoration_date", q, o.restored.isoformat(), "date", field))
    return out


# ----------------------------------------------------------------------------------------------
# Unanswerable questions
# ----------------------------------------------------------------------------------------------
# Templates shared with the answerable kinds (same wording, so style does not give abstention away).
NRC_TEMPLATES = {
    "cause": ("What caused the reactor trip at {where} on {when}?",
              "{when_ko} {where_ko}에서 발생한 원자로 정지(reactor trip)의 원인은 무엇인가?"),
    "power": ("At what power level (percent) was {where} operating before the reactor scram on {when}?",
              "{when_ko} {where_ko}의 원자로 정지 직전 출력은 몇 퍼센트였는가?"),
    "class": ("What emergency classification was declared at {where} on {when}?",
              "{when_ko} {where_ko}에서 선포된 비상 등급은 무엇인가?"),
    "what": ("What happened at {where} on {when}, according to the NRC event report?",
             "{when_ko} {where_ko}에서 어떤 사건이 보고되었는가?"),
    "component": ("Which component failed at {where} on {when}?", None),
    "mode": ("What operating mode was {where} in after the reactor trip on {when}?",
             "{when_ko} 원자로 정지 후 {where_ko}는 어떤 운전 모드에 있었는가?"),
}
OE_TEMPLATES = {
    "customers": ("How many customers were affected by the {ev} in {area} that began on {when}?",
                  "{when_ko} {area}에서 시작된 {ev} 사건으로 영향을 받은 고객 수는 몇 명인가?"),
    "mw": ("How much demand (in MW) was lost in the {ev} in {area} that began on {when}?", None),
    "type": ("What type of event affected {area} on {when}, according to the OE-417 report?",
             "OE-417 보고에 따르면 {when_ko} {area}에 영향을 준 사건의 유형은 무엇인가?"),
    "region": ("Which NERC region reported the {ev} in {area} that began on {when}?", None),
    "restored": ("On what date was service restored after the {ev} in {area} that began on {when}?", None),
}
# Facilities / units that do not exist (checked: no report text names them).
FAKE_SITES = [
    ("Vogtle", 7), ("Springfield Nuclear", None), ("Indian Point", 4), ("Diablo Canyon", 3), ("Browns Ferry", 4),
    ("Palo Verde", 5), ("Oconee", 4), ("Cedar Ridge Nuclear Station", None), ("Lake Harmon", 1), ("Catawba", 3),
    ("Quad Cities", 3), ("Blue Mesa Nuclear", None),
]
OUT_OF_RANGE_YEARS_NRC = [1990, 1994, 1996, 2027, 2028, 2030]
OUT_OF_RANGE_DATES_OE = ["1999-07-19", "2000-01-25", "2001-08-10", "2024-01-15", "2024-07-08", "2025-02-03"]
OE_NO_EVENT_EVENTS = ["severe weather", "ice storm", "vandalism", "transmission interruption", "winter storm",
                      "system operations", "suspected physical attack", "severe thunderstorms"]
CAUSE_UNKNOWN = re.compile(r"(cause[^.]{0,80}?\b(is|was|remains|has not been|have not been|not yet been)\b[^.]{0,30}?"
                           r"(unknown|not (yet )?(known|determined|identified)|under investigation|being investigated|"
                           r"undetermined|not been determined|not been identified)|for unknown reason|"
                           r"cause (is|was) not known|unknown cause)", re.I)
CAUSE_STATED = re.compile(r"\bdue to\b|caused by|\bcause of [^.]{0,80}\b(was|is) (a|an|the|due|attributed|determined"
                          r" to be|identified as)\b|attributed to|result(ed)? of|as a result|resulted from|because",
                          re.I)


GENERIC_TRIP = re.compile(r"^(?:UNIT \d )?(?:AUTOMATIC |AUTO |UNCOMPLICATED |UNPLANNED |UNEXPECTED |SPURIOUS )*(?:REACTOR )?"
                          r"(?:TRIP|SCRAM)(?: FROM \d+ ?(?:%|PERCENT)(?: POWER)?)?\.?$", re.I)

def season_events(d: dt.date) -> list[str]:
    winter = d.month in (11, 12, 1, 2, 3)
    return [e for e in OE_NO_EVENT_EVENTS if winter or e not in ("ice storm", "winter storm")]


def rank(key: str) -> str:
    """Stable pseudo-random order for a candidate key (independent of the other candidates)."""
    import hashlib
    return hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()


def nrc_site_near(events_by_site, site: str, d: dt.date, days: int = 10) -> list[Nrc]:
    out = []
    for e in events_by_site.get(site, []):
        for x in (e.date, e.notif, e.report):
            if x and abs((x - d).days) <= days:
                out.append(e)
                break
    return out


def site_pattern(site: str) -> re.Pattern:
    """Any spelling of the site that the corpus uses (raw facility strings and the display name)."""
    names = {k for k, v in FACILITY_CANON.items() if v == site} | {site}
    alts = set()
    for n in names:
        n = re.sub(r"(REGION:.*|\(.*|/.*)$", "", n).strip()
        alts.add(r"[\s.\-]*".join(re.escape(w) for w in re.split(r"[\s.\-]+", n) if w))
    return re.compile(r"\b(" + "|".join(sorted(alts)) + r")\b", re.I)


def nrc_text_near(events: list[Nrc], site: str, d: dt.date, days: int = 10) -> list[Nrc]:
    """Reports (any facility field, including missing ones) dated near d whose text names the site."""
    pat = site_pattern(site)
    return [e for e in events if e.date and abs((e.date - d).days) <= days and pat.search(e.text)]


def build_unanswerable(events: list[Nrc], rows: list[Oe], oe_c, used: set[str]) -> list[Cand]:
    rng = random.Random(SEED)
    su = site_units(events)
    by_site: dict[str, list[Nrc]] = defaultdict(list)
    for e in events:
        if e.site:
            by_site[e.site].append(e)
    by_site_date = nrc_index(events)
    sites = sorted(QUESTION_SITES)
    out: list[Cand] = []

    def rand_date(y0: int, y1: int) -> dt.date:
        a, b = dt.date(y0, 1, 1).toordinal(), dt.date(y1, 12, 31).toordinal()
        return dt.date.fromordinal(rng.randint(a, b))

    def nrc_q(kind, tkey, where, where_ko, d, lang, note):
        en, ko = NRC_TEMPLATES[tkey]
        tmpl = ko if lang == "ko" else en
        q = tmpl.format(where=where, when=en_date(d), where_ko=where_ko, when_ko=ko_date(d))
        # The Korean wording of an English item, for its twin in the bilingual files (twins()).
        qko = ko.format(where_ko=where_ko, when_ko=ko_date(d)) if ko and where_ko and lang == "en" else None
        return Cand(question=q, answer=None, answer_type=None, gold_reports=[], answerable=False, kind=kind,
                    source_field=note, lang=lang, _ko=qko, _date=d.isoformat(), _site=where)

    tkeys = ["cause", "power", "class", "what", "component", "mode"]
    ko_tkeys = [k for k in tkeys if NRC_TEMPLATES[k][1]]

    # 1. real site + unit, a date with no report at that site (+-10 days, any date field, any text).
    n, tries = 0, 0
    span = {}
    for site in sites:
        ds = sorted(e.date for e in by_site[site] if e.date and 1999 <= e.date.year <= 2026)
        span[site] = (ds[0], ds[-1])
    while n < 17 and tries < 10000:
        tries += 1
        site = rng.choice(sites)
        lo, hi = span[site]
        d = dt.date.fromordinal(rng.randint(lo.toordinal(), hi.toordinal()))
        units = sorted(su.get(site, {1}))
        unit = rng.choice(units)
        if nrc_site_near(by_site, site, d) or nrc_text_near(events, site, d):
            continue
        lang = "ko" if n % 6 == 5 else "en"
        tkey = rng.choice(ko_tkeys if lang == "ko" else tkeys)
        out.append(nrc_q("unans_nrc_no_report", tkey, unit_phrase(site, su, unit), unit_phrase(site, su, unit, "ko"), d,
                         lang, f"no report for {site} within 10 days of {d.isoformat()} (event/notification/report date"
                               f" or text mention)"))
        n += 1

    # 2. facilities / units that do not exist; half on a date when the real site did report something.
    for i, (name, unit) in enumerate(FAKE_SITES):
        where = f"{name} Unit {unit}" if unit else name
        where_ko = f"{name} {unit}호기" if unit else name
        if name in QUESTION_SITES and i % 2 == 0:
            cands = sorted((e for e in by_site[name] if e.date and 2000 <= e.date.year <= 2025
                            and not re.search(rf"\b(unit|units|U)\s*(no\.?\s*)?{unit}\b", e.text, re.I)),
                           key=lambda e: rank(f"fake:{e.id}"))
            d = cands[0].date
        else:
            d = rand_date(2001, 2024)
        lang = "ko" if i == 5 else "en"
        tkey = (ko_tkeys if lang == "ko" else tkeys)[i % (len(ko_tkeys) if lang == "ko" else len(tkeys))]
        note = (f"{where} does not exist; no report text names it")
        out.append(nrc_q("unans_fake_facility", tkey, where, where_ko, d, lang, note))

    # 3. NRC dates outside the corpus (1999-2026, plus a few 1975/1976/2103 data-entry quirks).
    for i, y in enumerate(OUT_OF_RANGE_YEARS_NRC):
        d = dt.date(y, rng.randint(1, 12), rng.randint(1, 28))
        site = rng.choice(sites)
        unit = rng.choice(sorted(su.get(site, {1})))
        tkey = tkeys[i % len(tkeys)]
        out.append(nrc_q("unans_out_of_range_date", tkey, unit_phrase(site, su, unit), unit_phrase(site, su, unit, "ko"), d, "en",
                         f"{y} is outside the NRC corpus years"))

    # 4. real events whose report says the cause is unknown / under investigation.
    pool = []
    for e in events:
        if not eligible(e, by_site_date) or e.updated or f"unans_cause_unknown:{e.id}" in DROP:
            continue
        if e.id in used:
            continue
        if CAUSE_UNKNOWN.search(e.text) and not CAUSE_STATED.search(e.text) and single_unit(e) is not None \
                and GENERIC_TRIP.match(e.headline) \
                and len(e.units) == 1 and str(e.units[0].get("scram_code") or "N").upper() != "N":
            pool.append(e)
    pool.sort(key=lambda e: rank(f"unans_cause_unknown:{e.id}"))
    for e in pool[:8]:
        unit = single_unit(e)
        where = site_phrase(e, su, event_unit(e))
        q = f"What caused the {trip_noun(e)} at {where} on {en_date(e.date)}?"
        qko = (f"{ko_date(e.date)} {site_phrase(e, su, event_unit(e), 'ko')}에서 발생한 원자로 정지({trip_noun(e)})의 "
               f"원인은 무엇인가?")
        out.append(Cand(question=q, answer=None, answer_type=None, gold_reports=[], answerable=False,
                        kind="unans_cause_unknown", source_field=f"{e.id} states the cause is unknown / under "
                        f"investigation", lang="en", _ko=qko, _date=e.date.isoformat(), _site=where, _about=e.id))
        used.add(e.id)

    # 5. OE-417: a real area, a date with no event there (+-10 days), and dates outside 2002-2023H1.
    by_date: dict[dt.date, list[Oe]] = defaultdict(list)
    for o in rows:
        if o.date:
            by_date[o.date].append(o)
    state_names = sorted(STATES)
    n, tries = 0, 0
    while n < 12 and tries < 10000:
        tries += 1
        st = rng.choice(state_names)
        d = rand_date(2003, 2022)
        probe = Oe({"source_sheet": "", "date_event_began": d.isoformat(), "area_affected": st,
                    "date_of_restoration": "", "restoration": ""}, 0, 0)
        if any(oe_overlap(probe, o) for k in range(-10, 11) for o in by_date.get(d + dt.timedelta(days=k), [])):
            continue
        lang = "ko" if n % 6 == 5 else "en"
        tk = rng.choice(["customers", "type"] if lang == "ko" else sorted(OE_TEMPLATES))
        ev = rng.choice(season_events(d))
        tmpl = OE_TEMPLATES[tk][1 if lang == "ko" else 0]
        q = tmpl.format(ev=ev, area=st, when=en_date(d), when_ko=ko_date(d))
        ko = OE_TEMPLATES[tk][1]
        qko = ko.format(ev=ev, area=st, when_ko=ko_date(d)) if ko and lang == "en" else None
        out.append(Cand(question=q, answer=None, answer_type=None, gold_reports=[], answerable=False,
                        kind="unans_oe_no_event", source_field=f"no OE-417 row for {st} within 10 days of {d.isoformat()}",
                        lang=lang, _ko=qko, _date=d.isoformat(), _site=st))
        n += 1
    for i, ds in enumerate(OUT_OF_RANGE_DATES_OE):
        d = dt.date.fromisoformat(ds)
        st = rng.choice(state_names)
        tk = sorted(OE_TEMPLATES)[i % len(OE_TEMPLATES)]
        ev = rng.choice(season_events(d))
        q = OE_TEMPLATES[tk][0].format(ev=ev, area=st, when=en_date(d))
        ko = OE_TEMPLATES[tk][1]
        qko = ko.format(ev=ev, area=st, when_ko=ko_date(d)) if ko else None
        out.append(Cand(question=q, answer=None, answer_type=None, gold_reports=[], answerable=False,
                        kind="unans_out_of_range_date", source_field=f"{ds} is outside OE-417 2002-2023H1",
                        lang="en", _ko=qko, _date=ds, _site=st))

    # 6. OE-417 rows whose customers / MW value is "Unknown".
    pool = [c for c in oe_c.get("unans_oe_number_unknown", []) if c.key not in DROP
            and " the event in " not in c["question"]]
    pool.sort(key=lambda c: rank(c.key))
    taken = 0
    for c in pool:
        rid = c["gold_reports"][0]
        if rid in used or taken >= 8:
            continue
        c = Cand(c)
        c["_about"] = rid
        c["source_field"] = f"{rid} ({c['source_field']})"
        c["gold_reports"], c["answerable"], c["answer"], c["answer_type"] = [], False, None, None
        c.pop("gold_csv_rows")
        out.append(c)
        used.add(rid)
        taken += 1
    return out


# ----------------------------------------------------------------------------------------------
# Assembly
# ----------------------------------------------------------------------------------------------
def pick(cands: list[Cand], n: int, used: set[str], lang: str = "en", prefer=None) -> list[Cand]:
    pool = [c for c in cands if c.key not in DROP and c["gold_reports"][0] not in used]
    if lang == "ko":
        pool = [c for c in pool if c.get("_ko")]
    pool.sort(key=lambda c: rank(c.key))
    if prefer:  # (predicate, how many of n should satisfy it)
        pred, k = prefer
        first = [c for c in pool if pred(c)][:k]
        rest = [c for c in pool if c not in first]
        pool = first + rest
    out = []
    for c in pool:
        if len(out) >= n:
            break
        if c["gold_reports"][0] in used:
            continue
        c = Cand(c)
        if lang == "ko":
            c["question"], c["lang"] = c["_ko"], "ko"
        if c.key in OVERRIDE:
            c.update(OVERRIDE[c.key])
        out.append(c)
        used.add(c["gold_reports"][0])
    if len(out) < n:
        raise SystemExit(f"not enough candidates for {cands[0]['kind'] if cands else '?'}: {len(out)} < {n}")
    return out


PREFER = {
    "nrc_initial_power": (lambda c: c["answer"] != "100", 10),
    "nrc_emergency_class": (lambda c: c["answer"] != "Unusual Event", 5),
    "oe_restoration_date": (lambda c: c["answer"] != c["_date"], 8),
    "nrc_mode_after": (lambda c: c["answer"] != "Hot Standby", 6),
}


def build(verbose: bool = False):
    events = load_nrc()
    rows = load_oe()
    cands = {**mine_nrc(events), **mine_oe(rows)}
    used: set[str] = set()
    items: list[Cand] = []
    for kind, n in QUOTA_EN.items():
        items += pick(cands[kind], n, used, "en", PREFER.get(kind))
    for kind, n in QUOTA_KO.items():
        items += pick(cands[kind], n, used, "ko")
    items += build_unanswerable(events, rows, cands, used)
    validate(items, events, rows)
    return items, events, rows


def validate(items: list[Cand], events: list[Nrc], rows: list[Oe]) -> None:
    """Re-check every item against the data (fails loudly rather than writing a bad set)."""
    by_id = {e.id: e for e in events}
    oe_by_id = {o.id: o for o in rows}
    by_site_date = nrc_index(events)
    by_site: dict[str, list[Nrc]] = defaultdict(list)
    for e in events:
        if e.site:
            by_site[e.site].append(e)
    no_site = [e for e in events if not e.site]
    assert len({c["question"] for c in items}) == len(items), "duplicate questions"
    for c in items:
        if c["answerable"]:
            rid = c["gold_reports"][0]
            if rid.startswith("nrc:"):
                e = by_id[rid]
                # one report that day at that site, and no facility-less report naming it
                assert len(by_site_date[(e.site, e.date)]) == 1, c
                pat = site_pattern(e.site)
                assert not [x for x in no_site if x.date == e.date and pat.search(x.text)], c
                if c["answer_type"] == "text":
                    assert contains(e.text, c["answer"]) or c["kind"] in ("nrc_mode_after", "nrc_emergency_class"), c
                if c["kind"] == "nrc_mode_after":
                    assert c["answer"].split(" (")[0].lower() in e.flat.lower(), c
                if c["answer_type"] == "number":
                    assert re.search(rf"\b{c['answer']}\s*(%|percent)", e.flat, re.I), c
            else:
                o = oe_by_id[rid]
                assert c["gold_csv_rows"] == [o.line], c
                vals = {o.row[k].strip() for k in o.row} | ({o.restored.isoformat()} if o.restored else set())
                assert c["answer"] in vals, c
        else:
            assert c["answer"] is None and c["gold_reports"] == [], c
            if c["kind"] == "unans_nrc_no_report":
                site = next(s for s in sorted(QUESTION_SITES, key=len, reverse=True)
                            if s in c["question"] or SINGLE_NAME.get(s, "\0") in c["question"])
                d = dt.date.fromisoformat(c["_date"])
                assert not nrc_site_near(by_site, site, d) and not nrc_text_near(events, site, d), c


def split_items(items: list[Cand]) -> list[Cand]:
    rng = random.Random(SEED)
    order = sorted(range(len(items)), key=lambda i: rank(items[i]["question"]))
    items = [items[i] for i in order]
    for i, c in enumerate(items, start=1):
        c["id"] = f"q{i:04d}"
    groups: dict[tuple, list[Cand]] = defaultdict(list)
    for c in items:
        groups[(c["kind"], c["answerable"], c["lang"])].append(c)
    flip = 0
    for key in sorted(groups, key=str):
        g = groups[key][:]
        rng.shuffle(g)
        for j, c in enumerate(g):
            c["split"] = "dev" if (j + flip) % 2 == 0 else "test"
        flip ^= len(g) % 2
    return items


FIELDS = ["id", "question", "answer", "answer_type", "gold_reports", "gold_csv_rows", "answerable", "split", "kind",
          "source_field", "lang", "twin_of"]


def oe_ingest_ids(rows: list[Oe]) -> dict[str, str]:
    """CSV id `oe417:<sheet>-<n>` -> the id `grounding ingest` gives the same row of the raw workbook.

    The system ingests the XLSX (ids hash the key fields); the CSV holds the same rows in the same
    order per sheet. This is the one step that needs the project installed (its XLSX adapter).
    """
    from grounding.config import load_config
    from grounding.ingest.pipeline import corpus_path, read_drafts
    from grounding.ingest.records import RecordError, ReportDraft

    cfg = load_config(ROOT / "config.toml")
    corpus = next(c for c in cfg.corpus if c.name == "oe417")
    per_sheet: dict[str, list] = defaultdict(list)
    for d in read_drafts(corpus, corpus_path(cfg, corpus), cfg.chunking.max_report_chars):
        if isinstance(d, RecordError):
            raise SystemExit(f"OE-417 workbook row rejected by the ingest code: {d}")
        if isinstance(d, ReportDraft):
            per_sheet[str(d.meta["source_sheet"])].append(d)
    out: dict[str, str] = {}
    csv_sheet: dict[str, list[Oe]] = defaultdict(list)
    for o in rows:
        csv_sheet[o.sheet].append(o)
    for sheet, cs in csv_sheet.items():
        xs = per_sheet.get(sheet, [])
        assert len(xs) == len(cs), f"sheet {sheet}: {len(xs)} workbook rows vs {len(cs)} CSV rows"
        for n, (x, o) in enumerate(zip(xs, cs), start=1):
            assert x.date == (o.date.isoformat() if o.date else None), (sheet, n, x.date, o.date)
            assert " ".join(str(x.meta.get("area_affected", "")).split()) == " ".join(o.area_raw.split()), (sheet, n)
            out[f"oe417:{sheet}-{n}"] = x.id
    return out


def public(c: Cand, ingest_ids: dict[str, str]) -> dict:
    d = {k: c[k] for k in FIELDS if k in c}
    if any(r.startswith("oe417:") for r in d["gold_reports"]):
        d["gold_rows"] = d["gold_reports"]  # <sheet>-<n> in the CSV, for people reading the set
        d["gold_reports"] = [ingest_ids[r] for r in d["gold_reports"]]
    return d


def twins(items: list[Cand]) -> list[Cand]:
    """English items that have a Korean wording, each followed by its Korean twin (same gold, same split).

    The twin's id is the English id + "k" and `twin_of` names the English one, so one eval run scores
    the same questions in both languages side by side. Items whose English wording was rewritten by
    hand (OVERRIDE "question") have no twin: the template's Korean would not say the same thing."""
    out: list[Cand] = []
    for c in items:
        if c["lang"] != "en" or not c.get("_ko") or "question" in OVERRIDE.get(c.key if c["gold_reports"] else "", {}):
            continue
        t = Cand(c)
        t.update(id=c["id"] + "k", question=c["_ko"], lang="ko", twin_of=c["id"])
        out += [c, t]
    return out


def render(items: list[Cand], ingest_ids: dict[str, str]) -> dict[str, str]:
    lines = [json.dumps(public(c, ingest_ids), ensure_ascii=False) for c in items]
    pairs = twins(items)
    plines = [json.dumps(public(c, ingest_ids), ensure_ascii=False) for c in pairs]
    files = {"questions.jsonl": lines,
             "dev.jsonl": [ln for ln, c in zip(lines, items) if c["split"] == "dev"],
             "test.jsonl": [ln for ln, c in zip(lines, items) if c["split"] == "test"],
             "bilingual_dev.jsonl": [ln for ln, c in zip(plines, pairs) if c["split"] == "dev"],
             "bilingual_test.jsonl": [ln for ln, c in zip(plines, pairs) if c["split"] == "test"]}
    return {k: "\n".join(v) + "\n" for k, v in files.items()}


def review(items: list[Cand], events: list[Nrc], rows: list[Oe], kind: str | None, limit: int) -> None:
    by_id = {e.id: e for e in events}
    oe_by_id = {o.id: o for o in rows}
    by_site: dict[str, list[Nrc]] = defaultdict(list)
    for e in events:
        if e.site:
            by_site[e.site].append(e)
    shown = 0
    for c in items:
        if kind and c["kind"] != kind:
            continue
        if limit and shown >= limit:
            break
        shown += 1
        print("=" * 100)
        print(f"{c['id']} [{c['split']}] {c['kind']} {c['lang']}  key={c.key if c['gold_reports'] else '-'}")
        print("Q:", c["question"])
        print("A:", c["answer"], f"({c['answer_type']})", "gold:", c["gold_reports"], "|", c["source_field"])
        rid = (c["gold_reports"] or [c.get("_about")])[0]
        if rid and rid.startswith("nrc:"):
            e = by_id[rid]
            print(f"-- {e.id} {e.raw.get('facility')} unit={e.raw.get('unit')} date={e.date} class="
                  f"{e.raw.get('emergency_class')} units={e.units}")
            print(textwrap_short(e.body_all, 1800))
        elif rid and rid.startswith("oe417:"):
            print("--", rid, "line", oe_by_id[rid].line, oe_by_id[rid].row)
        else:
            print("-- evidence search:", c["source_field"])


def textwrap_short(t: str, n: int) -> str:
    t = re.sub(r"\n\s*\n+", "\n", t.strip())
    return t if len(t) <= n else t[:n] + " [...]"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail if the committed files differ from a fresh build")
    ap.add_argument("--review", action="store_true", help="print questions with their evidence")
    ap.add_argument("--candidates", action="store_true", help="print candidate counts / candidates of --kind")
    ap.add_argument("--kind")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    if args.candidates:
        allc = {**mine_nrc(load_nrc()), **mine_oe(load_oe())}
        for k in sorted(allc):
            print(k, len(allc[k]))
        if args.kind:
            for c in allc[args.kind][: args.limit or None]:
                print(c.key, "|", c["question"], "=>", c["answer"])
        return 0
    items, events, rows = build()
    items = split_items(items)
    if args.review:
        review(items, events, rows, args.kind, args.limit)
        return 0
    files = render(items, oe_ingest_ids(rows))
    if args.check:
        bad = [k for k, v in files.items() if not (OUT_DIR / k).exists() or (OUT_DIR / k).read_text("utf-8") != v]
        print("differs: " + ", ".join(bad) if bad else "identical")
        return 1 if bad else 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for k, v in files.items():
        (OUT_DIR / k).write_text(v, encoding="utf-8")
    cnt = Counter((c["kind"], c["lang"]) for c in items)
    print(f"wrote {len(items)} questions to {OUT_DIR}: "
          f"{sum(c['answerable'] for c in items)} answerable, {sum(not c['answerable'] for c in items)} unanswerable")
    for (k, lang), v in sorted(cnt.items()):
        print(f"  {k:28s} {lang} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
