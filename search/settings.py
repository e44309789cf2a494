"""The index's settings: what is searched, in which order, what can be filtered, sorted and counted.

Settings are applied before any document is added (changing them later makes Meilisearch re-index
everything), and applying them again is harmless, so every start-up does it.
"""

from __future__ import annotations

from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.models.settings import (
    Faceting,
    LocalizedAttributes,
    MeilisearchSettings,
    Pagination,
    TypoTolerance,
)

from search.client import wait_for_task
from search.vocabulary import STOP_WORDS, vocabulary

PRIMARY_KEY = "id"

# Deepest result reachable by paging; past it totals are capped too. Nobody pages through 1,000 results,
# and the cap keeps deep pagination cheap for the engine.
MAX_TOTAL_HITS = 1000
MAX_VALUES_PER_FACET = 100

# Raw-text fields in ranking order: a match in the title beats one in the case fields, which beats the body,
# then replies, then names and labels. ``*_aliases`` hold the short forms of long phrases found in the text
# (see search.vocabulary), ranked with the text they came from.
RAW_SEARCHABLE = [
    "title",
    "title_aliases",
    "problem",
    "solution",
    "results",
    "body",
    "aliases",
    "replies",
    "replies_more",
    "agency_name",
    "author_name",
    "sector_label",
    "province_label",
    "value_labels",
    "kind_label",
    "stage_label",
]
# The text fields (the words search.documents stems), in ranking order.
TEXT_FIELDS = ["title", "problem", "solution", "results", "body", "replies", "replies_more"]
# The stems the text lacks as words (search.stemming.new_stems) are searched, with the text fields, by their own
# query, merged by federation.
STEMMED_FIELD = "stemmed"
SEARCHABLE = [*RAW_SEARCHABLE[:7], STEMMED_FIELD, *RAW_SEARCHABLE[7:]]

FACETS = ["values", "sector", "province", "agency", "kind", "stage", "featured", "answered", "replicated"]
FILTERABLE = [*FACETS, "created_at", "is_digital", "best_improvement", "best_verified_improvement"]
SORTABLE = ["created_at", "last_activity_at", "reply_count", "replication_count"]

RANKING_RULES = [
    # "sort" first: when someone picks "Terbaru" or "Balasan terbanyak" they get exactly that order among the
    # matches, and federated search (two queries, see search.query) merges strictly by the sort then. With
    # no sort parameter (relevance) the rule does nothing.
    "sort",
    "words",
    # "attribute" before typo/proximity: a match in the title or the case fields beats a closer match in a reply.
    "attribute",
    "typo",
    "proximity",
    "exactness",
    "featured:desc",
    "created_at:desc",
]


def index_settings() -> MeilisearchSettings:
    return MeilisearchSettings(
        searchable_attributes=SEARCHABLE,
        filterable_attributes=FILTERABLE,
        sortable_attributes=SORTABLE,
        ranking_rules=RANKING_RULES,
        stop_words=sorted(STOP_WORDS),
        synonyms=vocabulary().meili_synonyms,
        # Years and numbers must match exactly: "2023" must not find "2024".
        typo_tolerance=TypoTolerance(enabled=True, disable_on_numbers=True),
        faceting=Faceting(max_values_per_facet=MAX_VALUES_PER_FACET, sort_facet_values_by={"*": "count"}),
        pagination=Pagination(max_total_hits=MAX_TOTAL_HITS),
        # Everything is Indonesian: tell the tokenizer instead of letting it guess per field.
        localized_attributes=[LocalizedAttributes(locales=["ind"], attribute_patterns=["*"])],
        # Proximity by attribute, not by word: Meilisearch only checks that the words are in the same field, not
        # how close they are. Word-pair proximity was half of the indexing time; ranking changed little (the
        # "attribute" rule before it does most of the work), see BENCHMARKS.md. A quoted phrase then means "these
        # words in one field".
        proximity_precision="byAttribute",
        # Nothing calls /facet-search: facet values come with the counts of every search.
        facet_search=False,
    )


async def apply_index_settings(client: AsyncClient, uid: str, timeout_seconds: float = 120.0) -> None:
    """Create the index if needed and set its settings; idempotent. Waits for the task to succeed."""
    # A settings update creates a missing index, so there is no create-then-configure race between workers.
    task = await client.index(uid).update_settings(index_settings())
    await wait_for_task(client, task.task_uid, timeout_seconds)
