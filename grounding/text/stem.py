"""Stemming, lemmas and word tokens, one place for every module.

* `stem`: the Snowball English stemmer (PyStemmer, the stemmer bm25s accepts) for retrieval (BM25),
  the support check and the eval's token matching, so "batteries"/"battery" and
  "pumps"/"pumping"/"pump" meet in every stage alike;
* `noun_lemma`: the noun lemma (lemminflect's dictionary, its rules for unknown words) for the
  ontology linker. Snowball also strips derivations, and measured on 1,500 NRC reports that made
  the linker read "pressure" as the Pressurizer, "radiation" as a radiator and "restored" as
  power restoration (docs/ontology.md); a lemma only undoes the plural ("pressures" -> "pressure",
  "buses" -> "bus", "criteria" -> "criterion").
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import Stemmer
from importlib.metadata import version
from pathlib import Path

STEMMER_ALGORITHM = "english"
# Recorded by the linker's fingerprint: a different stemmer (or version) relinks the reports.
STEMMER_ID = f"snowball-{STEMMER_ALGORITHM}-pystemmer-{version('PyStemmer')}+irregular-plurals"
LEMMATIZER_ID = f"lemminflect-{version('lemminflect')}-noun"

_local = threading.local()


def _irregular() -> dict[str, str]:
    path = Path(__file__).resolve().parent.parent / "data" / "irregular_plurals.txt"
    pairs = (line.split("#", 1)[0].split() for line in path.read_text(encoding="utf-8").splitlines())
    return {p[0]: p[1] for p in pairs if len(p) == 2}


# Irregular plurals ("buses", "criteria") are looked up before stemming: Snowball leaves "buses" as
# "buse" while "bus" stays "bus".
IRREGULAR_PLURALS: dict[str, str] = _irregular()
_WORD = re.compile(r"(?u)\b\w\w+\b")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def stemmer() -> Stemmer.Stemmer:
    """A Snowball English stemmer for this thread (PyStemmer objects are not shared across threads)."""
    s = getattr(_local, "stemmer", None)
    if s is None:
        s = _local.stemmer = Stemmer.Stemmer(STEMMER_ALGORITHM)
    return s


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of a lower-case word; Hangul and digits are returned as given."""
    if not word or _HANGUL.search(word) or not any(c.isalpha() for c in word):
        return word
    return stemmer().stemWord(IRREGULAR_PLURALS.get(word, word))


@lru_cache(maxsize=200_000)
def noun_lemma(word: str) -> str:
    """The singular of a lower-case noun ("switches" -> "switch", "batteries" -> "battery",
    "criteria" -> "criterion"): lemminflect's dictionary for the nouns it knows, its rules for
    unknown words only when they end in "s" (so "grounded" or "filtered" are never read as nouns)."""
    if len(word) <= 3 or not word.isalpha() or _HANGUL.search(word):
        return word
    from lemminflect import getAllLemmas, getAllLemmasOOV

    lemmas = getAllLemmas(word, upos="NOUN").get("NOUN")
    if not lemmas and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        lemmas = getAllLemmasOOV(word, upos="NOUN").get("NOUN")
    return lemmas[0] if lemmas else word


def stem_words(words: list[str]) -> list[str]:
    """Stems of many words at once (PyStemmer's batch call; Hangul kept)."""
    return [stem(w) for w in words]


def tokenize(texts: list[str]) -> list[list[str]]:
    """BM25 tokens: lower-cased words of 2+ characters, stemmed; Korean words split into their
    morphemes' content stems by kiwipiepy (loaded only when a text holds Hangul)."""
    out = []
    for x in texts:
        toks = _WORD.findall(x.lower())
        if _HANGUL.search(x):
            from grounding.text.korean import content_morphemes

            toks = [t for t in toks if not _HANGUL.search(t)] + content_morphemes(x)
        out.append([stem(t) for t in toks])
    return out
