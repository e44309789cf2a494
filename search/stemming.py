"""Indonesian stemming with PySastrawi, for the index's ``stemmed`` field and the stemmed half of a query.

Why stem at all: Meilisearch has no Indonesian stemmer, and Indonesian builds words with prefixes and
suffixes (``melayani``, ``pelayanan``, ``layanan`` all come from ``layan``). Searching a stemmed copy of the
text lets "melayani" find a case that only says "pelayanan" (see search.query for how the two are merged).

Sastrawi is pure Python and slow per word (~60 µs), but text repeats its words a lot, so a per-word cache
makes stemming a whole thread cost little more than a dictionary lookup per word.
"""

from __future__ import annotations

import re
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from search.vocabulary import STOP_WORDS

# Words as Meilisearch's tokenizer sees them for Latin text: runs of letters and digits.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STEM_CACHE_SIZE = 200_000


@lru_cache(maxsize=1)
def _stemmer():
    # Building the stemmer loads its root-word dictionary: do it once per process.
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=_STEM_CACHE_SIZE)
def stem_word(word: str) -> str:
    """The root of one lower-case word. Words with digits (KTP2, 2023) and very short words stay as they are."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return _stemmer().stem(word) or word


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def new_stems(tokens: list[str]) -> str:
    """The stems of already tokenized, lower-case words that are not themselves among ``tokens`` (stop words
    dropped), once each, in first-occurrence order: what the raw text lacks for a search by stems.

    A stem that the text contains as a word is found by the stemmed query in the text fields themselves
    (search.query searches the stems on both), so repeating it here would only cost indexing time: on the
    synthetic benchmark 76 of a thread's 111 distinct stems are words of its own text.
    """
    present = set(tokens)
    novel: dict[str, None] = {}
    for token in dict.fromkeys(tokens):
        if token not in STOP_WORDS:
            stem = stem_word(token)
            if stem not in present:
                novel[stem] = None
    return " ".join(novel)


def stem_words(tokens: list[str], unique: bool = False) -> str:
    """The stems of already tokenized, lower-case words (stop words dropped), joined by spaces.

    ``unique`` keeps only the first occurrence of each stem: the index's stemmed field only needs to say which
    roots a thread contains (first-occurrence order keeps nearby words near), and it stays small. Each
    distinct word is then stemmed once, which matters for long threads.
    """
    if unique:
        tokens = list(dict.fromkeys(tokens))
    stems = [stem_word(token) for token in tokens if token not in STOP_WORDS]
    return " ".join(dict.fromkeys(stems) if unique else stems)


def stem_text(text: str, unique: bool = False) -> str:
    return stem_words(words(text), unique)
