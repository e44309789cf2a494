"""One's own profile settings, names that imitate staff, NIP checks, and a change of address that waits for
a link mailed to the new one."""

from __future__ import annotations

import httpx

from forum.accounts.names import imitates_staff_word
from forum.accounts.nip import nip_problem
from forum.core.tables import User
from tests.accounts.test_accounts import REGISTRATION
from tests.support.factories import PASSWORD, field_errors, login, make_user, post_form
from tests.support.mailbox import Mailbox, link_in


async def test_a_member_sets_name_position_nip_and_bio_shown_on_their_profile(client: httpx.AsyncClient) -> None:
    user = await make_user("ani@sleman.go.id", name="Ani")
    await login(client, user.email)
    saved = await post_form(client, "/akun/profil", {"display_name": "Ani Wulandari", "position": "Analis Kebijakan Ahli Muda",
                                                      "nip": "1987 0101 2010 01 2 001", "bio": "Mengurus layanan adminduk."})  # fmt: skip
    assert saved.status_code == 303
    row = await User.select(User.display_name, User.position, User.nip, User.bio).first()
    assert row == {"display_name": "Ani Wulandari", "position": "Analis Kebijakan Ahli Muda", "nip": "198701012010012001",
                   "bio": "Mengurus layanan adminduk."}  # fmt: skip
    profile = (await client.get(f"/pengguna/{user.id}")).text
    assert "Analis Kebijakan Ahli Muda" in profile and "Mengurus layanan adminduk." in profile
    assert "198701012010012001" not in profile  # the NIP is not published


async def test_names_that_imitate_staff_are_refused(client: httpx.AsyncClient) -> None:
    await make_user("mod@menpan.go.id", role="moderator", agency="Kementerian PANRB", name="Rina Moderasi Pusat")
    await make_user("rina@menpan.go.id", role="moderator", agency="Kementerian PANRB", name="Rina Kartika")
    user = await make_user("ani@sleman.go.id", name="Ani")
    await login(client, user.email)
    for name in ("Admin Sinergi", "Moderator", "S1nergi Resmi", "rina  KARTIKA", "Rina Kartika (BKN)", "Rinа Kartika"):
        refused = await post_form(client, "/akun/profil", {"display_name": name})
        assert refused.status_code == 422, name
        assert any("Nama tampilan" in text for text in field_errors(refused.text)), name
    registered = await post_form(client, "/daftar", {**REGISTRATION, "display_name": "Admin Sinergi"})
    assert registered.status_code == 422 and await User.count() == 3


def test_staff_words_are_found_behind_look_alikes() -> None:
    assert imitates_staff_word("ADM1N") and imitates_staff_word("Tim_Sinergi") and imitates_staff_word("Moderator Jateng")
    for disguised in ("Аdmin", "Αdmin", "Admіn", "Admın", "Mоderator", "Ѕinergi", "A d m i n", "A.d.m.i.n", "Ad-min"):
        assert imitates_staff_word(disguised), disguised  # Cyrillic, Greek, dotless i, spaced, dotted, hyphenated
    assert not imitates_staff_word("Siti Administrasi")  # a word that contains one is another word
    assert not imitates_staff_word("Budi Santoso") and not imitates_staff_word("Modesta")


def test_a_nip_is_read_part_by_part() -> None:
    assert nip_problem("198701012010012001") is None
    assert "18 digit" in (nip_problem("12345") or "")
    assert "tanggal lahir" in (nip_problem("198713012010012001") or "")
    assert "pengangkatan" in (nip_problem("198701012010132001") or "")
    assert "pengangkatan" in (nip_problem("198701011990012001") or "")  # appointed at three years old
    assert "jenis kelamin" in (nip_problem("198701012010013001") or "")


async def test_a_new_address_is_used_only_once_its_link_is_opened(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    user = await make_user("ani@sleman.go.id", name="Ani Wulandari")
    await make_user("budi@bantul.go.id", agency="Dinkes Kabupaten Bantul")
    await login(client, user.email)
    wrong = await post_form(client, "/akun/email", {"email": "ani.w@kemenkes.go.id", "password": "bukan-sandinya-sama-sekali"})
    assert wrong.status_code == 422
    taken = await post_form(client, "/akun/email", {"email": "budi@bantul.go.id", "password": PASSWORD})
    assert taken.status_code == 303  # the same answer as for a free address: the form tells nobody who has an account
    assert await mailbox.deliver() == []  # and the other account's owner is not mailed
    asked = await post_form(client, "/akun/email", {"email": "Ani.W@Kemenkes.go.id", "password": PASSWORD})
    assert asked.status_code == 303
    delivered = await mailbox.deliver()
    to_new = [m for m in delivered if "ani.w@kemenkes.go.id" in str(m["To"])]
    to_old = [m for m in delivered if "ani@sleman.go.id" in str(m["To"])]
    assert len(to_new) == 1 and len(to_old) == 1  # the old address hears of it too
    assert (await User.select(User.email).where(User.id == user.id).first())["email"] == "ani@sleman.go.id"
    link = link_in(to_new[0], "/konfirmasi/")
    assert (await post_form(client, link, {})).status_code == 200
    assert (await User.select(User.email).where(User.id == user.id).first())["email"] == "ani.w@kemenkes.go.id"
    await login(client, "ani.w@kemenkes.go.id")


async def test_address_changes_are_limited(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    user = await make_user("ani@sleman.go.id")
    await login(client, user.email)
    for n in range(3):
        assert (await post_form(client, "/akun/email", {"email": f"ani{n}@contoh.go.id", "password": PASSWORD})).status_code == 303
    refused = await post_form(client, "/akun/email", {"email": "ani9@contoh.go.id", "password": PASSWORD})
    assert refused.status_code == 429


async def test_an_unconfirmed_account_cannot_publish_a_name_or_bio(client: httpx.AsyncClient) -> None:
    await make_user("baru@bantul.go.id", agency="Dinkes Kabupaten Bantul", confirmed=False)
    await login(client, "baru@bantul.go.id")
    refused = await post_form(client, "/akun/profil", {"display_name": "Hadiah Rp10jt klik https://evil.example"})
    assert refused.status_code == 403
