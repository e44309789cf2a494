"""Every address the forum hands out, built in one place (Python and Jinja both call these).

A thread lives at ``/topik/{id}/{slug}``: the id finds it, the slug is for people and search engines (an old slug
redirects). Sections of the thread page are anchors on that address.
"""

from __future__ import annotations


def thread_url(thread_id: int, slug: str, section: str | None = None) -> str:
    """The thread page, or one of its sections (``section`` is an anchor: "replikasi", "tindak-lanjut"…)."""
    url = f"/topik/{thread_id}/{slug}"
    return url if section is None else f"{url}#{section}"


def thread_history_url(thread_id: int) -> str:
    """The thread's revision history (moderators revert from there)."""
    return f"/topik/{thread_id}/riwayat"
