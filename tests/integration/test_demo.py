from __future__ import annotations

import httpx

from forum.core import taxonomy
from forum.core.tables import Agency, Post, Thread, ThreadValue, User
from forum.demo.seed import DEMO_PASSWORD, load_demo_file, seed_demo
from tests.support.factories import login


def test_demo_file_meets_the_brief() -> None:
    data = load_demo_file()
    threads = data["threads"]
    assert len(threads) >= 30
    assert len({t["sector"] for t in threads}) >= 12
    assert {v for t in threads for v in t["values"]} == set(taxonomy.VALUE_BY_SLUG)
    assert len(data["agencies"]) >= 10
    assert all(t["sector"] in taxonomy.SECTOR_BY_SLUG for t in threads)
    assert sum(len(t.get("replies", [])) for t in threads) >= 30


async def test_seed_is_idempotent_and_everything_is_readable(client: httpx.AsyncClient) -> None:
    data = load_demo_file()
    first = await seed_demo()
    assert first["threads"] == len(data["threads"])
    counts = (await Thread.count(), await Post.count(), await User.count(), await Agency.count())
    again = await seed_demo()
    assert again == {"threads": 0, "replies": 0}
    assert (await Thread.count(), await Post.count(), await User.count(), await Agency.count()) == counts
    assert await ThreadValue.count() == sum(len(t["values"]) for t in data["threads"])
    # Every demo thread page renders, and a demo account can sign in.
    for row in await Thread.select(Thread.id, Thread.slug):
        response = await client.get(f"/topik/{row['id']}/{row['slug']}")
        assert response.status_code == 200, row
    await login(client, data["users"][0]["email"], DEMO_PASSWORD)
