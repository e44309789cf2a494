"""Move a thread to the right sector and fix its value tags (a moderator keeps tags honest)."""

from __future__ import annotations

from forum.core.db import write_transaction
from forum.core.errors import InvalidInput
from forum.core.identity import CurrentUser
from forum.core.modlog import record_action
from forum.core.policy import require_moderator
from forum.core.taxonomy import SECTOR_BY_SLUG, VALUE_BY_SLUG
from forum.core.validation import require_choice, require_choices
from forum.moderation.targets import moderation_reason
from forum.threads.service import editable_fields, get_thread, save_thread_fields


async def move_thread(user: CurrentUser, thread_id: int, sector: object, values: object, reason: object = "") -> None:
    require_moderator(user)
    errors: dict[str, str] = {}
    sector_slug = require_choice(errors, "sector", sector, SECTOR_BY_SLUG, "Sektor")
    value_slugs = require_choices(errors, "values", values, VALUE_BY_SLUG, "Nilai BerAKHLAK")
    if errors:
        raise InvalidInput(errors)
    async with write_transaction():
        # Saved as the thread's next version (with its revision and its changes published), like an edit: an
        # edit form opened before the move then gets a conflict instead of writing the old tags back.
        current = await get_thread(thread_id)
        fields = {**editable_fields(current), "sector": sector_slug, "values": value_slugs}
        await save_thread_fields(user, current, fields, current["version"])
        detail = f"sektor {sector_slug}; nilai {', '.join(value_slugs)}"
        await record_action(user, "move_thread", "thread", thread_id, current["title"],
                            moderation_reason(reason, required=False) or detail)  # fmt: skip
