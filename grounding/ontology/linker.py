"""Entity linking: text -> ontology concepts with character spans and scores.

Exact first, longest match wins:

* labels, altLabels and hiddenLabels of every linked language (@en, untagged, @ko) are
  normalized the same way as the text: case-folded, plurals reduced ("switches" ->
  "switch", "batteries" -> "battery"), apostrophes dropped, hyphenated compounds matched
  both split and joined ("feed-water" = "feedwater" = "feed water"), CamelCase labels of
  third-party vocabularies split ("ACLineSegment" -> "AC line segment");
* abbreviations (short all-caps labels such as EDG, LOOP, CO2) match case-sensitively,
  also as plurals and with dots ("EDGs", "E.D.G."), because their lower-case forms are
  often ordinary words ("loop"). In ALL-CAPS text (pre-2003 NRC reports, headlines) an
  abbreviation that is also a common English word ("LOOP", "FIRE") is accepted only when
  the concept's full label occurs in the same text;
* Korean labels match inside Hangul words with their particles ("변압기가", "주변압기의"):
  longest label from the start of a word, chained through compounds, else the head noun at
  its end (Korean compounds are head-final).

Then, for questions only (`fuzzy=True`; reports are linked exactly, fast and without false
friends): rapidfuzz near-spellings of labels, and optionally an embedding fallback that maps
an unlinked phrase to the closest label when the cosine is above a threshold.

`Linker.fingerprint` hashes the exact lexicon (and the rules' version): it changes exactly
when the links stored for reports could differ, which triggers a relink at the next ingest.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable

from grounding.ontology.graph import OntologyGraph
from grounding.ontology.link_fallback import FallbackLinking
from grounding.ontology.link_korean import link_hangul
from grounding.ontology.link_tokens import (  # noqa: F401  (re-exported: propose, accept, curation, tests)
    _HANGUL,
    _STOP,
    _TOKEN,
    Mention,
    _hangul_only,
    _is_abbrev,
    _label_keys,
    _norm,
    _norm_cache,
    _raw_tokens,
    _split_slashes,
    _tokens,
    abbrev_core,
    norm_token,
)
from grounding.text import LEMMATIZER_ID
from grounding.text import common_words as _common_words

LINKER_VERSION = "3"  # 3: lemminflect noun lemmas and the shared stopword list (grounding/text)


class Linker(FallbackLinking):
    """Built once per ontology; `link` is pure and thread-safe."""

    def __init__(
        self,
        onto: OntologyGraph,
        fuzzy_threshold: float = 92.0,
        langs: Iterable[str] = ("en", "", "ko"),
        embedder=None,
        embedding_threshold: float = 0.0,
        link_abstract: bool = False,
        common_words: frozenset[str] | None = None,
    ) -> None:
        self.onto = onto
        self.fuzzy_threshold = fuzzy_threshold
        self.langs = tuple(langs)
        self.embedder = embedder
        self.embedding_threshold = embedding_threshold
        self.link_abstract = link_abstract
        self.common_words = _common_words() if common_words is None else common_words
        # key -> (priority, concept); lower priority wins: (alt?, abstract?, iri)
        exact: dict[tuple[str, ...], tuple[tuple, str]] = {}
        abbrev: dict[str, tuple[tuple, str]] = {}
        ko: dict[str, tuple[tuple, str]] = {}
        self.ambiguous: dict[str, set[str]] = {}
        self.labels_for: dict[str, list[str]] = {}  # concept -> labels (for fuzzy/embedding, display)

        def put(d, key, prio, iri, shown):
            prev = d.get(key)
            if prev is not None and prev[1] != iri:
                self.ambiguous.setdefault(shown, set()).update({prev[1], iri})
            if prev is None or prio < prev[0]:
                d[key] = (prio, iri)

        for iri in sorted(onto.concepts):
            c = onto.concepts[iri]
            if c.deprecated or (c.abstract and not link_abstract):
                continue
            for text, lang, is_alt in c.all_labels():
                if lang not in self.langs and lang.split("-")[0] not in self.langs:
                    continue
                text = text.strip()
                if not text:
                    continue
                prio = (1 if is_alt else 0, 1 if c.abstract else 0, iri)
                self.labels_for.setdefault(iri, []).append(text)
                core = abbrev_core(text)
                if core is not None:
                    put(abbrev, core, prio, iri, text)
                    continue
                if _hangul_only(text):
                    key = "".join(re.findall(r"[\uAC00-\uD7A3]+", text))
                    if key:
                        put(ko, key, prio, iri, text)
                    continue
                for key in _label_keys(text):
                    put(exact, key, prio, iri, text)
        self._exact = {k: v[1] for k, v in exact.items()}
        self._exact_alt = {k for k, v in exact.items() if v[0][0] == 1}
        self._abbrev = {k: v[1] for k, v in abbrev.items()}
        self._ko = {k: v[1] for k, v in ko.items()}
        self._ko_max = max((len(k) for k in self._ko), default=0)
        self._first: dict[str, int] = {}  # first token -> longest key starting with it
        self._vocab: set[str] = set()
        # token trie: {token: {token: ..., None: (concept, is_alt)}}; the longest match wins
        self._trie: dict = {}
        for key, iri in self._exact.items():
            self._first[key[0]] = max(self._first.get(key[0], 0), len(key))
            self._vocab.update(key)
            node = self._trie
            for tok in key:
                node = node.setdefault(tok, {})
            node[None] = (iri, key in self._exact_alt)
        self.max_len = max(self._first.values(), default=1)
        # first halves of one-word label starts ("feed" of "feedwater"), for "feed water"
        self._join_heads: set[str] = set()
        for w in self._first:
            for cut in range(3, len(w) - 2):
                self._join_heads.add(w[:cut])
        # the full-label concepts behind each word-like abbreviation (for ALL-CAPS text)
        self._wordlike = {k for k in self._abbrev if k.lower() in self.common_words}
        self._fuzzy_by_n: dict[int, tuple[list[str], list[str]]] = {}
        for key, iri in sorted(self._exact.items()):
            joined = " ".join(key)
            if len(key) >= 2 or len(joined) >= 6:
                labels, iris = self._fuzzy_by_n.setdefault(len(key), ([], []))
                labels.append(joined)
                iris.append(iri)
        self._emb = None
        self._emb_lock = threading.Lock()
        h = hashlib.sha256(f"linker {LINKER_VERSION}|{LEMMATIZER_ID}|{','.join(self.langs)}|abstract={link_abstract}\n".encode())
        for key, iri in sorted(self._exact.items()):
            h.update(f"e|{' '.join(key)}|{iri}|{int(key in self._exact_alt)}\n".encode())
        for k, iri in sorted(self._abbrev.items()):
            h.update(f"a|{k}|{iri}\n".encode())
        for k, iri in sorted(self._ko.items()):
            h.update(f"k|{k}|{iri}\n".encode())
        h.update(hashlib.sha256(" ".join(sorted(self._wordlike)).encode()).digest())
        self.fingerprint = h.hexdigest()[:16]

    # --- exact linking ---------------------------------------------------------------------
    def _units(self, text: str) -> list[tuple[str, str, int, int]]:
        """(raw, normalized, start, end); hyphenated compounds are merged when a label knows the
        merged word ("feed-water" -> "feedwater"), else kept split."""
        toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        if "/" in text:
            toks = _split_slashes(toks)
        cache = _norm_cache
        units = [(r, cache.get(r) or _norm(r), s, e) for r, s, e in toks]
        if "-" not in text or len(units) < 2:
            return units
        n_text = len(text)
        joins = [k for k in range(len(toks) - 1) if toks[k][2] < n_text and text[toks[k][2]] == "-" and toks[k + 1][1] == toks[k][2] + 1]
        if not joins:
            return units
        vocab = self._vocab
        out: list[tuple[str, str, int, int]] = []
        prev = 0
        k = 0
        while k < len(joins):
            i = j = joins[k]
            while k + 1 < len(joins) and joins[k + 1] == j + 1:
                k += 1
                j = joins[k]
            j += 1  # the run covers units i..j
            merged = "".join(u[0] for u in units[i : j + 1])
            nm = _norm(merged)
            if nm in vocab:
                out += units[prev:i]
                out.append((merged, nm, units[i][2], units[j][3]))
                prev = j + 1
            k += 1
        out += units[prev:]
        return out

    def link(self, text: str, fuzzy: bool = False) -> list[Mention]:
        if not text:
            return []
        units = self._units(text)
        norm = [u[1] for u in units]
        out: list[Mention] = []
        held: list[tuple[int, str, str]] = []  # (unit index, abbreviation key, concept): word-like in ALL-CAPS text
        covered = [False] * len(units)
        trie, abbrev, ko, join_heads = self._trie, self._abbrev, self._ko, self._join_heads
        shout_cache: dict[int, bool] = {}
        i, n_units = 0, len(units)
        while i < n_units:
            raw, nt, s, e = units[i]
            node = trie.get(nt)
            start_at = i + 1
            if node is None and nt in join_heads and i + 1 < n_units and units[i + 1][2] - e == 1 and text[e] == " ":
                # "feed water pump" for the label "feedwater pump": two words written apart
                joined = _norm(raw + units[i + 1][0])
                if joined != nt:
                    node = trie.get(joined)
                    start_at = i + 2
            if node is not None:
                hit = None
                j = start_at
                while True:
                    leaf = node.get(None)
                    if leaf is not None:
                        hit = (j, leaf)
                    if j >= n_units:
                        break
                    node = node.get(norm[j])
                    if node is None:
                        break
                    j += 1
                if hit is not None:
                    j, (iri, alt) = hit
                    end = units[j - 1][3]
                    score = 0.95 if (alt or start_at == i + 2) else 1.0
                    out.append(Mention(iri, s, end, text[s:end], score, "exact"))
                    for k in range(i, j):
                        covered[k] = True
                    i = j
                    continue
            c0 = raw[0]
            if abbrev and (c0.isupper() or c0.isdigit()):
                key = self._abbrev_key(raw)
                if key is not None:
                    iri = abbrev[key]
                    if key in self._wordlike and self._shouting(text, s, shout_cache):
                        held.append((i, key, iri))
                    else:
                        out.append(Mention(iri, s, e, text[s:e], 0.9, "abbrev"))
                        covered[i] = True
                    i += 1
                    continue
            if ko and "\uac00" <= c0 <= "\ud7a3":
                j = i
                while j + 1 < n_units and "\uac00" <= units[j + 1][0][0] <= "\ud7a3" and text[units[j][3] : units[j + 1][2]].isspace():
                    j += 1
                found = self._link_hangul(text, units[i : j + 1])
                out += found
                for k in range(i, j + 1):
                    covered[k] = any(mm.start < units[k][3] and units[k][2] < mm.end for mm in found)
                i = j + 1
                continue
            i += 1
        if held:
            linked = {mm.concept for mm in out}
            for i, key, iri in held:
                if iri in linked:
                    _, _, s, e = units[i]
                    out.append(Mention(iri, s, e, text[s:e], 0.85, "abbrev"))
                    covered[i] = True
        if fuzzy and len(units) <= 400:
            out += self._fallback(text, units, covered)
        out.sort(key=lambda mm: (mm.start, -mm.end))
        return out

    def _abbrev_key(self, raw: str) -> str | None:
        abbrev = self._abbrev
        if raw in abbrev:
            return raw
        if len(raw) > 12:
            return None
        core = raw.replace(".", "")
        if core in abbrev:
            return core
        for suffix in ("'s", "\u2019s", "s"):
            if core.endswith(suffix):
                base = core[: -len(suffix)]
                if len(base) >= 2 and base in abbrev and base.upper() == base:
                    return base
        return None

    @staticmethod
    def _shouting(text: str, pos: int, cache: dict[int, bool]) -> bool:
        """Is the line holding `pos` written in capitals (no lower-case letter)?"""
        ls = text.rfind("\n", 0, pos) + 1
        r = cache.get(ls)
        if r is None:
            le = text.find("\n", pos)
            line = text[ls : le if le >= 0 else len(text)]
            # a line of capitals: no lower-case letter, and enough letters to tell
            r = line == line.upper() and sum(ch.isalpha() for ch in line) >= 12
            cache[ls] = r
        return r

    def _link_hangul(self, text: str, units: list[tuple[str, str, int, int]]) -> list[Mention]:
        """Korean: labels inside Hangul words (grounding/ontology/link_korean.py)."""
        return [Mention(iri, s, e, text[s:e], score, "exact") for iri, s, e, score in link_hangul(self._ko, self._ko_max, units)]

    def concepts(self, text: str, fuzzy: bool = True) -> list[str]:
        """Distinct concepts in order of first mention (questions use fuzzy too)."""
        return list(dict.fromkeys(m.concept for m in self.link(text, fuzzy=fuzzy)))

    @classmethod
    def from_config(cls, onto: OntologyGraph, cfg, embedder=None) -> "Linker":
        oc = cfg.ontology
        return cls(
            onto,
            oc.link_fuzzy_threshold,
            tuple(oc.link_langs),
            embedder=embedder if oc.link_embedding_threshold > 0 else None,
            embedding_threshold=oc.link_embedding_threshold,
            link_abstract=oc.link_abstract,
        )
