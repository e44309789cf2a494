"""Rendered pieces of a page, kept while the values they were rendered from recur.

A piece of HTML that is a pure function of a few values (a reply on the thread page, a thread's card in a
list) is rendered once per distinct set of values and reused: the key is those values, so there is nothing to
invalidate, and a changed value makes a new key. Whoever keys a piece must render it from the key alone, never
from the request (forum.thread_page.fragments, forum.threads.cards; tests check the names their templates read).

A session's CSRF field cannot be part of a shared piece: pieces hold a placeholder that no escaped or
sanitised text can contain (it starts with ``<`` and holds a NUL), and ``fill_csrf`` puts the page's field in.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from markupsafe import Markup

CSRF_PLACEHOLDER = "<\x00csrf\x00>"
MEMO_BYTES = 16 * 1024 * 1024  # per worker and kind of piece: thousands of pieces at 1–3 KB of key and HTML
LARGEST_KEPT = 64 * 1024  # a larger piece is rendered each time rather than pushing out hundreds of others


def fill_csrf(html: str, csrf_input: object) -> Markup:
    return Markup(html.replace(CSRF_PLACEHOLDER, str(csrf_input or "")))


class FragmentMemo:
    """Least recently used out first, bounded by the characters it holds (the key's texts and the HTML)."""

    def __init__(self, budget: int = MEMO_BYTES) -> None:
        self.budget = budget
        self.used = 0
        self.entries: OrderedDict[Hashable, str] = OrderedDict()
        self.sizes: dict[Hashable, int] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...], render: Callable[[], str]) -> str:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                return found
        html = render()
        size = len(html) + sum(len(value) for value in _texts(key))
        if size > LARGEST_KEPT:
            return html
        with self.lock:
            if key not in self.entries:
                self.entries[key] = html
                self.sizes[key] = size
                self.used += size
                while self.used > self.budget:
                    oldest, _ = self.entries.popitem(last=False)
                    self.used -= self.sizes.pop(oldest)
        return html


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [text for item in value for text in _texts(item)]
    return []
