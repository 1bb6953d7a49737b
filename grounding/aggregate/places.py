"""Which plants, states and regions a question names, how exactly, and which names it could not place.

Plant names are matched against the stored facilities (a Korean particle after a name does not
hide it, as in retrieve/metadata.py); a misspelt name is matched fuzzily (rapidfuzz, lower
confidence); a capitalised name that matches nothing stored is reported, so "at Fukushima" is an
abstention that names it instead of a count over every plant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grounding.retrieve.metadata import norm_place
from grounding.retrieve.states import states

# name -> postal code; the District of Columbia is left out (OE-417 writes "D.C." as an area, not a state).
STATES = {en: code for code, en, _ in states() if code != "DC"}
# Capitalised words that are not places: question words, months, corpus and measure names.
_NOT_PLACES = set(
    """what which how when where who whose why is are was were did does do in at from since between during the a an of for
    and or to by on with unit units january february march april may june july august september october november december
    nrc doe oe oe-417 nerc region regions state states plant plants reactor reactors scram scrams event events report
    reports automatic manual severe weather vandalism cyber physical attack attacks fuel supply unusual event alert site area
    emergency general compare versus vs total number count share percentage trend year years mw customers demand
    loss offsite power emergency diesel generator generators ecar maac main wscc wecc serc rfc rf npcc tre mro spp frcc ercot
    heco i ii iii iv us u.s. united america korean english""".split()
)
_CAP_RUN = re.compile(r"\b([A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]+)*)")


@dataclass
class FacilityMatch:
    keys: list[str]  # facility keys (store)
    shown: list[str]
    spans: list[tuple[int, int]]  # in the normalized question
    match: str = "exact"  # exact | fuzzy
    ambiguous: bool = False


@dataclass
class Places:
    facilities: list[FacilityMatch] = field(default_factory=list)
    states: list[tuple[str, str]] = field(default_factory=list)  # (state name, code)
    regions: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # capitalised names that match nothing stored
    covered: list[str] = field(default_factory=list)  # words consumed (for concept linking)


def _facility_index(facilities: dict[str, str]) -> dict[str, list[str]]:
    """normalized name -> facility keys (several stored spellings can normalize alike)."""
    out: dict[str, list[str]] = {}
    for key, shown in facilities.items():
        n = norm_place(shown).strip()
        if len(n) >= 3:
            out.setdefault(n, []).append(key)
    return out


def find_places(question: str, facilities: dict[str, str], regions: list[str], fuzzy_threshold: float) -> Places:
    out = Places()
    nq = norm_place(question)
    index = _facility_index(facilities)
    found = sorted((n for n in index if f" {n} " in nq), key=len, reverse=True)
    kept: list[str] = []
    for n in found:
        if not any(n in k for k in kept):
            kept.append(n)
    for n in kept:
        keys = index[n]
        out.facilities.append(FacilityMatch(keys, [facilities[k] for k in keys], [], "exact", len(keys) > 1))
        out.covered.append(n)
    for name, code in sorted(STATES.items(), key=lambda kv: -len(kv[0])):
        if f" {name} " in nq and not any(name in c for c in out.covered):
            if name == "washington" and " washington d" in nq:
                continue
            out.states.append((name, code))
            out.covered.append(name)
    for r in regions:
        if re.search(rf"(?<![A-Za-z]){re.escape(r)}(?![A-Za-z])", question):
            out.regions.append(r)
            out.covered.append(r.lower())
    # Capitalised names left over: a plant we do not have, or a misspelling of one we do.
    for m in _CAP_RUN.finditer(question):
        words = [w for w in m.group(1).split() if w.lower().strip(".'-") not in _NOT_PLACES]
        if not words:
            continue
        cand = norm_place(" ".join(words)).strip()
        if not cand or len(cand) < 3 or any(cand in c or c in cand for c in out.covered):
            continue
        if any(cand == s or cand in s for s in STATES):
            continue
        fuzzy = _fuzzy(cand, index, fuzzy_threshold)
        if fuzzy:
            keys = index[fuzzy]
            out.facilities.append(FacilityMatch(keys, [facilities[k] for k in keys], [], "fuzzy", len(keys) > 1))
            out.covered.append(cand)
        else:
            out.unknown.append(" ".join(words))
    return out


def _fuzzy(cand: str, index: dict[str, list[str]], threshold: float) -> str | None:
    from rapidfuzz import fuzz, process

    if not index:
        return None
    best = process.extractOne(cand, list(index), scorer=fuzz.ratio)
    if best and best[1] >= threshold:
        return best[0]
    return None
