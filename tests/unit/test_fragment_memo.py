"""The memo of rendered pieces stays within its budget, drops the least recently used first, and renders a
piece too large to keep every time rather than keeping it."""

from __future__ import annotations

from forum.web.fragments import LARGEST_KEPT, FragmentMemo


def test_bounded_least_recently_used_first_out() -> None:
    memo = FragmentMemo(budget=310)  # three pieces of 101 (HTML and key)
    renders: list[str] = []

    def piece(name: str) -> str:
        renders.append(name)
        return name * 100

    for name in "abc":
        memo.get((name,), lambda name=name: piece(name))
    memo.get(("a",), lambda: piece("a"))  # a hit: "a" is now the most recent
    memo.get(("d",), lambda: piece("d"))  # over budget: "b", the least recent, goes
    assert renders == ["a", "b", "c", "d"]
    assert memo.used <= 310 and set(memo.entries) == {("a",), ("c",), ("d",)}
    memo.get(("b",), lambda: piece("b"))
    assert renders[-1] == "b"


def test_a_piece_too_large_is_not_kept() -> None:
    memo = FragmentMemo()
    big = "x" * (LARGEST_KEPT + 1)
    assert memo.get(("big",), lambda: big) == big
    assert not memo.entries and memo.used == 0
