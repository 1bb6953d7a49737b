"""Text handling on libraries, one place for every stage: sentences, Snowball stemming
(PyStemmer), noun lemmas (lemminflect), one stopword list (bm25s's + data), the common-word list (MiniLM's vocabulary),
dates (python-dateutil + fixed patterns) and Korean (particles; kiwipiepy, loaded lazily)."""

from grounding.text.dates import DateRange, find_dates, parse_date, parse_dates, year_span
from grounding.text.sentences import split_sentences
from grounding.text.stem import LEMMATIZER_ID, STEMMER_ID, noun_lemma, stem, stem_words, stemmer, tokenize
from grounding.text.stopwords import STOPWORDS, is_stopword
from grounding.text.words import common_words

__all__ = [
    "DateRange", "LEMMATIZER_ID", "STEMMER_ID", "noun_lemma", "STOPWORDS", "common_words", "find_dates", "is_stopword", "parse_date", "parse_dates",
    "split_sentences", "stem", "stem_words", "stemmer", "tokenize", "year_span",
]
