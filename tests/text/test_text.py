"""grounding.text: stemming, lemmas, stopwords, sentences, common words."""

from __future__ import annotations

from grounding.text import (
    STOPWORDS,
    common_words,
    is_stopword,
    noun_lemma,
    split_sentences,
    stem,
    stemmer,
    tokenize,
)
from grounding.text.stopwords import DOMAIN_STOPWORDS


def test_snowball_stems_meet_across_inflections():
    assert stem("batteries") == stem("battery")
    assert stem("pumps") == stem("pumping") == stem("pump")
    assert stem("tripped") == stem("tripping")


def test_irregular_plurals_meet_their_singular():
    assert stem("buses") == stem("bus")
    assert stem("gases") == stem("gas")
    assert stem("criteria") == stem("criterion")


def test_stem_leaves_hangul_and_numbers():
    assert stem("변압기") == "변압기"
    assert stem("4160") == "4160"


def test_the_stemmer_is_the_one_bm25s_accepts():
    import bm25s

    toks = bm25s.tokenize(["the pumps tripped"], stemmer=stemmer(), show_progress=False)
    assert "pump" in toks.vocab


def test_noun_lemma_reduces_plurals_only():
    assert noun_lemma("switches") == "switch"
    assert noun_lemma("batteries") == "battery"
    assert noun_lemma("buses") == "bus"
    assert noun_lemma("criteria") == "criterion"
    # derivations and singulars ending in s are left alone (Snowball would merge them)
    assert noun_lemma("pressure") != noun_lemma("pressurizer")
    assert noun_lemma("generation") != noun_lemma("generator")
    for w in ("status", "analysis", "process", "bus", "gas", "series"):
        assert noun_lemma(w) == w
    assert noun_lemma("grounded") == "grounded"  # not a noun, no "s": untouched


def test_tokenize_english_and_korean():
    assert tokenize(["Pumps batteries"]) == [["pump", "batteri"]]
    (toks,) = tokenize(["주변압기의 냉각팬이 고장났다"])
    assert "변압기" in toks and "의" not in toks and "이" not in toks


def test_one_stopword_list_library_plus_domain():
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    assert set(STOPWORDS_EN_PLUS) <= STOPWORDS
    assert {"report", "event", "occurred", "would"} <= DOMAIN_STOPWORDS <= STOPWORDS
    assert is_stopword("The") and not is_stopword("pump")
    assert "system" not in STOPWORDS and "generator" not in STOPWORDS


def test_common_words_come_from_the_minilm_vocabulary():
    words = common_words()
    assert len(words) == 9812
    assert {"loop", "fire", "trip"} <= words
    assert all(2 <= len(w) <= 6 and w.isalpha() and w.islower() for w in words)


def test_sentences_still_import_and_split():
    from grounding.text import split_sentences as again

    assert again is split_sentences
    assert split_sentences("The pump tripped. Approx. 5 min later it restarted. 변압기가 고장났다. 원자로가 정지했다.") == [
        "The pump tripped.",
        "Approx. 5 min later it restarted.",
        "변압기가 고장났다.",
        "원자로가 정지했다.",
    ]
