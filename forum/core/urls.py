"""Every address the forum hands out, built in one place: Python calls these, and templates reach them as
``urls.*`` (forum.web.templating). No other module writes a thread's or a reply's address by hand.

A thread lives at ``/topik/{id}/{slug}``: the id finds it, the slug is for people and search engines (an old
slug redirects, and ``/topik/{id}`` leads to the current one). Sections of the thread page are anchors.
"""

from __future__ import annotations

from urllib.parse import urlencode

THREADS = "/topik"

# What can be done to a thread or a reply at /topik/{id}/<action> and /balasan/{id}/<action>: the path
# segment of each route (forum.threads, posting, moderation, featured, replication, collaboration…).
THREAD_ACTIONS = frozenset({
    "balas", "ubah", "hapus", "riwayat", "moderasi", "laporkan", "pilih", "batal-pilih", "solusi", "solusi/batal",
    "replikasi", "silsilah-replikasi", "tindak-lanjut", "indikator", "apresiasi",
})  # fmt: skip
POST_ACTIONS = frozenset({"ubah", "riwayat", "moderasi", "laporkan", "apresiasi"})


def thread_url(thread_id: int, slug: str, section: str | None = None) -> str:
    """The thread page, or one of its sections (``section`` is an anchor: "replikasi", "tindak-lanjut"…)."""
    url = f"{THREADS}/{thread_id}/{slug}"
    return url if section is None else f"{url}#{section}"


def thread_short_url(thread_id: int) -> str:
    """The thread by its number alone; it redirects to the current address (or where a merge leads)."""
    return f"{THREADS}/{thread_id}"


def thread_action_url(thread_id: int, action: str) -> str:
    if action not in THREAD_ACTIONS:
        raise ValueError(f"no thread action {action!r}")
    return f"{THREADS}/{thread_id}/{action}"


def thread_history_url(thread_id: int) -> str:
    """The thread's revision history (moderators revert from there)."""
    return thread_action_url(thread_id, "riwayat")


def threads_url(**query: object) -> str:
    """The thread list, filtered by the given query parameters (empty ones are left out)."""
    pairs = [(name, value) for name, value in query.items() if value not in (None, "")]
    return f"{THREADS}?{urlencode(pairs)}" if pairs else THREADS


def new_thread_url(kind: str | None = None) -> str:
    return f"{THREADS}/baru" + (f"?{urlencode({'kind': kind})}" if kind else "")


def post_url(post_id: int) -> str:
    """A reply by its number: it redirects to its page of the thread, at its anchor."""
    return f"/balasan/{post_id}"


def post_action_url(post_id: int, action: str) -> str:
    if action not in POST_ACTIONS:
        raise ValueError(f"no reply action {action!r}")
    return f"/balasan/{post_id}/{action}"


def appreciation_url(target_type: str, target_id: int) -> str:
    """Where appreciation of a thread or a reply is given and withdrawn."""
    if target_type == "post":
        return post_action_url(target_id, "apresiasi")
    return thread_action_url(target_id, "apresiasi")


def user_url(user_id: int) -> str:
    return f"/pengguna/{user_id}"


def avatar_url(user_id: int, version: str) -> str:
    """The picture's address changes with the picture, so it may be cached for long (forum.accounts.avatar)."""
    return f"/pengguna/{user_id}/foto?v={version}"


USER_ACTIONS = frozenset({"verifikasi", "peran", "admin-instansi", "tangguhkan"})


def user_action_url(user_id: int, action: str) -> str:
    if action not in USER_ACTIONS:
        raise ValueError(f"no member action {action!r}")
    return f"/pengguna/{user_id}/{action}"
