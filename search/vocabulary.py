"""Indonesian stop words and public-service synonyms (``search/data/``), and the app-side phrase expansion.

Measured on Meilisearch 1.21 with a small Indonesian set: an acronym found its long form through a synonym,
but a query of four words ("kartu tanda penduduk elektronik") never found the acronym, nor did a long form
with a stop word in it ("kependudukan dan pencatatan sipil" ↔ "Dukcapil"). So synonym entries are split:

* short entries (at most three words, no stop word) go to Meilisearch as multi-way synonyms;
* long entries are expanded here: a document containing one gets its group's canonical short form in an
  alias field (so every short synonym reaches it), and a query containing one is rewritten to that short
  form (so it reaches documents written with any short synonym).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_SYNONYM_WORDS = 3

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    """Text as Meilisearch tokenizes it: lower case, words split on anything that is not a letter or digit."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def _load_stop_words() -> frozenset[str]:
    lines = (DATA_DIR / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


STOP_WORDS = _load_stop_words()


def is_short(phrase: str) -> bool:
    """Whether Meilisearch's own synonyms handle this (normalised) phrase reliably."""
    terms = phrase.split()
    return len(terms) <= MAX_SYNONYM_WORDS and not any(term in STOP_WORDS for term in terms)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    groups: tuple[tuple[str, ...], ...]  # normalised; the first entry of each group is its canonical short form
    meili_synonyms: dict[str, list[str]]
    long_forms: dict[str, str]  # long phrase -> canonical short form
    # first word -> (phrase as words, canonical), longest first: a token scan finds long forms cheaply.
    long_forms_by_first_word: dict[str, list[tuple[tuple[str, ...], str]]]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    raw = json.loads((DATA_DIR / "synonyms.json").read_text(encoding="utf-8"))["groups"]
    groups: list[tuple[str, ...]] = []
    synonyms: dict[str, list[str]] = {}
    long_forms: dict[str, str] = {}
    for entries in raw:
        group = tuple(dict.fromkeys(normalize(entry) for entry in entries if normalize(entry)))
        canonical = group[0]
        if not is_short(canonical):
            raise ValueError(f"synonyms.json: the first entry of a group must be short, got {canonical!r}")
        groups.append(group)
        short = [entry for entry in group if is_short(entry)]
        for entry in short:
            synonyms.setdefault(entry, [])
            synonyms[entry].extend(other for other in short if other != entry and other not in synonyms[entry])
        for entry in group:
            if not is_short(entry):
                long_forms[entry] = canonical
    by_first_word: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase in sorted(long_forms, key=lambda p: len(p.split()), reverse=True):
        terms = tuple(phrase.split())
        by_first_word.setdefault(terms[0], []).append((terms, long_forms[phrase]))
    return Vocabulary(
        groups=tuple(groups),
        meili_synonyms={key: value for key, value in synonyms.items() if value},
        long_forms=long_forms,
        long_forms_by_first_word=by_first_word,
    )


def _find_long_forms(tokens: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of each long phrase in ``tokens``, left to right, longest match first."""
    by_first_word = vocabulary().long_forms_by_first_word
    found: list[tuple[int, int, str]] = []
    resume = 0
    # Only positions holding a possible first word are examined (a C-speed filter over the tokens).
    for position in [index for index, token in enumerate(tokens) if token in by_first_word]:
        if position < resume:
            continue
        for terms, canonical in by_first_word[tokens[position]]:
            end = position + len(terms)
            if tuple(tokens[position:end]) == terms:
                found.append((position, end, canonical))
                resume = end
                break
    return found


def aliases_for_words(tokens: list[str]) -> list[str]:
    """Canonical short forms of the long phrases in already tokenized, lower-case text."""
    return list(dict.fromkeys(canonical for _, _, canonical in _find_long_forms(tokens)))


def aliases_for(text: str) -> list[str]:
    """Canonical short forms of the long phrases found in ``text`` (for a document's alias fields)."""
    return aliases_for_words(normalize(text).split())


def rewrite_query(query: str) -> str:
    """The query with long phrases replaced by their short form; untouched when it has none."""
    tokens = normalize(query).split()
    found = _find_long_forms(tokens)
    if not found:
        return query
    out: list[str] = []
    position = 0
    for start, end, canonical in found:
        out.extend(tokens[position:start])
        out.append(canonical)
        position = end
    out.extend(tokens[position:])
    return " ".join(out)
