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
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from grounding.ontology._english import COMMON_WORDS
from grounding.ontology.graph import OntologyGraph, split_camel

LINKER_VERSION = "2"

_TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+(?:[./'\u2019][0-9A-Za-z\u00C0-\u024F]+)*|[\uAC00-\uD7A3]+")
_HANGUL = re.compile(r"[\uAC00-\uD7A3]")

# Korean particles (josa) and copula endings that follow a noun inside a word; longest first.
_PARTICLES = sorted(
    """이 가 은 는 을 를 의 에 에서 에게 께 께서 한테 으로 로 와 과 도 만 까지 부터 보다 처럼 같이 이나 나 이랑 랑
    으로서 로서 으로써 로써 에서는 에는 에도 에서도 으로는 로는 와의 과의 이란 란 이라 라 이다 였다 이었다 입니다 이며 며
    들 들이 들은 들을 들의 들에 들과 이라는 라는 라고 이라고 에서의 에의 마다 조차 밖에 뿐""".split(),
    key=len,
    reverse=True,
)
_STOP = frozenset(
    """a an the of to and in on at for was were is be by with from this that as or has have been it its are not
    no what why how when where which who whom whose did does do can could would should will may might there their
    they them than then so such any all some each other into about over under after before during while if caused
    cause causes happen happened occur occurred plant unit event report reports""".split()
)
_IRREGULAR = {
    "buses": "bus", "busses": "bus", "gases": "gas", "statuses": "status", "analyses": "analysis", "diagnoses": "diagnosis",
    "indices": "index", "matrices": "matrix", "criteria": "criterion", "phenomena": "phenomenon", "leaves": "leaf",
    "halves": "half", "shelves": "shelf", "lives": "life", "knives": "knife", "wives": "wife", "men": "man", "women": "woman",
    "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose", "children": "child", "people": "person",
    "data": "data", "media": "medium", "apparatuses": "apparatus", "cactuses": "cactus", "viruses": "virus",
}
_NO_STRIP = frozenset(
    """gas bias has was this its his hers ours yours plus lens atlas canvas always perhaps towards afterwards mars chassis
    series species physics kinetics diagnostics electronics mechanics dynamics hydraulics pneumatics thermodynamics
    economics statistics logistics ethics optics acoustics analysis diagnosis basis axis thesis hypothesis crisis emphasis
    status apparatus bus virus campus census focus radius bonus nexus surplus minus corpus stimulus modulus locus cactus
    process access address across less loss mass pass glass class gross stress press moss boss cross excess gauss
    various previous serious continuous numerous hazardous gaseous ferrous aqueous nervous obvious anonymous erroneous
    simultaneous miscellaneous ambiguous analogous homogeneous heterogeneous spontaneous extraneous indigenous
    always news lbs yes us thus""".split()
)


def norm_token(tok: str) -> str:
    """Case-fold and reduce a plural to its singular (applied identically to labels and text)."""
    t = tok.lower().replace("'", "").replace("\u2019", "")
    if len(t) <= 3 or not t.endswith("s") or not t[-2].isalpha():
        return t
    if t in _IRREGULAR:
        return _IRREGULAR[t]
    if t in _NO_STRIP or t.endswith(("ss", "us", "is", "ous")):
        return t
    if t.endswith("ies") and len(t) > 4:
        return t[:-3] + "y"
    if t.endswith(("sses", "shes", "ches", "xes", "zes")):
        return t[:-2]
    return t[:-1]


_norm_cache: dict[str, str] = {}
_norm_lock = threading.Lock()


def _norm(tok: str) -> str:
    r = _norm_cache.get(tok)
    if r is None:
        r = norm_token(tok)
        if len(_norm_cache) > 200_000:
            with _norm_lock:
                _norm_cache.clear()
        _norm_cache[tok] = r
    return r


@dataclass(frozen=True)
class Mention:
    concept: str
    start: int
    end: int
    surface: str
    score: float
    method: str  # "exact" | "abbrev" | "fuzzy" | "embedding"


def _split_slashes(toks: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """"S/G" and "A/R" stay tokens; "feedwater/condensate" splits."""
    out = []
    for raw, s, e in toks:
        if "/" in raw and not (len(raw) <= 5 and raw.replace("/", "").isupper()):
            pos = s
            for part in raw.split("/"):
                if part:
                    out.append((part, pos, pos + len(part)))
                pos += len(part) + 1
        else:
            out.append((raw, s, e))
    return out


def _raw_tokens(text: str) -> list[tuple[str, int, int]]:
    toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    return _split_slashes(toks) if "/" in text else toks


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Kept for callers of the first version: (token, start, end)."""
    return _raw_tokens(text)


def abbrev_core(label: str) -> str | None:
    """The case-sensitive key of an abbreviation-like label ("E.D.G." -> "EDG"), else None."""
    s = label.strip()
    if " " in s or "\t" in s:
        return None
    core = s.replace(".", "").replace("-", "").replace("&", "")
    if 2 <= len(core) <= 6 and core.isalnum() and core.isascii() and core.upper() == core and any(c.isalpha() for c in core):
        return core.replace("/", "")
    if "/" in s and 3 <= len(s) <= 5 and s.upper() == s:  # S/G, A/R
        return s
    return None


def _is_abbrev(label: str) -> bool:
    return abbrev_core(label) is not None


def _label_keys(text: str) -> list[tuple[str, ...]]:
    """Normalized token keys of a label: as written, hyphen-joined, and joined when short."""
    text = split_camel(text)
    toks = _raw_tokens(text)
    if not toks:
        return []
    base = tuple(_norm(t) for t, _, _ in toks)
    keys = [base]
    if 2 <= len(toks) <= 3:
        joined = (_norm("".join(t for t, _, _ in toks)),)
        keys.append(joined)
    # join only across hyphens ("feed-water pump" -> "feedwater pump")
    parts: list[str] = []
    cur = toks[0][0]
    for (t, s, _), (_, _, pe) in zip(toks[1:], toks[:-1]):
        if text[pe:s] == "-":
            cur += t
        else:
            parts.append(cur)
            cur = t
    parts.append(cur)
    if len(parts) != len(toks):
        keys.append(tuple(_norm(p) for p in parts))
    return list(dict.fromkeys(keys))


def _hangul_only(text: str) -> bool:
    return bool(_HANGUL.search(text)) and not re.search(r"[A-Za-z0-9]", text)


class Linker:
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
        self.common_words = COMMON_WORDS if common_words is None else common_words
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
        h = hashlib.sha256(f"linker {LINKER_VERSION}|{','.join(self.langs)}|abstract={link_abstract}\n".encode())
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
        """Korean: labels inside Hangul words (particles, compounds, spaced or unspaced labels)."""
        ko, maxlen = self._ko, self._ko_max
        out: list[Mention] = []
        # compact string of the run with a map back to text offsets and word boundaries
        chars: list[str] = []
        offs: list[int] = []
        word_start: set[int] = set()
        word_end: set[int] = set()
        for raw, _, s, _e in units:
            word_start.add(len(chars))
            for k, ch in enumerate(raw):
                chars.append(ch)
                offs.append(s + k)
            word_end.add(len(chars))
        compact = "".join(chars)
        n = len(compact)

        def particle_rest(p: int) -> bool:
            """The rest of the word from p is empty or a particle."""
            end = min((w for w in word_end if w >= p), default=n)
            rest = compact[p:end]
            return rest == "" or rest in _PARTICLES

        def emit(a: int, b: int, iri: str, score: float) -> None:
            out.append(Mention(iri, offs[a], offs[b - 1] + 1, text[offs[a] : offs[b - 1] + 1], score, "exact"))

        p = 0
        while p < n:
            if p not in word_start:
                p += 1
                continue
            matched = False
            q = p
            while q < n:
                best = None
                for L in range(min(maxlen, n - q), 0, -1):
                    iri = ko.get(compact[q : q + L])
                    if iri is not None and (L >= 2 or particle_rest(q + L)):
                        best = (L, iri)
                        break
                if best is None:
                    break
                L, iri = best
                emit(q, q + L, iri, 1.0)
                matched = True
                q += L
                if q in word_start or particle_rest(q):
                    break
            if matched:
                p = q
                continue
            # no label at the word start: the head noun at the word's end (before a particle)
            end = min((w for w in word_end if w > p), default=n)
            word = compact[p:end]
            for part in [""] + _PARTICLES:
                if part and not word.endswith(part):
                    continue
                stem_end = end - len(part)
                hit = None
                for L in range(min(maxlen, stem_end - p), 1, -1):
                    iri = ko.get(compact[stem_end - L : stem_end])
                    if iri is not None:
                        hit = (L, iri)
                        break
                if hit:
                    emit(stem_end - hit[0], stem_end, hit[1], 0.9)
                    break
            p = end
        return out

    # --- fallbacks for questions -------------------------------------------------------------
    def _fallback(self, text: str, units, covered: list[bool]) -> list[Mention]:
        out: list[Mention] = []
        n = len(units)
        norm = [u[1] for u in units]
        i = 0
        while i < n:
            if covered[i] or norm[i] in _STOP or len(norm[i]) < 3 or not norm[i].isalpha():
                i += 1
                continue
            best = None
            for m, (labels, iris) in sorted(self._fuzzy_by_n.items(), reverse=True):
                if i + m > n or any(covered[i : i + m]) or norm[i + m - 1] in _STOP:
                    continue
                q = " ".join(norm[i : i + m])
                if m == 1 and len(q) < 6:
                    continue
                hit = process.extractOne(q, labels, scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold)
                if hit is not None and (best is None or hit[1] > best[2]):
                    best = (m, iris[hit[2]], hit[1])
            if best is not None:
                m, iri, score = best
                s, e = units[i][2], units[i + m - 1][3]
                out.append(Mention(iri, s, e, text[s:e], round(0.9 * score / 100.0, 4), "fuzzy"))
                for k in range(i, i + m):
                    covered[k] = True
                i += m
                continue
            i += 1
        if self.embedder is not None and self.embedding_threshold > 0:
            out += self._embedding_fallback(text, units, covered)
        return out

    def _label_matrix(self):
        if self._emb is None:
            with self._emb_lock:
                if self._emb is None:
                    pairs = [(t, iri) for iri, ts in sorted(self.labels_for.items()) for t in dict.fromkeys(ts) if not _hangul_only(t)]
                    vecs = self.embedder.embed_queries([split_camel(t) for t, _ in pairs]) if pairs else None
                    self._emb = (vecs, [iri for _, iri in pairs], [t for t, _ in pairs])
        return self._emb

    def _embedding_fallback(self, text: str, units, covered: list[bool]) -> list[Mention]:
        import numpy as np

        vecs, iris, _labels = self._label_matrix()
        if vecs is None:
            return []
        spans = []
        n = len(units)
        for i in range(n):
            for m in range(1, 5):
                j = i + m
                if j > n or any(covered[i:j]):
                    break
                words = [u[1] for u in units[i:j]]
                if words[0] in _STOP or words[-1] in _STOP or not all(w.isalpha() for w in words):
                    continue
                spans.append((i, j))
        if not spans:
            return []
        spans = spans[:64]
        q = self.embedder.embed_queries([text[units[i][2] : units[j - 1][3]] for i, j in spans])
        sims = np.asarray(q) @ np.asarray(vecs).T
        cands = []
        for row, (i, j) in enumerate(spans):
            k = int(sims[row].argmax())
            if sims[row, k] >= self.embedding_threshold:
                cands.append((float(sims[row, k]), i, j, iris[k]))
        out = []
        for score, i, j, iri in sorted(cands, reverse=True):
            if any(covered[i:j]):
                continue
            s, e = units[i][2], units[j - 1][3]
            out.append(Mention(iri, s, e, text[s:e], round(0.8 * score, 4), "embedding"))
            for k in range(i, j):
                covered[k] = True
        return out

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
