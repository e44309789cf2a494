"""Load the demo data (forum/demo/demo.json) through the same domain functions the app uses. Idempotent:
agencies, users and threads that already exist (by slug, email, and title) are left as they are."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from forum.accounts.passwords import hash_password
from forum.accounts.service import load_current_user, normalise_email
from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.tables import Agency, FeaturedPractice, Post, Thread, User
from forum.dashboard import tally
from forum.posting.service import ReplyInput, add_reply
from forum.threads.service import ThreadInput, create_thread
from forum.web.flood import NO_LIMITS

DEMO_FILE = Path(__file__).with_name("demo.json")
DEMO_PASSWORD = "sinergi-demo-2026"


def load_demo_file(path: Path = DEMO_FILE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


async def _seed_agencies(agencies: list[dict[str, Any]]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for item in agencies:
        row = await Agency.select(Agency.id).where(Agency.slug == item["slug"]).first()
        if row is None:
            agency = Agency(name=item["name"], slug=item["slug"], kind=item["kind"], province=item["province"])
            await agency.save()
            ids[item["slug"]] = agency.id
        else:
            ids[item["slug"]] = row["id"]
    return ids


async def _seed_users(users: list[dict[str, Any]], agency_ids: dict[str, int]) -> dict[str, int]:
    ids: dict[str, int] = {}
    password_hash = await hash_password(DEMO_PASSWORD)
    for item in users:
        email = normalise_email(item["email"])
        row = await User.select(User.id).where(User.email == email).first()
        if row is None:
            user = User(
                email=email,
                display_name=item["display_name"],
                password_hash=password_hash,
                role=item.get("role", "member"),
                agency=agency_ids[item["agency"]],
                nip=item.get("nip"),
                verified_at=now(),  # demo members count as verified by their agencies
                email_confirmed_at=now(),
            )
            await user.save()
            ids[email] = user.id
        else:
            ids[email] = row["id"]
    return ids


async def seed_demo(progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Create what is missing; returns how many threads and replies were created."""
    data = load_demo_file()
    async with write_transaction():
        agency_ids = await _seed_agencies(data["agencies"])
        user_ids = await _seed_users(data["users"], agency_ids)
    created = {"threads": 0, "replies": 0}
    threads = data["threads"]
    start = now() - timedelta(days=3 * len(threads))
    for index, item in enumerate(threads):
        author_id = user_ids[normalise_email(item["author"])]
        title = " ".join(item["title"].split())
        if not await Thread.exists().where((Thread.title == title) & (Thread.author == author_id)):
            await _create_demo_thread(item, user_ids, start + timedelta(days=3 * index, hours=index % 7))
            created["threads"] += 1
            created["replies"] += len(item.get("replies", []))
        if progress:
            progress(1)
    await _curate(user_ids)
    # The demo backdates its threads and replies after creating them: recount the dashboard's roll-up.
    await tally.mark_everything()
    return created


# Demo curation, so that featured practices, an accepted solution and the modlog have something to show.
FEATURED = (
    ("LADAK: urus KTP-el",
     "Contoh lengkap layanan adminduk daring: alurnya jelas, dokumen diantar, dan waktu layanan sebelum dan "
     "sesudah tercatat. Disdukcapil lain dengan SIAK yang sama dapat mereplikasinya dalam hitungan minggu."),
    ("Antrean online puskesmas lewat WhatsApp",
     "Murah dan cepat ditiru: memakai WhatsApp yang sudah dipakai warga, tanpa aplikasi baru, dengan dampak "
     "yang terukur pada waktu tunggu pasien."),
    ("Papan transparansi dana desa ber-QR",
     "Akuntabel dan sederhana: warga memeriksa sendiri rincian anggaran dan progres pembangunan desa, "
     "cukup dengan ponsel."),
)  # fmt: skip
SOLVED = "Antrean panjang di loket Dukcapil"


async def _curate(user_ids: dict[str, int]) -> None:
    from forum.featured.service import Feature, feature_thread
    from forum.threads.solutions import mark_solution

    admin = await load_current_user(user_ids["admin@sinergi.example"], operator=True)
    if admin is None or await FeaturedPractice.exists():
        return
    for position, (prefix, note) in enumerate(FEATURED, start=1):
        thread = await Thread.select(Thread.id).where(Thread.title.like(f"{prefix}%")).first()
        if thread:
            await feature_thread(admin, thread["id"], Feature(note=note, position=position))
    problem = await Thread.select(Thread.id, Thread.author).where(Thread.title == SOLVED).first()
    if problem:
        answer = await Post.select(Post.id).where(
            (Post.thread == problem["id"]) & (Post.author != problem["author"])
        ).order_by(Post.id).first()
        asker = await load_current_user(problem["author"], operator=True)
        if answer and asker:
            await mark_solution(asker, problem["id"], answer["id"])


async def _create_demo_thread(item: dict[str, Any], user_ids: dict[str, int], created_at: datetime) -> None:
    author = await load_current_user(user_ids[normalise_email(item["author"])], operator=True)
    assert author is not None
    payload = {key: item[key] for key in ("kind", "title", "body", "sector", "values")}
    payload.update(item.get("case", {}))
    thread = await create_thread(author, ThreadInput.pick(payload), limits=NO_LIMITS)
    moment = created_at
    for reply in item.get("replies", []):
        replier = await load_current_user(user_ids[normalise_email(reply["author"])], operator=True)
        assert replier is not None
        created = await add_reply(replier, thread["id"], ReplyInput(body=reply["body"]), limits=NO_LIMITS)
        moment = moment + timedelta(hours=5)
        await Post.update({Post.created_at: moment}).where(Post.id == created["id"])
    # Demo threads are spread over past weeks so lists and dates look like a living forum.
    await Thread.update(
        {Thread.created_at: created_at, Thread.updated_at: created_at, Thread.last_activity_at: moment}
    ).where(Thread.id == thread["id"])
